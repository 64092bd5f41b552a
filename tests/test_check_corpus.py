"""`bodymap check` on a corpus of broken content files: each mistake at its line, with a hint.

Every file in tests/data/broken/ is tests/data/small.yaml with a deliberate mistake (line 1
is a comment naming it, so the other lines keep small.yaml's numbering unless a line was
added or removed). The expected line is where the mistake was placed, counted in the file,
not copied from the tool's output; for YAML syntax errors it is the line where PyYAML can
first know that something is wrong, explained in a comment when it differs from the typo.
"""

from __future__ import annotations

import re
import subprocess
import sys

import pytest

from bodymap.lint import inspect_file

from .conftest import ROOT, SMALL, TESTS

BROKEN = TESTS / "data" / "broken"
NAME = re.compile(r"^\d\d-[a-z0-9]+(?:-[a-z0-9]+)*\.yaml$")

SPACES_NOT_TABS = "indent with spaces, not tabs"
VALID_ID = "lowercase letters, digits and single hyphens"
YES_NO = "YAML reads yes/no/on/off as true/false"
HTTPS = "starting with https://"
CURLY = "remove the curly quotes \u201c \u201d"
NOTEPAD = "in Notepad, File > Save As, Encoding: UTF-8"
PHONE_CHARACTERS = "digits, spaces and + ( ) - . only"
MOVED_SHAPE = "shapes are kept in the figure file (figures/adult.yaml) now: remove this line"

