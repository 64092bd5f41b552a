"""Pages and fragments. Views look content up and render templates; nothing more.

Every state is a full page (works without JavaScript); htmx fetches the same
template's `panel` block from a fragment URL of its own. The blueprint is registered
twice: as `map` at / for the clinic's own page, and as `embed` at /embed for the frame
on the clinic's website (no header, links that leave the frame). What a page shows
besides its path is a `PageState` (state.py), read and written by addresses.py.
"""

from __future__ import annotations

import json

from flask import (
    Blueprint,
    abort,
    current_app,
    jsonify,
    make_response,
    render_template,
    request,
)
from jinja2 import pass_context
from markupsafe import Markup

from . import addresses
from .addresses import EMBED, ID_PLACEHOLDER, href, several_places
from .caching import cached_page
from .details import details, made_now, made_text
from .diagram import RegionLinks, render_marked, render_view
from .fhir import bundle, words
from .i18n import LANGUAGES, translator
from .qr import qr_svg
from .sheet import summary_sheet
from .snapshot import content
from .state import DURATIONS, PageState

__all__ = ["EMBED", "ID_PLACEHOLDER", "bp"]

bp = Blueprint("map", __name__)

# A tap's page opens at the panel's heading: on a phone, its warning signs are on the first screen.
PANEL_HEADING = "panel-heading"


def pages() -> str:
    """The blueprint whose pages this request belongs to: 'map' or 'embed'."""
    return EMBED if addresses.in_embed() else "map"


def url_pattern(endpoint: str, state: PageState) -> str:
    """A page's address with '{}' where the region id goes."""
    return href(endpoint, state, region_id="{}")


def toggle_fragment(state: PageState, region_id: str) -> str:
    """What htmx fetches after a tap; the chosen places come from the panel (#chosen)."""
    return href("selection_fragment", state.only(())) + "?toggle=" + region_id


def region_links(state: PageState) -> RegionLinks:
    """Where a tap on a region leads: toggling it in the selection, or its own page."""
    if not several_places():
        page = url_pattern("region", state) + "#" + PANEL_HEADING
        fragment = url_pattern("region_fragment", state)
        return RegionLinks(page.format, fragment.format, key=(page, fragment))
    return RegionLinks(
        page=lambda region_id: href("index", state.toggled(region_id), anchor=PANEL_HEADING),
        fragment=lambda region_id: toggle_fragment(state, region_id),
        key=(href("index", state.but(places=())), state.places),
        include="#chosen",
        base=(href("index", state.but(places=())), toggle_fragment(state, "")),
    )


@pass_context
def figure(context, view: str, zoom: str | None = None):
    """Inline SVG of one view, or of one zoomed part of it (called from templates)."""
    state = context["state"]
    return render_view(content(), view, region_links(state), state.places, zoom)


@pass_context
def link(context, endpoint: str, state: PageState | None = None, **values) -> str:
    """The address of a page of the map with this page's state, or `state` (templates)."""
    return href(endpoint, state or context["state"], **values)


@pass_context
def hidden_fields(context, endpoint: str, *own: str):
    """The state as a form's hidden fields, but for the form's own fields (templates)."""
    return addresses.hidden_fields(endpoint, context["state"], own)


@pass_context
def language_links(context) -> list[dict]:
    """The language switch: the page now shown, in each language."""
    state, endpoint = context["state"], context["page_endpoint"]
    current = context["language"]
    values = _path_values()
    return [
        {
            "code": code,
            "name": name,
            "href": href(endpoint, state.but(language=code), **values),
            "current": code == current,
        }
        for code, name in LANGUAGES.items()
    ]


@pass_context
def panel_links(context) -> str:
    """The addresses bodymap.js gives the page's links after a swap, as JSON for a data-
    attribute: each toggle, what other links keep (`keep`), and the language switch."""
    state = context["state"]
    toggles = {"*": href("index", state.toggled(ID_PLACEHOLDER), anchor=PANEL_HEADING)}
    toggles |= {
        place: href("index", state.toggled(place), anchor=PANEL_HEADING) for place in state.places
    }
    links = {
        "toggle": toggles,
        "keep": state.encode(addresses.READS["index"]),
        "languages": {link["code"]: link["href"] for link in language_links(context)},
    }
    return json.dumps(links, separators=(",", ":"))


