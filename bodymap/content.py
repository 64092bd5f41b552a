"""The content model: validated regions.yaml and its figure, indexed for the pages.

Everything the pages need is worked out here once per content version:
region → red flags and pain points, pain point → articles and regions.
Views only look things up.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from types import MappingProxyType

from .geometry import scan, union
from .i18n import DEFAULT_LANGUAGE, translator
from .loader import LoadedFile
from .localized import Fallback, in_language
from .models import Area, Article, Clinic, Figure, PainPoint, RedFlag, Region
from .search import SearchIndex

# The patient's own side after a label ("your": a figure faces the patient, so "left" alone
# is read as the viewer's left); gettext finds these texts by these calls.
ZOOM_SIDE_NAMES = {
    "left": lambda _, label: _("%(label)s, your left side") % {"label": label},
    "right": lambda _, label: _("%(label)s, your right side") % {"label": label},
}
SIDE_NAMES = {**ZOOM_SIDE_NAMES, "centre": lambda _, label: label}
ROW = 12  # figure units: regions whose tops are this close count as one row for keyboard order
ZOOM_PAD = 4  # figure units around a zoomed part
SPLIT_WIDER_THAN = 150  # figure units: a wider part is zoomed one side at a time
# Results shown for a search, per kind and all kinds together (warning signs: all found).
SEARCH_LIMITS = {"pain_point": 10, "region": 8, "article": 4}
SEARCH_LIMIT = 20
PLACES_SHOWN = 3  # the places named as the reason a cause appears
LEVEL_ORDER = {"emergency": 0, "urgent": 1, "soon": 2}
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
    shape: str  # SVG path data, from the figure file

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


@dataclass(frozen=True)
class RankedPainPoint:
    """A pain point in a selection: which of the chosen places it covers, and how strongly."""

    entry: PainPointEntry
    region_ids: tuple[str, ...]  # the chosen places it is listed for, in selection order
    weight: float  # higher when the places list it near their top (most common first)

    @property
    def id(self) -> str:
        return self.entry.id


@dataclass(frozen=True)
class Selection:
    """The places a patient chose, with everything the panel shows for them together."""

    regions: tuple[RegionEntry, ...]
    red_flags: tuple[RedFlag, ...]  # of every chosen place, once each, emergencies first
    pain_points: tuple[RankedPainPoint, ...]  # most places covered first
    crisis_line: bool

    @cached_property  # asked for every region drawn and every link written
    def ids(self) -> tuple[str, ...]:
        return tuple(entry.id for entry in self.regions)

    def articles(self) -> tuple[Article, ...]:
        """The articles of the ranked pain points, each once, best-ranked pain point first."""
        unique = {a.id: a for item in self.pain_points for a in item.entry.articles}
        return tuple(unique.values())

    def toggled(self, region_id: str) -> tuple[str, ...]:
        """The ids after tapping `region_id`: added if it was not chosen, else removed."""
        if region_id in self.ids:
            return tuple(i for i in self.ids if i != region_id)
        return (*self.ids, region_id)


@dataclass(frozen=True)
class Why:
    """Why a result appears, in the patient's terms: the place it is listed for, or their words."""

    typed: str = ""  # the words the patient typed that found it ("" when its name says it)
    places: tuple[str, ...] = ()  # labels of the places it is a common cause in


@dataclass(frozen=True)
class Found:
    """What a search found, grouped the way the results show it, best first in each group."""

    red_flags: tuple[RedFlag, ...]  # warning signs the words describe: shown before the rest
    pain_points: tuple[tuple[PainPointEntry, Why], ...]
    regions: tuple[tuple[RegionEntry, Why], ...]
    articles: tuple[tuple[Article, Why], ...]

    def __len__(self) -> int:
        kinds = (self.red_flags, self.pain_points, self.regions, self.articles)
        return sum(len(kind) for kind in kinds)


