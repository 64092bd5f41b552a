"""What is not a page of the map: health, assets built from content, the embed snippet."""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from flask import (
    Blueprint,
    abort,
    current_app,
    jsonify,
    make_response,
    redirect,
    render_template,
    request,
    send_file,
)
from flask.globals import request_ctx
from werkzeug.exceptions import HTTPException

from .headers import in_frame
from .models import FONT_STACKS
from .snapshot import live
from .views import EMBED

bp = Blueprint("site", __name__)


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
    return send_file(path, mimetype="text/javascript")


@bp.get("/theme.css")
def theme():
    """The clinic's colours and font as CSS custom properties (no inline styles anywhere)."""
    content = live().content
    css = render_template("theme.css", theme=content.clinic.theme, fonts=FONT_STACKS)
    response = make_response(css, 200, {"Content-Type": "text/css; charset=utf-8"})
    response.set_etag(content.version)
    return response


@bp.get("/embed/snippet")
def embed_snippet():
    """The HTML a clinic's web person pastes into their site, filled in with this address."""
    return render_template("embed_snippet.html")


def register_error_pages(app):
    """Friendly pages for 404, 405 and anything else, with the way back to the map."""

    @app.errorhandler(HTTPException)
    def http_error(error: HTTPException):
        if request_ctx.url_adapter is None:
            # Werkzeug could not bind the URL map to the request's Host (BadHost): nothing
            # was routed, and links could not be built. They are relative, so any name does.
            request_ctx.url_adapter = app.url_map.bind(
                "localhost", script_name=request.script_root or "/", url_scheme=request.scheme
            )
            app.logger.warning(
                "refused a request with a malformed Host header: %r",
                request.environ.get("HTTP_HOST", "")[:100],
            )
        # Keep the error's own headers (a 405's Allow, a 401's WWW-Authenticate), not its body.
        headers = [(k, v) for k, v in error.get_headers() if k.lower() != "content-type"]
        return _error_page(error), error.code, headers

    @app.errorhandler(Exception)
    def server_error(error: Exception):
        app.logger.exception("unexpected error")
        return _error_page(None), 500

    app.after_request(relative_redirects)


def _error_page(error: HTTPException | None) -> str:
    """The friendly page; at an /embed address, the frame's version of it."""
    if in_frame():
        return render_template("error.html", error=error, pages=EMBED, embed=True)
    return render_template("error.html", error=error)


def relative_redirects(response):
    """Redirects within the map (Werkzeug's slash merging, 308) name no host.

    Werkzeug builds them from the Host the request claims; a cache that ignores Host would
    keep a 308 to whatever host was claimed.
    """
    location = response.headers.get("Location")
    if 300 <= response.status_code < 400 and location and urlsplit(location).netloc == request.host:
        target = relative(location)
        response.headers["Location"] = target
        response.set_data(redirect(target, response.status_code).get_data())
    return response


def relative(location: str) -> str:
    """An address on this site without its scheme and host."""
    parts = urlsplit(location)
    # One leading slash: '//host/x' would be read as another site.
    path = "/" + parts.path.lstrip("/")
    return urlunsplit(("", "", path, parts.query, parts.fragment))
