"""Odd requests: unknown ids, hostile paths, wrong methods, broken query strings, HEAD.

Whatever arrives, the answer is a friendly page (HTML, the emergency line, the way back to
the map) with a 4xx status, or the page itself; never a 500 or a traceback.
"""

from __future__ import annotations

import pytest

from bodymap import create_app

from .conftest import SAMPLE

EMERGENCY = 'If this is an emergency, call <a href="tel:911">911</a>'
REGION = "/regions/lower-back-left"

NOT_FOUND = [
    "/regions/no-such-place",
    "/pain-points/no-such-thing",
    "/zoom/no-such-part",
    "/fragments/regions/no-such-place.html",
    "/fragments/pain-points/no-such-thing.html",
    "/embed/regions/no-such-place",
    "/embed/zoom/no-such-part",
    "/regions/..%2f..%2fetc%2fpasswd",
    "/regions/..%2F..%2Fetc%2Fpasswd",
    "/regions/%2e%2e",
    "/regions/%2e%2e/%2e%2e/app.py",
    "/regions/lower-back-left%2f..",
    "/regions/a%2fb",
    "/regions/%5c..%5capp.py",
    "/static/..%2fapp.py",
    "/static/%2e%2e/app.py",
    "/static/../bodymap/models.py",
    "/regions/%00",
    "/regions/lower-back-left%00",
    "/static/bodymap.css%00.html",
    "/regions/%ff%fe",
    "/regions/%C0%AE%C0%AE",
    "/regions/%ZZ",
    "/regions/%",
    "/regions/<script>alert(1)</script>",
    "/regions/LOWER-BACK-LEFT",
    "/regions/" + "a" * 5000,
    "/" + "x/" * 2500,
    "/.env",
    "/.git/config",
    "/wp-login.php",
]


@pytest.fixture(scope="module")
def client():
    return create_app(SAMPLE, TESTING=True).test_client()


def friendly(response, status: int) -> str:
    page = response.get_data(as_text=True)
    assert response.status_code == status, page[:200]
    assert response.mimetype == "text/html"
    assert EMERGENCY in page
    assert 'class="error-page"' in page and "Go to the body map" in page
    assert "Traceback" not in page and "werkzeug" not in page.lower()
    return page


@pytest.mark.parametrize("url", NOT_FOUND, ids=lambda url: url[:60])
def test_unknown_and_hostile_paths_get_the_friendly_not_found_page(client, url):
    page = friendly(client.get(url), 404)
    assert "We could not find that page" in page
    assert "<script>alert(1)" not in page


@pytest.mark.parametrize(
    "path", ["//regions//lower-back-left", "/regions//lower-back-left", "//evil.example//x"]
)
def test_doubled_slashes_redirect_on_this_site_only(client, path):
    response = client.get("/", environ_overrides={"PATH_INFO": path})
    if "evil" in path:  # no page there: nothing to redirect to
        friendly(response, 404)
        return
    assert response.status_code == 308
    location = response.headers["Location"]
    assert location == "http://localhost" + REGION
    assert client.get(location).status_code == 200


def test_doubled_slashes_to_nowhere_end_on_the_friendly_page(client):
    response = client.get(
        "/", environ_overrides={"PATH_INFO": "//regions//x"}, follow_redirects=True
    )
    friendly(response, 404)


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "PATCH"])
@pytest.mark.parametrize(
    "url", ["/", REGION, "/fragments/start.html", "/embed/", "/healthz", "/theme.css"]
)
def test_wrong_methods_get_the_friendly_405_page(client, method, url):
    response = client.open(url, method=method, data={"a": "b"})
    page = friendly(response, 405)
    assert "This page cannot be used that way." in page
    assert "GET" in response.headers["Allow"]


@pytest.mark.parametrize(
    "query",
    [
        "r=%ZZ",
        "%",
        "%%%",
        "a=%00",
        "a=%ff%fe",
        "=&&==&",
        "a[]=1&a[]=2",
        "v=" + "9" * 5000,
        "&".join(f"p{i}=1" for i in range(10_000)),
        "&".join("x" for _ in range(10_000)),
    ],
    ids=lambda query: query[:20],
)
@pytest.mark.parametrize("url", ["/", REGION, "/fragments/start.html", "/embed/"])
def test_malformed_query_strings_are_ignored_by_pages(client, url, query):
    """Pages take no parameters, so a broken query string cannot break them."""
    response = client.get(f"{url}?{query}")
    assert response.status_code == 200
    assert response.get_data() == client.get(url).get_data()


def test_an_oversized_query_on_an_unknown_page_is_still_the_friendly_404(client):
    friendly(client.get("/nowhere?" + "&".join(f"p{i}=%ZZ" for i in range(10_000))), 404)


@pytest.mark.parametrize(
    "url",
    ["/", REGION, "/pain-points/sciatica", "/embed/", "/fragments/start.html", "/theme.css"],
)
def test_head_answers_like_get_without_a_body(client, url):
    head = client.head(url)
    get = client.get(url)
    assert head.status_code == get.status_code == 200
    assert head.get_data() == b""
    assert head.headers["Content-Type"] == get.headers["Content-Type"]
    assert head.headers.get("ETag") == get.headers.get("ETag")


def test_head_of_an_unknown_page_is_a_bodiless_404(client):
    response = client.head("/regions/no-such-place")
    assert response.status_code == 404 and response.get_data() == b""


def test_an_unexpected_failure_is_the_friendly_500_page_without_details(client, monkeypatch):
    from bodymap import views

    def broken(*args, **kwargs):
        raise RuntimeError("secret detail")

    monkeypatch.setattr(views, "_region_or_404", broken)
    client.application.config["PROPAGATE_EXCEPTIONS"] = False
    try:
        response = client.get("/regions/no-cache-for-this-one")
    finally:
        client.application.config["PROPAGATE_EXCEPTIONS"] = None
    page = friendly(response, 500)
    assert "Something went wrong" in page and "secret detail" not in page
