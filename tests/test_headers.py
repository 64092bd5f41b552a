"""Every route of the app, as the browser receives it: the same security headers everywhere."""

from __future__ import annotations

import re

import pytest

from bodymap import create_app, settings
from bodymap.headers import (
    CONTENT_SECURITY_POLICY,
    DRAWING_TYPES,
    PERMISSIONS_POLICY,
    SUBRESOURCE_TYPES,
)
from bodymap.loader import load_file
from bodymap.snapshot import content

from .conftest import ROOT, SAMPLE

# The sample's own embedding origins, whatever the clinic wrote there.
EMBED_ORIGINS = " ".join(load_file(SAMPLE).regions_file.clinic.embed.allowed_origins)
NOT_USED = ("camera", "microphone", "geolocation", "payment", "usb", "browsing-topics")


@pytest.fixture(scope="module")
def app():
    return create_app(SAMPLE, TESTING=True, PREVIEW=True)


def real_ids(app) -> dict[str, str]:
    """A real value for each URL converter, from the sample content."""
    with app.test_request_context():
        sample = content()
        return {
            "region_id": next(iter(sample.regions)),
            "pain_point_id": next(iter(sample.pain_points)),
            "zoom_id": next(iter(sample.zooms)),
            "filename": "bodymap.css",
        }


def every_url(app) -> list[str]:
    ids = real_ids(app)
    urls = []
    for rule in app.url_map.iter_rules():
        missing = rule.arguments - ids.keys()
        assert not missing, f"{rule.rule}: no sample value for {missing}"
        with app.test_request_context():
            from flask import url_for

            urls.append(url_for(rule.endpoint, **{name: ids[name] for name in rule.arguments}))
    return urls


def extra_urls(app) -> list[tuple[str, str, int]]:
    ids = real_ids(app)
    return [
        ("GET", "/static/bodymap.js?v=1", 200),
        ("GET", "/static/embed.js", 200),
        ("GET", "/static/favicon.svg", 200),
        ("GET", "/assets/htmx.min.js?v=2", 200),
        ("GET", "/theme.css?v=3", 200),
        ("GET", "/embed/snippet", 200),
        ("GET", "/healthz", 200),
        ("GET", f"/embed/regions/{ids['region_id']}", 200),
        ("GET", "/regions/no-such-place", 404),
        ("GET", "/embed/regions/no-such-place", 404),
        ("GET", "/embed/no-such-page", 404),
        ("GET", "/static/bodymap.css?v=stale", 200),
        ("GET", "/theme.css?v=stale", 200),
        ("GET", "/static/no-such-file.css", 404),
        ("GET", "/nowhere", 404),
        ("POST", "/", 405),
        ("DELETE", f"/regions/{ids['region_id']}", 405),
        ("PUT", "/embed/", 405),
        ("HEAD", "/", 200),
        ("OPTIONS", "/", 200),
    ]


def fetch(client, url: str, method: str = "GET", **kwargs):
    """A response read and closed (static files are served from open files)."""
    response = client.open(url, method=method, **kwargs)
    response.get_data()
    response.close()
    return response


def framed(url: str) -> bool:
    """Pages of the frame, which the clinic's site may show."""
    return url.startswith("/embed/") and url != "/embed/snippet"


def check(
    response, url: str, may_be_framed: bool | None = None, mimetype: str | None = None
) -> None:
    """The headers for what the response is (`mimetype`: of the answer a 304 stands for)."""
    headers = response.headers
    if (mimetype or response.mimetype) in SUBRESOURCE_TYPES:
        check_subresource(response, url)
        return
    if (mimetype or response.mimetype) in DRAWING_TYPES:
        check_drawing(response, url)
        return
    policy = headers.get("Content-Security-Policy", "")
    assert policy.startswith(CONTENT_SECURITY_POLICY + "; frame-ancestors 'self'"), url
    directives = [d.strip() for d in policy.split(";")]
    assert "default-src 'self'" in directives, url
    assert "object-src 'none'" in directives and "base-uri 'none'" in directives, url
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy, url
    assert "*" not in policy and "data:" not in policy, url
    ancestors = directives[-1]
    if framed(url) if may_be_framed is None else may_be_framed:
        assert ancestors == f"frame-ancestors 'self' {EMBED_ORIGINS}", url
    else:
        assert ancestors == "frame-ancestors 'self'", url
    assert headers.get("X-Content-Type-Options") == "nosniff", url
    assert headers.get("Referrer-Policy") == "strict-origin-when-cross-origin", url
    assert headers.get("Permissions-Policy") == PERMISSIONS_POLICY, url
    for feature in NOT_USED:
        assert f"{feature}=()" in headers["Permissions-Policy"], (url, feature)
    assert headers.get("Cross-Origin-Opener-Policy") == "same-origin", url
    assert "Set-Cookie" not in headers, url
    assert headers.getlist("Content-Security-Policy") == [policy], f"{url}: one policy only"


