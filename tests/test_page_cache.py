"""The page cache cannot be turned against the server: one entry per state a page uses,
bounded in bytes, and validators that never hand one representation to another browser."""

from __future__ import annotations

import itertools

import pytest

from bodymap import views
from bodymap.caching import ByteCache, MissBudget

ENGLISH = {"Accept-Language": "en-US,en;q=0.9"}
SPANISH = {"Accept-Language": "es-MX,es;q=0.9"}


@pytest.fixture
def renders(monkeypatch) -> list:
    """The templates rendered, in order."""
    rendered = []
    real = views.render_template
    monkeypatch.setattr(
        views, "render_template", lambda *a, **k: rendered.append(a[0]) or real(*a, **k)
    )
    return rendered


def entries(app) -> list:
    return [key for key in app.extensions["bodymap.pages"].held() if key[0] != "assets"]


@pytest.mark.parametrize(
    "urls",
    [
        ["/", "/?q=lumbar", "/?utm_source=mail", "/?r=nowhere", "/?lang=fr", "/?toggle=belly"],
        ["/regions/belly", "/regions/belly?r=lower-back-left", "/regions/belly?q=x&fbclid=1"],
        [
            "/?r=belly&r=lower-back-left",
            "/?r=belly+lower-back-left",
            "/?r=belly&r=x&r=lower-back-left&r=belly",
        ],
    ],
)
def test_a_parameter_a_page_does_not_use_does_not_make_a_new_entry(client, app, renders, urls):
    pages = {client.get(url).data for url in urls}
    assert len(pages) == 1
    assert len(renders) == 1 and len(entries(app)) == 1


def test_the_cache_holds_no_more_bytes_than_it_is_given(client, app, renders):
    cache = app.extensions["bodymap.pages"]
    cache.max_bytes = 200_000
    client.get("/", headers={"Accept-Encoding": "br"})
    places = ("belly", "lower-back-left", "lower-back-right")
    for n, prefix, encoding in itertools.product((2, 3), ("", "/embed"), ("", "gzip", "br")):
        for chosen in itertools.permutations(places, n):
            query = "&".join(f"r={place}" for place in chosen)
            for language in ("en", "es"):
                url = f"{prefix}/?{query}&lang={language}"
                assert client.get(url, headers={"Accept-Encoding": encoding}).status_code == 200
                assert cache.bytes <= cache.max_bytes
    assert len(renders) > 100 and len(entries(app)) < 100  # some were dropped to make room
    before = len(renders)
    client.get("/", headers={"Accept-Encoding": "br"})  # the start page stayed
    assert len(renders) == before


def test_a_spanish_browser_never_gets_a_304_for_the_english_page(client):
    english = client.get("/", headers=ENGLISH)
    assert '<html lang="en"' in english.get_data(as_text=True)
    spanish = client.get("/", headers={**SPANISH, "If-None-Match": english.headers["ETag"]})
    assert spanish.status_code == 200
    assert spanish.headers["ETag"] != english.headers["ETag"]
    again = client.get("/", headers={**SPANISH, "If-None-Match": spanish.headers["ETag"]})
    assert again.status_code == 304


def test_each_representation_has_its_own_strong_etag(client):
    tags = set()
    for language, encoding in itertools.product(("en-US", "es"), ("br", "gzip", "identity")):
        headers = {"Accept-Language": language, "Accept-Encoding": encoding}
        tag = client.get("/regions/belly", headers=headers).headers["ETag"]
        assert not tag.startswith("W/")
        tags.add(tag)
    assert len(tags) == 6


def test_vary_names_accept_language_only_when_the_browser_chose_the_language(client):
    negotiated = client.get("/?r=belly", headers=SPANISH).headers["Vary"]
    chosen = client.get("/?r=belly&lang=es", headers=SPANISH).headers["Vary"]
    assert "Accept-Language" in negotiated and "Accept-Encoding" in negotiated
    assert "Accept-Language" not in chosen and "Accept-Encoding" in chosen


def test_bounded_pages_are_kept_when_unique_pages_flood_in():
    cache = ByteCache(10_000)
    cache.get_or_make(("store", "v1", "/"), lambda: b"x" * 2_000, kept=True)
    for n in range(100):
        cache.get_or_make(("store", "v1", f"/?r={n}"), lambda: b"y" * 1_000)
        assert cache.bytes <= 10_000
    assert ("store", "v1", "/") in cache.held()


def test_a_new_version_of_one_store_leaves_another_store_s_pages():
    cache = ByteCache(10_000)
    cache.get_or_make(("a", "v1", "/"), lambda: b"a", kept=True)
    cache.get_or_make(("b", "v1", "/"), lambda: b"b", kept=True)
    cache.get_or_make(("a", "v2", "/"), lambda: b"A", kept=True)
    assert set(cache.held()) == {("a", "v1", "/"), ("b", "v1", "/"), ("a", "v2", "/")}
    # The old version's page is no longer protected: the first to go when room is needed.
    cache.get_or_make(("b", "v1", "/?r=x"), lambda: b"x" * 8_000)
    assert ("a", "v1", "/") not in cache.held() and ("a", "v2", "/") in cache.held()


class Clock:
    """A clock that moves only when told to."""

    def __init__(self):
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


def test_a_flood_of_unique_pages_is_turned_away_and_the_shared_pages_still_served(client, app):
    clock = Clock()
    app.extensions["bodymap.misses"] = budget = MissBudget(share=0.25, burst=1.0, clock=clock)
    client.get("/")
    budget.spend(5.0)  # as if unique pages had just taken five seconds of this worker
    flood = client.get("/?r=belly&r=lower-back-left")
    assert flood.status_code == 503 and flood.headers["Retry-After"].isdigit()
    assert flood.headers["Cache-Control"] == "no-store"
    assert client.get("/search?q=back").status_code == 503
    assert client.get("/").status_code == 200  # one the cache holds
    assert client.get("/regions/belly").status_code == 200  # one place: a bounded page
    clock.now += 20.0 + 1.0  # refilled: 0.25 s a second
    assert client.get("/?r=belly&r=lower-back-left").status_code == 200


def test_a_slow_request_of_the_old_version_does_not_unprotect_the_new_one():
    cache = ByteCache(10_000)
    cache.get_or_make(("a", "v1", "/"), lambda: b"a", kept=True)
    cache.get_or_make(("a", "v2", "/"), lambda: b"A", kept=True)
    cache.get_or_make(("a", "v1", "/zoom/back"), lambda: b"z", kept=True)  # began before
    cache.get_or_make(("a", "v2", "/?r=x"), lambda: b"x" * 8_000)
    assert ("a", "v2", "/") in cache.held()
    assert ("a", "v1", "/") not in cache.held()
