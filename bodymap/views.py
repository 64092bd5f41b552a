"""Pages and fragments. Views look content up and render templates; nothing more.

Every state is a full page (works without JavaScript); htmx fetches the same
template's `panel` block from a fragment URL of its own. The blueprint is registered
twice: as `map` at / for the clinic's own page, and as `embed` at /embed for the frame
on the clinic's website (no header, links that leave the frame).
"""

from __future__ import annotations

from flask import (
    Blueprint,
    abort,
    current_app,
    make_response,
    render_template,
    request,
    url_for,
)
from markupsafe import Markup

from .caching import cached_page
from .content import Selection
from .diagram import RegionLinks, render_marked, render_view
from .snapshot import content

bp = Blueprint("map", __name__)

ID_PLACEHOLDER = "__id__"
EMBED = "embed"
SELECTION_KEY = "bodymap.selection"
# Pages that keep the chosen places in their address (?r=…&r=…), so the patient's
# selection survives going to a pain point, a zoomed part or the summary and back.
KEEP_SELECTION = {
    "index",
    "pain_point",
    "pain_point_fragment",
    "zoom",
    "summary",
    "search",
    "search_fragment",
}
# A tap's page opens at the panel's heading: on a phone, its warning signs are on the first screen.
PANEL_HEADING = "panel-heading"
MAX_QUERY = 100  # characters of a search that are read; the box allows no more


def pages() -> str:
    """The blueprint whose pages this request belongs to: 'map' or 'embed'."""
    return EMBED if request.blueprint == EMBED else "map"


def several_places() -> bool:
    """Whether patients can choose several places (not in the static export: no queries)."""
    return not current_app.config["STATIC_EXPORT"]


def selection() -> Selection:
    """The places chosen in this request's address (?r=…), known ids only."""
    if SELECTION_KEY in request.environ:
        return request.environ[SELECTION_KEY]
    # ?r=a&r=b in addresses; ?r=a+b from the page's own inputs (one per form).
    ids = [i for value in request.args.getlist("r") for i in value.split()]
    return _choose(ids if several_places() else ())


@bp.url_defaults
def keep_selection(endpoint: str, values: dict) -> None:
    if endpoint.rpartition(".")[2] in KEEP_SELECTION and several_places():
        values.setdefault("r", selection().ids)


def url_pattern(endpoint: str) -> str:
    """A URL with '{}' where the region id goes."""
    return url_for(endpoint, region_id=ID_PLACEHOLDER).replace(ID_PLACEHOLDER, "{}")


def region_links() -> RegionLinks:
    """Where a tap on a region leads: toggling it in the selection, or its own page."""
    if not several_places():
        page = url_pattern(f"{pages()}.region") + "#" + PANEL_HEADING
        fragment = url_pattern(f"{pages()}.region_fragment")
        return RegionLinks(page.format, fragment.format, key=(page, fragment))
    chosen = selection()
    fragment = url_for(f"{pages()}.selection_fragment", r=(), toggle=ID_PLACEHOLDER)
    return RegionLinks(
        page=lambda region_id: url_for(
            f"{pages()}.index", r=chosen.toggled(region_id), _anchor=PANEL_HEADING
        ),
        fragment=lambda region_id: fragment.replace(ID_PLACEHOLDER, region_id),
        key=(url_for(f"{pages()}.index", r=()), chosen.ids),
        include="#chosen",
    )


def figure(view: str, zoom: str | None = None):
    """Inline SVG of one view, or of one zoomed part of it (called from templates)."""
    return render_view(content(), view, region_links(), selection().ids, zoom)


def leaving_attrs() -> Markup:
    """Attributes of a link that leaves the map (articles, booking, the clinic's site)."""
    rel = ' rel="noopener noreferrer"'
    if pages() != EMBED:
        return Markup(rel)
    target = "_blank" if content().clinic.embed.open_links == "new-tab" else "_top"
    return Markup(f' target="{target}"{rel}')


@bp.app_context_processor
def template_globals():
    return {
        "content": content(),
        "figure": figure,
        "selection": selection(),
        "several_places": several_places(),
        "zoom": None,
        "pages": pages(),
        "embed": pages() == EMBED,
        "leaving": leaving_attrs,
    }