def check_subresource(response, url: str) -> None:
    """A script or stylesheet: not sniffed as anything else, no referrer paths, no cookie,
    and none of the document-only headers (they would do nothing and cost bytes)."""
    headers = response.headers
    assert headers.get("X-Content-Type-Options") == "nosniff", url
    assert headers.get("Referrer-Policy") == "strict-origin-when-cross-origin", url
    for document_only in ("Content-Security-Policy", "Permissions-Policy"):
        assert document_only not in headers, (url, document_only)
    assert "Set-Cookie" not in headers, url


def check_drawing(response, url: str) -> None:
    """An SVG file: opened on its own it may load, run or frame nothing at all."""
    headers = response.headers
    assert headers.get("Content-Security-Policy") == "default-src 'none'", url
    assert headers.get("X-Content-Type-Options") == "nosniff", url
    assert "Set-Cookie" not in headers, url


def test_scripts_and_stylesheets_carry_only_what_applies_to_them(app):
    client = app.test_client()
    page = fetch(client, "/").get_data(as_text=True)
    for url in re.findall(r'(?:src|href)="(/[^"]+\.(?:js|css)\?v=[^"]+)"', page):
        response = fetch(client, url.replace("&amp;", "&"), headers={"Accept-Encoding": "br"})
        assert response.status_code == 200, url
        check_subresource(response, url)
        assert "immutable" in response.headers["Cache-Control"], url
        for stale in ("Last-Modified", "Content-Disposition", "Accept-Ranges"):
            assert stale not in response.headers, (url, stale)
    icon = fetch(client, "/static/favicon.svg")  # an SVG is a document when opened alone
    check_drawing(icon, "/static/favicon.svg")
    assert "Permissions-Policy" not in icon.headers


def test_every_route_sends_the_security_headers(app):
    client = app.test_client()
    urls = every_url(app)
    assert "/embed/" in urls and "/assets/htmx.min.js" in urls and "/theme.css" in urls
    assert "/preview" in urls and any(u.startswith("/static/") for u in urls)
    assert len(urls) == len(list(app.url_map.iter_rules()))
    for url in urls:
        response = fetch(client, url)
        assert response.status_code == 200, url
        check(response, url)


@pytest.mark.parametrize("encoding", ["", "gzip", "br"])
def test_cached_pages_and_304s_carry_the_same_headers(app, encoding):
    client = app.test_client()
    for url in every_url(app):
        first = fetch(client, url, headers={"Accept-Encoding": encoding})
        check(first, url)
        etag = first.headers.get("ETag")
        if etag:
            again = fetch(client, url, headers={"Accept-Encoding": encoding, "If-None-Match": etag})
            assert again.status_code == 304, url
            check(again, url, mimetype=first.mimetype)


def test_errors_static_files_and_other_methods_carry_the_headers(app):
    client = app.test_client()
    for method, url, status in extra_urls(app):
        response = fetch(client, url, method)
        assert response.status_code == status, (method, url)
        # Errors at /embed addresses are shown in the frame too (a dead link in the frame).
        check(response, url)


def test_the_deploy_guide_lists_every_header():
    guide = (ROOT / "docs" / "deploy.md").read_text()
    assert CONTENT_SECURITY_POLICY in guide
    for line in (
        f'"{PERMISSIONS_POLICY}"',
        '"same-origin"',
        '"nosniff"',
        '"strict-origin-when-cross-origin"',
    ):
        assert line in guide, line
    for header in ("Permissions-Policy", "Cross-Origin-Opener-Policy"):
        assert f"| `{header}` |" in guide, header
        assert guide.count(f"add_header {header} ") == 2, header


def test_the_deploy_guide_lists_every_setting_as_the_settings_table_says():
    guide = (ROOT / "docs" / "deploy.md").read_text()
    assert settings.table() in guide, "regenerate the table in docs/deploy.md"
    assert "listen 80 default_server;" in guide and "return 444;" in guide