# file: (exit code, line of the mistake, words the clinician must read on that line); the line
# is a number, or the only line on which a text is written (^: at its start), or counted back
# from the end (-1).
CASES: dict[str, tuple[int, int | str, str]] = {
    # YAML syntax. The quote opened on line 48 is never closed: PyYAML only notices at the
    # end of the file (line 69), so the loader points back to where the quote was opened.
    "01-yaml-unclosed-quote.yaml": (1, 48, "closing quote"),
    # The '[' on line 21 is never closed. PyYAML notices at the ':' on line 22; the loader
    # points back to where the bracket was opened.
    "02-yaml-unclosed-bracket.yaml": (1, 21, "expected ',' or ']'"),
    # 'label:' indented by 3 spaces instead of 4 under '- id:'.
    "03-yaml-bad-indentation.yaml": (1, 37, "check the indentation"),
    # A stray character: the line must name it, not only point at it.
    "04-yaml-stray-bracket.yaml": (1, 28, "']'"),
    "05-yaml-stray-at-sign.yaml": (1, 32, "'@'"),
    "06-tab-indentation.yaml": (1, 25, SPACES_NOT_TABS),
    # Structure and ids.
    "07-duplicate-key.yaml": (1, 19, "'label' appears twice"),
    "08-duplicate-region-id.yaml": (1, 30, "already used on line 23"),
    "09-duplicate-pain-point-id.yaml": (1, 46, "already used on line 42"),
    "10-duplicate-article-id.yaml": (1, 57, "already used on line 52"),
    "11-duplicate-red-flag-id.yaml": (1, 69, "already used on line 66"),
    # References to ids that do not exist.
    "12-unknown-area.yaml": (1, 19, "did you mean 'back'"),
    "13-unknown-pain-point.yaml": (1, 28, "did you mean 'sciatica'"),
    "14-unknown-region-red-flag.yaml": (1, 29, "did you mean 'fever-back-pain'"),
    "15-unknown-area-red-flag.yaml": (1, 11, "did you mean 'saddle-numbness'"),
    "16-unknown-article.yaml": (1, 39, "did you mean 'back-pain-and-depression'"),
    "17-unknown-pain-point-red-flag.yaml": (1, 46, "did you mean 'saddle-numbness'"),
    "18-unknown-pain-point-no-close-match.yaml": (
        1,
        21,
        "add a pain point with this id under 'pain_points:'",
    ),
    # Misspelt keys.
    "19-misspelt-key-pain-point.yaml": (1, 28, "did you mean 'pain_points'"),
    "20-misspelt-key-lable.yaml": (1, 13, "did you mean 'label'"),
    "21-misspelt-key-sumary.yaml": (1, 44, "did you mean 'summary'"),
    # Missing fields: reported on the first line of the section that should hold them.
    "22-missing-label.yaml": (1, 36, "label is missing"),
    "23-missing-summary.yaml": (1, 52, "summary is missing"),
    "24-missing-id.yaml": (1, 30, "id is missing"),
    # The figure is in its own file (figures/adult.yaml beside these files): a region it does
    # not draw is a problem at the region.
    "25-region-without-shape.yaml": (
        1,
        "  - id: lower-back-lft",
        "has no shape in the figure (figures/adult.yaml) — did you mean 'lower-back-left'?",
    ),
    # The whole clinic: section is gone; the top-level sections now start on line 2.
    "26-missing-clinic-section.yaml": (1, 2, "the section 'clinic:' is missing"),
    # Wrong types.
    "27-list-instead-of-text.yaml": (1, 13, "must be a text"),
    "28-text-instead-of-list.yaml": (1, 20, "write a list"),
    "29-mapping-instead-of-list.yaml": (1, 20, "must be a list"),
    "30-boolean-label-no.yaml": (1, 13, YES_NO),
    "31-boolean-label-yes.yaml": (1, 37, YES_NO),
    "32-boolean-synonyms-on-off.yaml": (1, 20, YES_NO),
    "33-phone-read-as-number.yaml": (1, 4, "YAML read this as a number"),
    "34-date-read-as-date.yaml": (1, 58, "YAML read this as a date"),
    "35-colon-in-unquoted-text.yaml": (1, 48, "in double quotes"),
    # Not a content file at all.
    "36-empty-file.yaml": (1, 1, "the file is empty"),
    "37-only-comments.yaml": (1, 1, "the file is empty"),
    # Line 1 is a comment: the list (and the scalar) begin on line 2.
    "38-top-level-list.yaml": (1, 2, "must be made of sections"),
    "39-top-level-scalar.yaml": (1, 2, "must be made of sections"),
    # The '---' on line 35 starts a second document.
    "40-several-documents.yaml": (1, 35, "single document"),
    # Ids.
    "41-slug-uppercase.yaml": (1, 52, VALID_ID),
    "42-slug-underscore.yaml": (1, 57, VALID_ID),
    # 'nerve pain': one tag with a space, or two without their comma.
    "43-slug-spaces.yaml": (1, 45, "use single hyphens instead of spaces: nerve-pain"),
    "44-slug-leading-hyphen.yaml": (1, 30, VALID_ID),
    # A file from before the figure had its own file (tests/test_loader.py checks mistakes in
    # the figure file itself).
    "45-shape-line-left-in-region.yaml": (1, '    shape: "', MOVED_SHAPE),
    "46-figure-section-left-in.yaml": (1, "^figure:", "now: remove this section"),
    "47-region-on-the-other-view.yaml": (
        1,
        25,
        "draws it on the back view — write view: back",
    ),
    # Urls and words from a fixed list.
    "48-url-javascript.yaml": (1, 59, HTTPS),
    "49-url-http.yaml": (1, 5, HTTPS),
    "50-view-not-front-or-back.yaml": (1, 32, "'front' or 'back'"),
    "51-level-not-emergency-or-urgent.yaml": (1, 67, "'emergency', 'urgent' or 'soon'"),
    # YAML features that are refused.
    "52-anchor-and-alias.yaml": (1, 21, "anchors and aliases (& and *) are not allowed"),
    "53-merge-key.yaml": (1, 28, "merge keys (<<) are not allowed"),
    # A Windows-1252 dash (byte 0x96) on line 60.
    "54-not-utf8.yaml": (1, 60, "not UTF-8"),
    "55-label-too-long.yaml": (1, 37, "is 221 characters long, longer than the limit of 200"),
    # Several mistakes: all reported at once, in file order.
    "56-three-mistakes-number-reference-word.yaml": (1, 4, "YAML read this as a number"),
    "57-three-mistakes-key-boolean-url.yaml": (1, 20, "did you mean 'synonyms'"),
    "58-three-mistakes-reference-shape-duplicate-key.yaml": (
        1,
        11,
        "did you mean 'saddle-numbness'",
    ),
    # Issue 16: each mistake the office manager made, with the real cause and the fix, on the
    # line where the problem starts, and nothing else.
    # From here on, the line is given by what is written on it (or counted from the end), so
    # that the expected lines follow small.yaml when it changes (tools/broken_corpus.py writes
    # these files from it).
    # "title: 'Don't ignore…'": the apostrophe closes the text.
    "59-apostrophe-inside-single-quotes.yaml": (
        1,
        "title: 'Don't",
        'put the text in double quotes instead: "Don\'t ignore nerve pain"',
    ),
    "60-double-quote-inside-double-quotes.yaml": (
        1,
        'title: "The "gentle"',
        "use single quotes inside it: \"The 'gentle' exercise plan\"",
    ),
    # PyYAML stops at the next ", lines later; the problem is where the quote was opened.
    "61-unclosed-quote-one-line.yaml": (
        1,
        'label: "Belly button',
        "never closed: YAML read on to the quote on line",
    ),
    "62-unclosed-quote-multi-line.yaml": (
        1,
        'summary: "Pain that lasts more',
        'add the closing " at the end of the text',
    ),
    # Not five "appears twice … keep one of them" lines (following them deleted an article).
    "63-missing-dash-before-id.yaml": (
        1,
        "    id: physical-therapy",
        "its line has no '- ' in front of id:",
    ),
    "64-missing-comma-in-list.yaml": (
        1,
        "[chronic-back-pain sciatica]",
        "add a comma between them: chronic-back-pain, sciatica",
    ),
    # The list goes on to the next line without a comma.
    "65-missing-comma-in-wrapped-list.yaml": (
        1,
        "red_flags: [fever-back-pain",
        "add a comma between them: fever-back-pain, saddle-numbness",
    ),
    # Not "red flag …: level is missing — add it" (that would make it a bad red flag).
    "66-article-pasted-under-red-flags.yaml": (
        1,
        "  - id: facet-injections",
        "looks like an article (it has title: and",
    ),
    # Not 3 problems per article with "did you mean 'articles'?".
    "67-articles-line-deleted.yaml": (
        1,
        "  - id: back-pain-and-depression",
        "the line 'articles:' above them is missing",
    ),
    # Sections deleted whole: one line each, where the section belongs (above the next section,
    # or on the last line), not one per reference.
    "68-articles-section-deleted.yaml": (1, "^red_flags:", "the section 'articles:' is missing"),
    "69-pain-points-section-deleted.yaml": (
        1,
        "^articles:",
        "the section 'pain_points:' is missing",
    ),
    "70-red-flags-section-deleted.yaml": (1, -1, "the section 'red_flags:' is missing"),
    # Not "text: must be a text" and "unknown key 'en'", "unknown key 'es'".
    "71-en-es-not-indented.yaml": (
        1,
        "    en: Numbness",
        "indent them two more spaces than 'text:' (6 spaces)",
    ),
    # Not "unknown language 'zona lumbar'".
    "72-spanish-with-comma-unquoted.yaml": (
        1,
        "es: Espalda baja, zona lumbar",
        'put the text in double quotes: es: "Espalda baja, zona lumbar"',
    ),
    "73-spanish-without-es.yaml": (1, 'label: {en: "Lower back"', "has no 'es:' in front of it"),
    # Valid, but patients would see the quotes: a warning.
    "74-curly-quotes-around-title.yaml": (
        0,
        "title: \u201cNerve",
        "the text is inside curly quotes",
    ),
    "75-curly-quotes-around-url.yaml": (1, "url: \u201c", CURLY),
    "76-curly-quotes-around-phone.yaml": (1, "phone: \u201c", CURLY),
    "77-curly-quotes-in-tags.yaml": (
        1,
        "tags: [\u201cnerve",
        "'\u201cnerve\u201d' is not a valid id — " + CURLY,
    ),
    "78-curly-quotes-with-colon.yaml": (
        1,
        "title: \u201cChronic",
        "curly quotes (Word and e-mail make them)",
    ),
    # Not text files at all.
    "79-saved-as-word-docx.yaml": (1, 1, "this is a Word document (.docx)"),
    "80-saved-as-rtf.yaml": (1, 1, "this is a rich-text (RTF) file"),
    "81-saved-as-utf16.yaml": (
        1,
        1,
        "saved as UTF-16 ('Unicode' in Notepad), not UTF-8 — save it as UTF-8 text: " + NOTEPAD,
    ),
    "82-saved-as-utf16-without-bom.yaml": (1, 1, "saved as UTF-16"),
    # The á of "Ciática", named, with how to save as UTF-8.
    "83-windows-1252-accent.yaml": (
        1,
        "label: {en: Sciatica",
        "('á') was saved in another encoding",
    ),
    # The file stops in the middle of its last line (in "pain_points:").
    "84-file-cut-in-half.yaml": (1, -1, "it looks cut off"),
    "85-phone-with-extension.yaml": (1, 'phone: "', PHONE_CHARACTERS),
    "86-phone-with-letters.yaml": (1, 'phone: "', PHONE_CHARACTERS),
    "87-link-host-misspelt.yaml": (
        0,
        "clinc.example",
        "is on clinc.example, not on the clinic's site clinic.example",
    ),
    # 'knee-pain' is far from 'nerve-pain': no "did you mean" (it would show the wrong article).
    "88-removed-article-still-named.yaml": (
        1,
        "[knee-pain]",
        "there is no article with the id 'knee-pain' — remove it from this list",
    ),
    # One problem: the title is not an id; no "there is no article …" nor a far "did you mean".
    "89-title-used-as-id.yaml": (
        1,
        '["Back pain and depression"]',
        "not a title or a label), e.g. 'back-pain-and-depression'",
    ),
    "90-unknown-area-far-from-any.yaml": (
        1,
        "area: belly-area",
        "add an area with this id under 'areas:'",
    ),
    # The url: line is indented with non-breaking spaces; PyYAML stops on the line after it.
    "91-non-breaking-space-indentation.yaml": (
        1,
        "\u00a0\u00a0\u00a0\u00a0url:",
        "indented with non-breaking spaces",
    ),
}

