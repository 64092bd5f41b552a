"""The first screen after a tap, as a patient on a phone (and a desktop) sees it.

Content: tests/data/levels/regions.yaml (every level of warning sign, five causes, a cause that
brings the crisis line, an article with and one without a Spanish title). Each test runs
at the phone and the desktop size; most with JavaScript on and off.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import BrowserContext, Locator, Page, expect

from bodymap import create_app

from .conftest import ROOT, bounded, press, serving
from .test_accessibility import expect_no_violations

LEVELS = ROOT / "tests" / "data" / "levels" / "regions.yaml"
BACK = "low-back-left"  # every level of sign, five causes, the low-mood cause
CHEST = "chest-left"  # emergency signs and the crisis-line sign only
OTHER = "low-back-right"
SMALL_PHONE_WIDTH = 360


@pytest.fixture(scope="session")
def levels_url() -> Iterator[str]:
    """This module's own server, with the levels content."""
    with serving(create_app(LEVELS)) as url:
        yield url


@pytest.fixture
def browser_context_args(browser_context_args: dict, levels_url: str) -> dict:
    """Pages of this module open on the levels server (`page.goto("/")`)."""
    return {**browser_context_args, "base_url": levels_url}


@pytest.fixture(params=["js", "nojs"])
def any_page(request, context: BrowserContext, new_context) -> Page:
    """A page with JavaScript on, then one with it off."""
    if request.param == "js":
        return context.new_page()
    return bounded(new_context(java_script_enabled=False)).new_page()


def javascript(page: Page) -> bool:
    return page.evaluate("() => !!window.htmx")


def tap(page: Page, target: Locator, is_phone: bool) -> None:
    """A finger on a phone, a mouse on a desktop."""
    press(target, is_phone)


def choose(page: Page, region_id: str, is_phone: bool) -> None:
    """Tap a place on the figure and wait until the panel shows it."""
    tap(page, page.locator(f'svg a.region[data-region="{region_id}"]'), is_phone)
    expect(page.locator("#panel-heading")).to_have_attribute(
        "data-selection", re.compile(rf"(^| ){region_id}( |$)")
    )


def in_first_screen(page: Page, target: Locator) -> bool:
    box = target.bounding_box()
    height = page.viewport_size["height"]
    return box is not None and box["y"] >= 0 and box["y"] + box["height"] <= height


def test_after_a_tap_the_heading_and_call_911_are_on_the_first_screen(
    any_page: Page, is_phone: bool
):
    page = any_page
    page.goto("/")
    choose(page, CHEST, is_phone)
    heading = page.locator("#panel-heading")
    expect(heading).to_have_text("Chest, your left side")
    box = heading.bounding_box()
    if is_phone:  # under the figure: scrolled to the top of the screen
        assert 0 <= box["y"] <= 40, box
    else:  # beside the figure: in view without moving the page
        assert 0 <= box["y"] < page.viewport_size["height"], box
    call = page.locator("#panel a.button-emergency[href='tel:911']")
    expect(call).to_have_text("Call 911")
    assert in_first_screen(page, call)
    if javascript(page):
        expect(heading).to_be_focused()


def test_today_and_soon_signs_are_folded_and_say_how_many(any_page: Page, is_phone: bool):
    page = any_page
    page.goto(f"/?r={BACK}")
    panel = page.locator("#panel")
    emergency = panel.locator(".flag-emergency").first
    expect(emergency.get_by_text("Numb between the legs.")).to_be_visible()
    today = panel.locator("details.flag-urgent")
    soon = panel.locator("details.flag-soon")
    expect(today.locator("summary")).to_contain_text("See a doctor today")
    expect(today.locator("summary")).to_contain_text("(2)")
    expect(soon.locator("summary")).to_contain_text("Call the clinic in the next few days")
    expect(soon.locator("summary")).to_contain_text("(2)")
    expect(panel.get_by_text("A fever with the pain.")).to_be_hidden()
    expect(panel.get_by_text("New pain after about age 50.")).to_be_hidden()
    tap(page, soon.locator("summary"), is_phone)
    expect(panel.get_by_text("New pain after about age 50.")).to_be_visible()
    # Its own action: call the clinic (not 911).
    expect(soon.get_by_role("link", name=re.compile("Call Levels Clinic"))).to_have_attribute(
        "href", "tel:5550100199"
    )
    # The soon signs come after the today signs, and both before the causes.
    order = page.evaluate(
        """() => ['details.flag-urgent', 'details.flag-soon', '#pain-points-heading']
            .map(s => document.querySelector('#panel ' + s).getBoundingClientRect().top)"""
    )
    assert order == sorted(order), order


