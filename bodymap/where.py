"""Where a patient sees each article, pain point, warning sign and area, and why.

Worked out once per content version from the indexed content, through ids and
through tags alike: a pain point shows the articles it names and every article
sharing one of its tags; an area's warning signs show on every region of the area;
a pain point's own warning signs show on its page. `bodymap where`, `bodymap check`
(things shown nowhere), /preview and the editor all read this one answer.
"""

from __future__ import annotations

from dataclasses import dataclass

from .content import Content
from .problems import did_you_mean

KINDS = {
    "article": "article",
    "pain_point": "pain point",
    "red_flag": "red flag",
    "area": "area",
}


@dataclass(frozen=True)
class Place:
    """One page a patient can open that shows the item, and the reasons it does."""

    kind: str  # "region" (a place on the body) or "pain_point" (a pain point's page)
    id: str
    name: str
    why: tuple[str, ...]


@dataclass(frozen=True)
class Usage:
    """Every page that shows one item: the places on the body first, then pain point pages."""

    kind: str  # a key of KINDS
    id: str
    name: str
    places: tuple[Place, ...]

    @property
    def regions(self) -> tuple[Place, ...]:
        return tuple(p for p in self.places if p.kind == "region")

    @property
    def pain_points(self) -> tuple[Place, ...]:
        return tuple(p for p in self.places if p.kind == "pain_point")

    @property
    def nowhere(self) -> bool:
        return not self.places

    @property
    def what(self) -> str:
        """'the article 'x'' in a message."""
        return f"the {KINDS[self.kind]} '{self.id}'"


class _Collector:
    """Places for one item, each once, with every reason, in the order first found."""

    def __init__(self):
        self.places: dict[tuple[str, str], tuple[str, list[str]]] = {}

    def add(self, kind: str, ident: str, name: str, why: str) -> None:
        _, reasons = self.places.setdefault((kind, ident), (name, []))
        if why not in reasons:
            reasons.append(why)

    def usage(self, kind: str, ident: str, name: str, order: dict) -> Usage:
        found = [
            Place(place_kind, place_id, name_, tuple(reasons))
            for (place_kind, place_id), (name_, reasons) in self.places.items()
        ]
        found.sort(key=lambda p: (p.kind != "region", order[p.kind][p.id]))
        return Usage(kind, ident, name, tuple(found))


def index(content: Content) -> dict[tuple[str, str], Usage]:
    """(kind, id) → Usage for every article, pain point, red flag and area (made once)."""
    english = content.english or content
    if "where" not in english.derived:
        english.derived["where"] = _index(english)
    return english.derived["where"]


def _index(content: Content) -> dict[tuple[str, str], Usage]:
    data = content.loaded.regions_file
    order = {
        "region": {rid: i for i, rid in enumerate(content.regions)},
        "pain_point": {pid: i for i, pid in enumerate(content.pain_points)},
    }
    found = {("article", a.id): _Collector() for a in data.articles}
    found |= {("pain_point", p.id): _Collector() for p in data.pain_points}
    found |= {("red_flag", f.id): _Collector() for f in data.red_flags}
    found |= {("area", a.id): _Collector() for a in data.areas}
    regions = content.regions

    for entry in content.pain_points.values():
        pain_point = entry.pain_point
        for region_id in entry.region_ids:
            found["pain_point", pain_point.id].add(
                "region", region_id, regions[region_id].name, "listed by the region"
            )
        for article in entry.articles:
            shared = [t for t in dict.fromkeys(pain_point.tags) if t in article.tags]
            how = (
                "named"
                if article.id in pain_point.articles
                else "tag " + ", ".join(f"'{t}'" for t in shared)
            )
            label = f"'{pain_point.label}'"
            collector = found["article", article.id]
            collector.add("pain_point", pain_point.id, pain_point.label, how)
            for region_id in entry.region_ids:
                collector.add(
                    "region", region_id, regions[region_id].name, f"under {label} ({how})"
                )
        for flag_id in dict.fromkeys(pain_point.red_flags):
            found["red_flag", flag_id].add(
                "pain_point", pain_point.id, pain_point.label, "listed by the pain point"
            )

    areas = {area.id: area for area in data.areas}
    for entry in regions.values():
        region = entry.region
        area = areas[region.area]
        found["area", area.id].add(
            "region", region.id, entry.name, "shows the area's warning signs"
        )
        for flag_id in dict.fromkeys(area.red_flags):
            found["red_flag", flag_id].add(
                "region", region.id, entry.name, f"a warning sign of the area '{area.label}'"
            )
        for flag_id in dict.fromkeys(region.red_flags):
            found["red_flag", flag_id].add("region", region.id, entry.name, "listed by the region")

    names = {("article", a.id): str(a.title) for a in data.articles}
    names |= {("pain_point", p.id): str(p.label) for p in data.pain_points}
    names |= {("red_flag", f.id): str(f.text) for f in data.red_flags}
    names |= {("area", a.id): str(a.label) for a in data.areas}
    return {
        key: collector.usage(key[0], key[1], names[key], order) for key, collector in found.items()
    }


def find(content: Content, ident: str) -> list[Usage]:
    """Every item with this id (ids are unique within a section, not across sections)."""
    usages = index(content)
    return [usages[kind, ident] for kind in KINDS if (kind, ident) in usages]


def suggestion(content: Content, ident: str) -> str:
    """A 'did you mean …?' for an id that nothing has, or ''."""
    return did_you_mean(ident, {i for _, i in index(content)})
