"""/preview: a page for whoever edits regions.yaml. Off unless the PREVIEW setting is on.

Shows both views with every region outlined and labelled with its id, the pointer's
position in figure units (to help draw a shape), the file's problems and warnings with
their lines, a link to every region page, and where each item is shown (where.py).
It reloads itself when the file changes.
"""

from __future__ import annotations

from flask import Blueprint, current_app, render_template, request, url_for

from . import where
from .diagram import render_preview
from .lint import inspect_file
from .snapshot import live
from .views import ID_PLACEHOLDER

bp = Blueprint("preview", __name__)


def change_token() -> str:
    """Changes whenever the served content or the pending error does."""
    pending = current_app.extensions["bodymap"].pending
    return f"{live().content.version}:{pending.digest if pending else ''}"


@bp.get("/preview")
def preview():
    content = live().content
    page = url_for("map.region", region_id=ID_PLACEHOLDER).replace(ID_PLACEHOLDER, "{}")
    return render_template(
        "preview.html",
        report=inspect_file(current_app.extensions["bodymap"].path),
        pending=current_app.extensions["bodymap"].pending,
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
