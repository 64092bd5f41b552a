"""Checks that ids are unique and that every id a section refers to exists.

Works on the raw data (before the models) so that these problems are reported
together with any type mistakes, in one pass.
"""

from __future__ import annotations

from .problems import Problem, did_you_mean
from .yamlsource import Path, Source

SECTIONS = ("areas", "regions", "pain_points", "articles", "red_flags")

# (section that refers, its key, section referred to)
REFERENCES = (
    ("areas", "red_flags", "red_flags"),
    ("regions", "area", "areas"),
    ("regions", "pain_points", "pain_points"),
    ("regions", "red_flags", "red_flags"),
    ("pain_points", "articles", "articles"),
    ("pain_points", "red_flags", "red_flags"),
)

# What each section's items are called in messages.
SECTION_NAMES = {
    "areas": "area",
    "regions": "region",
    "pain_points": "pain point",
    "articles": "article",
    "red_flags": "red flag",
}


def _items(data: dict, section: str) -> list[tuple[int, dict]]:
    items = data.get(section)
    if not isinstance(items, list):
        return []
    return [(i, item) for i, item in enumerate(items) if isinstance(item, dict)]


def known_ids(data: dict, section: str) -> dict[str, int]:
    """The ids of a section mapped to the index of their first item."""
    ids: dict[str, int] = {}
    for i, item in _items(data, section):
        if isinstance(item.get("id"), str):
            ids.setdefault(item["id"], i)
    return ids


def reference_problems(source: Source) -> list[Problem]:
    """Duplicate ids and references to ids that do not exist."""
    data = source.data
    problems = []
    for section in SECTIONS:
        first_seen = known_ids(data, section)
        for i, item in _items(data, section):
            ident = item.get("id")
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
        ids = known_ids(data, target)
        for i, item in _items(data, section):
            value = item.get(key)
            refs = (
                [((), value)]
                if isinstance(value, str)
                else ([((j,), v) for j, v in enumerate(value)] if isinstance(value, list) else [])
            )
            for suffix, ref in refs:
                if isinstance(ref, str) and ref not in ids:
                    path: Path = (section, i, key, *suffix)
                    hint = did_you_mean(ref, ids) or (
                        f"add a {SECTION_NAMES[target]} with this id under '{target}:', "
                        "or fix the id"
                    )
                    problems.append(
                        Problem(
                            *source.where(path),
                            f"there is no {SECTION_NAMES[target]} with the id '{ref}'",
                            hint,
                        )
                    )
    return problems