def _path_values() -> dict:
    """The page's own path values (a region's id), as `href` takes them."""
    return dict(request.view_args or {})


def leaving_attrs() -> Markup:
    """Attributes of a link that leaves the map (articles, booking, the clinic's site)."""
    rel = ' rel="noreferrer"'  # implies noopener (HTML: "noreferrer" link type)
    if pages() != EMBED:
        return Markup(rel)
    target = "_blank" if content().clinic.embed.open_links == "new-tab" else "_top"
    return Markup(f' target="{target}"{rel}')


@bp.app_context_processor
def template_globals():
    state = addresses.current()
    return {
        "content": content(),
        "figure": figure,
        "link": link,
        "hidden_fields": hidden_fields,
        "summary_sheet": summary_sheet,
        "panel_links": panel_links,
        "toggle_fragment": toggle_fragment,
        "language_links": language_links,
        "state": state,
        "selection": content().selection(state.places),
        "answers": details(content(), content().selection(state.places), state),
        "query": state.query,
        "page_endpoint": "index",
        "several_places": several_places(),
        # Files of the static export send no headers: their links say the address themselves.
        "links_say_address": current_app.config["STATIC_EXPORT"],
        "zoom": None,
        "pages": pages(),
        "embed": pages() == EMBED,
        "leaving": leaving_attrs,
    }


@bp.app_template_filter("tel")
def tel(phone: str) -> str:
    """A phone number as a tel: address: digits and a leading plus only."""
    return "".join(ch for ch in phone if ch.isdigit() or ch == "+")


def _context(state: PageState, endpoint: str, **extra) -> dict:
    """What a template shows for `state`: the page's own state, not the address's."""
    selection = content().selection(state.places)
    return {
        "state": state,
        "selection": selection,
        "answers": details(content(), selection, state),
        "query": state.query,
        "page_endpoint": endpoint.removesuffix("_fragment"),
        **extra,
    }


def page(template: str, state: PageState, endpoint: str, **extra) -> str:
    return render_template(template, **_context(state, endpoint, **extra))


def render_fragment(template: str, state, endpoint, block: str = "panel", **extra) -> str:
    """The page's `title` and one block (the panel) only: what htmx swaps into the page."""
    env = current_app.jinja_env
    source = env.get_template(template)
    context = _context(state, endpoint, **extra)
    current_app.update_template_context(context)
    ctx = source.new_context(context)
    title = "".join(source.blocks["title"](ctx))
    part = "".join(source.blocks[block](ctx))
    return f"<title>{title}</title>\n{part}" if block == "panel" else part


def panel_fragment(template: str, state, page_endpoint: str, values: dict, **extra):
    """A panel for htmx, with the address of its page for the address bar (`HX-Push-Url`):
    the server says it once, so no link has to carry it."""
    panel = render_fragment(template, state, page_endpoint, **extra)
    return panel, {"HX-Push-Url": href(page_endpoint, state, **values)}


def unbounded(make):
    """Work for a page whose number has no bound, within the worker's budget for it."""
    return current_app.extensions["bodymap.misses"].make(make)


def _search_state(endpoint: str) -> PageState:
    several_places() or abort(404)  # a static export cannot answer ?q=
    return addresses.for_page(endpoint)


def _region_or_404(region_id: str):
    return content().region(region_id) or abort(404)


def _pain_point_or_404(pain_point_id: str):
    return content().pain_point(pain_point_id) or abort(404)


def _places_template(state: PageState) -> str:
    return "places.html" if state.places else "map.html"


@bp.get("/", strict_slashes=False)
def index():
    state = addresses.for_page("index")
    return cached_page(state, lambda: page(_places_template(state), state, "index"))


@bp.get("/fragments/places.html")
def selection_fragment():
    """The panel after a tap: the chosen places (?r=…) with one region (?toggle=…) toggled."""
    state = addresses.for_page("selection_fragment")
    toggle = request.args.get("toggle", "")
    if toggle and not content().region(toggle):
        abort(404)
    if toggle:
        state = state.toggled(toggle)

    def make():
        panel = render_fragment(_places_template(state), state, "index")
        return panel, {"HX-Push-Url": href("index", state)}

    return cached_page(state, make)


