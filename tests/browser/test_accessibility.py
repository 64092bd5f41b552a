"""axe-core (WCAG 2.0/2.1 A and AA, WCAG 2.2 AA) on every kind of page, phone and desktop.

A violation here is a barrier for a real patient: the report names the rule, the
element and the fix. Do not weaken the rules to make this pass; fix the page.
"""

from __future__ import annotations

import re

from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

REGION = "lower-back-left"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}

_axe = Axe()


def expect_no_violations(page: Page, what: str) -> None:
    result = _axe.run(page, options=AXE_OPTIONS)
    # The run itself must have happened: axe answers with the rules it was asked for.
    assert result.response.get("testEngine", {}).get("name") == "axe-core", result.response
    assert result.violations_count == 0, f"{what} ({page.url}):\n{result.generate_report()}"


def pain_point_path(page: Page) -> str:
    """The first pain point's page, as linked from the lower-back panel."""
    link = page.locator("#panel article.pain-point h4 a").first
    href = link.get_attribute("href")
    assert href and href.startswith("/pain-points/"), href
    return href


def test_start_page(page: Page):
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Where does it hurt?")
    expect_no_violations(page, "the start page")


def test_region_page(page: Page):
    page.goto(f"/regions/{REGION}")
    expect(page.locator("#panel-heading")).to_have_text(re.compile("Lower back"))
    expect_no_violations(page, "a region page")


def test_region_panel_after_an_htmx_swap(page: Page):
    page.goto("/")
    page.locator(f'svg a.region[data-region="{REGION}"]').click()
    heading = page.locator("#panel-heading")
    expect(heading).to_have_text(re.compile("Lower back"))
    expect(heading).to_be_focused()  # bodymap.js has run: selection and focus are in place
    expect(page.locator(f'svg a.region[data-region="{REGION}"]')).to_have_attribute(
        "aria-current", "true"
    )
    expect_no_violations(page, "the region panel swapped in by htmx")


def test_pain_point_page(page: Page):
    page.goto(f"/regions/{REGION}")
    path = pain_point_path(page)
    page.goto(path)
    expect(page.locator("#panel-heading")).to_be_visible()
    expect(page.locator("#panel ul.articles a").first).to_be_visible()
    expect_no_violations(page, "a pain-point page")


def test_not_found_page(page: Page):
    response = page.goto("/regions/no-such-place")
    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("We could not find that page")
    expect_no_violations(page, "the 404 page")
