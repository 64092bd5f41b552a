"""`bodymap build`: the whole map as static files, for any static host or CDN.

Frozen-Flask requests every page and fragment from the app (map at / and embed at
/embed) and writes the responses to disk, so the export is the live site byte for
byte at one version of regions.yaml:

- a page without an extension (`/regions/<id>`, `/pain-points/<id>`, `/zoom/<id>`,
  `/embed/…`) becomes `<url>/index.html`, so a static server serves it as text/html
  (Python's http.server and nginx redirect `/regions/x` to `/regions/x/`; nginx with
  `try_files $uri $uri/index.html` serves it in place);
- fragments keep their `.html` names; static files, htmx and theme.css are copied;
- `404.html` (and `embed/404.html`) are the app's friendly "not found" pages.

Every URL is generated from the content (no crawling needed): each region, pain
point and zoom, as page and fragment, for both blueprints. A base path
(`/clinic-map`) is the app's script root while freezing, so every `url_for` carries it.

Not exported: /healthz, /preview (and preview.js), the live-reload store (one pinned
version is frozen), and /embed/snippet unless `site_url` says where the export lives.
Security headers cannot travel with static files: see docs/deploy.md.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from flask.testing import FlaskClient
from flask_frozen import Freezer

from . import create_app
from .addresses import EMBED, ID_PLACEHOLDER
from .store import Live

BLUEPRINTS = ("map", EMBED)
# And the preview blueprint, which is never registered here. Pages that answer a query
# string (several places chosen at once, search, the summary, its details form and its FHIR
# copy) need the app.
QUERY_PAGES = (
    "selection_fragment",
    "search",
    "search_fragment",
    "summary",
    "summary_fhir",
    "details",
)
NOT_EXPORTED = {"site.healthz"} | {
    f"{pages}.{endpoint}" for pages in BLUEPRINTS for endpoint in QUERY_PAGES
}
STATIC_IGNORE = ["preview.js"]  # only /preview uses it
NOT_FOUND_PAGES = {  # file → an address that is certainly not a page (ids are slugs)
    "404.html": "/__not_found__",
    "embed/404.html": "/embed/regions/__not_found__",
}
_SEGMENT = re.compile(r"[A-Za-z0-9._~-]+")


class ExportError(Exception):
    """The export cannot be written as asked (bad option, unsafe destination, app error)."""


@dataclass(frozen=True)
class ExportResult:
    outdir: Path
    files: int
    bytes: int
    version: str
    notes: tuple[str, ...] = ()


class PinnedStore:
    """One version of the content for the whole build: no live reload while freezing."""

    pending = None

    def __init__(self, live: Live):
        self.live = live

    @property
    def current(self):
        return self.live.content

    def snapshot(self) -> Live:
        return self.live


class IdentityClient(FlaskClient):
    """Asks for bodies as they are: the app compresses only for clients that accept it."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.environ_base["HTTP_ACCEPT_ENCODING"] = "identity"


class StaticFreezer(Freezer):
    """Frozen-Flask, writing pages as `<url>/index.html` and skipping what is not exported."""

    def __init__(self, app, skipped_endpoints: set[str]):
        self.skipped_endpoints = skipped_endpoints
        super().__init__(app, with_static_files=True, with_no_argument_rules=False)
        logged = self.url_for_logger.iter_calls

        def iter_calls():
            # views.url_pattern builds '/regions/__id__' with url_for to make the figure's
            # link pattern: not a page. The real ids come from the generators below.
            for endpoint, values in logged():
                if ID_PLACEHOLDER not in values.values():
                    yield endpoint, values

        self.url_for_logger.iter_calls = iter_calls

    def urlpath_to_filepath(self, path: str) -> str:
        """`/` → index.html, `/regions/x` → regions/x/index.html, `/a/b.html` unchanged."""
        name = path.rsplit("/", 1)[-1]
        if name and "." not in name:
            path += "/"
        return super().urlpath_to_filepath(path)

    def _check_endpoints(self, seen_endpoints):
        super()._check_endpoints(set(seen_endpoints) | self.skipped_endpoints)


def content_urls(content, with_snippet: bool):
    """(endpoint, values) of every page, fragment and asset built from the content."""
    for pages in BLUEPRINTS:
        yield f"{pages}.index", {}
        yield f"{pages}.index_fragment", {}
        for region_id in content.regions:
            yield f"{pages}.region", {"region_id": region_id}
            yield f"{pages}.region_fragment", {"region_id": region_id}
        for pain_point_id in content.pain_points:
            yield f"{pages}.pain_point", {"pain_point_id": pain_point_id}
            yield f"{pages}.pain_point_fragment", {"pain_point_id": pain_point_id}
        for zoom_id in content.zooms:
            yield f"{pages}.zoom", {"zoom_id": zoom_id}
    yield "site.theme", {"v": content.version}
    yield "site.htmx", {}
    if with_snippet:
        yield "site.embed_snippet", {}


