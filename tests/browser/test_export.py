"""The static export in a real browser, served by a plain static server.

`bodymap build` of tests/data/small.yaml (the journey's content) is served by Python's
http.server (no Flask, no headers of ours), at the host's root and under a sub-path
(`--base-path /clinic-map`, the parent directory served so that /clinic-map/ is the
export). The patient's journey must work as on the live app: with JavaScript the panel
changes in place (htmx fetches the exported fragments), without it every step is a full
page. A page address is a directory, so the static server may redirect `/regions/x` to
`/regions/x/`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from bodymap.export import export

from .conftest import Traffic, static_server, watch
from .test_journey import (
    ARTICLE_TITLE,
    PAIN_POINT_NAME,
    REGION,
    REGION_NAME,
    SMALL,
    START_HEADING,
    article_link,
    expect_clean,
    expect_emergency_line,
    figure_region,
    marker,
    pain_point_link,
    panel_heading,
    press,
    set_marker,
)

BASE_PATH = "/clinic-map"


@pytest.fixture(scope="module")
def export_sites(tmp_path_factory) -> Iterator[dict[str, str]]:
    """The journey's content exported twice and served: at the root, and under /clinic-map."""
    work = tmp_path_factory.mktemp("export")
    export(SMALL, work / "site")
    export(SMALL, work / "hosted" / BASE_PATH.strip("/"), base_path=BASE_PATH)
    with static_server(work / "site") as root, static_server(work / "hosted") as hosted:
        yield {"root": root, "sub-path": hosted + BASE_PATH}


@pytest.fixture(params=["root", "sub-path"])
def export_url(request: pytest.FixtureRequest, export_sites: dict[str, str]) -> str:
    """The base URL of an exported map (no trailing slash): at a host's root or under one."""
    return export_sites[request.param]


@pytest.fixture
def export_traffic(context: BrowserContext, export_url: str) -> Traffic:
    return watch(context, export_url)


@pytest.fixture
def export_nojs_traffic(nojs_context: BrowserContext, export_url: str) -> Traffic:
    return watch(nojs_context, export_url)


def at(base: str, path: str) -> re.Pattern[str]:
    """This page's address, with or without the slash a static server may add (a tap's
    page opens at the panel's heading)."""
    return re.compile("^" + re.escape(base + path.rstrip("/")) + "/?(#panel-heading)?$")


def expect_start(page: Page, base: str) -> None:
    expect(page).to_have_url(base + "/")
    page.wait_for_load_state("load")
    expect(page.get_by_role("heading", level=1)).to_have_text("Where does it hurt?")
    expect(panel_heading(page)).to_have_text(START_HEADING)
    expect(page.locator("svg a.region[aria-current]")).to_have_count(0)
    expect_emergency_line(page)


def expect_region(page: Page, base: str) -> None:
    expect(page).to_have_url(at(base, f"/regions/{REGION}"))
    expect(panel_heading(page)).to_have_text(REGION_NAME)
    expect(pain_point_link(page)).to_be_visible()
    expect(figure_region(page)).to_have_attribute("aria-current", "true")
    expect(page).to_have_title(re.compile(r"^Lower back, your left side — Where does it hurt\?"))
    expect_emergency_line(page)


def expect_pain_point(page: Page, base: str, href: str) -> None:
    expect(page).to_have_url(at(base, href.removeprefix(BASE_PATH)))
    expect(panel_heading(page)).to_have_text(PAIN_POINT_NAME)
    link = article_link(page)
    expect(link).to_be_visible()
    expect(link).to_have_attribute("href", re.compile(r"^https://[^/\s]+\.[^/\s]+/"))
    expect(page).to_have_title(re.compile(r"^Chronic back pain.* — Where does it hurt\?"))
    expect_emergency_line(page)


def prefix_of(base: str) -> str:
    return BASE_PATH if base.endswith(BASE_PATH) else ""


def test_the_journey_with_htmx_on_the_static_export(
    page: Page, context: BrowserContext, export_traffic: Traffic, export_url: str, is_phone: bool
):
    page.goto(export_url + "/")
    expect_start(page, export_url)
    set_marker(page)

    press(figure_region(page), is_phone)

    expect_region(page, export_url)
    expect(panel_heading(page)).to_be_focused()
    assert marker(page) == 1, "the page reloaded: the panel should change in place"

    link = pain_point_link(page)
    href = link.get_attribute("href")
    assert href and re.fullmatch(
        re.escape(prefix_of(export_url)) + r"/pain-points/[a-z0-9-]+", href
    )
    press(link, is_phone)
    expect_pain_point(page, export_url, href)
    expect(article_link(page)).to_have_text(ARTICLE_TITLE)
    assert marker(page) == 1, "the page reloaded: the panel should change in place"
    fetched = [r for r in export_traffic.requests if "/fragments/" in r]
    assert any(r.endswith(f"/fragments/regions/{REGION}.html") for r in fetched), fetched

    page.go_back()
    expect_region(page, export_url)
    page.go_back()
    expect_start(page, export_url)
    page.go_forward()
    expect_region(page, export_url)
    page.go_forward()
    expect_pain_point(page, export_url, href)
    expect_clean(export_traffic, context, page)


def follow(page: Page, locator, is_phone: bool) -> None:
    """Follow a link: a whole page load, from the static server."""
    with page.expect_navigation() as navigation:
        press(locator, is_phone)
    response = navigation.value
    assert response is not None and response.status == 200, response
    assert response.request.is_navigation_request()
    assert response.headers.get("content-type", "").startswith("text/html"), response.headers


def test_the_journey_without_javascript_on_the_static_export(
    nojs_page: Page,
    nojs_context: BrowserContext,
    export_nojs_traffic: Traffic,
    export_url: str,
    is_phone: bool,
):
    page = nojs_page
    page.goto(export_url + "/")
    expect_start(page, export_url)

    follow(page, figure_region(page), is_phone)
    expect_region(page, export_url)
    # A page is a directory of the export: the static server added the slash (and the
    # page opens at the panel's heading).
    assert page.url == f"{export_url}/regions/{REGION}/#panel-heading", page.url
    link = pain_point_link(page)
    href = link.get_attribute("href")
    assert href
    follow(page, link, is_phone)
    expect_pain_point(page, export_url, href)

    page.go_back()
    expect_region(page, export_url)
    page.go_back()
    expect_start(page, export_url)
    page.go_forward()
    expect_region(page, export_url)
    assert not [r for r in export_nojs_traffic.requests if "/fragments/" in r], "htmx ran"
    expect_clean(export_nojs_traffic, nojs_context, page)


def test_the_embed_pages_swap_in_place_on_the_static_export(
    page: Page, context: BrowserContext, export_traffic: Traffic, export_url: str, is_phone: bool
):
    base = export_url + "/embed"
    page.goto(base + "/")
    expect(panel_heading(page)).to_have_text(START_HEADING)
    expect(page.locator(".site-header")).to_have_count(0)
    set_marker(page)

    press(figure_region(page), is_phone)

    expect_region(page, base)
    assert marker(page) == 1, "the page reloaded: the panel should change in place"
    expect(pain_point_link(page)).to_have_attribute(
        "href", re.compile(re.escape(prefix_of(export_url)) + r"/embed/pain-points/")
    )
    expect_clean(export_traffic, context, page)
