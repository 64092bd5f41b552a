"""Do the work once: pages cached per content version, ETags and 304s, compression, assets."""

from __future__ import annotations

import gzip
import re
import time

import brotli
import pytest

from bodymap import store as store_module
from bodymap import views
from bodymap.loader import content_version

from .conftest import SETTLE


def test_a_page_is_rendered_once_per_content_version(client, monkeypatch):
    rendered = []
    real = views.render_template
    monkeypatch.setattr(
        views, "render_template", lambda *a, **k: rendered.append(a) or real(*a, **k)
    )
    first = client.get("/regions/lower-back-left").data
    second = client.get("/regions/lower-back-left").data
    assert first == second
    assert len(rendered) == 1


def test_pages_carry_an_etag_from_the_content_version_and_answer_304(client, app):
    version = app.extensions["bodymap"].current.version
    response = client.get("/regions/belly")
    assert response.headers["ETag"].startswith(f'"{version}-')  # and the language
    assert response.headers["Cache-Control"] == "no-cache"
    again = client.get("/regions/belly", headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304 and again.data == b""


def test_an_edit_changes_the_etag_and_the_page(client, small_file):
    etag = client.get("/regions/belly").headers["ETag"]
    small_file.write_text(small_file.read_text().replace("Belly <b>button</b>", "Tummy"))
    time.sleep(store_module.CHECK_INTERVAL + SETTLE)
    response = client.get("/regions/belly", headers={"If-None-Match": etag})
    assert response.status_code == 200
    assert response.headers["ETag"] != etag and "Tummy" in response.get_data(as_text=True)


@pytest.mark.parametrize(
    ("accept", "encoding", "unpack"),
    [
        ("gzip", "gzip", gzip.decompress),
        ("gzip, deflate, br", "br", brotli.decompress),
    ],
)
def test_text_is_compressed_for_clients_that_accept_it(client, accept, encoding, unpack):
    plain = client.get("/regions/lower-back-left").data
    response = client.get("/regions/lower-back-left", headers={"Accept-Encoding": accept})
    assert response.headers["Content-Encoding"] == encoding
    assert "Accept-Encoding" in response.headers["Vary"]
    assert unpack(response.data) == plain and len(response.data) < len(plain) / 2
    etag = response.headers["ETag"]
    assert etag.endswith(f'-{encoding}"')
    again = client.get(
        "/regions/lower-back-left", headers={"Accept-Encoding": accept, "If-None-Match": etag}
    )
    assert again.status_code == 304


def test_different_pages_never_share_compressed_bytes(client):
    headers = {"Accept-Encoding": "br"}
    left = brotli.decompress(client.get("/regions/lower-back-left", headers=headers).data)
    right = brotli.decompress(client.get("/regions/lower-back-right", headers=headers).data)
    assert b"Lower back, your left side</h2>" in left
    assert b"Lower back, your right side</h2>" in right


def test_assets_are_linked_with_a_version_and_cached_for_a_year(client):
    page = client.get("/").get_data(as_text=True)
    assets = re.findall(r'(?:src|href)="(/(?:static/|assets/|theme\.css)[^"]*)"', page)
    assert len(assets) == 5
    for url in assets:
        assert re.search(r"\?v=[0-9a-z.]+$", url), url
        with client.get(url, headers={"Accept-Encoding": "br"}) as response:
            assert response.status_code == 200, url
            assert response.headers["Cache-Control"] == "public, max-age=31536000, immutable"


def test_error_pages_are_not_cached_or_etagged(client):
    response = client.get("/regions/nope")
    assert response.status_code == 404 and "ETag" not in response.headers


YEAR = "public, max-age=31536000, immutable"


@pytest.mark.parametrize(
    ("url", "cache_control"),
    [
        ("/search?q=lumbar&r=belly&v=1", None),
        ("/fragments/search.html?q=lumbar&v=1", None),
        ("/summary?r=belly&v=1", "no-store"),
        ("/embed/summary?r=belly&v=1", "no-store"),
        ("/healthz?v=1", None),
        ("/?v=1", "no-cache"),
        ("/regions/belly?v=1", "no-cache"),
    ],
)
def test_a_version_in_the_query_does_not_make_other_answers_cacheable(client, url, cache_control):
    response = client.get(url)
    assert response.status_code == 200
    assert response.headers.get("Cache-Control") == cache_control


def test_the_version_of_the_current_content_is_served_for_a_year(client, app):
    version = app.extensions["bodymap"].current.version
    assert client.get(f"/theme.css?v={version}").headers["Cache-Control"] == YEAR


@pytest.mark.parametrize(
    "url",
    [
        "/theme.css?v=0123456789ab",  # a version this worker has not loaded (yet)
        "/theme.css?v=",
        "/theme.css?v=1&v=2",
        "/static/bodymap.css?v=0123456789",
        "/static/bodymap.css?v=1",
        "/assets/htmx.min.js?v=0.0.1",
    ],
)
def test_a_stale_or_foreign_version_is_not_cached_for_a_year(client, url):
    with client.get(url) as response:
        assert response.status_code == 200
        assert response.headers["Cache-Control"] == "no-cache"
        assert response.headers.get("ETag")


def test_a_theme_edit_is_never_cached_under_the_old_colours(client, small_file):
    """Until this worker has loaded the edit, the new version's address is not kept."""
    theme = '  theme: {accent: "#5b2a86"}\n  disclaimer:'
    edited = small_file.read_text().replace("  disclaimer:", theme)
    figure = (small_file.parent / "figures" / "adult.yaml").read_bytes()
    new_version = content_version(edited.encode(), figure)
    old = client.get(f"/theme.css?v={new_version}")
    assert "#5b2a86" not in old.get_data(as_text=True)
    assert old.headers["Cache-Control"] == "no-cache"
    small_file.write_text(edited)
    time.sleep(store_module.CHECK_INTERVAL + SETTLE)
    new = client.get(f"/theme.css?v={new_version}")
    assert "--theme-accent: #5b2a86;" in new.get_data(as_text=True)
    assert new.headers["Cache-Control"] == YEAR


ENCODINGS = [
    ("br;Q=0, gzip", "gzip"),
    ("BR", "br"),
    ("Gzip", "gzip"),
    ("x-brotli-not", None),
    ("xgzip, brotli", None),
    ("gzip;q=0, br;q=0", None),
    ("br;q=0.000, gzip;q=0.5", "gzip"),
    ("gzip;q=1, br;q=0.5", "gzip"),
    ("gzip, br", "br"),
    ("*", "br"),
    ("br;q=0, *", "gzip"),
    ("*;q=0", None),
    ("identity", None),
    ("br;q=nan, gzip;q=inf", None),
    ("", None),
]


@pytest.mark.parametrize(("accept", "encoding"), ENCODINGS)
@pytest.mark.parametrize("url", ["/regions/belly", "/static/bodymap.css", "/assets/htmx.min.js"])
def test_accept_encoding_is_read_as_the_standard_says(client, url, accept, encoding):
    with client.get(url, headers={"Accept-Encoding": accept}) as response:
        assert response.status_code == 200
        assert response.headers.get("Content-Encoding") == encoding, response.headers
        body = response.data
    unpack = {"br": brotli.decompress, "gzip": gzip.decompress, None: bytes}[encoding]
    with client.get(url, headers={"Accept-Encoding": "identity"}) as plain:
        assert unpack(body) == plain.data
