"""Do the work once: pages cached per content version, ETags and 304s, compression, assets."""

from __future__ import annotations

import gzip
import re
import time

import brotli
import pytest

from bodymap import store as store_module
from bodymap import views


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


def test_pages_carry_the_content_version_as_etag_and_answer_304(client, app):
    version = app.extensions["bodymap"].current.version
    response = client.get("/regions/belly")
    assert response.headers["ETag"] == f'"{version}"'
    assert response.headers["Cache-Control"] == "no-cache"
    again = client.get("/regions/belly", headers={"If-None-Match": response.headers["ETag"]})
    assert again.status_code == 304 and again.data == b""


def test_an_edit_changes_the_etag_and_the_page(client, small_file):
    etag = client.get("/regions/belly").headers["ETag"]
    small_file.write_text(small_file.read_text().replace("Belly <b>button</b>", "Tummy"))
    time.sleep(store_module.CHECK_INTERVAL + store_module.SETTLE)
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
    assert b"Lower back, left side</h2>" in left and b"Lower back, right side</h2>" in right


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
