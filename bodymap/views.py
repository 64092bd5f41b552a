"""Pages and fragments. Views look content up and render templates; nothing more.

Every state is a full page (works without JavaScript); htmx fetches the same
template's `panel` block from a fragment URL of its own. The blueprint is registered
twice: as `map` at / for the clinic's own page, and as `embed` at /embed for the frame
on the clinic's website (no header, links that leave the frame).
"""

from __future__ import annotations

from flask import Blueprint, abort, current_app, render_template, request, url_for
from markupsafe import Markup

from .caching import cached_page
from .diagram import RegionLinks, render_view
from .snapshot import content

bp = Blueprint("map", __name__)

ID_PLACEHOLDER = "__id__"
EMBED = "embed"


def pages() -> str:
    """The blueprint whose pages this request belongs to: 'map' or 'embed'."""
    return EMBED if request.blueprint == EMBED else "map"


def url_pattern(endpoint: str) -> str:
    """A URL with '{}' where the region id goes."""
    return url_for(endpoint, region_id=ID_PLACEHOLDER).replace(ID_PLACEHOLDER, "{}")


def figure(view: str, selected: str | None = None, zoom: str | None = None):
    """Inline SVG of one view, or of one zoomed part of it (called from templates)."""
    links = RegionLinks(
        page=url_pattern(f"{pages()}.region"), fragment=url_pattern(f"{pages()}.region_fragment")
    )
    return render_view(content(), view, links, selected, zoom)


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
        "selected": None,
        "zoom": None,
        "pages": pages(),
        "embed": pages() == EMBED,
        "leaving": leaving_attrs,
    }


@bp.app_template_filter("tel")
def tel(phone: str) -> str:
    """A phone number as a tel: address: digits and a leading plus only."""
    return "".join(ch for ch in phone if ch.isdigit() or ch == "+")


def render_fragment(template: str, **context) -> str:
    """The page's `title` and `panel` blocks only: what htmx swaps into the page."""
    env = current_app.jinja_env
    page = env.get_template(template)
    current_app.update_template_context(context)
    ctx = page.new_context(context)
    title = "".join(page.blocks["title"](ctx))
    panel = "".join(page.blocks["panel"](ctx))
    return f"<title>{title}</title>\n{panel}"


def _region_or_404(region_id: str):
    return content().region(region_id) or abort(404)


def _pain_point_or_404(pain_point_id: str):
    return content().pain_point(pain_point_id) or abort(404)


@bp.get("/", strict_slashes=False)
@cached_page
def index():
    return render_template("map.html")


@bp.get("/regions/<region_id>")
@cached_page
def region(region_id: str):
    return render_template("region.html", entry=_region_or_404(region_id), selected=region_id)


@bp.get("/fragments/regions/<region_id>.html")
@cached_page
def region_fragment(region_id: str):
    return render_fragment("region.html", entry=_region_or_404(region_id), selected=region_id)


@bp.get("/pain-points/<pain_point_id>")
@cached_page
def pain_point(pain_point_id: str):
    return render_template("pain_point.html", entry=_pain_point_or_404(pain_point_id))


@bp.get("/fragments/pain-points/<pain_point_id>.html")
@cached_page
def pain_point_fragment(pain_point_id: str):
    return render_fragment("pain_point.html", entry=_pain_point_or_404(pain_point_id))


@bp.get("/zoom/<zoom_id>")
@cached_page
def zoom(zoom_id: str):
    part = content().zoom(zoom_id) or abort(404)
    return render_template("zoom.html", part=part, zoom=zoom_id)


@bp.get("/fragments/start.html")
@cached_page
def index_fragment():
    return render_fragment("map.html")
