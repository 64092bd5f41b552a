"""The patient's journey in a real browser, on a phone and on a desktop screen.

"My lower back hurts" (on tests/data/small.yaml): tap the lower back on the back view, read
the causes, open "Chronic back pain", find the article about depression, go Back and
Forward. With JavaScript the panel changes in place (htmx); without it every step is a
full page.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext, Locator, Page, expect

from .conftest import Traffic, own_content, press

SMALL = Path(__file__).resolve().parents[1] / "data" / "small.yaml"
server, browser_context_args, traffic, nojs_traffic = own_content(SMALL)

REGION = "lower-back-left"
REGION_NAME = re.compile(r"^\s*Lower back, your left side\s*$")
PAIN_POINT_NAME = re.compile(r"^Chronic back pain")
ARTICLE_TITLE = "Chronic Back Pain and Depression: Is There a Link?"
START_HEADING = "Choose a place on the body"
EMERGENCY = "If this is an emergency, call 911"


# --- helpers -------------------------------------------------------------------------


def figure_region(page: Page, region_id: str = REGION) -> Locator:
    """The region's link on the figure (not the panel heading that shares its data-region)."""
    return page.locator(f'svg a.region[data-region="{region_id}"]')


def panel(page: Page) -> Locator:
    return page.locator("#panel")


def panel_heading(page: Page) -> Locator:
    return page.locator("#panel-heading")


def pain_point_link(page: Page) -> Locator:
    return panel(page).get_by_role("link", name=PAIN_POINT_NAME)


def article_link(page: Page) -> Locator:
    return panel(page).locator("ul.articles").get_by_role("link", name=ARTICLE_TITLE, exact=True)


def url(server: str, path: str) -> re.Pattern[str]:
    """Exactly this page address: no other query string or path; a tap's page may open at
    the panel's heading (#panel-heading)."""
    return re.compile("^" + re.escape(server + path) + "(#panel-heading)?$")


def expect_emergency_line(page: Page) -> None:
    """The emergency line is shown right above the map and its panel, on every page."""
    line = page.locator("main .emergency-line")
    expect(line).to_have_count(1)
    expect(line).to_be_visible()
    expect(line).to_contain_text(EMERGENCY)
    expect(line.get_by_role("link", name="911")).to_have_attribute("href", "tel:911")
    map_top = page.locator(".map-layout").bounding_box()
    line_box = line.bounding_box()
    assert line_box and map_top, "the emergency line or the map has no box"
    assert line_box["y"] + line_box["height"] <= map_top["y"] + 1, (
        f"the emergency line {line_box} is not right above the map {map_top}"
    )


def expect_emergency_line_on_plain_page(page: Page) -> None:
    """The emergency line on a page without the map (the 404 page)."""
    line = page.locator("main .emergency-line")
    expect(line).to_be_visible()
    expect(line).to_contain_text(EMERGENCY)


def expect_start(page: Page, server: str) -> None:
    expect(page).to_have_url(url(server, "/"))
    page.wait_for_load_state("load")  # boxes are measured below: the stylesheet must be in
    expect(page.get_by_role("heading", level=1)).to_have_text("Where does it hurt?")
    expect(panel_heading(page)).to_have_text(START_HEADING)
    expect(page.locator("svg a.region[aria-current]")).to_have_count(0)
    expect_emergency_line(page)


def expect_region(page: Page, server: str) -> None:
    """The lower-back panel: its heading, its causes, and the region lit on the figure."""
    expect(page).to_have_url(url(server, f"/?r={REGION}"))
    expect(panel_heading(page)).to_have_text(REGION_NAME)
    expect(panel_heading(page)).to_be_visible()
    expect(pain_point_link(page)).to_be_visible()
    expect(figure_region(page)).to_have_attribute("aria-current", "true")
    expect(page.locator("svg a.region[aria-current]")).to_have_count(1)
    expect(page).to_have_title(re.compile(r"^Lower back, your left side — Where does it hurt\?"))
    expect_emergency_line(page)


def expect_pain_point(page: Page, server: str, path: str) -> None:
    expect(page).to_have_url(url(server, path))
    expect(panel_heading(page)).to_have_text(PAIN_POINT_NAME)
    link = article_link(page)
    expect(link).to_be_visible()
    expect(link).to_have_attribute("href", re.compile(r"^https://[^/\s]+\.[^/\s]+/"))
    expect(page).to_have_title(re.compile(r"^Chronic back pain.* — Where does it hurt\?"))
    expect_emergency_line(page)


