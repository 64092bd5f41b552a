"""What the move from htmx 2 to htmx 4 could have changed, held to what htmx 2 did here.

htmx 4 has no settings for eval or script tags, keeps no page copies for Back, and swaps
error answers in by default. The page asks for the strict behaviour (base.html's
htmx-config and bodymap.js's extension); these tests notice if it stops getting it: no
request or stored item that htmx 2 did not make, nothing run from an answer or an
attribute, no error answer in the panel, and no console error under the CSP.

The app serves a small content file of its own; answers are altered in the browser
(Playwright routes), as an attacker who got markup into an answer would alter them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext, Page, Request, Route, expect

from bodymap import create_app

from .conftest import Traffic, serving, watch

CONTENT = Path(__file__).resolve().parents[1] / "data" / "small.yaml"
PROBE = "/static/probe.js"  # a same-origin script, which the CSP alone would let run


@pytest.fixture(scope="module")
def small_server() -> Iterator[str]:
    with serving(create_app(CONTENT)) as url:
        yield url


@pytest.fixture
def seen(context: BrowserContext, small_server: str) -> Traffic:
    return watch(context, small_server)


def first_region(page: Page):
    return page.locator("svg a.region[data-region]").first


def panel_heading(page: Page):
    return page.locator("#panel-heading")


def open_map(page: Page, small_server: str) -> str:
    """The map with htmx ready; returns the start panel's heading."""
    page.goto(small_server + "/")
    page.wait_for_function("() => !!window.htmx")
    page.wait_for_load_state("load")
    return panel_heading(page).inner_text()


def tap_first_region(page: Page, is_phone: bool) -> str:
    """Tap the first region on the figure and wait for its panel; returns its name."""
    region = first_region(page)
    name = region.locator("title").text_content() or ""
    region.tap() if is_phone else region.click()
    expect(panel_heading(page)).to_have_text(name)
    return name


def requests_during(page: Page, action) -> list[Request]:
    """The requests the page's scripts make while `action` runs, in order (not the
    browser's own, such as its look at the favicon when the address changes)."""
    made: list[Request] = []

    def record(request: Request) -> None:
        if request.resource_type in ("fetch", "xhr"):  # htmx 4 fetches; htmx 2 used XHR
            made.append(request)

    page.on("request", record)
    try:
        action()
    finally:
        page.remove_listener("request", record)
    return made


@pytest.fixture
def alter_fragments(page: Page) -> Iterator[Callable[[str], None]]:
    """`alter_fragments(extra)`: every panel the server sends gains `extra` at its end."""

    def handle(route: Route, extra: str):
        response = route.fetch()
        route.fulfill(response=response, body=response.text() + extra)

    yield lambda extra: page.route("**/fragments/**", partial(handle, extra=extra))
    # A request still on its way when the test ends is no longer anyone's business.
    page.unroute_all(behavior="ignoreErrors")


def stored(page: Page) -> dict:
    return page.evaluate("() => ({local: {...localStorage}, session: {...sessionStorage}})")


def test_a_tap_and_back_make_the_requests_htmx_2_made_and_store_nothing(
    page: Page, context: BrowserContext, seen: Traffic, small_server: str, is_phone: bool
):
    start = open_map(page, small_server)
    page.evaluate("window.__marker = 1")

    tap = requests_during(page, lambda: tap_first_region(page, is_phone))
    assert [(r.method, r.url.partition("?")[0]) for r in tap] == [
        ("GET", small_server + "/fragments/places.html")
    ], [r.url for r in tap]
    assert tap[0].headers.get("hx-request") == "true"

    def back():
        page.go_back()
        expect(panel_heading(page)).to_have_text(start)

    # No copy of the page in storage: Back asks the server for it, once, as htmx 2 did
    # with historyCacheSize 0, and swaps it in without a page load.
    restore = requests_during(page, back)
    assert [(r.method, r.url) for r in restore] == [("GET", small_server + "/")], [
        r.url for r in restore
    ]
    assert restore[0].headers.get("hx-history-restore-request") == "true"
    assert page.evaluate("window.__marker") == 1, "Back reloaded the page"

    page.go_forward()
    expect(page.locator("svg a.region[aria-current]")).to_have_count(1)
    assert stored(page) == {"local": {}, "session": {}}
    assert context.cookies() == []
    assert seen.problems() == {}


def test_a_script_in_an_answer_never_runs(
    page: Page, seen: Traffic, small_server: str, is_phone: bool, alter_fragments
):
    page.route(
        "**" + PROBE,
        lambda route: route.fulfill(body="window.__probe = 'ran';", content_type="text/javascript"),
    )
    alter_fragments(
        f'<script src="{PROBE}"></script><script>window.__inline = "ran";</script>',
    )
    open_map(page, small_server)

    tapped = requests_during(page, lambda: tap_first_region(page, is_phone))
    page.wait_for_load_state("load")

    assert not [r.url for r in tapped if r.url.endswith(PROBE)], "the script was fetched"
    assert page.evaluate("[window.__probe, window.__inline]") == [None, None]
    assert page.locator("#panel script").count() == 0
    assert seen.problems() == {}  # not even the CSP's report of a refused inline script


def test_an_attribute_in_an_answer_is_never_run_as_javascript(
    page: Page, seen: Traffic, small_server: str, is_phone: bool, alter_fragments
):
    """hx-on and event filters are code that htmx 4 would build with Function(): refused,
    quietly, rather than left to the CSP (which would log an error). A refused filter
    lets nothing through (htmx 2 logged an error and let the request go)."""
    alter_fragments(
        '<button type="button" id="probe" hx-on:click="window.__on = \'ran\'"'
        ' hx-get="/fragments/places.html" hx-trigger="click[window.__filter = \'ran\']"'
        ">Probe</button>",
    )
    open_map(page, small_server)
    tap_first_region(page, is_phone)
    probe = page.locator("#probe")
    expect(probe).to_be_visible()
    # bodymap.js focuses the heading once the panel settled; htmx wires up the new
    # content (the probe's attributes) in the same task.
    expect(panel_heading(page)).to_be_focused()

    clicked = requests_during(page, lambda: probe.tap() if is_phone else probe.click())
    page.wait_for_load_state("load")

    assert page.evaluate("[window.__on, window.__filter]") == [None, None]
    assert not [r.url for r in clicked if "/fragments/" in r.url], "the filter let it through"
    assert seen.problems() == {}


def test_an_error_answer_is_not_swapped_into_the_panel(
    page: Page, seen: Traffic, small_server: str, is_phone: bool
):
    """As with htmx 2, a 4xx or 5xx answer leaves the panel as it was."""
    start = open_map(page, small_server)
    page.route(
        "**/fragments/**",
        lambda route: route.fulfill(
            status=404, body="<h2 id='panel-heading'>Broken</h2>", content_type="text/html"
        ),
    )
    region = first_region(page)
    with page.expect_response(lambda r: "/fragments/" in r.url) as answer:
        region.tap() if is_phone else region.click()
    failed_url = answer.value.url
    page.wait_for_load_state("load")

    expect(panel_heading(page)).to_have_text(start)
    expect(page).to_have_url(small_server + "/")
    # The one 404 is the answer the test made up, with the line Chromium logs for it.
    assert seen.bad_status == [f"404 {failed_url}"]
    assert seen.console_errors == [
        "Failed to load resource: the server responded with a status of 404 (Not Found)"
        f" @ {failed_url}"
    ]
    assert set(seen.problems()) == {"HTTP errors", "console errors"}
