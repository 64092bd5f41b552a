"""Do the work once: pages cached per content version, ETags, compression, long-lived assets.

A page or fragment depends only on the content version and its URL, so its HTML is
rendered once per version and reused; its ETag is the version, and a browser that
already has it gets a 304. Text responses are compressed with brotli or gzip, once per
ETag and encoding. Static files are linked with a hash of their bytes in the URL (`?v=`),
so they can be cached for a year.
"""

from __future__ import annotations

import functools
import gzip
import hashlib
import threading
from pathlib import Path

import brotli
from flask import current_app, make_response, request, url_for

from .snapshot import live

COMPRESSIBLE = {
    "text/html",
    "text/css",
    "text/javascript",
    "application/javascript",
    "application/json",
    "image/svg+xml",
}
MIN_SIZE = 512  # bytes: smaller bodies are not worth compressing
YEAR = 31_536_000
MAX_ENTRIES = 4096


class ByteCache:
    """A bounded, thread-safe map; emptied whole when full (entries are cheap to remake)."""

    def __init__(self, limit: int = MAX_ENTRIES):
        self._items: dict = {}
        self._limit = limit
        self._lock = threading.Lock()

    def get_or_make(self, key, make):
        value = self._items.get(key)
        if value is None:
            value = make()
            with self._lock:
                if len(self._items) >= self._limit:
                    self._items.clear()
                self._items[key] = value
        return value


def init_app(app) -> None:
    app.extensions["bodymap.pages"] = ByteCache()
    app.extensions["bodymap.compressed"] = ByteCache()
    app.extensions["bodymap.asset_versions"] = {}
    app.jinja_env.globals["asset"] = asset_url
    app.after_request(compress_and_validate)


def cached_page(view):
    """Render a page or fragment once per content version and URL; ETag = the version."""

    @functools.wraps(view)
    def wrapper(**kwargs):
        version = live().content.version
        key = (version, request.script_root, request.path)
        body = current_app.extensions["bodymap.pages"].get_or_make(
            key, lambda: view(**kwargs).encode()
        )
        response = make_response(body)
        response.set_etag(version)
        response.cache_control.no_cache = True  # may change on the next edit: revalidate
        return response

    return wrapper


def asset_url(filename: str) -> str:
    """The URL of a static file with a hash of its bytes, so it can be cached for a year."""
    versions = current_app.extensions["bodymap.asset_versions"]
    if filename not in versions:
        data = (Path(current_app.static_folder) / filename).read_bytes()
        versions[filename] = hashlib.sha256(data).hexdigest()[:10]
    return url_for("static", filename=filename, v=versions[filename])


def compress_and_validate(response):
    """Compress text for clients that accept it, keep ETags per encoding, answer 304s."""
    if request.args.get("v") and response.status_code == 200:
        response.cache_control.no_cache = None
        response.cache_control.public = True
        response.cache_control.max_age = YEAR
        response.cache_control.immutable = True
    encoding = _encoding_for(response)
    if encoding:
        _compress(response, encoding)
    if response.get_etag()[0]:
        response.make_conditional(request)
    return response


def _encoding_for(response) -> str | None:
    if (
        response.status_code != 200
        or response.mimetype not in COMPRESSIBLE
        or "Content-Encoding" in response.headers
    ):
        return None
    response.vary.add("Accept-Encoding")
    accepted = request.accept_encodings
    for encoding in ("br", "gzip"):
        if accepted[encoding]:
            return encoding
    return None


def _compress(response, encoding: str) -> None:
    response.direct_passthrough = False  # read files served by send_file
    body = response.get_data()
    if len(body) < MIN_SIZE:
        return
    etag, weak = response.get_etag()

    def make() -> bytes:
        if encoding == "br":
            return brotli.compress(body, quality=11 if etag else 5)
        return gzip.compress(body, compresslevel=9 if etag else 6, mtime=0)

    key = (request.script_root, request.path, etag, encoding)
    packed = current_app.extensions["bodymap.compressed"].get_or_make(key, make) if etag else make()
    response.set_data(packed)
    response.headers["Content-Encoding"] = encoding
    if etag:
        response.set_etag(f"{etag}-{encoding}", weak=weak)
