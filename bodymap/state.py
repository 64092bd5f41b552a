"""The request's state: what a page shows besides its path, read from the address by one codec.

A `PageState` is parsed once per request from the query string (normalised: unknown values
and repeats dropped, `r=a&r=b` the same as `r=a+b`) and written back by `encode` for every
link, form field and cache key, so the two can never disagree. A field is one line of
`PageState`: its default and its `Param` (query name, reader, writer). Knows nothing of Flask.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass, field
from typing import NamedTuple
from urllib.parse import quote_plus

MAX_QUERY = 100  # characters of a search that are read; the box allows no more
MAX_PLACES = 12  # more places than a patient would choose: the rest is dropped
INTENSITIES = tuple(str(n) for n in range(11))  # 0 no pain … 10 the worst imaginable
DURATIONS = ("days", "weeks", "months")  # "months": 3 months or more
ANSWERS = ("none", "yes")  # to "Do any of these warning signs apply to you?"


class Known(NamedTuple):
    """What a parsed value may be: the content's region ids and the interface's languages."""

    places: Collection[str]
    languages: Collection[str]
    kinds: Collection[str] = ()  # the ids of pain_kinds (what the pain feels like)
    signs: Collection[str] = ()  # the ids of red flags


class Param(NamedTuple):
    """How one field is spelled in the query string."""

    name: str
    read: Callable[[list, Known], object]  # every value given for `name` → the field
    write: Callable[[object], tuple]  # the field → its values (none: left out)
    # Per place: spelled `name.<place>=value`; read gets and write gives (place, value) pairs.
    per_place: bool = False


def _read_places(values: list[str], known: Known) -> tuple[str, ...]:
    # r=a&r=b in addresses; r=a+b (one input per form) from the page's own fields.
    ids = (i for value in values for i in value.split() if i in known.places)
    return tuple(dict.fromkeys(ids))[:MAX_PLACES]


def _read_language(values: list[str], known: Known) -> str | None:
    return values[0] if values and values[0] in known.languages else None


def _read_query(values: list[str], _known: Known) -> str:
    return " ".join(values[0][:MAX_QUERY].split()) if values else ""


def _read_one_of(allowed: Collection[str]):
    def read(values: list[str], _known: Known) -> str:
        return next((v for v in values if v in allowed), "")

    return read


def _read_signs(values: list[str], known: Known) -> tuple[str, ...]:
    return tuple(dict.fromkeys(i for value in values for i in value.split() if i in known.signs))


def _read_worst(values: list[str], known: Known) -> str:
    return next((v for v in values if v in known.places), "")


def _per_place(read_value):
    """A reader of `name.<place>` pairs: known places only; `read_value` gets every value
    given for one place and returns the field's value for it (None or empty: left out)."""

    def read(pairs: list[tuple[str, str]], known: Known) -> tuple:
        given: dict[str, list[str]] = {}
        for place, value in pairs:
            if place in known.places:
                given.setdefault(place, []).append(value)
        found = ((place, read_value(values, known)) for place, values in given.items())
        return tuple((place, value) for place, value in found if value not in (None, "", ()))

    return read


def _intensity(values: list[str], _known: Known) -> int | None:
    # 0 is an answer ("no pain"); None is no answer.
    return next((int(v) for v in values if v in INTENSITIES), None)


def _kinds(values: list[str], known: Known) -> tuple[str, ...]:
    kinds = (k for value in values for k in value.split() if k in known.kinds)
    return tuple(dict.fromkeys(kinds))


def _duration(values: list[str], _known: Known) -> str:
    return next((v for v in values if v in DURATIONS), "")


def _write_pairs(value) -> tuple:
    return tuple((place, str(v)) for place, v in value)


def _write_kinds(value) -> tuple:
    return tuple((place, kind) for place, kinds in value for kind in kinds)


def _write_many(value) -> tuple[str, ...]:
    return tuple(value)


def _write_one(value) -> tuple[str, ...]:
    return (value,) if value else ()


def _param(name: str, read, write=_write_one, per_place: bool = False) -> dict:
    return {"param": Param(name, read, write, per_place)}


def _details(name: str, read_value, write=_write_pairs) -> dict:
    return _param(name, _per_place(read_value), write, per_place=True)


