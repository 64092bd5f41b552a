"""Do the work once: pages cached per content version, ETags, compression, long-lived assets.

A page or fragment depends only on the content version, its path, the part of the
request's state it uses and the language, so it is rendered once per such key and kept
in a cache bounded in bytes (CACHE_MB); its strong ETag names the representation
(version, language, encoding), and a browser that already has it gets a 304. Text
responses are compressed with brotli or gzip, once per ETag and encoding. Static files
are linked with a hash of their bytes in the URL (`?v=`), so they can be cached for a year.
"""

from __future__ import annotations

import functools
import gzip
import hashlib
import re
import threading
import time
from collections import OrderedDict
from pathlib import Path

import brotli
from flask import current_app, request, url_for

from . import memory
from .headers import security_headers
from .language import current_language, gettext
from .snapshot import live
from .state import PageState

COMPRESSIBLE = {
    "text/html",
    "text/css",
    "text/javascript",
    "application/javascript",
    "application/json",
    "application/fhir+json",  # the summary's copy for the clinic's records
    "image/svg+xml",
}
MIN_SIZE = 512  # bytes: smaller bodies are not worth compressing
YEAR = 31_536_000
# Pages whose number has no bound (several places, a search) may take this share of a
# worker's time to make, with this much in reserve (seconds); beyond it they are answered
# 503 with Retry-After, so a flood of unique addresses cannot take the worker.
MISS_SHARE = 0.2
MISS_BURST = 0.5
RETRY_AFTER = 2  # seconds
ENTRY_OVERHEAD = 600  # bytes an entry costs besides its body: key, headers, bookkeeping
# Indentation and blank lines in rendered pages (none of them holds a <pre> or <textarea>).
_INDENT = re.compile(r"\n\s+")


class ByteCache:
    """A thread-safe map bounded in bytes, least recently used out first.

    Entries marked `kept` (pages whose number is bounded: no place, one place) are dropped
    only when nothing else is left, so a flood of unique pages cannot push them out; once
    their store has a newer version they are ordinary entries. Keys start (store, version).
    """

    def __init__(self, max_bytes: int):
        self.max_bytes = max_bytes
        self.bytes = 0
        self._kept: OrderedDict = OrderedDict()  # key → (value, size)
        self._other: OrderedDict = OrderedDict()
        self._versions: dict = {}  # store → the newest version seen
        self._seen: dict = {}  # store → every version seen (a few per day of edits)
        self._lock = threading.Lock()

    def held(self) -> list:
        """The keys of every entry held now."""
        with self._lock:
            return [*self._kept, *self._other]

    def get_or_make(self, key, make, *, size=len, kept: bool = False):
        """The value for `key` (store, version, …), made by `make()` if it is not kept."""
        with self._lock:
            for items in (self._kept, self._other):
                if key in items:
                    items.move_to_end(key)
                    return items[key][0]
        value = make()
        cost = size(value) + ENTRY_OVERHEAD
        with self._lock:
            self._newer_version(key[0], key[1])
            if cost > self.max_bytes or key in self._kept or key in self._other:
                return value
            if kept and self._versions.get(key[0]) != key[1]:
                kept = False  # an old version, made by a request that began before the edit
            while self.bytes + cost > self.max_bytes:
                items = self._other or self._kept
                _, (_, dropped) = items.popitem(last=False)
                self.bytes -= dropped
            (self._kept if kept else self._other)[key] = (value, cost)
            self.bytes += cost
        return value

    def _newer_version(self, store, version) -> None:
        """A new version of a store: its kept entries of other versions go first from now on."""
        seen = self._seen.setdefault(store, set())
        if version in seen:  # the current one, or an old one a slow request still holds
            return
        seen.add(version)
        self._versions[store] = version
        for key in [k for k in self._kept if k[0] == store and k[1] != version]:
            self._other[key] = self._kept.pop(key)
            self._other.move_to_end(key, last=False)


