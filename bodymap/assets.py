"""The map's own stylesheets and scripts as sent: comments and spacing taken out.

The files in static/ stay readable, with comments that say why; a patient's phone needs none
of that (on a first visit they were a fifth of the bytes). rcssmin and rjsmin only remove
comments and white space, never rename or reorder, so what runs is what the file says.
Each file is minified once per version (its size and time of change) and kept for the
worker's life: the set is bounded by the files in static/.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

from flask import Flask, abort, current_app, make_response
from rcssmin import cssmin
from rjsmin import jsmin
from werkzeug.utils import safe_join

MINIFIERS = {".css": ("text/css", cssmin), ".js": ("text/javascript", jsmin)}


def init_app(app: Flask) -> None:
    """Serve static/ through `static_file`: minified CSS and JavaScript, the rest as is."""
    app.extensions["bodymap.minified"] = {}
    app.view_functions["static"] = static_file


def static_file(filename: str):
    """The static route's view."""
    kind = MINIFIERS.get(Path(filename).suffix)
    if kind is None:
        return current_app.send_static_file(filename)
    path = safe_join(current_app.static_folder, filename)
    if path is None or not os.path.isfile(path):
        abort(404)
    mimetype, minify = kind
    stat = os.stat(path)
    body, etag = minified(path, stat, minify)
    response = make_response(body, 200, {"Content-Type": f"{mimetype}; charset=utf-8"})
    response.set_etag(etag)
    response.last_modified = stat.st_mtime
    response.cache_control.no_cache = True  # revalidated unless the address has its version
    return response


def minified(path: str, stat: os.stat_result, minify) -> tuple[bytes, str]:
    """The file's bytes as sent and their ETag, made once per version of the file."""
    version = (stat.st_mtime_ns, stat.st_size)
    kept = current_app.extensions["bodymap.minified"]  # path → (version, bytes, ETag)
    # One entry per file, replaced whole: threads of one worker may share the dict, and an
    # edited file's old version is never asked for again.
    entry = kept.get(path)
    if entry is None or entry[0] != version:
        body = minify(Path(path).read_text(encoding="utf-8")).encode()
        entry = version, body, hashlib.sha256(body).hexdigest()[:16]
        kept[path] = entry
    return entry[1], entry[2]
