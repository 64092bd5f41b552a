"""/preview: a page for whoever edits regions.yaml. Off unless the PREVIEW setting is on.

Shows both views with every region outlined and labelled with its id, the pointer's
position in figure units (to help draw a shape), the file's problems and warnings with
their lines, a link to every region page, and where each item is shown (where.py).
It reloads itself when the file changes.
"""

from __future__ import annotations

import logging

from flask import Blueprint, current_app, render_template, request, url_for

from . import where
from .addresses import ID_PLACEHOLDER
from .diagram import render_preview
from .lint import Report, inspect_file
from .loader import fault_problem
from .snapshot import live

log = logging.getLogger("bodymap")

bp = Blueprint("preview", __name__)


def change_token() -> str:
    """Changes whenever the served content or the pending error does."""
    pending = current_app.extensions["bodymap"].pending
    return f"{live().content.version}:{pending.digest if pending else ''}"


def file_report(store) -> Report:
    """What the check says about the file now; a fault in the check is reported, not raised."""
    try:
        return inspect_file(store.path, store.max_bytes, store.figures_dir)
    except Exception as error:
        log.error("%s: unexpected error while checking it for /preview", store.path, exc_info=True)
        return Report(store.path, None, [fault_problem(1, 1, "the file", error, store.path)])


@bp.get("/preview")
def preview():
    content = live().content
    store = current_app.extensions["bodymap"]
    page = url_for("map.region", region_id=ID_PLACEHOLDER).replace(ID_PLACEHOLDER, "{}")
    return render_template(
        "preview.html",
        report=file_report(store),
        pending=store.pending,
        figures={view: render_preview(content, view, page) for view in ("front", "back")},
        token=change_token(),
        where=_where_by_kind(content),
    )


def _where_by_kind(content) -> dict[str, list]:
    """The pages showing each article, pain point, red flag and area, grouped by kind."""
    grouped = {kind: [] for kind in where.KINDS}
    for (kind, _), usage in where.index(content).items():
        grouped[kind].append(usage)
    return grouped


@bp.get("/preview/changes")
def changes():
    """204 while nothing changed; otherwise tell htmx to reload the page."""
    if request.args.get("since") == change_token():
        return "", 204
    return "", 200, {"HX-Refresh": "true"}