@dataclass(frozen=True)
class PageState:
    """The chosen places in order, what the patient said about them (details of places not
    chosen are dropped), the chosen language, the search words, and the frame.

    A new field is one line here, with its default and its `Param`; the pages that use it
    say so in `addresses.READS`.
    """

    places: tuple[str, ...] = field(default=(), metadata=_param("r", _read_places, _write_many))
    # (place, 0 to 10) in the order of `places`; i.<place>=7
    intensity: tuple = field(default=(), metadata=_details("i", _intensity))
    # (place, (kind id, …)); k.<place>=burning&k.<place>=shooting (or k.<place>=burning+shooting)
    kinds: tuple = field(default=(), metadata=_details("k", _kinds, _write_kinds))
    # (place, one of DURATIONS); d.<place>=weeks
    duration: tuple = field(default=(), metadata=_details("d", _duration))
    worst: str = field(default="", metadata=_param("worst", _read_worst))
    # The answer to the warning signs of the chosen places, and those the patient ticked.
    flags: str = field(default="", metadata=_param("flags", _read_one_of(ANSWERS)))
    signs: tuple[str, ...] = field(default=(), metadata=_param("sign", _read_signs, _write_many))
    # None: the browser's Accept-Language decides (and the page varies on it).
    language: str | None = field(default=None, metadata=_param("lang", _read_language))
    query: str = field(default="", metadata=_param("q", _read_query))
    # From the path (/embed/…), never from the query string.
    embed: bool = False

    def __post_init__(self):
        # One rule for every state, parsed or derived: details only of chosen places, in
        # their order; ticked signs mean "yes".
        for name in DETAILS:
            pairs = dict(getattr(self, name))
            kept = tuple((p, pairs[p]) for p in self.places if p in pairs)
            object.__setattr__(self, name, kept)
        if self.worst not in self.places:
            object.__setattr__(self, "worst", "")
        if self.signs:
            object.__setattr__(self, "flags", "yes")

    @classmethod
    def parse(cls, args: Mapping, known: Known, *, embed: bool = False) -> PageState:
        """The state a query string (a MultiDict, or a dict of lists) asks for, normalised."""
        values = {}
        for name, param in _PARAMS:
            if param.per_place:
                given = _per_place_values(args, param.name + ".")
            elif hasattr(args, "getlist"):
                given = args.getlist(param.name)
            else:
                given = args.get(param.name)
            values[name] = param.read(list(given or ()), known)
        return cls(**values, embed=embed)

    def detail(self, name: str, place: str):
        """One place's intensity, kinds or duration (None, or () for kinds, when not given)."""
        return dict(getattr(self, name)).get(place, () if name == "kinds" else None)

    @property
    def has_details(self) -> bool:
        return any(getattr(self, name) for name in DETAILS) or bool(self.worst)

    def pairs(self, fields: Iterable[str] | None = None) -> list[tuple[str, str]]:
        """(name, value) of each field (or of `fields` only) that is not at its default."""
        wanted = None if fields is None else set(fields)
        return [
            (f"{param.name}.{value[0]}", value[1]) if param.per_place else (param.name, value)
            for name, param in _PARAMS
            if wanted is None or name in wanted
            for value in param.write(getattr(self, name))
        ]

    def form_fields(self, fields: Iterable[str] | None = None) -> list[tuple[str, str]]:
        """(name, value) for a form's hidden inputs: one input per field, values joined by
        spaces (`r=a+b`), which `parse` reads like `r=a&r=b`."""
        pairs: dict[str, list[str]] = {}
        for name, value in self.pairs(fields):
            pairs.setdefault(name, []).append(value)
        return [(name, " ".join(values)) for name, values in pairs.items()]

    def encode(self, fields: Iterable[str] | None = None) -> str:
        """The query string of `pairs` (no '?'), as every link of the map writes it."""
        return "&".join(f"{n}={_quoted(v)}" for n, v in self.pairs(fields))

    def only(self, fields: Iterable[str]) -> PageState:
        """This state with every field but `fields` (and the frame) at its default."""
        kept = set(fields) | {"embed"}
        return PageState(**{f.name: getattr(self, f.name) for f in _FIELDS if f.name in kept})

    def but(self, **changes) -> PageState:
        return dataclasses.replace(self, **changes)

    def toggled(self, place: str) -> PageState:
        """After tapping `place`: added if it was not chosen, else removed."""
        if place in self.places:  # its details go with it (__post_init__)
            return self.but(places=tuple(i for i in self.places if i != place))
        return self.but(places=(*self.places, place)[:MAX_PLACES])


DETAILS = ("intensity", "kinds", "duration")  # the per-place fields


def _per_place_values(args: Mapping, prefix: str) -> list[tuple[str, str]]:
    """(place, value) for every `prefix<place>=value` of a MultiDict or a dict of lists."""
    items = args.items(multi=True) if hasattr(args, "getlist") else _dict_items(args)
    return [(k[len(prefix) :], v) for k, v in items if k.startswith(prefix)]


def _dict_items(args: Mapping):
    for key, values in args.items():
        for value in [values] if isinstance(values, str) else values:
            yield key, value


_PLAIN = re.compile(r"[A-Za-z0-9._~-]*")  # slugs and codes: nothing to quote


def _quoted(value: str) -> str:
    return value if _PLAIN.fullmatch(value) else quote_plus(value)


_FIELDS = dataclasses.fields(PageState)
# (field name, how it is spelled) for every field that the query string carries.
_PARAMS = [(f.name, f.metadata["param"]) for f in _FIELDS if "param" in f.metadata]