@dataclass(frozen=True, eq=False)  # compared and hashed by identity: one object per version
class Content:
    """Immutable, indexed content of one version of regions.yaml."""

    version: str
    path: str
    language: str
    loaded: LoadedFile = field(repr=False)
    english: Content | None = field(repr=False)  # None: this is the English content
    clinic: Clinic
    figure: Figure
    regions: MappingProxyType  # id → RegionEntry, in file order
    pain_points: MappingProxyType  # id → PainPointEntry, in file order
    articles: MappingProxyType  # id → Article, in file order
    areas: tuple[tuple[Area, tuple[RegionEntry, ...]], ...]
    emergency_flags: tuple[RedFlag, ...]
    red_flags: MappingProxyType  # id → RedFlag, in file order
    zooms: MappingProxyType  # id → Zoom, in area order
    pain_kinds: MappingProxyType  # id → PainKind: what a pain may feel like, in file order
    long_lasting: tuple[Article, ...]  # the clinic's notes for pain of 3 months or more
    # What is made from this version when first needed (drawings, the search index);
    # it goes when the version goes.
    derived: dict = field(default_factory=dict, repr=False)

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

    def in_language(self, language: str) -> Content:
        """This version's content with its texts in `language`, made once when first asked."""
        english = self.english or self
        if language == english.language:
            return english
        key = ("language", language)
        if key not in english.derived:
            english.derived[key] = build_content(self.loaded, language, english)
        return english.derived[key]

    def search(self, query: str) -> Found:
        """Warning signs, pain points, regions and articles matching the patient's words.

        The English content's index holds every language's texts, so a patient finds
        "ciática" on the English page and "sciatica" on the Spanish one; what is shown is
        in this content's language (search.py, docs/search.md).
        """
        english = self.english or self
        if "search" not in english.derived:
            english.derived["search"] = SearchIndex.build(english)
        results = english.derived["search"].find(query, SEARCH_LIMITS, SEARCH_LIMIT)
        sources = {"pain_point": self.pain_points, "region": self.regions, "article": self.articles}
        found = {kind: [] for kind in sources}
        for hit in results.hits:
            found[hit.kind].append((sources[hit.kind][hit.id], self._why(hit)))
        return Found(
            tuple(self.red_flags[i] for i in results.red_flags),
            *(tuple(found[kind]) for kind in ("pain_point", "region", "article")),
        )

    def _why(self, hit) -> Why:
        """A hit's reason: the places it is listed for (their labels, once each), or the words."""
        labels = {
            str(self.regions[i].region.label): self.regions[i].region.label for i in hit.places
        }
        return Why(hit.typed, tuple(labels.values())[:PLACES_SHOWN])

    def selection(self, region_ids) -> Selection:
        """The chosen places (unknown ids dropped, each once, in the order chosen)."""
        entries = tuple(self.regions[i] for i in dict.fromkeys(region_ids) if i in self.regions)
        return select(entries)


def select(entries: tuple[RegionEntry, ...]) -> Selection:
    """Merge the warning signs of several places and rank their pain points.

    A pain point listed for more of the chosen places ranks higher; between equals, the
    one the places list nearer their top (each region lists its most common causes first).
    """
    flags = _flags(
        (flag.id for entry in entries for flag in entry.red_flags),
        {flag.id: flag for entry in entries for flag in entry.red_flags},
    )
    covered: dict[str, list[str]] = {}
    weight: dict[str, float] = {}
    found: dict[str, PainPointEntry] = {}
    for entry in entries:
        for position, pain_point in enumerate(entry.pain_points):
            covered.setdefault(pain_point.id, []).append(entry.id)
            weight[pain_point.id] = weight.get(pain_point.id, 0) + 1 / (1 + position)
            found[pain_point.id] = pain_point
    order = {pid: n for n, pid in enumerate(found)}
    ranked = sorted(found, key=lambda pid: (-len(covered[pid]), -weight[pid], order[pid]))
    return Selection(
        regions=entries,
        red_flags=flags,
        pain_points=tuple(
            RankedPainPoint(found[pid], tuple(covered[pid]), round(weight[pid], 3))
            for pid in ranked
        ),
        crisis_line=any(entry.crisis_line for entry in entries),
    )


def region_name(region: Region, language: str = DEFAULT_LANGUAGE) -> str:
    """The accessible name of a region: its label and the patient's side."""
    name = SIDE_NAMES[region.side](translator(language).gettext, region.label)
    # A label without a translation keeps the whole name marked as English.
    return Fallback(name) if isinstance(region.label, Fallback) else name


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


def build_content(
    loaded: LoadedFile, language: str = DEFAULT_LANGUAGE, english: Content | None = None
) -> Content:
    """Index a validated file, with its texts in `language` (English where missing).

    Other languages are built from the English content (`english`), whose drawing
    boxes and search index they share.
    """
    data = loaded.regions_file if english is None else in_language(loaded.regions_file, language)
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
        shape = loaded.figure.shape(region.id)
        regions[region.id] = RegionEntry(
            region=region,
            name=region_name(region, language),
            red_flags=_flags(flag_ids, flags_by_id),
            pain_points=tuple(own),
            crisis_line=any(p.pain_point.crisis_line for p in own),
            box=english.regions[region.id].box if english else scan(shape).box,
            shape=shape,
        )
    by_area: dict[str, list[RegionEntry]] = {area.id: [] for area in data.areas}
    for entry in regions.values():
        by_area[entry.region.area].append(entry)
    areas = tuple((area, tuple(by_area[area.id])) for area in data.areas)
    return Content(
        version=loaded.version,
        path=loaded.path,
        language=language,
        loaded=loaded,
        english=english,
        clinic=data.clinic,
        figure=loaded.figure,
        regions=MappingProxyType(regions),
        pain_points=MappingProxyType(pain_points),
        articles=MappingProxyType({a.id: a for a in data.articles}),
        areas=tuple((area, entries) for area, entries in areas if entries),
        emergency_flags=tuple(f for f in data.red_flags if f.level == "emergency"),
        red_flags=MappingProxyType(flags_by_id),
        zooms=MappingProxyType({z.id: z for z in _zooms(areas, translator(language).gettext)}),
        pain_kinds=MappingProxyType({k.id: k for k in data.pain_kinds}),
        long_lasting=tuple(
            a for i in data.long_lasting.articles for a in data.articles if a.id == i
        ),
    )


def _zooms(areas, _) -> list[Zoom]:
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
            [(f"{area.id}-{side}", ZOOM_SIDE_NAMES[side](_, area.label), side) for side in SIDES]
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
