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
    assert set(schema["required"]) >= {"clinic", "figure", "areas", "regions"}
    assert "pain_points" in schema["properties"]
