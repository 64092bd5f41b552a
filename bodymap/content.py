"""The content model: validated regions.yaml, indexed for the pages.

Everything the pages need is worked out here once per content version:
region → red flags and pain points, pain point → articles and regions.
Views only look things up.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from types import MappingProxyType

from .geometry import scan, union
from .loader import LoadedFile
from .models import Area, Article, Clinic, Figure, PainPoint, RedFlag, Region

SIDE_WORDS = {"left": "left side", "right": "right side", "centre": ""}
ROW = 12  # figure units: regions whose tops are this close count as one row for keyboard order
ZOOM_PAD = 4  # figure units around a zoomed part
SPLIT_WIDER_THAN = 150  # figure units: a wider part is zoomed one side at a time
LEVEL_ORDER = {"emergency": 0, "urgent": 1}
SIDES = ("right", "left")


@dataclass(frozen=True)
class RegionEntry:
    """A region with everything its page shows."""

    region: Region
    name: str
    red_flags: tuple[RedFlag, ...]
    pain_points: tuple[PainPointEntry, ...]
    crisis_line: bool
    box: tuple[float, float, float, float]  # x, y, width, height in figure units

    @property
    def id(self) -> str:
        return self.region.id


@dataclass(frozen=True)
class PainPointEntry:
    """A pain point with its matched articles and the regions it appears in."""

    pain_point: PainPoint
    articles: tuple[Article, ...]
    region_ids: tuple[str, ...]
    red_flags: tuple[RedFlag, ...]

    @property
    def id(self) -> str:
        return self.pain_point.id


@dataclass(frozen=True)
class Zoom:
    """A part of the body shown larger, so that small regions are easy to tap."""

    id: str
    label: str
    boxes: tuple[tuple[str, tuple[float, float, float, float]], ...]  # (view, box) per view
    region_ids: frozenset[str]


@dataclass(frozen=True, eq=False)  # compared and hashed by identity: one object per version
class Content:
    """Immutable, indexed content of one version of regions.yaml."""

    version: str
    path: str
    clinic: Clinic
    figure: Figure
    regions: MappingProxyType  # id → RegionEntry, in file order
    pain_points: MappingProxyType  # id → PainPointEntry, in file order
    areas: tuple[tuple[Area, tuple[RegionEntry, ...]], ...]
    emergency_flags: tuple[RedFlag, ...]
    zooms: MappingProxyType  # id → Zoom, in area order
    # Drawings made from this version (diagram.py); they go when the version goes.
    figures: dict = field(default_factory=dict, repr=False)

    def region(self, region_id: str) -> RegionEntry | None:
        return self.regions.get(region_id)

    def pain_point(self, pain_point_id: str) -> PainPointEntry | None:
        return self.pain_points.get(pain_point_id)

    def regions_in_view(self, view: str) -> tuple[RegionEntry, ...]:
        """The regions of one view, top to bottom and then left to right (keyboard order)."""
        entries = (e for e in self.regions.values() if e.region.view == view)
        return tuple(sorted(entries, key=lambda e: (round(e.box[1] / ROW), e.box[0])))

    def zoom(self, zoom_id: str) -> Zoom | None:
        return self.zooms.get(zoom_id)


def region_name(region: Region) -> str:
    """The accessible name of a region: its label and the patient's side."""
    side = SIDE_WORDS[region.side]
    return f"{region.label}, {side}" if side else region.label


def matching_articles(pain_point: PainPoint, articles: tuple[Article, ...]) -> tuple[Article, ...]:
    """Articles named by id (in that order), then articles sharing a tag (in file order)."""
    return ArticleIndex(articles).for_pain_point(pain_point)