def test_folded_signs_print_open(any_page: Page):
    page = any_page
    page.goto(f"/?r={BACK}")
    if javascript(page):  # what the browser does before printing
        page.evaluate("() => window.dispatchEvent(new Event('beforeprint'))")
        expect(page.locator("details.flag-urgent")).to_have_attribute("open", "")
    page.emulate_media(media="print")
    expect(page.get_by_text("A fever with the pain.")).to_be_visible()
    expect(page.get_by_text("Not better after a month.")).to_be_visible()


def test_three_causes_one_line_each_then_the_rest_folded(any_page: Page, is_phone: bool):
    page = any_page
    page.goto(f"/?r={BACK}")
    causes = page.locator("#panel article.pain-point")
    expect(causes).to_have_count(5)
    visible = [c for c in causes.all() if c.is_visible()]
    assert len(visible) == 3
    for cause in visible:  # one line: its name, and a fold for what it is
        name = cause.locator("h4")
        assert name.bounding_box()["height"] < 2 * 28, name.inner_text()
        expect(
            cause.get_by_text(re.compile(r"^An overstretched|^A pressed|^A bulging"))
        ).to_be_hidden()
    more = page.locator("#panel details.more-causes > summary")
    expect(more).to_have_text("2 more causes")
    first = causes.first
    tap(page, first.locator("summary"), is_phone)
    expect(first.get_by_text("An overstretched muscle.")).to_be_visible()
    tap(page, more, is_phone)
    expect(page.locator("#panel").get_by_role("link", name="Narrow canal")).to_be_visible()


def test_one_book_and_call_bar_on_the_first_screen_of_a_phone(any_page: Page, is_phone: bool):
    page = any_page
    page.goto("/")
    choose(page, BACK, is_phone)
    book = page.locator("#panel").get_by_role("link", name="Book an appointment")
    expect(book).to_have_count(1)
    call = page.locator("#panel .action-bar a[href='tel:5550100199']")
    expect(call).to_have_count(1)
    if is_phone:  # kept at the bottom of the screen while the panel is in view
        assert in_first_screen(page, book)
        assert in_first_screen(page, call)


def test_the_figure_says_several_places_and_which_were_chosen(any_page: Page, is_phone: bool):
    page = any_page
    page.goto("/")
    hint = page.locator(".figure-hint")
    expect(hint).to_contain_text("more than one place")
    chosen = page.locator("#you-chose")
    expect(chosen).to_be_hidden()
    choose(page, BACK, is_phone)
    expect(chosen).to_have_text("You chose: Low back, your left side")
    if is_phone:  # back to the figure to add the second place
        page.locator(".figures").scroll_into_view_if_needed()
    choose(page, OTHER, is_phone)
    expect(chosen).to_have_text("You chose: Low back, your left side; Low back, your right side")
    # Next to the figure: just above it.
    gap = page.evaluate(
        """() => document.querySelector('.figures').getBoundingClientRect().top
                 - document.querySelector('#you-chose').getBoundingClientRect().bottom"""
    )
    assert 0 <= gap < 60, gap


def test_every_sided_name_says_your_side(page: Page):
    page.goto(f"/?r={BACK}")
    expect(page.locator(f'svg a.region[data-region="{BACK}"]')).to_have_accessible_name(
        "Low back, your left side"
    )
    expect(page.locator("#panel-heading")).to_have_text("Low back, your left side")
    expect(
        page.locator("#region-list").get_by_role("link", name="Low back, your right side")
    ).to_have_count(1)
    expect(page.locator("#you-chose")).to_contain_text("Low back, your left side")
    page.goto(f"/?r={BACK}&lang=es")
    expect(page.locator("#panel-heading")).to_have_text("Zona baja, su lado izquierdo")
    expect(page.locator(f'svg a.region[data-region="{OTHER}"]')).to_have_accessible_name(
        "Zona baja, su lado derecho"
    )


