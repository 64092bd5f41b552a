"""The `bodymap` command as a clinician or a script uses it."""

from __future__ import annotations

import json

from .conftest import SMALL


def test_check_a_valid_file_says_ok_and_exits_0(runner):
    code, out, _ = runner("check", str(SMALL))
    assert code == 0
    assert "ok — 3 regions, 2 pain points, 3 articles, 2 red flags" in out


def test_check_prints_one_line_per_problem_and_exits_1(runner, small_file):
    small_file.write_text(
        small_file.read_text()
        .replace("view: front", "view: frnt")
        .replace("area: front", "area: x")
    )
    code, _, err = runner("check", str(small_file))
    assert code == 1
    lines = err.strip().splitlines()
    assert len(lines) == 3
    assert lines[0].startswith(f"{small_file}:") and ": error: " in lines[0]
    assert lines[-1] == f"{small_file}: 2 problems found"


def test_check_a_missing_file_exits_2(runner, tmp_path):
    code, _, err = runner("check", str(tmp_path / "missing.yaml"))
    assert code == 2
    assert "cannot read the file" in err


def test_check_uses_bodymap_regions_when_no_file_is_given(runner, monkeypatch):
    monkeypatch.setenv("BODYMAP_REGIONS", str(SMALL))
    code, out, _ = runner("check")
    assert code == 0 and str(SMALL) in out


def test_schema_is_json_schema_of_the_file(runner):
    code, out, _ = runner("schema")
    schema = json.loads(out)
    assert code == 0
    assert set(schema["required"]) >= {"clinic", "areas", "regions"}
    assert "figure" not in schema["properties"]
    assert "pain_points" in schema["properties"]


def test_warnings_do_not_fail_the_check_unless_strict(runner, small_file):
    code, out, err = runner("check", str(small_file))
    assert code == 0
    assert f"{small_file}:30:9: warning: the region 'belly' has no pain points" in err
    assert "(2 warnings)" in out
    code, _, err = runner("check", "--strict", str(small_file))
    assert code == 1 and "(2 warnings)" in err


def test_json_report_for_machines(runner, small_file):
    small_file.write_text(small_file.read_text().replace("view: front", "view: frnt"))
    code, out, _ = runner("check", "--format", "json", str(small_file))
    report = json.loads(out)
    assert code == report["exit_code"] == 1
    assert report["valid"] is False and report["warnings"] == []
    assert report["errors"] == [
        {
            "file": str(small_file),
            "line": 32,
            "column": 11,
            "severity": "error",
            "message": "region 'belly', view: must be 'front' or 'back'",
            "hint": "did you mean 'front'?",
        }
    ]


def test_json_report_of_a_valid_file_has_counts_and_warnings(runner):
    code, out, _ = runner("check", "--format", "json", str(SMALL))
    report = json.loads(out)
    assert code == 0 and report["valid"] is True
    assert report["counts"] == {"regions": 3, "pain_points": 2, "articles": 3, "red_flags": 2}
    assert [w["line"] for w in report["warnings"]] == [30, 54]


def test_check_counts_texts_without_spanish_and_lists_them_on_request(runner, small_file):
    code, _out, err = runner("check", str(small_file))
    assert code == 0
    assert "note: 15 texts without Spanish (es) are shown in English" in err
    assert "bodymap check --untranslated" in err
    code, _out, err = runner("check", "--untranslated", str(small_file))
    assert code == 0
    lines = [line for line in err.splitlines() if ": note: " in line and "has no Spanish" in line]
    assert len(lines) == 15
    assert f"{small_file}:10:12: note: area 'back', label has no Spanish (es) text" in err
    code, _out, err = runner("check", "--strict", str(small_file))
    assert code == 1  # the two warnings; notes alone never fail --strict


def test_a_translated_text_is_no_longer_listed(runner, small_file):
    text = small_file.read_text()
    small_file.write_text(text.replace("label: Back\n", "label: {en: Back, es: Espalda}\n", 1))
    _code, out, _err = runner("check", "--format", "json", str(small_file))
    listed = [p["message"] for p in json.loads(out)["untranslated"]["es"]]
    assert len(listed) == 14
    assert not any(message.startswith("area 'back', label") for message in listed)


LONG_SPANISH_LABEL = 'label: {en: Back, es: "' + "x" * 312 + '"}\n'


def test_check_names_a_long_text_in_two_languages_and_exits_1(runner, small_file):
    text = small_file.read_text().replace("label: Back\n", LONG_SPANISH_LABEL, 1)
    small_file.write_text(text)
    code, out, err = runner("check", str(small_file))
    assert code == 1, err
    assert out == ""
    assert err.splitlines() == [
        f"{small_file}:10:27: error: area 'back', label in Spanish (es:): is 312 characters long,"
        " longer than the limit of 200 — shorten the text",
        f"{small_file}: 1 problem found",
    ]


def test_check_without_python_around_it_prints_no_traceback(small_file):
    """The installed command, as a clinician runs it (once, as a separate process)."""
    import subprocess
    import sys

    small_file.write_text(small_file.read_text().replace("label: Back\n", LONG_SPANISH_LABEL, 1))
    done = subprocess.run(
        [sys.executable, "-m", "bodymap.cli", "check", str(small_file)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr
    assert "is 312 characters long, longer than the limit of 200" in done.stderr


def test_check_reports_a_fault_in_its_warnings_as_a_problem(runner, small_file, monkeypatch):
    import bodymap.lint

    def broken(_loaded):
        raise ValueError("min() arg is an empty sequence")

    monkeypatch.setattr(bodymap.lint, "build_content", broken)
    code, _out, err = runner("check", str(small_file))
    assert code == 1
    assert "Traceback" not in err
    assert f"{small_file}:1:1: error: " in err
    assert "could not be checked" in err


def test_check_never_lets_a_fault_escape(runner, small_file, monkeypatch):
    import bodymap.cli

    def broken(*_args):
        raise RuntimeError("a fault in bodymap")

    monkeypatch.setattr(bodymap.cli, "inspect_file", broken)
    code, _out, err = runner("check", str(small_file))
    assert code == 2
    assert f"bodymap check: {small_file} could not be checked" in err
    assert "Traceback" not in err


def test_check_names_a_region_without_a_shape_and_a_shape_without_a_region(runner, small_file):
    figure = small_file.parent / "figures" / "adult.yaml"
    small_file.write_text(small_file.read_text().replace("- id: belly", "- id: tummy"))
    code, _, err = runner("check", str(small_file))
    assert code == 1
    assert f"{small_file}:30:9: error: region 'tummy' has no shape in the figure" in err

    text = small_file.read_text()
    start = text.index("  - id: tummy")
    small_file.write_text(text[:start] + text[text.index("pain_points:", start) :])
    code, _, err = runner("check", str(small_file))
    assert code == 0, err
    line = figure.read_text().splitlines().index('    belly: "M10 10h80v180h-80z"') + 1
    assert f"{figure}:{line}:5: warning: the figure draws 'belly' on the front view" in err
