"""The figure on a phone: one view at full width with a Front/Back switch, tap areas a finger
can hit; on a desktop both views side by side.

Content: tests/data/levels/regions.yaml for the switch; the shipped figure for the tap areas
(generated geometry, not the clinic's wording). Phone and desktop, JavaScript on and off.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from bodymap import create_app

from .conftest import ROOT, SCREENS, bounded, serving
from .test_accessibility import expect_no_violations

LEVELS = ROOT / "tests" / "data" / "levels" / "regions.yaml"
MIN_SIZE = 24  # CSS px, WCAG 2.2 SC 2.5.8 with no exception

# The rendered box of every region link that is shown (a hidden view's are 0 x 0).
SHOWN_REGIONS = """() => [...document.querySelectorAll('.figures svg a.region')].map(a => {
  const r = a.getBoundingClientRect();
  return {id: a.dataset.region, width: r.width, height: r.height};
}).filter(b => b.width > 0 && b.height > 0)"""


@pytest.fixture(scope="module")
def levels_url() -> Iterator[str]:
    with serving(create_app(LEVELS)) as url:
        yield url


@pytest.fixture
def browser_context_args(browser_context_args: dict, levels_url: str) -> dict:
    return {**browser_context_args, "base_url": levels_url}


@pytest.fixture(params=["js", "nojs"])
def any_page(request, context: BrowserContext, new_context) -> Page:
    """A page with JavaScript on, then one with it off."""
    if request.param == "js":
        return context.new_page()
    return bounded(new_context(java_script_enabled=False)).new_page()


def show(page: Page, view: str) -> None:
    """Tap "Front" or "Back" on the switch, as a patient would."""
    page.get_by_role("group", name="Which side of the body to show").get_by_text(
        view, exact=True
    ).click()


def views(page: Page) -> dict[str, bool]:
    return {v: page.locator(f"figure.view-{v}").is_visible() for v in ("front", "back")}


def test_a_phone_shows_one_view_and_the_switch_flips_it(any_page: Page, is_phone: bool):
    page = any_page
    page.goto("/")
    switch = page.get_by_role("group", name="Which side of the body to show")
    if not is_phone:
        expect(switch).to_be_hidden()
        assert views(page) == {"front": True, "back": True}
        return
    expect(switch).to_be_visible()
    assert views(page) == {"front": True, "back": False}
    show(page, "Back")
    expect(page.get_by_role("radio", name="Back")).to_be_checked()
    assert views(page) == {"front": False, "back": True}
    show(page, "Front")
    expect(page.get_by_role("radio", name="Front")).to_be_checked()
    assert views(page) == {"front": True, "back": False}


def test_the_switch_works_from_the_keyboard(page: Page, is_phone: bool):
    if not is_phone:
        pytest.skip("the switch is for phones only")
    page.goto("/")
    page.get_by_role("radio", name="Front").focus()
    page.keyboard.press("ArrowRight")
    expect(page.get_by_role("radio", name="Back")).to_be_checked()
    assert views(page) == {"front": False, "back": True}


def test_a_place_on_the_back_is_chosen_and_the_back_stays_shown(any_page: Page, is_phone: bool):
    page = any_page
    page.goto("/")
    if is_phone:
        show(page, "Back")
    region = page.locator("figure.view-back svg a.region").first
    place = region.get_attribute("data-region")
    region.click()
    expect(page.locator("#panel-heading")).to_have_attribute("data-selection", place)
    expect(page.locator(f'figure.view-back a.region[data-region="{place}"]')).to_have_attribute(
        "aria-current", "true"
    )
    if is_phone:  # after the panel's swap, or after the new page's load: still the back
        expect(page.get_by_role("radio", name="Back")).to_be_checked()
        assert views(page) == {"front": False, "back": True}
    else:
        assert views(page) == {"front": True, "back": True}


def test_every_region_on_the_phone_figure_is_at_least_24_px(
    page: Page, is_phone: bool, base_url: str
):
    if not is_phone:
        pytest.skip("tap areas are measured on the phone")
    page.goto(base_url + "/")  # the shipped figure
    assert page.evaluate("window.innerWidth") == SCREENS["phone"]["viewport"]["width"]
    shown = {}
    for view in ("Front", "Back"):
        show(page, view)
        boxes = page.evaluate(SHOWN_REGIONS)
        assert boxes, f"no region shown on the {view} view"
        shown.update({b["id"]: b for b in boxes})
    everything = page.locator(".figures svg a.region").evaluate_all(
        "links => links.map(a => a.dataset.region)"
    )
    assert set(shown) == set(everything), "a region is on neither view"
    small = {i: b for i, b in shown.items() if min(b["width"], b["height"]) < MIN_SIZE}
    assert not small, f"regions under {MIN_SIZE} x {MIN_SIZE} CSS px: {small}"


def test_no_accessibility_violations_with_the_switch(page: Page, is_phone: bool):
    page.goto("/")
    expect_no_violations(page, "the map with the Front/Back switch")
    if is_phone:
        show(page, "Back")
        expect_no_violations(page, "the map showing the back")


ZOOM_VIEWS = ROOT / "tests" / "data" / "zoom-views" / "regions.yaml"


@pytest.fixture(scope="module")
def zoom_views_url() -> Iterator[str]:
    with serving(create_app(ZOOM_VIEWS)) as url:
        yield url


@pytest.mark.parametrize("javascript", [True, False], ids=["js", "nojs"])
def test_an_enlarged_part_on_both_views_shows_one_at_a_time_at_full_width_on_a_phone(
    request, browser: Browser, zoom_views_url: str, screen: str, is_phone: bool, javascript: bool
):
    """Twice the size of the part side by side: small places on an enlarged view are easy to
    hit (bench/finger.py); a place on the back is chosen there and the back stays shown."""
    context = bounded(
        browser.new_context(
            **SCREENS[screen], base_url=zoom_views_url, java_script_enabled=javascript
        )
    )
    request.addfinalizer(context.close)
    page = context.new_page()
    page.goto("/zoom/trunk")
    switch = page.get_by_role("group", name="Which side of the body to show")
    if not is_phone:
        expect(switch).to_be_hidden()
        assert views(page) == {"front": True, "back": True}
        return
    assert views(page) == {"front": True, "back": False}
    width = page.locator("figure.view-front svg").bounding_box()["width"]
    assert width >= 0.85 * SCREENS[screen]["viewport"]["width"], width
    show(page, "Back")
    assert views(page) == {"front": False, "back": True}
    page.locator('figure.view-back a.region[data-region="low-back-left"]').tap()
    expect(page.locator("#panel-heading")).to_have_attribute("data-selection", "low-back-left")
    expect(page.get_by_role("radio", name="Back")).to_be_checked()
    assert views(page) == {"front": False, "back": True}