# The other problems expected in a file, as (line, words); with these, the file has
# exactly 1 + len(ALSO[file]) problems (for a valid file: warnings besides small.yaml's own).
ALSO: dict[str, list[tuple[int, str]]] = {
    "32-boolean-synonyms-on-off.yaml": [(20, YES_NO)],
    "52-anchor-and-alias.yaml": [(28, "anchors and aliases (& and *) are not allowed")],
    "56-three-mistakes-number-reference-word.yaml": [
        (28, "did you mean 'sciatica'"),
        (32, "did you mean 'front'"),
    ],
    "57-three-mistakes-key-boolean-url.yaml": [(43, YES_NO), (54, HTTPS)],
    "58-three-mistakes-reference-shape-duplicate-key.yaml": [
        (23, MOVED_SHAPE),
        (35, "'side' appears twice"),
    ],
}


def problem_line(path: str, severity: str = "error") -> re.Pattern[str]:
    return re.compile(rf"^{re.escape(path)}:(\d+):(\d+): {severity}: .+")


def line_in(path, where: int | str) -> int:
    """The line number `where` stands for in a corpus file."""
    if isinstance(where, int) and where > 0:
        return where
    lines = path.read_bytes().decode("utf-8", "replace").splitlines()
    if isinstance(where, int):
        return len(lines) + 1 + where
    found = [
        number
        for number, text in enumerate(lines, 1)
        if (text.startswith(where[1:]) if where.startswith("^") else where in text)
    ]
    assert len(found) == 1, f"{where!r} is on lines {found} of {path.name}, not on one"
    return found[0]


