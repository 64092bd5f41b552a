"""What is not a page of the map: health, assets built from content, the embed snippet."""

from __future__ import annotations

import dataclasses
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
    url_for,
)
from flask.globals import request_ctx
from markupsafe import escape
from werkzeug.exceptions import HTTPException

from .addresses import current
from .headers import in_frame
from .models import FONT_STACKS
from .snapshot import content, live
from .views import EMBED

bp = Blueprint("site", __name__)
# Shown in the snippet while BODYMAP_PUBLIC_URL is not set (.example never resolves).
STAND_IN_ADDRESS = "https://your-map-address.example"


@bp.get("/healthz")
def healthz():
    """For monitoring: `ok` while patients are served; alert on `pending_error` too.

    `ok` stays true while an invalid edit is pending, because patients are still served
    the last good version (a health check must not take a serving worker out of rotation
    for a content mistake); `pending_error` says what is wrong, with the file's base name
    only, never where it lives on the server.
    """
    snapshot = live()
    store = current_app.extensions["bodymap"]
    pending = store.pending
    return jsonify(
        ok=True,
        content_file=store.name,
        version=snapshot.content.version,
        loaded_at=snapshot.loaded_at.isoformat(timespec="seconds"),
        regions=len(snapshot.content.regions),
        pain_points=len(snapshot.content.pain_points),
        process=os.getpid(),
        pending_error=pending
        and {
            "since": pending.since.isoformat(timespec="seconds"),
            "problems": [
                str(dataclasses.replace(p, file=os.path.basename(p.file))) for p in pending.problems
            ],
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
    current = live().content
    css = render_template("theme.css", theme=current.clinic.theme, fonts=FONT_STACKS)
    response = make_response(css, 200, {"Content-Type": "text/css; charset=utf-8"})
    response.set_etag(current.version)
    return response


@bp.get("/embed/snippet")
def embed_snippet():
    """The HTML a clinic's web person pastes into their site, with the map's public address."""
    public_url = current_app.config["PUBLIC_URL"]
    address = public_url or STAND_IN_ADDRESS
    page = render_template(
        "embed_snippet.html",
        snippet=snippet_code(address, content().clinic.name),
        address=address,
        public_url=public_url,
    )
    response = make_response(page)
    response.cache_control.no_cache = True  # the clinic's name and address may change
    return response


def snippet_code(address: str, clinic_name: str) -> str:
    """The iframe and script to paste, with every attribute escaped (a name may hold quotes).

    `address` is the map's public address (the page at its root), never the request's Host:
    a snippet made from a forged Host would send the clinic's visitors elsewhere.
    """
    frame = address + _below_root(url_for("embed.index"))
    script = address + _below_root(url_for("static", filename="embed.js"))
    title = f"Where does it hurt? Body map of {clinic_name}"
    return (
        f'<iframe src="{escape(frame)}" title="{escape(title)}"\n'
        '        width="100%" height="1000" loading="lazy" data-bodymap-frame></iframe>\n'
        f'<script src="{escape(script)}" async></script>'
    )


def _below_root(path: str) -> str:
    """A path from url_for without the base path it is served under (the public address has it)."""
    return path.removeprefix(request.script_root)


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
        state = current().only(["language"]).but(embed=True)
        return render_template("error.html", error=error, pages=EMBED, embed=True, state=state)
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
