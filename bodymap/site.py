"""What is not a page of the map: health, assets built from content, the embed snippet."""

from __future__ import annotations

import os
from pathlib import Path

from flask import (
    Blueprint,
    abort,
    current_app,
    jsonify,
    make_response,
    render_template,
    send_file,
)
from werkzeug.exceptions import HTTPException

from .models import FONT_STACKS
from .snapshot import live

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
        # Keep the error's own headers (a 405's Allow, a 401's WWW-Authenticate), not its body.
        headers = [(k, v) for k, v in error.get_headers() if k.lower() != "content-type"]
        return render_template("error.html", error=error), error.code, headers

    @app.errorhandler(Exception)
    def server_error(error: Exception):
        app.logger.exception("unexpected error")
        return render_template("error.html", error=None), 500