class ArticleIndex:
    """Articles by id and by tag, built once, so matching stays linear in the content."""

    def __init__(self, articles: tuple[Article, ...]):
        self.by_id = {a.id: a for a in articles}
        self.position = {a.id: i for i, a in enumerate(articles)}
        self.by_tag: dict[str, list[Article]] = {}
        for article in articles:
            for tag in dict.fromkeys(article.tags):
                self.by_tag.setdefault(tag, []).append(article)

    def for_pain_point(self, pain_point: PainPoint) -> tuple[Article, ...]:
        named = [self.by_id[i] for i in dict.fromkeys(pain_point.articles)]
        tagged = {a.id: a for tag in pain_point.tags for a in self.by_tag.get(tag, ())}
        extra = sorted(
            (a for a in tagged.values() if a.id not in {n.id for n in named}),
            key=lambda a: self.position[a.id],
        )
        return tuple(named + extra)


def _flags(ids, flags_by_id) -> tuple[RedFlag, ...]:
    """Red flags for ids, without duplicates, emergencies first, otherwise in the given order."""
    unique = [flags_by_id[i] for i in dict.fromkeys(ids)]
    return tuple(sorted(unique, key=lambda flag: LEVEL_ORDER[flag.level]))


def build_content(loaded: LoadedFile) -> Content:
    """Index a validated file."""
    data = loaded.regions_file
    flags_by_id = {f.id: f for f in data.red_flags}
    areas_by_id = {a.id: a for a in data.areas}
    articles = ArticleIndex(tuple(data.articles))
    region_ids_by_pain_point: dict[str, list[str]] = {p.id: [] for p in data.pain_points}
    for region in data.regions:
        for pain_point_id in dict.fromkeys(region.pain_points):
            region_ids_by_pain_point[pain_point_id].append(region.id)
    pain_points = {
        p.id: PainPointEntry(
            pain_point=p,
            articles=articles.for_pain_point(p),
            region_ids=tuple(region_ids_by_pain_point[p.id]),
            red_flags=_flags(p.red_flags, flags_by_id),
        )
        for p in data.pain_points
    }
    regions = {}
    for region in data.regions:
        own = [pain_points[i] for i in dict.fromkeys(region.pain_points)]
        flag_ids = [*areas_by_id[region.area].red_flags, *region.red_flags]
        regions[region.id] = RegionEntry(
            region=region,
            name=region_name(region),
            red_flags=_flags(flag_ids, flags_by_id),
            pain_points=tuple(own),
            crisis_line=any(p.pain_point.crisis_line for p in own),
            box=scan(region.shape).box,
        )
    by_area: dict[str, list[RegionEntry]] = {area.id: [] for area in data.areas}
    for entry in regions.values():
        by_area[entry.region.area].append(entry)
    areas = tuple((area, tuple(by_area[area.id])) for area in data.areas)
    return Content(
        version=loaded.version,
        path=loaded.path,
        clinic=data.clinic,
        figure=data.figure,
        regions=MappingProxyType(regions),
        pain_points=MappingProxyType(pain_points),
        areas=tuple((area, entries) for area, entries in areas if entries),
        emergency_flags=tuple(f for f in data.red_flags if f.level == "emergency"),
        zooms=MappingProxyType({z.id: z for z in _zooms(areas)}),
    )


def _zooms(areas) -> list[Zoom]:
    """One zoom per body area; an area too wide to enlarge (both arms) gets one per side."""
    zooms = []
    for area, entries in areas:
        if not entries:
            continue
        wide = any(
            union([e.box for e in entries if e.region.view == view])[2] > SPLIT_WIDER_THAN
            for view in {e.region.view for e in entries}
        )
        groups = (
            [(f"{area.id}-{side}", f"{area.label}, your {side} side", side) for side in SIDES]
            if wide
            else [(area.id, area.label, None)]
        )
        for zoom_id, label, side in groups:
            members = [e for e in entries if side is None or e.region.side == side]
            views = [v for v in ("front", "back") if any(e.region.view == v for e in members)]
            boxes = tuple(
                (v, union([e.box for e in members if e.region.view == v], ZOOM_PAD)) for v in views
            )
            zooms.append(Zoom(zoom_id, label, boxes, frozenset(e.id for e in members)))
    return zooms
