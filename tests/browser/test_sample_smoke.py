"""The sample, and a copy a clinic has edited, in a real browser: invariants only.

A tap on a place, a cause, the Spanish switch, with and without JavaScript: every step
shows what the file says, whatever its words, and nothing fails or leaves the machine.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from bodymap import create_app
from bodymap.content import Content

from ..clinic_edit import edited_copy
from .conftest import ROOT, serving, watch

SAMPLE = ROOT / "regions.yaml"


@pytest.fixture(scope="module", params=["sample", "edited"])
def served(request, tmp_path_factory) -> Iterator[tuple[str, Content]]:
    """(address, content) of the app on the sample as shipped, or on a clinic's copy."""
    path = SAMPLE
    if request.param == "edited":
        path = edited_copy(SAMPLE, tmp_path_factory.mktemp("clinic"))
    app = create_app(path)
    with serving(app) as url:
        yield url, app.extensions["bodymap"].current


def first_cause(content: Content):
    """The first region that has pain points, and its first pain point."""
    region = next(e for e in content.regions.values() if e.pain_points)
    return region, region.pain_points[0]


def walk(page: Page, address: str, content: Content, is_phone: bool) -> None:
    """Open the map, choose a place on the figure, open its first cause, switch to Spanish."""
    region, pain_point = first_cause(content)
    page.goto(address + "/")
    page.wait_for_load_state("load")
    place = page.locator(f'svg a.region[data-region="{region.id}"]')
    place.scroll_into_view_if_needed()
    place.tap() if is_phone else place.click()
    expect(page.locator("#panel-heading")).to_contain_text(region.name)
    cause = page.locator("#panel").get_by_role("link", name=pain_point.pain_point.label).first
    cause.click()
    expect(page.locator("#panel-heading")).to_contain_text(pain_point.pain_point.label)
    phone = re.sub(r"\D", "", content.clinic.phone)
    expect(page.locator(f'a[href="tel:{phone}"]').first).to_be_attached()
    page.goto(address + f"/regions/{region.id}?lang=es")
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.locator("#panel-heading")).to_contain_text(
        content.in_language("es").region(region.id).name
    )


@pytest.mark.parametrize("browsing", ["context", "nojs_context"], ids=["js", "no-js"])
def test_a_place_and_its_cause_open(served, browsing: str, request, is_phone: bool):
    """With JavaScript (htmx swaps the panel) and without it (every tap is a page)."""
    address, content = served
    context: BrowserContext = request.getfixturevalue(browsing)
    traffic = watch(context, address)
    walk(context.new_page(), address, content, is_phone)
    assert traffic.problems() == {}