class MissBudget:
    """The share of a worker's time that pages of unbounded number may take to make.

    A token bucket in seconds: it fills at `share` seconds per second up to `burst`, and
    each such page made spends what it took. Patients choosing places make a few a second
    at most; a flood of unique addresses empties it and is answered 503 until it refills,
    so the pages everyone shares (/, a place, a fragment) keep most of the worker.
    """

    def __init__(self, share: float = MISS_SHARE, burst: float = MISS_BURST, clock=time.monotonic):
        self.share, self.burst, self.clock = share, burst, clock
        self.tokens, self.last = burst, clock()
        self._lock = threading.Lock()

    def allows(self) -> bool:
        with self._lock:
            now = self.clock()
            self.tokens = min(self.burst, self.tokens + (now - self.last) * self.share)
            self.last = now
            return self.tokens > 0

    def spend(self, seconds: float) -> None:
        with self._lock:
            self.tokens -= seconds

    def make(self, make):
        """`make()`, timed and paid for; BusyError when the budget is spent."""
        if not self.allows():
            raise BusyError
        started = self.clock()
        try:
            return make()
        finally:
            self.spend(self.clock() - started)


class BusyError(Exception):
    """The budget for unbounded pages is spent: answer 503 (see `busy_response`)."""


def busy_response():
    """A small 503 that costs nothing to make: try again in a moment."""
    text = gettext("The map is busy. Please try again in a moment.")
    body = f'<!doctype html>\n<meta charset="utf-8">\n<title>{text}</title>\n<p>{text}</p>\n'
    headers = {
        "Content-Type": "text/html; charset=utf-8",
        "Cache-Control": "no-store",
        "Retry-After": str(RETRY_AFTER),
        **security_headers(),
    }
    response = current_app.response_class(body, status=503, headers=headers)
    response.prepared = True
    return response


def init_app(app) -> None:
    memory.map_large_blocks()  # so that the cache's bound is the worker's bound
    app.extensions["bodymap.pages"] = ByteCache(app.config["CACHE_MB"] * 1024 * 1024)
    app.extensions["bodymap.misses"] = MissBudget()
    app.errorhandler(BusyError)(lambda _error: busy_response())
    app.extensions["bodymap.asset_versions"] = {}
    app.jinja_env.globals["asset"] = asset_url
    app.after_request(compress_and_validate)


def cached_page(state: PageState, make):
    """Serve the page `make()` renders for `state`, prepared once per representation.

    Prepared means rendered, compressed and given all its headers, so a request for it
    costs a dictionary lookup. The key is the state the page uses (never the raw query
    string), its path, the content version and language, and the encoding.
    """
    req = request._get_current_object()  # the hot path: one proxy lookup, not ten
    snapshot = live().content
    encoding = _accepted_encoding(req)
    language = current_language()
    bounded = len(state.places) <= 1 and not state.query
    key = (snapshot.path, snapshot.version, req.script_root, req.path, state, language, encoding)

    def prepare():
        return _prepare(make(), snapshot.version, language, encoding, state, best=bounded)

    if not bounded:  # their number has no bound: made within the worker's budget for them
        prepare = functools.partial(current_app.extensions["bodymap.misses"].make, prepare)

    body, headers = current_app.extensions["bodymap.pages"].get_or_make(
        key, prepare, size=lambda value: len(value[0]), kept=bounded
    )
    if "HTTP_IF_NONE_MATCH" in req.environ and req.if_none_match.contains(headers["ETag"][1:-1]):
        response = current_app.response_class(status=304, headers=_not_modified_headers(headers))
    else:
        response = current_app.response_class(body, headers=headers)
    response.prepared = True
    return response


def _not_modified_headers(headers: dict) -> dict:
    """A 304 carries the validators and caching headers, not the body's type or encoding."""
    return {k: v for k, v in headers.items() if k not in ("Content-Type", "Content-Encoding")}


def _accepted_encoding(req) -> str | None:
    """'br', 'gzip' or None, as the request's Accept-Encoding allows."""
    return preferred_encoding(req.environ.get("HTTP_ACCEPT_ENCODING", ""))


@functools.lru_cache(maxsize=256)  # browsers send a handful of distinct headers
def preferred_encoding(header: str) -> str | None:
    """The coding to answer an Accept-Encoding header with: 'br', 'gzip' or None (as is).

    RFC 9110 §12.5.3: codings are case-insensitive tokens with an optional weight (q, also
    case-insensitive); q=0 refuses one; `*` stands for every coding not named. The higher
    weight wins, brotli on a tie.
    """
    weights = {}
    for item in header.split(","):
        name, _, parameters = item.partition(";")
        name = name.strip().lower()
        if name:
            weights[_ALIASES.get(name, name)] = _weight(parameters)
    anything = weights.get("*", 0.0)
    best, best_weight = None, 0.0
    for encoding in ("br", "gzip"):
        weight = weights.get(encoding, anything)
        if weight > best_weight:
            best, best_weight = encoding, weight
    return best


