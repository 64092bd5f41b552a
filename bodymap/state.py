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


class Known(NamedTuple):
    """What a parsed value may be: the content's region ids and the interface's languages."""

    places: Collection[str]
    languages: Collection[str]


class Param(NamedTuple):
    """How one field is spelled in the query string."""

    name: str
    read: Callable[[list[str], Known], object]  # every value given for `name` → the field
    write: Callable[[object], tuple[str, ...]]  # the field → its values (none: left out)


def _read_places(values: list[str], known: Known) -> tuple[str, ...]:
    # r=a&r=b in addresses; r=a+b (one input per form) from the page's own fields.
    ids = (i for value in values for i in value.split() if i in known.places)
    return tuple(dict.fromkeys(ids))[:MAX_PLACES]


def _read_language(values: list[str], known: Known) -> str | None:
    return values[0] if values and values[0] in known.languages else None


def _read_query(values: list[str], _known: Known) -> str:
    return " ".join(values[0][:MAX_QUERY].split()) if values else ""


def _write_many(value) -> tuple[str, ...]:
    return tuple(value)


def _write_one(value) -> tuple[str, ...]:
    return (value,) if value else ()


def _param(name: str, read, write=_write_one) -> dict:
    return {"param": Param(name, read, write)}


@dataclass(frozen=True)
class PageState:
    """The chosen places in order, the chosen language, the search words, and the frame.

    A new field (the details of the pain per place, a figure variant) is one line here, with
    its default and its `Param`; the pages that use it say so in `addresses.READS`.
    """

    places: tuple[str, ...] = field(default=(), metadata=_param("r", _read_places, _write_many))
    # None: the browser's Accept-Language decides (and the page varies on it).
    language: str | None = field(default=None, metadata=_param("lang", _read_language))
    query: str = field(default="", metadata=_param("q", _read_query))
    # From the path (/embed/…), never from the query string.
    embed: bool = False

    @classmethod
    def parse(cls, args: Mapping, known: Known, *, embed: bool = False) -> PageState:
        """The state a query string (a MultiDict, or a dict of lists) asks for, normalised."""
        values = {}
        for name, param in _PARAMS:
            given = args.getlist(param.name) if hasattr(args, "getlist") else args.get(param.name)
            values[name] = param.read(list(given or ()), known)
        return cls(**values, embed=embed)

    def pairs(self, fields: Iterable[str] | None = None) -> list[tuple[str, str]]:
        """(name, value) of each field (or of `fields` only) that is not at its default."""
        wanted = None if fields is None else set(fields)
        return [
            (param.name, value)
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
        if place in self.places:
            return self.but(places=tuple(i for i in self.places if i != place))
        return self.but(places=(*self.places, place)[:MAX_PLACES])


_PLAIN = re.compile(r"[A-Za-z0-9._~-]*")  # slugs and codes: nothing to quote


def _quoted(value: str) -> str:
    return value if _PLAIN.fullmatch(value) else quote_plus(value)


_FIELDS = dataclasses.fields(PageState)
# (field name, how it is spelled) for every field that the query string carries.
_PARAMS = [(f.name, f.metadata["param"]) for f in _FIELDS if "param" in f.metadata]