@bp.app_template_filter("tel")
def tel(phone: str) -> str:
    """A phone number as a tel: address: digits and a leading plus only."""
    return "".join(ch for ch in phone if ch.isdigit() or ch == "+")


def render_fragment(template: str, block: str = "panel", **context) -> str:
    """The page's `title` and one block (the panel) only: what htmx swaps into the page."""
    env = current_app.jinja_env
    page = env.get_template(template)
    current_app.update_template_context(context)
    ctx = page.new_context(context)
    title = "".join(page.blocks["title"](ctx))
    part = "".join(page.blocks[block](ctx))
    return f"<title>{title}</title>\n{part}" if block == "panel" else part


def _search() -> dict:
    """The patient's words (?q=, trimmed) and what they find: the search templates' context."""
    several_places() or abort(404)  # a static export cannot answer ?q=
    query = " ".join(request.args.get("q", "")[:MAX_QUERY].split())
    return {"query": query, "found": content().search(query)}


def _choose(region_ids) -> Selection:
    """Make `region_ids` this request's selection (for the templates and every link)."""
    # Kept on the request, not on `g`: an app context (and its `g`) can outlive a request.
    request.environ[SELECTION_KEY] = content().selection(region_ids)
    return request.environ[SELECTION_KEY]


def _region_or_404(region_id: str):
    return content().region(region_id) or abort(404)


def _pain_point_or_404(pain_point_id: str):
    return content().pain_point(pain_point_id) or abort(404)


def _places_template() -> str:
    return "places.html" if selection().regions else "map.html"


@bp.get("/", strict_slashes=False)
@cached_page
def index():
    return render_template(_places_template())


@bp.get("/fragments/places.html")
@cached_page
def selection_fragment():
    """The panel after a tap: the chosen places (?r=…) with one region (?toggle=…) toggled."""
    toggle = request.args.get("toggle", "")
    if toggle and not content().region(toggle):
        abort(404)
    chosen = selection().toggled(toggle) if toggle else selection().ids
    _choose(chosen)
    page = url_for(f"{pages()}.index", r=chosen)
    return render_fragment(_places_template()), {"HX-Push-Url": page}


@bp.get("/regions/<region_id>")
@cached_page
def region(region_id: str):
    _choose((_region_or_404(region_id).id,))
    return render_template("places.html")


@bp.get("/fragments/regions/<region_id>.html")
@cached_page
def region_fragment(region_id: str):
    _choose((_region_or_404(region_id).id,))
    return render_fragment("places.html")


@bp.get("/pain-points/<pain_point_id>")
@cached_page
def pain_point(pain_point_id: str):
    return render_template("pain_point.html", entry=_pain_point_or_404(pain_point_id))


@bp.get("/fragments/pain-points/<pain_point_id>.html")
@cached_page
def pain_point_fragment(pain_point_id: str):
    return render_fragment("pain_point.html", entry=_pain_point_or_404(pain_point_id))


@bp.get("/search")
def search():
    """Results for the patient's own words: a page of its own without JavaScript."""
    return render_template("search.html", **_search())


@bp.get("/fragments/search.html")
def search_fragment():
    """The results alone, fetched as the patient types (htmx active search)."""
    return render_fragment("search.html", "search_results", **_search())


@bp.get("/summary")
def summary():
    """A page to print and bring to the appointment: made for this request, kept nowhere."""
    several_places() or abort(404)
    marked = {view: render_marked(content(), view, selection().ids) for view in ("front", "back")}
    response = make_response(render_template("summary.html", marked=marked))
    response.headers["Cache-Control"] = "no-store"  # nor in the browser's or a proxy's cache
    return response


@bp.get("/zoom/<zoom_id>")
@cached_page
def zoom(zoom_id: str):
    part = content().zoom(zoom_id) or abort(404)
    return render_template("zoom.html", part=part, zoom=zoom_id)


@bp.get("/fragments/start.html")
@cached_page
def index_fragment():
    _choose(())
    return render_fragment("map.html")