def _one_place(endpoint: str, region_id: str) -> PageState:
    return addresses.for_page(endpoint).but(places=(_region_or_404(region_id).id,))


@bp.get("/regions/<region_id>")
def region(region_id: str):
    state = _one_place("region", region_id)
    return cached_page(state, lambda: page("places.html", state, "region"))


@bp.get("/fragments/regions/<region_id>.html")
def region_fragment(region_id: str):
    state = _one_place("region_fragment", region_id)
    values = {"region_id": state.places[0]}
    return cached_page(state, lambda: panel_fragment("places.html", state, "region", values))


@bp.get("/pain-points/<pain_point_id>")
def pain_point(pain_point_id: str):
    entry, state = _pain_point_or_404(pain_point_id), addresses.for_page("pain_point")
    return cached_page(state, lambda: page("pain_point.html", state, "pain_point", entry=entry))


@bp.get("/fragments/pain-points/<pain_point_id>.html")
def pain_point_fragment(pain_point_id: str):
    entry, state = _pain_point_or_404(pain_point_id), addresses.for_page("pain_point_fragment")
    values = {"pain_point_id": entry.id}
    return cached_page(
        state, lambda: panel_fragment("pain_point.html", state, "pain_point", values, entry=entry)
    )


@bp.get("/search")
def search():
    """Results for the patient's own words: a page of its own without JavaScript.

    Made per request, not kept: their number has no bound, and a search costs less than
    a kept page would push out (compressed at the cheap level, caching.py).
    """
    state = _search_state("search")
    return unbounded(
        lambda: page("search.html", state, "search", found=content().search(state.query))
    )


@bp.get("/fragments/search.html")
def search_fragment():
    """The results alone, fetched as the patient types (htmx active search)."""
    state = _search_state("search_fragment")

    def make():
        found = content().search(state.query)
        return render_fragment("search.html", state, "search", "search_results", found=found)

    return unbounded(make)


def _not_kept(response):
    response.headers["Cache-Control"] = "no-store"  # nor in the browser's or a proxy's cache
    return response


def _own_address(endpoint: str, state: PageState) -> str | None:
    """The page's address from PUBLIC_URL (never from the request's Host); None when unset."""
    public = current_app.config["PUBLIC_URL"]
    return public + href(endpoint, state) if public else None


@bp.get("/summary")
def summary():
    """A page to print and bring to the appointment: made for this request, kept nowhere."""
    several_places() or abort(404)
    state = addresses.for_page("summary")
    marked = {
        view: render_marked(content(), view, state.places, dict(state.intensity))
        for view in ("front", "back")
    }
    made = made_now(content().clinic.timezone)
    address = _own_address("summary", state)
    _ = translator(content().language).gettext
    qr = qr_svg(address, _("QR code of this summary's address")) if address else None
    html = page(
        "summary.html",
        state,
        "summary",
        marked=marked,
        made=made_text(made, content().language),
        address=address,
        qr=qr,
    )
    return _not_kept(make_response(html))


@bp.get("/summary.json")
def summary_fhir():
    """The same summary as a FHIR R4 Bundle of Observations, for the clinic's records."""
    several_places() or abort(404)
    state = addresses.for_page("summary_fhir")
    found = details(content(), content().selection(state.places), state)
    made = made_now(content().clinic.timezone)
    response = jsonify(bundle(found, made, words(translator(content().language).gettext)))
    response.mimetype = "application/fhir+json"
    response.headers["Content-Disposition"] = 'attachment; filename="pain-summary.json"'
    return _not_kept(response)


@bp.get("/details", endpoint="details")
def details_page():
    """The optional questions per place: a plain form whose answers go into the address."""
    several_places() or abort(404)
    state = addresses.for_page("details")
    html = page("details.html", state, "details", durations=DURATIONS)
    return _not_kept(make_response(html))


@bp.get("/zoom/<zoom_id>")
def zoom(zoom_id: str):
    part = content().zoom(zoom_id) or abort(404)
    state = addresses.for_page("zoom")
    return cached_page(state, lambda: page("zoom.html", state, "zoom", part=part, zoom=zoom_id))


@bp.get("/fragments/start.html")
def index_fragment():
    state = addresses.for_page("index_fragment")
    return cached_page(state, lambda: panel_fragment("map.html", state, "index", {}))
