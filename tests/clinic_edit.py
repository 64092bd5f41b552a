"""A copy of a content file edited as a clinic would edit it before going live."""

from __future__ import annotations

import shutil
from pathlib import Path

from ruamel.yaml import YAML
from ruamel.yaml.scalarstring import DoubleQuotedScalarString as Quoted

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
    new = " ".join(reversed(words)).capitalize() if len(words) > 1 else f"{text} (clinic)"
    return Quoted(new)


def _reworded(value):
    """One text or a text per language, reworded."""
    if isinstance(value, str):
        return reword(value)
    for language in value:
        value[language] = reword(value[language])
    return value


def edit_as_clinic(path: Path) -> None:
    """Rewrite every label, title, summary and warning, change the phone, remove one article
    with every reference to it, and add a pain point to the first region."""
    yaml = YAML()  # round trip: comments, order and quotes stay as the clinic left them
    yaml.preserve_quotes = True
    yaml.width = 96
    data = yaml.load(path)
    data["clinic"]["phone"] = Quoted(CLINIC_PHONE)
    for section, keys in REWORDED.items():
        for item in data.get(section) or []:
            for key in keys:
                if key in item:
                    item[key] = _reworded(item[key])
    removed = _first_listed_article(data)
    data["articles"] = [a for a in data["articles"] if a["id"] != removed]
    for pain_point in data["pain_points"]:
        if removed in pain_point.get("articles", []):
            pain_point["articles"] = [a for a in pain_point["articles"] if a != removed]
    _drop_orphaned_tags(data)
    kept = data["articles"][0]["id"]
    data["pain_points"].append({**ADDED_PAIN_POINT, "articles": [kept]})
    data["regions"][0].setdefault("pain_points", []).append(ADDED_PAIN_POINT["id"])
    yaml.dump(data, path)


def _drop_orphaned_tags(data) -> None:
    """Tags that only the removed article had go from the pain points as well."""
    tags = {tag for article in data["articles"] for tag in article.get("tags", [])}
    for pain_point in data["pain_points"]:
        if "tags" in pain_point:
            pain_point["tags"] = [tag for tag in pain_point["tags"] if tag in tags]


def _first_listed_article(data) -> str:
    """The first article a pain point names (so that removing it removes references too)."""
    for pain_point in data["pain_points"]:
        if pain_point.get("articles"):
            return pain_point["articles"][0]
    raise AssertionError("no pain point names an article")


def edited_copy(source: Path, folder: Path) -> Path:
    """A copy of `source` (and its figures/) in `folder`, edited as a clinic would."""
    path = copy_content(source, folder)
    edit_as_clinic(path)
    return path