@pytest.fixture(scope="module")
def small_warnings() -> set[str]:
    """The warnings of the valid small.yaml the corpus is made from, without its file name."""
    return {w.message for w in inspect_file(str(SMALL)).warnings}


@pytest.mark.parametrize("name", sorted(CASES))
def test_check_reports_each_mistake_at_its_line(runner, name, small_warnings):
    exit_code, where, fragment = CASES[name]
    path = str(BROKEN / name)
    line = line_in(BROKEN / name, where)

    code, out, err = runner("check", path)

    assert "Traceback" not in out + err
    assert code == exit_code, err
    if exit_code == 0:
        assert out.startswith(f"{path}: ok"), out
        pattern = problem_line(path, "warning")
        problems = [text for text in err.splitlines() if pattern.match(text)]
        problems = [text for text in problems if not any(w in text for w in small_warnings)]
    else:
        *problems, summary = err.splitlines()
        count = len(problems)
        assert summary == f"{path}: {count} problem{'s' if count != 1 else ''} found", err
        pattern = problem_line(path)
    places = []
    for text in problems:
        match = pattern.match(text)
        assert match, f"not a FILE:LINE:COL: {pattern.pattern} line: {text!r}"
        places.append((int(match[1]), int(match[2])))
    assert places == sorted(places), "problems are not in file order:\n" + err
    expected = [(line, fragment), *ALSO.get(name, [])]
    for want_line, want in expected:
        assert any(text.startswith(f"{path}:{want_line}:") and want in text for text in problems), (
            f"expected line {want_line} with {want!r}, got:\n{err}"
        )
    assert len(problems) == len(expected), err


