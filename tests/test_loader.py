"""The loader: a valid file loads; every kind of mistake is reported with its line and column."""

from __future__ import annotations

import pytest

from bodymap.loader import UnreadableFile, load_bytes, load_file
from bodymap.problems import ContentError

from .conftest import SMALL, SMALL_FIGURE, copy_content

SMALL_TEXT = SMALL.read_text()
SMALL_FIGURE_TEXT = SMALL_FIGURE.read_text()


def problems_for(text: str, figure: str = "") -> list:
    """The problems of a content file, with the small figure file or `figure`."""
    with pytest.raises(ContentError) as caught:
        load_bytes(text.encode(), "regions.yaml", figure=(figure or SMALL_FIGURE_TEXT).encode())
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
    first = load_bytes(SMALL_TEXT.encode(), figure=SMALL_FIGURE.read_bytes()).version
    second = load_bytes(
        edited("Test Clinic", "Other Clinic").encode(), figure=SMALL_FIGURE.read_bytes()
    ).version
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
            "region 'Belly_Button', id: 'Belly_Button' is not a valid id",
            "lowercase letters, digits and single hyphens, e.g. 'belly-button'",
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
            "already used on line 15",
            id="duplicate id",
        ),
        pytest.param(
            "    label: Sciatica\n",
            "    label: Sciatica\n    label: Leg pain\n",
            "label: Leg pain",
            5,
            "'label' appears twice in the same item (first on line 43)",
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
        load_bytes(raw, "regions.yaml", figure=SMALL_FIGURE.read_bytes())
    assert caught.value.problems[0].line == line_of(SMALL_TEXT, "Belly")
    assert "UTF-8" in caught.value.problems[0].message


# Texts over their limit, in every form a text can be written (issue 12: the two-language
# forms crashed the check with KeyError: 'max_length').
LONG = "x" * 312
LONG_PLACES = {
    "plain label": (
        "    label: Sciatica\n",
        f'    label: "{LONG}"\n',
        f'"{LONG}"',
        "pain point 'sciatica', label: is 312 characters long",
    ),
    "label {en, es}": (
        "    label: Sciatica\n",
        f'    label: {{en: "{LONG}", es: Ciática}}\n',
        f'"{LONG}"',
        "pain point 'sciatica', label in English (en:): is 312 characters long",
    ),
    "label es: on its own line": (
        "    label: Sciatica\n",
        f'    label:\n      en: Sciatica\n      es: "{LONG}"\n',
        f'"{LONG}"',
        "pain point 'sciatica', label in Spanish (es:): is 312 characters long",
    ),
    "synonym": (
        "    synonyms: [lumbar]\n",
        f'    synonyms: [lumbar, "{LONG}"]\n',
        f'"{LONG}"',
        "region 'lower-back-left', synonyms: is 312 characters long",
    ),
    "synonym per language": (
        "    synonyms: [lumbar]\n",
        f'    synonyms:\n      en: [lumbar]\n      es: [lumbago, "{LONG}"]\n',
        f'"{LONG}"',
        "region 'lower-back-left', synonyms in Spanish (es:): is 312 characters long",
    ),
    "tagline": (
        "  name: Test Clinic\n",
        f'  name: Test Clinic\n  tagline: {{en: "{LONG}"}}\n',
        f'"{LONG}"',
        "clinic.tagline in English (en:): is 312 characters long",
    ),
}


@pytest.mark.parametrize(("old", "new", "marker", "message"), LONG_PLACES.values(), ids=LONG_PLACES)
def test_a_text_over_its_limit_names_the_count_and_the_limit_at_the_text(old, new, marker, message):
    text = edited(old, new)
    problems = problems_for(text)
    assert len(problems) == 1, [str(p) for p in problems]
    problem = problems[0]
    assert problem.message == f"{message}, longer than the limit of 200", str(problem)
    assert problem.hint == "shorten the text"
    line = line_of(text, marker)
    column = text.splitlines()[line - 1].index(marker) + 1
    assert (problem.line, problem.column) == (line, column), str(problem)


def test_a_long_summary_in_two_languages_has_the_long_texts_limit():
    text = edited(
        "    summary: Pain that shoots down the leg.\n",
        f'    summary:\n      en: Pain.\n      es: "{"y" * 1600}"\n',
    )
    (problem,) = problems_for(text)
    assert problem.message == (
        "pain point 'sciatica', summary in Spanish (es:): is 1600 characters long, "
        "longer than the limit of 1500"
    )
    assert (problem.line, problem.column) == (line_of(text, 'es: "yyy'), 11)


def test_an_empty_text_in_one_language_is_called_empty_at_its_place():
    text = edited("    label: Sciatica\n", '    label: {en: Sciatica, es: "  "}\n')
    (problem,) = problems_for(text)
    assert problem.message == "pain point 'sciatica', label in Spanish (es:): is empty"
    assert problem.hint == "write a text here"
    assert problem.column == text.splitlines()[problem.line - 1].index('"  "') + 1


def test_a_language_key_with_braces_is_reported_not_raised():
    text = edited("    label: Sciatica\n", '    label: {en: Sciatica, "{es}": Ciática}\n')
    (problem,) = problems_for(text)
    assert "unknown language '{es}'" in problem.message
    assert problem.line == line_of(text, "{es}")


@pytest.mark.parametrize(
    ("shape", "words"),
    [
        ("M10 10", "draws nothing"),
        ("M10 10 L50 10 L90 10 Z", "draws nothing"),
        ("M10 10 L50 1e999 L90 10 Z", "outside the figure"),
        ("M10 10 L50 1e300 L90 10 Z", "outside the figure"),
        ("M10 10 L50 -5000 L90 10 Z", "outside the figure"),
    ],
)
def test_a_shape_that_cannot_be_drawn_is_a_problem_at_the_shape_in_the_figure_file(shape, words):
    figure = SMALL_FIGURE_TEXT.replace('"M50 10h40v180h-40z"', f'"{shape}"')
    (problem,) = problems_for(SMALL_TEXT, figure)
    assert words in problem.message, str(problem)
    assert "the shape of 'lower-back-right' (back view)" in problem.message
    assert (problem.line, problem.column) == (line_of(figure, f'"{shape}"'), 23)
    assert problem.file == "figures/adult.yaml"
    assert "tools/make_figure.py" in problem.hint


@pytest.mark.parametrize(
    ("old", "new", "words"),
    [
        ('"M50 10h40v180h-40z"', '"M50 10 Q 3"', "is not SVG path data"),
        ('"M50 10h40v180h-40z"', '"L50 10h40v180h-40z"', "must start with M"),
        ('"M50 10h40v180h-40z"', '"M50 10h40x180h-40z"', "unexpected 'x'"),
        ('"M50 10h40v180h-40z"', '"M50 10L40 10 50v180h-40z"', "numbers in groups of 2"),
        ("  shapes:\n    lower-back-left", "  shapez:\n    lower-back-left", "unknown key"),
        ("width: 100", "width: -100", "greater than 0"),
    ],
)
def test_a_mistake_in_the_figure_file_is_reported_there_with_its_line(old, new, words):
    assert SMALL_FIGURE_TEXT.count(old) == 1, old
    figure = SMALL_FIGURE_TEXT.replace(old, new)
    problems = problems_for(SMALL_TEXT, figure)
    matching = [p for p in problems if words in p.message]
    assert len(matching) == 1, [str(p) for p in problems]
    problem = matching[0]
    assert problem.file == "figures/adult.yaml"
    assert problem.line == line_of(figure, new.split("\n")[0].strip()), str(problem)
    assert "written by tools/make_figure.py" in problem.hint


def test_a_region_the_figure_does_not_draw_is_an_error_at_the_region():
    text = edited("  - id: lower-back-right\n", "  - id: lower-back-rigth\n")
    (problem,) = problems_for(text)
    assert (problem.file, problem.line, problem.column) == (
        "regions.yaml",
        line_of(text, "lower-back-rigth"),
        9,
    )
    assert "region 'lower-back-rigth' has no shape in the figure (figures/adult.yaml)" in str(
        problem
    )
    assert problem.hint == "did you mean 'lower-back-right'?"


def test_a_region_on_the_view_the_figure_does_not_draw_it_on_is_an_error_at_its_view():
    text = edited("    view: front\n", "    view: back\n")
    (problem,) = problems_for(text)
    assert (problem.line, problem.column) == (line_of(text, "view: back\n    side: centre"), 11)
    assert "the figure (figures/adult.yaml) draws it on the front view" in problem.message
    assert problem.hint == "write view: front"


def test_a_shape_no_region_uses_is_a_warning_at_the_shape_in_the_figure_file():
    from bodymap.lint import content_warnings

    text = SMALL_TEXT.replace(
        SMALL_TEXT[SMALL_TEXT.index("  - id: belly") :].split("pain_points:")[0], ""
    )
    text = text.replace("    area: front\n", "")
    figure = SMALL_FIGURE_TEXT
    loaded = load_bytes(text.encode(), "regions.yaml", figure=figure.encode())
    found = [str(w) for w in content_warnings(loaded) if "belly" in w.message]
    assert found == [
        f"figures/adult.yaml:{line_of(figure, 'belly:')}:5: warning: the figure draws 'belly' on"
        " the front view, but no region in regions.yaml has this id: patients cannot tap it —"
        " if a region was renamed, use this id again; otherwise have tools/make_figure.py draw"
        " the figure again without it"
    ]


def test_a_missing_figure_file_is_an_unreadable_file_named_with_a_hint(tmp_path):
    path = copy_content(tmp_path / "regions.yaml")
    (tmp_path / "figures" / "adult.yaml").unlink()
    with pytest.raises(UnreadableFile) as caught:
        load_file(path)
    (problem,) = caught.value.problems
    assert problem.file == str(tmp_path / "figures" / "adult.yaml")
    assert "tools/make_figure.py" in problem.hint


def test_the_figure_folder_can_be_given(tmp_path):
    elsewhere = tmp_path / "drawings"
    elsewhere.mkdir()
    (elsewhere / "adult.yaml").write_bytes(SMALL_FIGURE.read_bytes())
    plain = tmp_path / "regions.yaml"
    plain.write_bytes(SMALL.read_bytes())
    assert load_file(plain, figures_dir=elsewhere).figure.width == 100


def test_the_version_changes_with_the_figure():
    moved = SMALL_FIGURE_TEXT.replace('"M10 10h40v180h-40z"', '"M11 10h39v180h-39z"')
    first = load_bytes(SMALL_TEXT.encode(), figure=SMALL_FIGURE_TEXT.encode()).version
    assert load_bytes(SMALL_TEXT.encode(), figure=moved.encode()).version != first


def test_an_unexpected_failure_while_validating_becomes_a_problem(monkeypatch):
    import bodymap.loader as loader

    def broken(*_args):
        raise RuntimeError("a fault in bodymap")

    monkeypatch.setattr(loader, "reference_problems", broken)
    with pytest.raises(ContentError) as caught:
        load_bytes(SMALL_TEXT.encode(), "regions.yaml", figure=SMALL_FIGURE.read_bytes())
    (problem,) = caught.value.problems
    assert (problem.file, problem.line, problem.column) == ("regions.yaml", 1, 1)
    assert "could not be checked" in problem.message
    assert "not a mistake in your file" in problem.hint


def test_an_unexpected_failure_on_one_mistake_is_reported_at_that_mistake(monkeypatch):
    import bodymap.loader as loader

    # The kind of fault issue 12 found: a message template naming a value pydantic lacks.
    monkeypatch.setitem(loader._MESSAGES, "literal_error", "must be {no_such_value}")
    text = edited("    view: front\n", "    view: frnt\n")
    (problem,) = problems_for(text)
    assert (problem.line, problem.column) == (line_of(text, "view: frnt"), 11)
    assert problem.message.startswith("region 'belly', view: ")
    assert "front" in problem.message


def test_characters_that_would_garble_the_terminal_are_shown_as_codes():
    # YAML escapes in a double-quoted key: an ANSI colour code and a record separator, which
    # would recolour the terminal and split the message over two lines.
    text = edited("    label: Sciatica\n", '    label: Sciatica\n    "\\e[31mlabel\\x1e": x\n')
    (problem,) = problems_for(text)
    assert "\x1b" not in str(problem) and len(str(problem).splitlines()) == 1, repr(str(problem))
    assert "unknown key '\\u001b[31mlabel\\u001e'" in problem.message


@pytest.mark.parametrize("name", ["regions\x00.yaml", ""])
def test_a_path_that_names_no_file_is_an_unreadable_file(tmp_path, name):
    with pytest.raises(ContentError) as caught:
        load_file(tmp_path / name if name else name)
    assert "cannot read the file" in str(caught.value)


# Issue 16: the checker's advice must not be wrong where the file is right, or nearly so.


def test_a_whole_file_without_a_final_line_break_is_not_called_cut_off():
    # Notepad saves without a final line break: such a file is fine, and a mistake in it is
    # reported as itself.
    assert load_bytes(
        SMALL_TEXT.rstrip("\n").encode(), figure=SMALL_FIGURE.read_bytes()
    ).regions_file
    text = edited("    view: front\n", "    view: frnt\n").rstrip("\n")
    (problem,) = problems_for(text)
    assert "did you mean 'front'?" in problem.hint
    assert "cut off" not in str(problem)


def test_a_file_with_no_red_flags_that_names_none_needs_no_red_flags_section():
    text = SMALL_TEXT[: SMALL_TEXT.index("red_flags:\n  - id: saddle")]
    text = text.replace("    red_flags: [saddle-numbness]\n", "")
    text = text.replace("    red_flags: [fever-back-pain]\n", "")
    assert load_bytes(text.encode(), figure=SMALL_FIGURE.read_bytes()).regions_file.red_flags == []


@pytest.mark.parametrize(
    ("word", "choices", "hint"),
    [
        ("whiplash-treatment", ["hip-pain-treatment"], ""),  # the finding's far match
        ("title", ["id", "label", "summary", "articles", "tags"], ""),
        ("knee-pain", ["nerve-pain"], ""),
        ("piriformis-syndrom", ["piriformis-syndrome", "sciatica"], "'piriformis-syndrome'"),
        ("Title", ["title", "url"], "'title'"),
        ("lable", ["label"], "'label'"),
        ("pain-points", ["pain_points"], "'pain_points'"),
        ("Urgent", ["emergency", "urgent"], "'urgent'"),
    ],
)
def test_did_you_mean_only_for_a_slip_of_the_keyboard(word, choices, hint):
    from bodymap.problems import did_you_mean

    said = did_you_mean(word, choices)
    assert (hint in said) if hint else said == "", said


def test_an_empty_list_may_be_removed():
    text = edited("    articles: [back-pain-and-depression]\n", "    articles:\n")
    (problem,) = problems_for(text)
    assert "articles: must be a list" in problem.message
    assert "or remove the line" in problem.hint


def test_a_misspelt_key_in_an_article_is_a_misspelt_key_not_a_misplaced_item():
    text = edited("    title: Nerve pain\n", "    tittle: Nerve pain\n")
    problems = problems_for(text)
    assert [p.hint for p in problems if "unknown key 'tittle'" in p.message] == [
        "did you mean 'title'?"
    ]
    assert not [p for p in problems if "looks like" in p.message]


def test_a_two_language_text_with_an_empty_english_is_not_called_badly_indented():
    text = edited("    label: Sciatica\n", "    label: {en: , es: Ciática}\n")
    (problem,) = problems_for(text)
    assert "not indented" not in problem.message
    assert "label in English (en:)" in problem.message


def test_a_text_followed_by_its_translation_in_braces_is_not_a_quote_inside_quotes():
    text = edited("    label: Sciatica\n", '    label: "Sciatica" {es: Ciática}\n')
    (problem,) = problems_for(text)
    assert "ends the text early" not in problem.message, str(problem)


def test_a_summary_in_quotes_over_several_lines_is_fine():
    text = edited(
        "    summary: Pain that shoots down the leg.\n",
        '    summary: "Pain that shoots\n      down the leg."\n',
    )
    assert load_bytes(text.encode(), figure=SMALL_FIGURE.read_bytes()).regions_file


def test_a_missing_dash_is_one_problem_and_both_items_are_still_checked():
    text = edited("  - id: nerve-pain\n", "    id: nerve-pain\n").replace(
        "articles: [back-pain-and-depression]", "articles: [back-pain-and-depression, nerve-pain]"
    )
    (problem,) = problems_for(text)  # not "there is no article with the id 'nerve-pain'"
    assert (problem.line, problem.column) == (line_of(text, "    id: nerve-pain"), 5)
    assert "write '- id:' here" in problem.hint and "(2 spaces in)" in problem.hint
    text = text.replace("    url: https://clinic.example/nerves", "    url: javascript:x")
    assert any("article 'nerve-pain', url" in p.message for p in problems_for(text))


def warnings_for(text: str) -> list[str]:
    from bodymap.lint import content_warnings

    return [
        str(w)
        for w in content_warnings(
            load_bytes(text.encode(), "regions.yaml", figure=SMALL_FIGURE.read_bytes())
        )
    ]


def test_curly_quotes_inside_a_text_are_typography_not_a_warning():
    text = edited(
        "    title: Nerve pain\n", "    title: Don\u2019t ignore \u201cburning\u201d pain\n"
    )
    assert not [w for w in warnings_for(text) if "curly" in w]
    text = edited("    title: Nerve pain\n", "    title: \u2018Nerve pain\u2019\n")
    assert [w for w in warnings_for(text) if "inside curly quotes (\u2018…\u2019)" in w]


@pytest.mark.parametrize(
    ("booking", "warned"),
    [
        ("https://www.clinic.example/book", False),
        ("https://book.clinic.example/", False),
        ("https://clinic.example.evil.test/book", True),
        ("https://scheduler.example/clinic", True),
    ],
)
def test_a_booking_address_on_another_site_is_a_warning(booking, warned):
    text = edited("booking_url: https://clinic.example/book", f"booking_url: {booking}")
    found = [w for w in warnings_for(text) if "the booking address is on" in w]
    assert bool(found) == warned, warnings_for(text)


def test_one_problem_left_unlisted_is_counted_in_the_singular(monkeypatch):
    import bodymap.loader as loader

    monkeypatch.setattr(loader, "MAX_SCHEMA_PROBLEMS", 1)
    text = edited("    view: front\n", "    view: frnt\n").replace("side: right", "side: rite")
    *_, last = problems_for(text)
    assert last.message == "1 more problem like these is not listed"
