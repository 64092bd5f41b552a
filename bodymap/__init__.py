"""bodymap: the interactive "Where does it hurt?" body map for spine and pain clinics."""

from __future__ import annotations

import json
import os
from pathlib import Path

from flask import Flask

from . import settings
from .headers import add_security_headers
from .store import ContentStore

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def regions_path(path: str | os.PathLike | None = None) -> str:
    """The content file: the argument, else the REGIONS setting ($BODYMAP_REGIONS)."""
    return str(path or settings.read()["REGIONS"])


def _npm_version(package: Path) -> str:
    """The installed version of an npm package (for cache-busting its URL), or 'missing'."""
    try:
        return json.loads((package / "package.json").read_text())["version"]
    except (OSError, ValueError, KeyError):
        return "missing"


def create_app(regions: str | os.PathLike | None = None, **config) -> Flask:
    """Build the app for one content file; raises ContentError if it or a setting is invalid.

    Settings come from the environment (bodymap.settings); keyword arguments override them.
    """
    app = Flask(
        __name__,
        template_folder=str(PROJECT_ROOT / "templates"),
        static_folder=str(PROJECT_ROOT / "static"),
    )
    htmx = PROJECT_ROOT / "node_modules" / "htmx.org"
    app.config.from_mapping(
        HTMX_PATH=str(htmx / "dist" / "htmx.min.js"),
        HTMX_VERSION=_npm_version(htmx),
        # Set while freezing the static export: a static host cannot answer a query string,
        # so no several places at once (?r=…), no search and no summary there.
        STATIC_EXPORT=False,
        **settings.read(),
    )
    app.config.from_mapping(config)
    if regions:
        app.config["REGIONS"] = str(regions)
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
    app.extensions["bodymap"] = ContentStore(
        app.config["REGIONS"],
        figures_dir=app.config["FIGURES"],
        max_bytes=app.config["MAX_BYTES"],
        settle=app.config["SETTLE_SECONDS"],
        # Shared by every worker and kept across restarts: instance/ unless set.
        last_good_dir=app.config["LAST_GOOD_DIR"] or app.instance_path,
    )

    from . import assets, caching, editor, language, preview, site, views

    assets.init_app(app)
    caching.init_app(app)
    language.init_app(app)

    app.register_blueprint(views.bp)
    app.register_blueprint(views.bp, url_prefix="/embed", name=views.EMBED)
    app.register_blueprint(site.bp)
    if app.config["PREVIEW"]:
        app.register_blueprint(preview.bp)
    if editor.enabled(app.config):
        editor.init_app(app)
    site.register_error_pages(app)
    app.after_request(add_security_headers)
    return app