def test_the_guide_shows_the_corpus_table_as_the_script_prints_it():
    made = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "corpus_table.py")],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
    ).stdout
    guide = (ROOT / "docs" / "editing-regions.md").read_text(encoding="utf-8")
    assert made.count("\n") > len(CASES), made
    for name in CASES:
        assert f"| {name} |" in made, name
    assert made in guide, (
        "docs/editing-regions.md is out of date: run tools/corpus_table.py --write"
    )


def test_a_file_that_cannot_be_read_exits_2(runner, tmp_path):
    path = str(tmp_path)  # a directory, not a file

    code, out, err = runner("check", path)

    assert code == 2, err
    assert "Traceback" not in out + err
    lines = err.splitlines()
    assert lines, "nothing said about the unreadable file"
    assert all(problem_line(path).match(text) for text in lines), err
    assert "cannot read the file" in err


def test_every_corpus_file_has_a_case_and_every_case_a_file():
    files = {path.name for path in BROKEN.glob("*.yaml")}
    assert files == set(CASES), (
        f"no case for: {sorted(files - set(CASES))}; no file for: {sorted(set(CASES) - files)}"
    )
    assert set(ALSO) <= set(CASES)
    assert len(files) >= 34
    assert all(NAME.match(name) for name in files), sorted(files)


def test_one_untranslated_text_is_counted_in_the_singular(runner, monkeypatch):
    import bodymap.lint as lint

    real = lint.untranslated_texts
    monkeypatch.setattr(
        lint, "untranslated_texts", lambda loaded: {k: v[:1] for k, v in real(loaded).items()}
    )

    code, _, err = runner("check", str(SMALL))

    assert code == 0, err
    assert "note: 1 text without Spanish (es) is shown in English" in err