_ALIASES = {"x-gzip": "gzip"}  # RFC 9110 §8.4.1.3
_QVALUE = re.compile(r"0(?:\.[0-9]{0,3})?|1(?:\.0{0,3})?")


def _weight(parameters: str) -> float:
    """A coding's q: 1 if it has none, 0 if it is malformed (the coding is then not used)."""
    for parameter in parameters.split(";"):
        name, _, value = parameter.partition("=")
        if name.strip().lower() == "q":
            value = value.strip()
            return float(value) if _QVALUE.fullmatch(value) else 0.0
    return 1.0


def _prepare(page, version, language, encoding, state, best: bool) -> tuple[bytes, dict]:
    """The bytes and headers of a page: whitespace trimmed, compressed, validated.

    `page` is the HTML, or the HTML and headers of its own (such as HX-Push-Url). The ETag
    names the representation: content version, language and encoding.
    """
    html, own_headers = page if isinstance(page, tuple) else (page, {})
    body = _INDENT.sub("\n", html).encode()
    headers = {
        **own_headers,
        "Content-Type": "text/html; charset=utf-8",
        "Cache-Control": "no-cache",  # may change on the next edit: revalidate
        # The language comes from Accept-Language unless the address says (?lang=).
        "Vary": "Accept-Encoding" if state.language else "Accept-Encoding, Accept-Language",
        "ETag": f'"{version}-{language}-{encoding}"' if encoding else f'"{version}-{language}"',
        **security_headers(),
    }
    if encoding:
        body = _pack(body, encoding, best=best)
        headers["Content-Encoding"] = encoding
    return body, headers


def asset_url(filename: str) -> str:
    """The URL of a static file with a hash of its bytes, so it can be cached for a year."""
    return url_for("static", filename=filename, v=_asset_version(filename))


def _asset_version(filename: str) -> str:
    versions = current_app.extensions["bodymap.asset_versions"]
    if filename not in versions:
        data = (Path(current_app.static_folder) / filename).read_bytes()
        versions[filename] = hashlib.sha256(data).hexdigest()[:10]
    return versions[filename]


# The answers linked with their version in the URL (?v=), and their current version.
VERSIONED = {
    "static": lambda: _asset_version(request.view_args["filename"]),
    "site.htmx": lambda: current_app.config["HTMX_VERSION"],
    "site.theme": lambda: live().content.version,
}


def compress_and_validate(response):
    """Compress text for clients that accept it, keep ETags per encoding, answer 304s."""
    if getattr(response, "prepared", False):
        return response
    current = VERSIONED.get(request.endpoint)
    if current and response.status_code == 200 and "v" in request.args:
        if request.args.getlist("v") == [current()]:
            response.cache_control.no_cache = None
            response.cache_control.public = True
            response.cache_control.max_age = YEAR
            response.cache_control.immutable = True
            # Never revalidated by date and never saved as a file: the ETag is enough.
            for name in ("Last-Modified", "Content-Disposition"):
                response.headers.pop(name, None)
        else:
            # Another version than this worker has (a page from a worker that has loaded an
            # edit already, or an old page): these bytes must not be kept under that name.
            response.cache_control.no_cache = True
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
    return preferred_encoding(request.headers.get("Accept-Encoding", ""))


def _compress(response, encoding: str) -> None:
    response.direct_passthrough = False  # read files served by send_file
    body = response.get_data()
    if len(body) < MIN_SIZE:
        return
    etag, weak = response.get_etag()

    def make() -> bytes:
        return _pack(body, encoding, best=bool(etag))

    # Files and versioned answers, a number bounded by the app's own files: kept.
    key = ("assets", "", etag, request.script_root, request.path, encoding)
    cache = current_app.extensions["bodymap.pages"]
    packed = cache.get_or_make(key, make, kept=True) if etag else make()
    response.set_data(packed)
    response.headers["Content-Encoding"] = encoding
    response.headers.pop("Accept-Ranges", None)  # the ranges were of the file, not of this
    if etag:
        response.set_etag(f"{etag}-{encoding}", weak=weak)


def _pack(body: bytes, encoding: str, best: bool) -> bytes:
    """Brotli or gzip: the best (slowest) level for the bounded set of kept bodies, a cheap
    one for the rest, whose number has no bound (a miss must not cost a worker 0.1 s)."""
    if encoding == "br":
        return brotli.compress(body, quality=11 if best else 4)
    return gzip.compress(body, compresslevel=9 if best else 4, mtime=0)
