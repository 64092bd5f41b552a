"""Checks that ids are unique and that every id a section refers to exists.

Works on the raw data (before the models) so that these problems are reported
together with any type mistakes, in one pass.
"""

from __future__ import annotations

import re

from .layout import REFERENCES, SECTION_NAMES, Layout
from .models import SLUG_PATTERN
from .problems import Problem, a_or_an, did_you_mean
from .yamlsource import Path, Source

SECTIONS = ("areas", "regions", "pain_points", "articles", "red_flags")
_SLUG = re.compile(SLUG_PATTERN)

__all__ = ["SECTION_NAMES", "known_ids", "reference_problems"]


def _items(data: dict, section: str) -> list[tuple[int, dict]]:
    items = data.get(section)
    if not isinstance(items, list):
        return []
    return [(i, item) for i, item in enumerate(items) if isinstance(item, dict)]


def known_ids(data: dict, section: str, moved: dict | None = None) -> dict[str, int]:
    """The ids of a section mapped to the index of their first item.

    With `moved` (items under the wrong section), an item counts where it belongs.
    """
    moved = moved or {}
    ids: dict[str, int] = {}
    for i, item in _items(data, section):
        if (section, i) not in moved and isinstance(item.get("id"), str):
            ids.setdefault(item["id"], i)
    for (other, i), belongs in moved.items():
        item = data[other][i]
        if belongs == section and isinstance(item, dict) and isinstance(item.get("id"), str):
            ids.setdefault(item["id"], -1)
    return ids


def reference_problems(source: Source, layout: Layout | None = None) -> list[Problem]:
    """Duplicate ids and references to ids that do not exist.

    References to a missing section are left to the layout's one problem for the section;
    ids that are not ids at all (a comma missing, a title) to the model's problem for them.
    """
    data = source.data
    layout = layout or Layout()
    problems = []
    for section in SECTIONS:
        first_seen = known_ids(data, section, layout.moved)
        for i, item in _items(data, section):
            ident = item.get("id")
            if (section, i) in layout.moved:
                continue
            if isinstance(ident, str) and first_seen[ident] != i:
                line, _ = source.where((section, first_seen[ident], "id"))
                problems.append(
                    Problem(
                        *source.where((section, i, "id")),
                        f"the {SECTION_NAMES[section]} id '{ident}' is used twice",
                        f"it is already used on line {line}: give this one another id",
                    )
                )
    for section, key, target in REFERENCES:
        if target in layout.missing:
            continue
        ids = known_ids(data, target, layout.moved)
        for i, item in _items(data, section):
            if (section, i) in layout.moved:
                continue
            value = item.get(key)
            refs = (
                [((), value)]
                if isinstance(value, str)
                else ([((j,), v) for j, v in enumerate(value)] if isinstance(value, list) else [])
            )
            for suffix, ref in refs:
                if isinstance(ref, str) and ref not in ids and _SLUG.match(ref):
                    path: Path = (section, i, key, *suffix)
                    noun = SECTION_NAMES[target]
                    hint = did_you_mean(ref, ids) or (
                        f"remove it from this list if you removed the {noun}; if not, add"
                        f" {a_or_an(noun)} with this id under '{target}:', or fix the id"
                        if isinstance(value, list)
                        else f"add {a_or_an(noun)} with this id under '{target}:', or fix the id"
                    )
                    problems.append(
                        Problem(
                            *source.where(path),
                            f"there is no {SECTION_NAMES[target]} with the id '{ref}'",
                            hint,
                        )
                    )
    return problems
