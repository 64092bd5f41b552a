"""The loader: a valid file loads; every kind of mistake is reported with its line and column."""

from __future__ import annotations

import pytest

from bodymap.loader import load_bytes, load_file
from bodymap.problems import ContentError

from .conftest import SMALL

SMALL_TEXT = SMALL.read_text()


def problems_for(text: str) -> list:
    with pytest.raises(ContentError) as caught:
        load_bytes(text.encode(), "regions.yaml")
    return caught.value.problems


def edited(old: str, new: str) -> str:
    """The small test file with one exact edit (which must apply)."""
    assert SMALL_TEXT.count(old) == 1, old
    return SMALL_TEXT.replace(old, new)


def line_of(text: str, fragment: str) -> int:
    return text[: text.index(fragment)].count("\n") + 1


def test_valid_file_loads_with_all_sections():
    loaded = load_file(SMALL)
    assert [r.id for r in loaded.regions_file.regions] == [
        "lower-back-left",
        "lower-back-right",
        "belly",
    ]
    assert loaded.regions_file.clinic.phone == "(555) 010-0100"
    assert len(loaded.version) == 12


def test_version_changes_with_the_content():
    first = load_bytes(SMALL_TEXT.encode()).version
    second = load_bytes(edited("Test Clinic", "Other Clinic").encode()).version
    assert first != second


@pytest.mark.parametrize(
    ("old", "new", "marker", "column", "message", "hint"),
    [
        pytest.param(
            "    pain_points: [sciatica]\n",
            "    pain_point: [sciatica]\n",
            "pain_point: [sciatica]",
            5,
            "region 'lower-back-right': unknown key 'pain_point'",
            "did you mean 'pain_points'?",
            id="unknown key",
        ),
        pytest.param(
            "    label: Sciatica\n",
            "",
            "  - id: sciatica",
            5,
            "pain point 'sciatica', label is missing",
            "add it",
            id="missing field",
        ),
        pytest.param(
            'phone: "(555) 010-0100"',
            "phone: 5550100100",
            "phone: 5550100100",
            10,
            "clinic.phone: must be a text",
            "read this as a number",
            id="number instead of text",
        ),
        pytest.param(
            "    label: Sciatica\n",
            "    label: no\n",
            "label: no",
            12,
            "pain point 'sciatica', label: must be a text",
            "yes/no",
            id="yes/no read as true/false",
        ),
        pytest.param(
            "  - id: belly\n",
            "  - id: Belly_Button\n",
            "Belly_Button",
            9,
            "region 'Belly_Button', id: is not a valid id",
            "lowercase letters, digits and single hyphens",
            id="bad slug",
        ),
        pytest.param(
            "    view: front\n",
            "    view: frnt\n",
            "view: frnt",
            11,
            "region 'belly', view",
            "did you mean 'front'?",
            id="wrong word",
        ),
        pytest.param(
            '    shape: "M50 10h40v180h-40z"',
            '    shape: "M50 10 Q 3"',
            'shape: "M50 10 Q 3"',
            12,
            "is not SVG path data",
            "tools/make_figure.py",
            id="bad path data",
        ),
        pytest.param(
            "    url: https://clinic.example/nerves\n",
            "    url: javascript:alert(1)\n",
            "url: javascript",
            10,
            "article 'nerve-pain', url: must be a web address starting with https://",
            "for example https://",
            id="unsafe url",
        ),
        pytest.param(
            "    area: front\n",
            "    area: frnt\n",
            "area: frnt",
            11,
            "there is no area with the id 'frnt'",
            "did you mean 'front'?",
            id="unknown area",
        ),
        pytest.param(
            "    pain_points: [sciatica]\n",
            "    pain_points: [sciatika]\n",
            "pain_points: [sciatika]",
            19,
            "there is no pain point with the id 'sciatika'",
            "did you mean 'sciatica'?",
            id="unknown pain point",
        ),
        pytest.param(
            "    articles: [back-pain-and-depression]\n",
            "    articles: [back-pain-and-depresion]\n",
            "articles: [back-pain-and-depresion]",
            16,
            "there is no article with the id 'back-pain-and-depresion'",
            "did you mean 'back-pain-and-depression'?",
            id="unknown article",
        ),
        pytest.param(
            "  - id: belly\n",
            "  - id: lower-back-left\n",
            "  - id: lower-back-left\n    label: Belly",
            9,
            "the region id 'lower-back-left' is used twice",
            "already used on line 22",
            id="duplicate id",
        ),
        pytest.param(
            "    label: Sciatica\n",
            "    label: Sciatica\n    label: Leg pain\n",
            "label: Leg pain",
            5,
            "'label' appears twice in the same section",
            "silently use the last one",
            id="duplicate key",
        ),
        pytest.param(
            "    summary: Pain that shoots down the leg.\n",
            "    summary: Pain that: shoots down the leg.\n",
            "summary: Pain that: shoots",
            23,
            "YAML syntax: mapping values are not allowed",
            "in double quotes",
            id="colon in unquoted text",
        ),
        pytest.param(
            "    view: front\n",
            "\tview: front\n",
            "\tview: front",
            1,
            "YAML syntax",
            "indent with spaces, not tabs",
            id="tab indentation",
        ),
        pytest.param(
            "    summary: Pain that lasts more than three months.\n",
            "    summary: &s Pain that lasts more than three months.\n    synonyms: [*s]\n",
            "&s Pain",
            14,
            "anchors and aliases (& and *) are not allowed",
            "write the text out in full",
            id="alias",
        ),
    ],
)
def test_each_mistake_is_reported_with_line_column_and_hint(
    old, new, marker, column, message, hint
):
    text = edited(old, new)
    problems = problems_for(text)
    matching = [p for p in problems if message in p.message]
    assert matching, [str(p) for p in problems]
    problem = matching[0]
    assert (problem.line, problem.column) == (line_of(text, marker), column), str(problem)
    assert hint in problem.hint, str(problem)
    assert str(problem).startswith(f"regions.yaml:{problem.line}:{problem.column}: error: ")


def test_all_problems_are_reported_at_once_in_file_order():
    text = edited("    view: front\n", "    view: frnt\n")
    text = text.replace("    pain_points: [sciatica]\n", "    pain_points: [sciatika]\n")
    text = text.replace('phone: "(555) 010-0100"', "phone: 5550100100")
    problems = problems_for(text)
    assert len(problems) == 3
    assert [p.line for p in problems] == sorted(p.line for p in problems)


def test_empty_and_non_mapping_files_are_explained():
    assert "empty" in problems_for("")[0].message
    assert "sections such as 'clinic:' and 'regions:'" in problems_for("- just a list\n")[0].message


def test_a_missing_file_is_an_unreadable_file(tmp_path):
    with pytest.raises(ContentError) as caught:
        load_file(tmp_path / "nope.yaml")
    assert "cannot read the file" in str(caught.value)


def test_text_that_is_not_utf8_is_reported_with_its_line():
    raw = SMALL_TEXT.replace("Belly", "Bel\udcffly").encode("utf-8", "surrogateescape")
    with pytest.raises(ContentError) as caught:
        load_bytes(raw, "regions.yaml")
    assert caught.value.problems[0].line == line_of(SMALL_TEXT, "Belly")
    assert "UTF-8" in caught.value.problems[0].message
