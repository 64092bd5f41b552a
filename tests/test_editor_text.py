"""yamltext: a change rewrites only its own lines; everything else stays byte for byte."""

from __future__ import annotations

import copy

import pytest

from bodymap.editor import changes
from bodymap.editor.yamltext import CannotWrite, check_written, patch_text
from bodymap.yamlsource import read_source

from .conftest import SAMPLE
from .test_editor import CLINIC


def changed_lines(before: str, after: str) -> tuple[list[str], list[str]]:
    import difflib

    diff = list(difflib.ndiff(before.splitlines(), after.splitlines()))
    return [d[2:] for d in diff if d.startswith("- ")], [d[2:] for d in diff if d.startswith("+ ")]


@pytest.fixture(scope="module")
def sample():
    text = SAMPLE.read_text()
    return text, read_source(text).data


def test_a_label_change_in_the_sample_touches_one_line_and_no_shape(sample):
    # invariants only: the first region, whatever the sample calls it
    text, data = sample
    new = copy.deepcopy(data)
    region = new["regions"][0]
    region["label"] = {"en": "A new name", "es": "Un nombre nuevo"}
    after = patch_text(text, data, new)
    removed, added = changed_lines(text, after)
    # written in the form the label already had: one line, or one line per language
    assert added in (
        ['    label: {en: "A new name", es: "Un nombre nuevo"}'],
        ['      en: "A new name"', '      es: "Un nombre nuevo"'],
    )
    assert len(removed) <= 3 and all("shape" not in line for line in removed)
    shapes = [line for line in text.splitlines() if "shape:" in line]
    assert shapes == [line for line in after.splitlines() if "shape:" in line]


def test_adding_and_removing_in_the_sample_keeps_every_comment(sample):
    text, data = sample
    new = copy.deepcopy(data)
    article = new["articles"][-1]["id"]
    new = changes.remove(
        new, "articles", article, {r.key for r in changes.references(new, "articles", article)}
    )
    new, ident = changes.save_item(
        new, "red_flags", None, {"level": "urgent", "text": "A new sign."}, "A new sign"
    )
    new["areas"][0]["red_flags"].append(ident)
    after = patch_text(text, data, new)
    comments = [line for line in text.splitlines() if line.lstrip().startswith("#")]
    assert comments == [line for line in after.splitlines() if line.lstrip().startswith("#")]
    assert read_source(after).data == new


def test_keys_the_editor_does_not_know_are_kept():
    # Another change adds `phrases:` to red flags: the editor must neither drop nor need it.
    text = CLINIC.read_text().replace(
        '    text: "Sudden, severe belly pain."',
        '    text: "Sudden, severe belly pain."\n    phrases: ["my belly hurts a lot"]',
    )
    data = read_source(text).data
    new, _ = changes.save_item(data, "red_flags", "belly-sudden-pain", {"level": "urgent"}, "")
    after = patch_text(text, data, new)
    assert '    phrases: ["my belly hurts a lot"]' in after
    assert "    level: urgent" in after


def test_texts_are_quoted_and_read_back_the_same():
    text = CLINIC.read_text()
    data = read_source(text).data
    tricky = 'She said "no": yes, #1 \\ back — no'
    new = changes.set_clinic(data, {"disclaimer": tricky, "tagline": {"en": "no", "es": "sí"}})
    after = patch_text(text, data, new)
    assert read_source(after).data["clinic"]["disclaimer"] == tricky
    assert read_source(after).data["clinic"]["tagline"] == {"en": "no", "es": "sí"}


def test_an_id_that_yaml_would_misread_is_quoted():
    text = CLINIC.read_text()
    data = read_source(text).data
    new, ident = changes.save_item(
        data, "articles", None, {"title": "x", "url": "/x", "summary": "y"}, "2024-01-02"
    )
    new["pain_points"][0]["articles"].append(ident)
    after = patch_text(text, data, new)
    assert read_source(after).data == new  # a date-like id stays a text


def test_windows_line_endings_are_kept():
    text = CLINIC.read_text().replace("\n", "\r\n")
    data = read_source(text).data
    new = changes.set_clinic(data, {"phone": "(555) 010-0123"})
    after = patch_text(text, data, new)
    assert '  phone: "(555) 010-0123"\r\n' in after
    assert after.count("\r\n") == text.count("\r\n")


def test_a_text_that_does_not_say_what_was_meant_is_never_written():
    with pytest.raises(CannotWrite):
        check_written("clinic: {name: a}\n", {"clinic": {"name": "b"}})


def test_a_translation_rewrites_only_its_own_language(sample):
    text, data = sample
    new = copy.deepcopy(data)
    item = next(
        p for p in new["pain_points"] if isinstance(p["summary"], dict) and "es" in p["summary"]
    )
    item["summary"]["es"] += " Fin."
    after = patch_text(text, data, new)
    removed, added = changed_lines(text, after)
    english = [line for line in text.splitlines() if item["summary"]["en"][:40] in line]
    assert english and all(line not in removed for line in english)
    # every changed line is a line of the item's Spanish summary, wherever its breaks fall
    lines = after.splitlines()
    start = lines.index(f"  - id: {item['id']}")
    start = lines.index("    summary:", start)
    start = next(i for i in range(start, len(lines)) if lines[i].startswith("      es: "))
    spanish = [lines[start]]
    for line in lines[start + 1 :]:
        if not line.startswith("        "):
            break
        spanish.append(line)
    assert added and all(line in spanish for line in added)
    assert max(len(line) for line in added) <= 100
