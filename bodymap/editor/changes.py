"""The editor's changes, made on plain data (what PyYAML reads from regions.yaml).

Each change takes the file's data and returns a new copy; yamltext writes the
difference into the text. Links between items are sets of ids chosen in the forms;
a link that stays keeps its place in the list, a new one goes at the end.
"""

from __future__ import annotations

import copy
import re
import unicodedata
from dataclasses import dataclass

from ..i18n import DEFAULT_LANGUAGE

# section → what one of its items is called
SECTIONS = {
    "articles": "article",
    "pain_points": "pain point",
    "red_flags": "warning sign",
    "regions": "region",
    "areas": "area",
}
MAX_ID = 60
# (section that refers, its key, section referred to): references.py's list, by name here
# because removing an item must find every list that names it.
LINKS = (
    ("areas", "red_flags", "red_flags"),
    ("regions", "pain_points", "pain_points"),
    ("regions", "red_flags", "red_flags"),
    ("pain_points", "articles", "articles"),
    ("pain_points", "red_flags", "red_flags"),
)


def items(data: dict, section: str) -> list[dict]:
    value = data.get(section)
    return [i for i in value if isinstance(i, dict)] if isinstance(value, list) else []


def find(data: dict, section: str, ident: str) -> dict | None:
    return next((i for i in items(data, section) if i.get("id") == ident), None)


def slug(label: str) -> str:
    """An id made from a label: 'Nerve Ablation (RFA)' → 'nerve-ablation-rfa'."""
    ascii_text = unicodedata.normalize("NFKD", label).encode("ascii", "ignore").decode()
    words = re.findall(r"[a-z0-9]+", ascii_text.lower())
    ident = ""
    for word in words:
        longer = f"{ident}-{word}" if ident else word
        if len(longer) > MAX_ID:
            break
        ident = longer
    return ident or "item"


def new_id(data: dict, section: str, label: str) -> str:
    """A new, unused id for `section`, made from the label."""
    base = slug(label)
    taken = {i.get("id") for i in items(data, section)}
    ident, number = base, 2
    while ident in taken:
        suffix = f"-{number}"
        ident = base[: MAX_ID - len(suffix)].rstrip("-") + suffix
        number += 1
    return ident


def text(en: str, es: str, old=None):
    """A text for patients from the form: plain when only English, else {en:, es:}."""
    en, es = " ".join(en.split()), " ".join(es.split())
    others = (
        {k: v for k, v in old.items() if k not in ("en", "es")} if isinstance(old, dict) else {}
    )
    if not es and not others:
        return en
    value = {DEFAULT_LANGUAGE: en, **({"es": es} if es else {}), **others}
    return value


def word_list(en: str, es: str, old=None):
    """Synonyms from the form: one per line; one list, or one list per language."""
    english = [w for w in (" ".join(line.split()) for line in en.splitlines()) if w]
    spanish = [w for w in (" ".join(line.split()) for line in es.splitlines()) if w]
    if not spanish and not isinstance(old, dict):
        return english
    return {DEFAULT_LANGUAGE: english, **({"es": spanish} if spanish else {})}


def in_language(value, language: str) -> str:
    """One language's text of a value from the file, for a form field ('' if none)."""
    if isinstance(value, dict):
        found = value.get(language, "")
        return found if isinstance(found, str) else ""
    return value if isinstance(value, str) and language == DEFAULT_LANGUAGE else ""


def words_in_language(value, language: str) -> str:
    """Synonyms of one language, one per line, for a form field."""
    if isinstance(value, dict):
        found = value.get(language, [])
    else:
        found = value if language == DEFAULT_LANGUAGE else []
    return "\n".join(str(w) for w in found) if isinstance(found, list) else ""


def ids(value) -> list[str]:
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


def _set(item: dict, key: str, value) -> None:
    """Set a key; an empty list or text removes it (every such key is optional)."""
    if value in ([], "", None, False) and key != "id":
        item.pop(key, None)
    else:
        item[key] = value


def chosen(old: list[str], wanted: list[str]) -> list[str]:
    """The ids ticked in a form: kept ones in their order, new ones at the end."""
    keep = [i for i in old if i in wanted]
    return keep + [i for i in wanted if i not in keep]


def link(data: dict, section: str, key: str, ident: str, holders: list[str]) -> None:
    """Make exactly the items `holders` of `section` list `ident` under `key`."""
    for item in items(data, section):
        listed = ids(item.get(key))
        if item.get("id") in holders and ident not in listed:
            _set(item, key, [*listed, ident])
        elif item.get("id") not in holders and ident in listed:
            _set(item, key, [i for i in listed if i != ident])


def holders(data: dict, section: str, key: str, ident: str) -> list[str]:
    """The ids of the items of `section` that list `ident` under `key`."""
    return [i["id"] for i in items(data, section) if ident in ids(i.get(key))]


def save_item(data: dict, section: str, ident: str | None, fields: dict, label: str) -> tuple:
    """A copy of data with the item's fields set (a new item, with an id from `label`)."""
    data = copy.deepcopy(data)
    if ident is None:
        ident = new_id(data, section, label)
        item = {"id": ident}
        if not isinstance(data.get(section), list):
            data[section] = []
        data[section].append(item)
    else:
        item = find(data, section, ident)
        if item is None:
            raise KeyError(ident)
    for key, value in fields.items():
        _set(item, key, value)
    return data, ident


def set_clinic(data: dict, fields: dict) -> dict:
    data = copy.deepcopy(data)
    for key, value in fields.items():
        _set(data["clinic"], key, value)
    return data


@dataclass(frozen=True)
class Reference:
    """A place in the file that names an item: removed with it if the user agrees."""

    key: str  # for the form: "section/id/key"
    section: str
    holder: str  # the id of the item that names it
    field: str  # its key there
    label: str  # how the editor names the holder
    tag: str = ""  # for a tag that only this article has: the tag


def references(data: dict, section: str, ident: str) -> list[Reference]:
    """Every list that names the item; for an article, the tags only it has."""
    found = []
    for holder_section, key, target in LINKS:
        if target != section:
            continue
        for holder in items(data, holder_section):
            if ident in ids(holder.get(key)):
                found.append(
                    Reference(
                        f"{holder_section}/{holder['id']}/{key}",
                        holder_section,
                        holder["id"],
                        key,
                        f"the {SECTIONS[holder_section]} '{holder['id']}' ({key})",
                    )
                )
    if section == "articles" and (article := find(data, section, ident)):
        others = {
            t for a in items(data, "articles") if a is not article for t in ids(a.get("tags"))
        }
        for tag in ids(article.get("tags")):
            if tag in others:
                continue
            for holder in items(data, "pain_points"):
                if tag in ids(holder.get("tags")):
                    found.append(
                        Reference(
                            f"pain_points/{holder['id']}/tags/{tag}",
                            "pain_points",
                            holder["id"],
                            "tags",
                            f"the tag '{tag}' of the pain point '{holder['id']}' (only this "
                            "article has it)",
                            tag,
                        )
                    )
    return found


def remove(data: dict, section: str, ident: str, drop: set[str]) -> dict:
    """A copy of data without the item, and without the references whose keys are in `drop`."""
    data = copy.deepcopy(data)
    for ref in references(data, section, ident):
        if ref.key not in drop:
            continue
        holder = find(data, ref.section, ref.holder)
        gone = ref.tag or ident
        _set(holder, ref.field, [i for i in ids(holder.get(ref.field)) if i != gone])
    data[section] = [i for i in data[section] if not (isinstance(i, dict) and i.get("id") == ident)]
    return data
