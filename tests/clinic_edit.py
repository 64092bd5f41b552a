"""A copy of a content file edited as a clinic would edit it before going live."""

from __future__ import annotations

import copy
import shutil
from pathlib import Path

from bodymap.editor import changes
from bodymap.editor.yamltext import patch_text
from bodymap.yamlsource import read_source

# The parts of each section a clinic rewrites in its own words.
REWORDED = {
    "areas": ("label",),
    "regions": ("label",),
    "pain_points": ("label", "summary"),
    "articles": ("title", "summary"),
    "red_flags": ("text",),
}
CLINIC_PHONE = "(555) 014-2368"
ADDED_PAIN_POINT = {
    "id": "clinic-added-condition",
    "label": {"en": "A condition the clinic added", "es": "Una afección que agregó la clínica"},
    "summary": {
        "en": "The clinic wrote this text itself. Ask us about it at your next visit.",
        "es": "La clínica escribió este texto. Pregúntenos por él en su próxima visita.",
    },
}


def copy_content(source: Path, folder: Path) -> Path:
    """Copy a content file, and the figures/ folder beside it if there is one, into `folder`."""
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / source.name
    shutil.copy(source, target)
    figures = source.parent / "figures"
    if figures.is_dir():
        shutil.copytree(figures, folder / "figures")
    return target


def reword(text: str) -> str:
    """The same words in another order: a text no test can know in advance."""
    words = text.split()
    return " ".join(reversed(words)).capitalize() if len(words) > 1 else f"{text} (clinic)"


def _reworded(value):
    """One text or a text per language, reworded."""
    if isinstance(value, str):
        return reword(value)
    return {language: reword(text) for language, text in value.items()}


def clinic_edits(data: dict) -> dict:
    """Every label, title, summary and warning reworded, another phone, the first article a
    pain point names removed with every reference to it, and a pain point added to the first
    region."""
    data = copy.deepcopy(data)
    data["clinic"]["phone"] = CLINIC_PHONE
    for section, keys in REWORDED.items():
        for item in data.get(section) or []:
            for key in keys:
                if key in item:
                    item[key] = _reworded(item[key])
    removed = next(a for p in data["pain_points"] for a in p.get("articles", []))
    every_reference = {r.key for r in changes.references(data, "articles", removed)}
    data = changes.remove(data, "articles", removed, every_reference)
    # A file this edit has been made to before (the suite run on an edited sample) gets a
    # second pain point under a new id.
    taken = {p["id"] for p in data["pain_points"]}
    ident, n = ADDED_PAIN_POINT["id"], 1
    while ident in taken:
        n += 1
        ident = f"{ADDED_PAIN_POINT['id']}-{n}"
    added = {**ADDED_PAIN_POINT, "id": ident, "articles": [data["articles"][0]["id"]]}
    data["pain_points"].append(added)
    data["regions"][0].setdefault("pain_points", []).append(ident)
    return data


def edit_as_clinic(path: Path) -> None:
    """Apply `clinic_edits` to the file, rewriting only the lines that change (as an editor
    or a careful person would: comments and layout stay)."""
    text = path.read_text(encoding="utf-8")
    data = read_source(text).data
    path.write_text(patch_text(text, data, clinic_edits(data)), encoding="utf-8")


def edited_copy(source: Path, folder: Path) -> Path:
    """A copy of `source` (and its figures/) in `folder`, edited as a clinic would."""
    path = copy_content(source, folder)
    edit_as_clinic(path)
    return path
