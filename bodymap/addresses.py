"""The request's PageState and every address written from it: the Flask side of state.py.

`READS` says which fields of the state each page uses. The same table decides what a page
parses from its address, what its links to another page carry, which hidden fields its
forms send, and the page's cache key: a parameter a page does not use cannot change it.
"""

from __future__ import annotations

from flask import current_app, request, url_for

from .i18n import LANGUAGES
from .snapshot import live
from .state import Known, PageState

EMBED = "embed"
ID_PLACEHOLDER = "__id__"
STATE_KEY = "bodymap.state"
# What the patient said about the chosen places goes wherever the places go.
PLACES = ("places", "intensity", "kinds", "duration", "worst", "flags", "signs", "language")
READS: dict[str, tuple[str, ...]] = {
    "index": PLACES,
    "selection_fragment": PLACES,
    "index_fragment": ("language",),
    "region": ("language",),  # the place is in the path
    "region_fragment": ("language",),
    "pain_point": PLACES,
    "pain_point_fragment": PLACES,
    "zoom": PLACES,
    "summary": PLACES,
    "summary_fhir": PLACES,
    "details": PLACES,
    "search": (*PLACES, "query"),
    "search_fragment": (*PLACES, "query"),
}


def several_places() -> bool:
    """Whether patients can choose several places (not in the static export: no queries)."""
    return not current_app.config["STATIC_EXPORT"]


def in_embed() -> bool:
    return request.blueprint == EMBED


def current() -> PageState:
    """What this request's address asks for, parsed once (unknown places and languages dropped)."""
    environ = request.environ
    state = environ.get(STATE_KEY)
    if state is None and not request.args:  # most requests: nothing to parse
        state = _PLAIN[in_embed()]
        environ[STATE_KEY] = state
    elif state is None:
        content = live().content
        places = content.regions if several_places() else ()
        known = Known(places, LANGUAGES, content.pain_kinds, content.red_flags)
        state = PageState.parse(request.args, known, embed=in_embed())
        environ[STATE_KEY] = state
    return state


def for_page(endpoint: str, state: PageState | None = None) -> PageState:
    """The part of the state (this request's, unless given) that `endpoint` uses."""
    state = state or current()
    return state if state in _PLAIN else state.only(READS[endpoint])


_PLAIN = (PageState(), PageState(embed=True))  # an address without a query, on the map or framed


def href(endpoint: str, state: PageState, anchor: str = "", **values) -> str:
    """The address of a page of the map (`endpoint` as in READS) showing `state`."""
    path = _pattern(endpoint, state.embed, tuple(values)).format(**values)
    # A static host cannot answer a query string: the export's links are paths alone.
    query = state.encode(READS[endpoint]) if several_places() else ""
    address = f"{path}?{query}" if query else path
    return f"{address}#{anchor}" if anchor else address


def hidden_fields(endpoint: str, state: PageState, own: tuple[str, ...] = ()):
    """(name, value) pairs a form for `endpoint` sends besides its own fields (`own`)."""
    return state.form_fields(f for f in READS[endpoint] if f not in own)


def _app_patterns() -> dict:
    return current_app.extensions.setdefault("bodymap.patterns", {})


def _pattern(endpoint: str, embed: bool, names: tuple[str, ...]) -> str:
    """The path of an endpoint with '{name}' for each value: url_for once, not per link."""
    key = (request.script_root, embed, endpoint, names)
    patterns = _app_patterns()
    if key not in patterns:
        full = f"{EMBED if embed else 'map'}.{endpoint}"
        path = url_for(full, **{name: ID_PLACEHOLDER for name in names})
        for name in names:  # each endpoint has one value at most
            path = path.replace(ID_PLACEHOLDER, "{" + name + "}", 1)
        patterns[key] = path
    return patterns[key]