def test_side_labels_are_at_least_14px_and_grow_with_the_text(page: Page, context: BrowserContext):
    page.goto("/")
    labels = page.locator(".view .side-names span")
    expect(labels).to_have_count(4)
    expect(labels.first).to_have_text("Your right")  # the front view: their right on your left
    size = labels.first.evaluate("el => parseFloat(getComputedStyle(el).fontSize)")
    assert size >= 14
    page.evaluate("() => { document.documentElement.style.fontSize = '200%'; }")
    bigger = labels.first.evaluate("el => parseFloat(getComputedStyle(el).fontSize)")
    assert bigger == pytest.approx(2 * size)


@pytest.mark.parametrize(
    "path", ["/", f"/?r={BACK}", f"/?r={BACK}&r={CHEST}", "/pain-points/nerve"]
)
def test_at_200_percent_text_nothing_runs_off_a_phone(
    new_context, path: str, screen: str, js: bool
):
    if screen != "phone":
        pytest.skip("a phone's screen")
    context = bounded(new_context(java_script_enabled=js))

    def large_text(route):
        response = route.fetch()
        route.fulfill(response=response, body=response.text() + "\nhtml { font-size: 200%; }")

    context.route("**/bodymap.css*", large_text)
    page = context.new_page()
    page.goto(path)
    assert page.locator("html").evaluate("el => getComputedStyle(el).fontSize") == "32px"
    page.evaluate("() => document.querySelectorAll('details').forEach(d => { d.open = true; })")
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= SMALL_PHONE_WIDTH, f"{path}: {width} px wide"
    skip = page.locator(".skip-link")
    box = skip.bounding_box()
    assert box["width"] <= 1 and box["height"] <= 1, box  # clipped until focused


@pytest.fixture(params=[True, False], ids=["js", "nojs"])
def js(request) -> bool:
    return request.param


def test_the_crisis_line_can_be_called_or_texted_near_the_top(any_page: Page):
    page = any_page
    page.goto(f"/?r={BACK}")  # a low-mood cause is listed
    crisis = page.locator("#panel .crisis-line")
    expect(crisis).to_contain_text("Call or text 988")
    expect(crisis.get_by_role("link", name="Call 988")).to_have_attribute("href", "tel:988")
    expect(crisis.get_by_role("link", name="Text 988")).to_have_attribute("href", "sms:988")
    above = page.evaluate(
        """() => document.querySelector('#panel .crisis-line').getBoundingClientRect().top
                 < document.querySelector('#pain-points-heading').getBoundingClientRect().top"""
    )
    assert above, "the crisis box comes before the causes"
    page.goto(f"/?r={CHEST}")  # a warning sign whose action is the crisis line
    tier = page.locator("#panel .flag-crisis")
    expect(tier).to_contain_text("Thoughts of ending your life.")
    expect(tier.locator("a[href='tel:988']")).to_have_count(1)
    expect(tier.locator("a[href='sms:988']")).to_have_count(1)
    expect(tier.locator("a[href='tel:911']")).to_have_count(0)


def test_an_article_only_in_english_says_so_on_a_spanish_page(page: Page):
    page.goto(f"/?r={BACK}&lang=es")
    page.evaluate("() => document.querySelectorAll('details').forEach(d => { d.open = true; })")
    english_only = page.locator("#panel li", has=page.get_by_role("link", name="About nerves"))
    expect(english_only.first).to_contain_text("(en inglés)")
    translated = page.locator("#panel li", has=page.get_by_role("link", name="Ejercicio"))
    expect(translated.first).not_to_contain_text("(en inglés)")
    page.goto(f"/?r={BACK}")
    expect(page.locator("#panel")).not_to_contain_text("(in English)")


@pytest.mark.parametrize("folds", ["closed", "open"])
def test_the_panel_has_no_accessibility_violations(page: Page, folds: str):
    page.goto(f"/?r={BACK}&r={CHEST}")
    if folds == "open":
        page.evaluate("() => document.querySelectorAll('details').forEach(d => { d.open = true; })")
    expect_no_violations(page, f"the panel, folds {folds}")