def expect_clean(traffic: Traffic, context: BrowserContext, page: Page) -> None:
    """No console errors, no failed or refused requests, nothing off the machine, and
    nothing stored about the patient ("This tool stores nothing about you")."""
    assert traffic.requests, "the watch saw no requests at all: it is not attached"
    assert traffic.problems() == {}
    assert context.cookies() == []
    stored = page.evaluate("() => ({local: {...localStorage}, session: {...sessionStorage}})")
    # htmx 4 keeps nothing for Back (htmx 2 noted the tab's address in sessionStorage).
    assert stored == {"local": {}, "session": {}}, f"the page stored {stored}"


def set_marker(page: Page) -> None:
    page.evaluate("window.__marker = 1")


def marker(page: Page):
    """1 while the document is the one the marker was set in; None after a page load."""
    return page.evaluate("window.__marker")


def open_region_with_js(page: Page, server: str, is_phone: bool) -> None:
    page.goto("/")
    expect_start(page, server)
    region = page.locator(f'[data-region="{REGION}"]')
    expect(region).to_have_count(1)
    set_marker(page)
    press(region, is_phone)
    expect_region(page, server)


# --- with JavaScript (htmx) ------------------------------------------------------------


def test_tapping_the_lower_back_shows_its_causes_in_place(
    page: Page, context: BrowserContext, traffic: Traffic, server: str, is_phone: bool
):
    open_region_with_js(page, server, is_phone)

    assert marker(page) == 1, "the page reloaded: the panel should change in place"
    expect(panel(page).locator("article.pain-point").first).to_be_visible()
    expect(figure_region(page)).to_have_class(re.compile(r"\bis-selected\b"))
    expect(panel_heading(page)).to_be_focused()
    expect(panel_heading(page)).to_be_in_viewport()  # on a phone the panel is below the map
    expect(page.locator("#status")).to_have_text("Added: Lower back, your left side")
    assert page.evaluate("document.querySelectorAll('#panel').length") == 1, (
        "the panel was nested in itself"
    )
    expect_clean(traffic, context, page)


def test_warning_signs_come_before_the_causes(page: Page, server: str, is_phone: bool):
    open_region_with_js(page, server, is_phone)

    flags = panel(page).locator(".red-flags")
    first_cause = panel(page).locator("article.pain-point").first
    expect(flags).to_be_visible()
    expect(flags.get_by_role("heading")).to_contain_text("Warning signs")
    expect(flags.locator("li").first).to_be_visible()
    expect(first_cause).to_be_visible()
    flags_box, cause_box = flags.bounding_box(), first_cause.bounding_box()
    assert flags_box and cause_box
    assert flags_box["y"] + flags_box["height"] <= cause_box["y"], (
        f"warning signs {flags_box} are not above the first cause {cause_box}"
    )
    # …and before them in reading order, for screen readers too.
    follows = first_cause.evaluate(
        "(cause) => !!(document.querySelector('#panel .red-flags')"
        ".compareDocumentPosition(cause) & Node.DOCUMENT_POSITION_FOLLOWING)"
    )
    assert follows, "the causes come before the warning signs in the document"


def test_chronic_back_pain_leads_to_the_depression_article(
    page: Page, context: BrowserContext, traffic: Traffic, server: str, is_phone: bool
):
    open_region_with_js(page, server, is_phone)
    link = pain_point_link(page)
    href = link.get_attribute("href")
    assert href and re.fullmatch(r"/pain-points/[a-z0-9-]+\?r=" + REGION, href), href

    press(link, is_phone)

    expect_pain_point(page, server, href)
    expect(panel_heading(page)).to_be_focused()
    assert marker(page) == 1, "the page reloaded: the panel should change in place"
    expect_clean(traffic, context, page)


def test_back_and_forward_walk_the_journey(
    page: Page, context: BrowserContext, traffic: Traffic, server: str, is_phone: bool
):
    open_region_with_js(page, server, is_phone)
    link = pain_point_link(page)
    href = link.get_attribute("href")
    assert href
    press(link, is_phone)
    expect_pain_point(page, server, href)

    page.go_back()
    expect_region(page, server)
    expect(panel_heading(page)).not_to_have_text(PAIN_POINT_NAME)
    expect(page.locator("#status")).to_have_text(re.compile(r"^Showing Lower back, your left side"))

    page.go_back()
    expect_start(page, server)

    page.go_forward()
    expect_region(page, server)

    page.go_forward()
    expect_pain_point(page, server, href)
    expect_clean(traffic, context, page)


