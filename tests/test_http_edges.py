"""Odd requests: unknown ids, hostile paths, wrong methods, broken query strings, HEAD.

Whatever arrives, the answer is a friendly page (HTML, the emergency line, the way back to
the map) with a 4xx status, or the page itself; never a 500 or a traceback.
"""

from __future__ import annotations

import http.client
import re

import pytest

from bodymap import create_app
from bodymap.headers import CONTENT_SECURITY_POLICY, PERMISSIONS_POLICY

from .conftest import SAMPLE
from .test_serving import Gunicorn

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
    assert location == REGION
    assert client.get(location).status_code == 200


@pytest.mark.parametrize(
    ("path", "target"),
    [
        ("/static//etc/passwd", "/static/etc/passwd"),
        ("//regions//lower-back-left", REGION),
        ("/embed", None),  # answered in place, not redirected
    ],
)
def test_redirects_never_name_the_host_the_request_claims(client, path, target):
    """A forged Host must not end up in a (cacheable) 308's Location."""
    response = client.get(
        "/", environ_overrides={"PATH_INFO": path}, headers={"Host": "evil.example"}
    )
    if target is None:
        assert response.status_code == 200
        return
    assert response.status_code == 308
    assert response.headers["Location"] == target


def test_redirects_keep_the_base_path_the_map_is_served_under(client):
    response = client.get(
        "/regions//lower-back-left", environ_overrides={"SCRIPT_NAME": "/clinic-map"}
    )
    assert response.status_code == 308
    assert response.headers["Location"] == "/clinic-map" + REGION


BAD_HOSTS = ["a..b", ".", "x" * 64 + ".example", "a.-.b" + "." * 3]


@pytest.mark.parametrize("host", BAD_HOSTS, ids=lambda host: host[:12])
@pytest.mark.parametrize("url", ["/", REGION, "/embed/", "/theme.css", "/healthz", "/nowhere"])
def test_a_malformed_host_gets_the_friendly_400_page(client, caplog, host, url):
    response = client.get(url, headers={"Host": host})
    page = friendly(response, 400)
    assert "The address was not understood." in page
    # The way back to the map (in the frame at /embed), relative: no host is needed.
    way_back = "/embed/" if url.startswith("/embed/") else "/"
    assert f'<a class="button" href="{way_back}">' in page
    headers = response.headers
    assert headers["Content-Security-Policy"].startswith(
        CONTENT_SECURITY_POLICY + "; frame-ancestors 'self'"
    )
    assert headers["X-Content-Type-Options"] == "nosniff"
    assert headers["Permissions-Policy"] == PERMISSIONS_POLICY
    assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin"
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin"
    assert len(host) < 4 or host not in page
    logged = [r for r in caplog.records if r.name == client.application.logger.name]
    assert len(logged) == 1, [r.getMessage() for r in logged]
    assert logged[0].exc_info is None and "Host" in logged[0].getMessage()


def test_a_malformed_host_logs_one_line_under_gunicorn(small_file):
    """gunicorn as deployed: 400 with the friendly page, and one log line per request."""
    requests = 3
    with Gunicorn(small_file, workers=1) as server:
        port = int(server.url.rsplit(":", 1)[1])
        for _ in range(requests):
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            try:
                connection.putrequest("GET", "/regions/belly", skip_host=True)
                connection.putheader("Host", "a..b")
                connection.endheaders()
                reply = connection.getresponse()
                page = reply.read().decode()
            finally:
                connection.close()
            assert reply.status == 400
            assert "The address was not understood." in page
            assert reply.getheader("Content-Security-Policy", "").startswith(
                CONTENT_SECURITY_POLICY
            )
            assert reply.getheader("X-Content-Type-Options") == "nosniff"
    lines = server.log.splitlines()
    ours = [line for line in lines if "malformed Host" in line]
    gunicorns = [line for line in lines if re.match(r"^\[[^]]+\] \[\d+\] \[INFO\] ", line)]
    assert len(ours) == requests, server.log
    assert len(ours) + len(gunicorns) == len(lines), server.log
    assert "Traceback" not in server.log


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
