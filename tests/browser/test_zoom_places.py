"""Places chosen on enlarged views are kept (issue 15 #4), in a real browser.

On tests/data/places. "Lower back + back of the thigh", built on two enlarged views: the
place chosen on the first survives the link to the second and "See the whole body", with
JavaScript (the panel changes in place, and the links around it follow) and without it.
"""

from __future__ import annotations

from playwright.sync_api import Locator, Page, expect

from .conftest import Traffic, own_content
from .test_journey import figure_region, marker, press, set_marker, url
from .test_places import LOWER_BACK, PLACES, THIGH, content, expect_selected, query

server, browser_context_args, traffic, nojs_traffic = own_content(PLACES)


def zoom_of(region_id: str) -> str:
    """The first enlarged view that shows the region."""
    return next(z.id for z in content().zooms.values() if region_id in z.region_ids)


def zoom_link(page: Page, zoom_id: str) -> Locator:
    return page.locator(f'nav.zooms a[href^="/zoom/{zoom_id}"]')


def chosen(page: Page) -> Locator:
    """The places the page sends along with the next tap."""
    return page.locator("#chosen input[name=r]")


def whole_body(page: Page) -> Locator:
    return page.locator(".zoom-caption a[data-keep]")


def test_places_chosen_on_enlarged_views_survive_with_javascript(
    page: Page, traffic: Traffic, server: str, is_phone: bool
):
    page.goto(f"/zoom/{zoom_of(LOWER_BACK)}")
    set_marker(page)
    press(figure_region(page, LOWER_BACK), is_phone)
    expect(page.locator("#panel-heading")).to_have_attribute("data-selection", LOWER_BACK)
    assert marker(page) == 1, "the panel should change in place"
    expect(whole_body(page)).to_have_attribute("href", query(LOWER_BACK))

    press(zoom_link(page, zoom_of(THIGH)), is_phone)
    expect(page).to_have_url(url(server, f"/zoom/{zoom_of(THIGH)}?r={LOWER_BACK}"))
    expect(chosen(page)).to_have_value(LOWER_BACK)
    press(figure_region(page, THIGH), is_phone)
    expect(page.locator("#panel-heading")).to_have_attribute(
        "data-selection", f"{LOWER_BACK} {THIGH}"
    )
    expect(zoom_link(page, zoom_of(LOWER_BACK))).to_have_attribute(
        "href", f"/zoom/{zoom_of(LOWER_BACK)}{query(LOWER_BACK, THIGH)[1:]}"
    )

    press(whole_body(page), is_phone)
    expect(page).to_have_url(url(server, query(LOWER_BACK, THIGH)))
    expect_selected(page, LOWER_BACK, THIGH)
    assert not traffic.problems(), traffic.problems()


def test_places_chosen_on_enlarged_views_survive_without_javascript(
    nojs_page: Page, server: str, is_phone: bool
):
    page = nojs_page
    page.goto(f"/zoom/{zoom_of(LOWER_BACK)}")
    press(figure_region(page, LOWER_BACK), is_phone)
    expect(page).to_have_url(url(server, query(LOWER_BACK)))
    press(zoom_link(page, zoom_of(THIGH)), is_phone)
    expect(page).to_have_url(url(server, f"/zoom/{zoom_of(THIGH)}?r={LOWER_BACK}"))
    expect(chosen(page)).to_have_value(LOWER_BACK)
    press(whole_body(page), is_phone)
    expect(page).to_have_url(url(server, query(LOWER_BACK)))
    expect_selected(page, LOWER_BACK)