def test_keyboard_tab_reaches_the_figure_and_enter_opens_a_region(
    page: Page, context: BrowserContext, traffic: Traffic, server: str
):
    page.goto("/")
    expect_start(page, server)
    set_marker(page)

    focused = None
    for _ in range(20):
        page.keyboard.press("Tab")
        focused = page.evaluate(
            "() => { const a = document.activeElement;"
            " return a && a.matches('svg a.region') ?"
            " [a.dataset.region, a.querySelector('title').textContent] : null; }"
        )
        if focused:
            break
    assert focused, "20 presses of Tab did not reach a region on the figure"
    region_id, name = focused
    expect(figure_region(page, region_id)).to_be_focused()

    page.keyboard.press("Enter")

    expect(page).to_have_url(url(server, f"/?r={region_id}"))
    expect(panel_heading(page)).to_have_text(name)
    expect(panel_heading(page)).to_be_focused()
    expect(figure_region(page, region_id)).to_have_attribute("aria-current", "true")
    assert marker(page) == 1, "Enter reloaded the page: the panel should change in place"
    expect_emergency_line(page)
    expect_clean(traffic, context, page)


# --- without JavaScript: every step is a full page ---------------------------------------


def loads_page(page: Page, what: str, is_target, action) -> None:
    """Do `action` and check that the browser loaded a whole new page from the server
    (`is_target` picks that page's response, `what` names it in a failure)."""
    with page.expect_response(is_target) as response_info:
        action()
    response = response_info.value
    assert response.request.is_navigation_request(), f"{what} was not a page load"
    assert response.status == 200, f"{what}: {response.status}"
    assert response.request.headers.get("hx-request") is None, "htmx ran without JavaScript"


def follow(page: Page, locator: Locator, is_phone: bool, path: str) -> None:
    """Follow a link and check that the browser loaded a whole new page from the server."""
    loads_page(page, path, lambda r: r.url.endswith(path), lambda: press(locator, is_phone))


def test_the_journey_works_without_javascript(
    nojs_page: Page,
    nojs_context: BrowserContext,
    nojs_traffic: Traffic,
    server: str,
    is_phone: bool,
):
    page = nojs_page
    page.goto("/")
    expect_start(page, server)
    expect(page.locator(".emergency-line")).to_be_in_viewport()

    follow(page, page.locator(f'[data-region="{REGION}"]'), is_phone, f"/?r={REGION}")
    expect_region(page, server)
    # A phone opens the page at the panel's heading: its own emergency signs are in view
    # instead of the line above the map; beside the figure the page does not move.
    in_view = (
        panel(page).locator(".flag-emergency").first
        if is_phone
        else page.locator(".emergency-line")
    )
    expect(in_view).to_be_in_viewport()
    flags = panel(page).locator(".red-flags")
    expect(flags).to_be_visible()
    flags_box = flags.bounding_box()
    cause_box = panel(page).locator("article.pain-point").first.bounding_box()
    assert flags_box and cause_box and flags_box["y"] < cause_box["y"]

    link = pain_point_link(page)
    href = link.get_attribute("href")
    assert href and re.fullmatch(r"/pain-points/[a-z0-9-]+\?r=" + REGION, href), href
    follow(page, link, is_phone, href)
    expect_pain_point(page, server, href)

    page.go_back()
    expect_region(page, server)
    page.go_back()
    expect_start(page, server)
    page.go_forward()
    expect_region(page, server)
    expect_clean(nojs_traffic, nojs_context, page)


# --- pages that do not exist -------------------------------------------------------------


@pytest.mark.parametrize("path", ["/regions/no-such-place", "/pain-points/no-such-thing"])
def test_an_unknown_address_shows_the_friendly_404_page(
    page: Page,
    context: BrowserContext,
    traffic: Traffic,
    server: str,
    is_phone: bool,
    path: str,
):
    response = page.goto(path)
    assert response is not None
    assert response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("We could not find that page")
    expect(page).to_have_title(re.compile(r"^Page not found"))
    expect_emergency_line_on_plain_page(page)
    back = page.get_by_role("link", name="Go to the body map")
    expect(back).to_be_visible()

    press(back, is_phone)

    expect_start(page, server)
    assert traffic.problems(expected_404=server + path) == {}
    assert context.cookies() == []


# --- the watch itself can fail ------------------------------------------------------------


def test_the_traffic_watch_sees_errors_and_outside_requests(
    page: Page, context: BrowserContext, traffic: Traffic
):
    """The checks in `expect_clean` would notice a console error, a 404 and a tracker."""
    page.goto("/")
    page.evaluate("console.error('boom')")
    page.evaluate("fetch('/no-such-file.js').catch(() => null)")
    # A page of its own (the app's CSP would block the tracker before the network).
    other = context.new_page()
    other.set_content('<img src="https://tracker.example/pixel.png" alt="">')
    for _ in range(50):
        found = traffic.problems()
        if len(found) >= 4:
            break
        page.wait_for_timeout(100)
    assert set(found) >= {
        "console errors",
        "HTTP errors",
        "requests that left 127.0.0.1",
        "failed requests",
    }, found
    assert found["requests that left 127.0.0.1"] == ["https://tracker.example/pixel.png"]
