"""Pages and fragments. Views look content up and render templates; nothing more.

Every state is a full page (works without JavaScript); htmx fetches the same
template's `panel` block from a fragment URL of its own.
"""

from __future__ import annotations

import os
from pathlib import Path

from flask import (
    Blueprint,
    abort,
    current_app,
    g,
    jsonify,
    render_template,
    send_file,
    url_for,
)
from werkzeug.exceptions import HTTPException

from .diagram import RegionLinks, render_view

bp = Blueprint("map", __name__)

ID_PLACEHOLDER = "__id__"


def content():
    """The content for this request: one snapshot, so a request never mixes versions."""
    return live().content


def live():
    """This request's snapshot of the live content (taken once, on first use)."""
    if "live" not in g:
        g.live = current_app.extensions["bodymap"].snapshot()
    return g.live


def region_links() -> RegionLinks:
    def pattern(endpoint: str) -> str:
        return url_for(endpoint, region_id=ID_PLACEHOLDER).replace(ID_PLACEHOLDER, "{}")

    return RegionLinks(page=pattern("map.region"), fragment=pattern("map.region_fragment"))


def figure(view: str, selected: str | None = None):
    """Inline SVG of one view (called from templates)."""
    return render_view(content(), view, region_links(), selected)


@bp.app_context_processor
def template_globals():
    return {"content": content(), "figure": figure, "selected": None}


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


@bp.get("/")
def index():
    return render_template("map.html")


@bp.get("/regions/<region_id>")
def region(region_id: str):
    return render_template("region.html", entry=_region_or_404(region_id), selected=region_id)


@bp.get("/fragments/regions/<region_id>.html")
def region_fragment(region_id: str):
    return render_fragment("region.html", entry=_region_or_404(region_id), selected=region_id)


@bp.get("/pain-points/<pain_point_id>")
def pain_point(pain_point_id: str):
    return render_template("pain_point.html", entry=_pain_point_or_404(pain_point_id))


@bp.get("/fragments/pain-points/<pain_point_id>.html")
def pain_point_fragment(pain_point_id: str):
    return render_fragment("pain_point.html", entry=_pain_point_or_404(pain_point_id))


@bp.get("/fragments/start.html")
def start_fragment():
    return render_fragment("map.html")


@bp.get("/healthz")
def healthz():
    snapshot = live()
    pending = current_app.extensions["bodymap"].pending
    return jsonify(
        ok=True,
        version=snapshot.content.version,
        loaded_at=snapshot.loaded_at.isoformat(timespec="seconds"),
        regions=len(snapshot.content.regions),
        pain_points=len(snapshot.content.pain_points),
        process=os.getpid(),
        pending_error=pending
        and {
            "since": pending.since.isoformat(timespec="seconds"),
            "problems": [str(p) for p in pending.problems],
        },
    )


@bp.get("/assets/htmx.min.js")
def htmx():
    """htmx as installed from npm (node_modules), never a copy in the repo."""
    path = Path(current_app.config["HTMX_PATH"])
    if not path.is_file():
        abort(404)
    return send_file(path, mimetype="text/javascript", max_age=3600)


def register_error_pages(app):
    """Friendly pages for 404, 405 and anything else, with the way back to the map."""

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        return render_template("error.html", error=error), error.code

    @app.errorhandler(Exception)
    def server_error(error: Exception):
        app.logger.exception("unexpected error")
        return render_template("error.html", error=None), 500