def normalize_base_path(value: str | None) -> str:
    """'/clinic-map', 'clinic-map/' → '/clinic-map'; '', '/' → '' (the host's root)."""
    parts = [part for part in (value or "").split("/") if part]
    for part in parts:
        if not _SEGMENT.fullmatch(part) or part in (".", ".."):
            raise ExportError(
                f"--base-path {value!r}: use a path like /clinic-map "
                "(letters, digits, '-', '_', '.' and '~' between slashes)"
            )
    return "".join(f"/{part}" for part in parts)


def normalize_site_url(value: str | None) -> str | None:
    """'https://map.example.com/' → 'https://map.example.com' (an origin, no path)."""
    if not value:
        return None
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc or parts.path not in ("", "/"):
        raise ExportError(
            f"--site-url {value!r}: give the address the export is served from, "
            "like https://map.example-clinic.com (a sub-path goes in --base-path)"
        )
    if parts.query or parts.fragment:
        raise ExportError(f"--site-url {value!r}: no query string or fragment")
    return f"{parts.scheme}://{parts.netloc}"


def is_export(path: Path) -> bool:
    """Does this directory hold an earlier export (so it may be replaced)?"""
    return (path / "index.html").is_file() and (path / "fragments" / "start.html").is_file()


def _destination(outdir: str | os.PathLike) -> Path:
    out = Path(outdir).resolve()
    if not out.name:
        raise ExportError(f"{outdir}: choose a directory of its own for the export")
    if out.exists():
        if not out.is_dir():
            raise ExportError(f"{outdir} exists and is not a directory")
        if any(out.iterdir()) and not is_export(out):
            raise ExportError(
                f"{outdir} is not empty and does not hold an earlier export: "
                "choose a new or empty directory (nothing was written)"
            )
    return out


def export(
    regions: str | os.PathLike,
    outdir: str | os.PathLike,
    *,
    base_path: str | None = None,
    site_url: str | None = None,
) -> ExportResult:
    """Freeze the map for `regions` into `outdir`; raises ContentError or ExportError.

    The files are written next to `outdir` first and moved into place at the end, so a
    failed build leaves an earlier export untouched and a served directory is never
    half written.
    """
    prefix = normalize_base_path(base_path)
    origin = normalize_site_url(site_url)
    out = _destination(outdir)
    # ContentError for an invalid file. A static host ignores query strings, so the export
    # has one page per place instead of several places chosen at once.
    # The snippet's addresses come from the public address: where the export is served.
    public_url = f"{origin}{prefix}" if origin else ""
    app = create_app(regions, PREVIEW=False, STATIC_EXPORT=True, PUBLIC_URL=public_url)
    store = app.extensions["bodymap"]
    app.extensions["bodymap"] = PinnedStore(store.live)
    app.test_client_class = IdentityClient
    content = store.live.content
    if not Path(app.config["HTMX_PATH"]).is_file():
        raise ExportError(
            f"htmx is not installed ({app.config['HTMX_PATH']}): run scripts/install.sh "
            "(npm) so the export swaps panels like the live map"
        )

    out.parent.mkdir(parents=True, exist_ok=True)
    staging = out.parent / f".{out.name}.building-{os.getpid()}-{secrets.token_hex(4)}"
    staging.mkdir()  # honours the umask: the web server must be able to read it
    try:
        _freeze(app, content, staging, prefix, origin)
        _replace(out, staging)
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    files = [p for p in out.rglob("*") if p.is_file()]
    notes = () if origin else ("/embed/snippet not exported: pass --site-url to include it",)
    return ExportResult(
        out, len(files), sum(p.stat().st_size for p in files), content.version, notes
    )


def _freeze(app, content, root: Path, prefix: str, origin: str | None) -> None:
    base_url = f"{origin or 'http://localhost'}{prefix}/"
    app.config.update(
        FREEZER_DESTINATION=str(root),
        FREEZER_BASE_URL=base_url,
        FREEZER_REMOVE_EXTRA_FILES=False,
        FREEZER_STATIC_IGNORE=STATIC_IGNORE,
        FREEZER_REDIRECT_POLICY="error",
    )
    skipped = set(NOT_EXPORTED) | (set() if origin else {"site.embed_snippet"})
    freezer = StaticFreezer(app, skipped)
    freezer.register_generator(lambda: content_urls(content, with_snippet=bool(origin)))
    try:
        freezer.freeze()
    except ValueError as error:  # Frozen-Flask: a URL answered with something but 200
        raise ExportError(str(error)) from None

    client = app.test_client()
    for name, path in NOT_FOUND_PAGES.items():
        response = client.get(path, base_url=base_url)
        if response.status_code != 404 or response.mimetype != "text/html":
            raise ExportError(f"{path}: expected the friendly 404 page, got {response.status}")
        target = root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(response.get_data())


def _replace(out: Path, staging: Path) -> None:
    """Move the new export into place; an earlier one is removed only after that."""
    if not out.exists():
        staging.rename(out)
        return
    old = out.parent / f".{out.name}.old-{os.getpid()}-{secrets.token_hex(4)}"
    out.rename(old)
    try:
        staging.rename(out)
    except BaseException:
        old.rename(out)
        raise
    shutil.rmtree(old)
