"""Search in the patient's own words, in a real browser, on a phone and a desktop screen.

"Sciatic", "slipped disk", "pins and needles": with JavaScript the results appear as
the patient types (htmx active search) and the status line says how many; without it
the form is a plain page (/search?q=…). A cause found opens its page; a place found is
a tap that adds it to the places already chosen. On the search tests' own content
(tests/data/search/regions.yaml).
"""

from __future__ import annotations

import re

from playwright.sync_api import BrowserContext, Locator, Page, expect

from ..search_table import CONTENT
from .conftest import Traffic, own_content
from .test_accessibility import expect_no_violations
from .test_journey import (
    expect_clean,
    expect_start,
    figure_region,
    follow,
    loads_page,
    marker,
    panel,
    panel_heading,
    press,
    set_marker,
    url,
)
from .test_places import link_to, query

server, browser_context_args, traffic, nojs_traffic = own_content(CONTENT)
SCIATICA = "Sciatica (lumbar radiculopathy)"
HERNIATED_DISC = "Herniated disc (slipped disc)"
CARPAL_TUNNEL = "Carpal tunnel syndrome"
LOWER_BACK = "lower-back-left"
LOWER_BACK_NAME = "Lower back, your left side"
THIGH = "thigh-back-left"
CALF = "calf-left"
NONSENSE = "qxzvwk"
CAUSES = "Causes of pain"
PLACES = "Places on the body (tap to choose)"
ARTICLES = "Articles from Test Spine Clinic"


# --- helpers -------------------------------------------------------------------------


def search_box(page: Page) -> Locator:
    return page.locator("#search-words")


def results(page: Page) -> Locator:
    return page.locator("#search-results")


def group(page: Page, heading: str) -> Locator:
    """The links of one group of results ("Causes of pain", "Places on the body …")."""
    return results(page).locator(
        f"xpath=.//h3[normalize-space()='{heading}']/following-sibling::ul[1]/li/a"
    )


def type_words(page: Page, words: str, is_phone: bool) -> None:
    """Empty the box and type, a key at a time, as a patient does."""
    box = search_box(page)
    press(box, is_phone)
    box.fill("")
    box.press_sequentially(words, delay=30)


def expect_results_for(page: Page, words: str) -> None:
    heading = results(page).locator("#found-heading")
    expect(heading).to_have_text(f"Results for “{words}”")
    expect(heading).to_be_visible()


def expect_count_announced(page: Page) -> None:
    """The status line says as many results as the lists show (warning signs included)."""
    shown = results(page).locator("section.found ul.found-list > li, .search-warning li")
    status = page.locator("#status")
    expect(status).to_have_text(re.compile(r"^(\d+ results?|Nothing found)$"))
    count = shown.count()
    expected = "Nothing found" if count == 0 else f"{count} result{'' if count == 1 else 's'}"
    expect(status).to_have_text(expected)


# --- with JavaScript: results as the patient types ---------------------------------------


def test_typing_sciatic_finds_sciatica_and_opens_it_in_place(
    page: Page, context: BrowserContext, traffic: Traffic, server: str, is_phone: bool
):
    page.goto("/")
    expect_start(page, server)
    set_marker(page)

    type_words(page, "sciatic", is_phone)

    expect_results_for(page, "sciatic")
    expect(group(page, CAUSES).first).to_have_text(SCIATICA)
    expect(group(page, CAUSES).first).to_be_visible()
    expect(group(page, ARTICLES).first).to_have_attribute("href", re.compile(r"^https://"))
    expect_count_announced(page)
    expect(page).to_have_url(url(server, "/"))  # typing does not change the address
    assert marker(page) == 1, "typing reloaded the page: results should appear in place"

    press(group(page, CAUSES).first, is_phone)

    expect(page).to_have_url(url(server, "/pain-points/sciatica"))
    expect(panel_heading(page)).to_have_text(re.compile(r"^\s*Sciatica"))
    expect(panel_heading(page)).to_be_focused()
    assert marker(page) == 1, "the page reloaded: the panel should change in place"
    expect_clean(traffic, context, page)


def test_the_words_patients_use(
    page: Page, context: BrowserContext, traffic: Traffic, server: str, is_phone: bool
):
    page.goto("/")
    expect_start(page, server)
    set_marker(page)

    type_words(page, "slipped disk", is_phone)
    expect_results_for(page, "slipped disk")
    expect(group(page, CAUSES).first).to_have_text(HERNIATED_DISC)
    expect_count_announced(page)

    type_words(page, "pins and needles", is_phone)
    expect_results_for(page, "pins and needles")
    expect(group(page, CAUSES).filter(has_text=CARPAL_TUNNEL)).to_have_count(1)
    expect(group(page, CAUSES).filter(has_text=CARPAL_TUNNEL)).to_be_visible()
    expect_count_announced(page)

    type_words(page, NONSENSE, is_phone)
    expect_results_for(page, NONSENSE)
    expect(results(page)).to_contain_text("Nothing found")
    expect(results(page).locator("ul.found-list")).to_have_count(0)
    expect(page.locator("#status")).to_have_text("Nothing found")

    assert marker(page) == 1, "typing reloaded the page: results should appear in place"
    expect(page).to_have_url(url(server, "/"))
    expect_clean(traffic, context, page)


def test_a_place_found_by_search_can_be_chosen(
    page: Page, context: BrowserContext, traffic: Traffic, server: str, is_phone: bool
):
    page.goto("/")
    expect_start(page, server)
    set_marker(page)

    type_words(page, "lumbar", is_phone)
    expect_results_for(page, "lumbar")
    place = group(page, PLACES).filter(has_text=re.compile(f"^{LOWER_BACK_NAME}$"))
    expect(place).to_have_count(1)
    expect(place).to_have_attribute("href", link_to(LOWER_BACK))

    press(place, is_phone)

    expect(page).to_have_url(url(server, query(LOWER_BACK)))
    expect(panel_heading(page)).to_have_text(LOWER_BACK_NAME)
    expect(panel(page).locator(".chosen-list .chosen-name")).to_have_text([LOWER_BACK_NAME])
    expect(figure_region(page, LOWER_BACK)).to_have_attribute("aria-current", "true")
    expect(page.locator("svg a.region[aria-current]")).to_have_count(1)
    # The result itself now shows the place as chosen, and a tap would take it away.
    expect(place).to_have_attribute("aria-current", "true")
    expect(place).to_have_attribute("href", link_to())
    assert marker(page) == 1, "the page reloaded: the panel should change in place"
    expect_clean(traffic, context, page)


def test_search_keeps_the_places_already_chosen(
    page: Page, context: BrowserContext, traffic: Traffic, server: str, is_phone: bool
):
    page.goto(query(CALF))
    expect(figure_region(page, CALF)).to_have_attribute("aria-current", "true")
    set_marker(page)

    type_words(page, "lumbar", is_phone)
    expect_results_for(page, "lumbar")
    place = group(page, PLACES).filter(has_text=re.compile(f"^{LOWER_BACK_NAME}$"))
    expect(place).to_have_attribute("href", link_to(CALF, LOWER_BACK))
    # A cause found keeps the chosen places in its address too.
    expect(group(page, CAUSES).first).to_have_attribute(
        "href", re.compile(r"^/pain-points/[a-z0-9-]+\?r=" + CALF + "$")
    )

    press(place, is_phone)

    expect(page).to_have_url(url(server, query(CALF, LOWER_BACK)))
    expect(panel_heading(page)).to_have_text("Pain in 2 places")
    expect(figure_region(page, CALF)).to_have_attribute("aria-current", "true")
    expect(figure_region(page, LOWER_BACK)).to_have_attribute("aria-current", "true")
    expect(page.locator("svg a.region[aria-current]")).to_have_count(2)

    # Searching again after the tap still knows both places.
    type_words(page, "thigh", is_phone)
    expect_results_for(page, "thigh")
    thigh = results(page).locator(f'a[data-toggle="{THIGH}"]')
    expect(thigh).to_have_attribute("href", link_to(CALF, LOWER_BACK, THIGH))
    assert marker(page) == 1, "the page reloaded: the panel should change in place"
    expect_clean(traffic, context, page)


# --- without JavaScript: the form is a page of its own --------------------------------------


def submit_search(page: Page, words: str, is_phone: bool) -> None:
    """Type and press Enter: the browser loads the results page from the server."""
    box = search_box(page)
    press(box, is_phone)
    box.press_sequentially(words, delay=30)
    loads_page(page, "the search", lambda r: "/search?" in r.url, lambda: box.press("Enter"))


def test_search_without_javascript(
    nojs_page: Page,
    nojs_context: BrowserContext,
    nojs_traffic: Traffic,
    server: str,
    is_phone: bool,
):
    page = nojs_page
    page.goto("/")
    expect_start(page, server)

    submit_search(page, "slipped disk", is_phone)

    expect(page).to_have_url(url(server, "/search?q=slipped+disk"))
    expect(page).to_have_title(re.compile(r"^Search: slipped disk — Where does it hurt\?"))
    expect_results_for(page, "slipped disk")
    expect(search_box(page)).to_have_value("slipped disk")
    first = group(page, CAUSES).first
    expect(first).to_have_text(HERNIATED_DISC)
    expect(first).to_be_visible()

    follow(page, first, is_phone, "/pain-points/herniated-disc")
    expect(page).to_have_url(url(server, "/pain-points/herniated-disc"))
    expect(panel_heading(page)).to_have_text(re.compile(r"^\s*Herniated disc"))
    expect_clean(nojs_traffic, nojs_context, page)


def test_search_without_javascript_keeps_the_places_already_chosen(
    nojs_page: Page,
    nojs_context: BrowserContext,
    nojs_traffic: Traffic,
    server: str,
    is_phone: bool,
):
    page = nojs_page
    page.goto(query(CALF))
    expect(figure_region(page, CALF)).to_have_attribute("aria-current", "true")

    submit_search(page, "lumbar", is_phone)

    expect(page).to_have_url(re.compile(re.escape(server) + r"/search\?"))
    expect_results_for(page, "lumbar")
    expect(figure_region(page, CALF)).to_have_attribute("aria-current", "true")
    place = group(page, PLACES).filter(has_text=re.compile(f"^{LOWER_BACK_NAME}$"))
    expect(place).to_have_count(1)

    follow(page, place, is_phone, query(CALF, LOWER_BACK))
    expect(page).to_have_url(url(server, query(CALF, LOWER_BACK)))
    expect(panel_heading(page)).to_have_text("Pain in 2 places")
    expect(page.locator("svg a.region[aria-current]")).to_have_count(2)
    expect_clean(nojs_traffic, nojs_context, page)


# --- accessibility (axe-core, WCAG 2.2 AA) ---------------------------------------------------


def test_accessibility_with_search_results_shown(page: Page, server: str, is_phone: bool):
    page.goto(query(LOWER_BACK))
    type_words(page, "sciatic", is_phone)
    expect_results_for(page, "sciatic")
    expect(group(page, CAUSES).first).to_be_visible()
    expect_count_announced(page)  # bodymap.js has run over the results
    expect_no_violations(page, "the map with search results")


def test_accessibility_of_two_places(page: Page, server: str, is_phone: bool):
    page.goto("/")
    expect_start(page, server)
    press(figure_region(page, LOWER_BACK), is_phone)
    expect(page).to_have_url(url(server, query(LOWER_BACK)))
    press(figure_region(page, THIGH), is_phone)
    expect(page).to_have_url(url(server, query(LOWER_BACK, THIGH)))
    expect(panel_heading(page)).to_have_text("Pain in 2 places")
    expect(page.locator("#status")).to_have_text(re.compile(r"Pain in 2 places"))
    expect_no_violations(page, "the panel of two places")


# --- warning signs first ---------------------------------------------------------------------


def expect_warning_first(page: Page, action: str, sign: str) -> Locator:
    """The warning block is the first result, visible, names the sign and offers the action."""
    block = results(page).locator(".search-warning")
    expect(block).to_be_visible()
    expect(block).to_contain_text(sign)
    first_result = results(page).locator("section.found > :not(h2)").first
    expect(first_result).to_have_class(re.compile(r"\bsearch-warning\b"))
    button = block.get_by_role("link", name=action, exact=True)
    expect(button).to_be_visible()
    later = results(page).locator("ul.found-list a")
    if later.count():
        assert block.bounding_box()["y"] < later.first.bounding_box()["y"], "a result above"
    return button


def test_an_emergency_typed_shows_call_911_before_any_result(
    page: Page, context: BrowserContext, traffic: Traffic, is_phone: bool
):
    page.goto("/")
    type_words(page, "chest pain spreading to my left arm", is_phone)
    expect_results_for(page, "chest pain spreading to my left arm")
    button = expect_warning_first(page, "Call 911", "Chest pain, pressure or tightness")
    expect(button).to_have_attribute("href", "tel:911")
    expect_count_announced(page)
    expect_clean(traffic, context, page)


def test_thoughts_of_suicide_offer_a_call_or_a_text_to_988(
    page: Page, context: BrowserContext, traffic: Traffic, is_phone: bool
):
    page.goto("/")
    type_words(page, "I want to kill myself", is_phone)
    expect_results_for(page, "I want to kill myself")
    call = expect_warning_first(page, "Call 988", "Thoughts of ending your life")
    expect(call).to_have_attribute("href", "tel:988")
    text = results(page).get_by_role("link", name="Text 988", exact=True)
    expect(text).to_have_attribute("href", "sms:988")
    expect(text).to_be_visible()
    expect_count_announced(page)
    expect_no_violations(page, "a crisis warning found by search")
    expect_clean(traffic, context, page)


def test_the_warning_in_spanish_without_javascript(
    nojs_page: Page, nojs_context: BrowserContext, nojs_traffic: Traffic, is_phone: bool
):
    page, context, traffic = nojs_page, nojs_context, nojs_traffic
    page.goto("/?lang=es")
    submit_search(page, "no siento las piernas", is_phone)
    expect(page).to_have_url(re.compile(r"/search\?"))
    button = expect_warning_first(page, "Llame al 911", "hormigueo que baja por las dos piernas")
    expect(button).to_have_attribute("href", "tel:911")
    expect_clean(traffic, context, page)


def test_ordinary_words_show_no_warning(
    page: Page, context: BrowserContext, traffic: Traffic, is_phone: bool
):
    page.goto("/")
    for words in ("knee pain", "stiff neck", "pins and needles in my hand"):
        type_words(page, words, is_phone)
        expect_results_for(page, words)
        expect(group(page, CAUSES).first).to_be_visible()
        expect(results(page).locator(".search-warning")).to_have_count(0)
    expect_clean(traffic, context, page)


def test_a_dead_end_offers_the_phone_and_the_body_areas(
    page: Page, context: BrowserContext, traffic: Traffic, is_phone: bool
):
    page.goto("/")
    type_words(page, NONSENSE, is_phone)
    expect_results_for(page, NONSENSE)
    expect(page.locator("#status")).to_have_text("Nothing found")
    phone = results(page).get_by_role("link", name="(555) 010-0199")
    expect(phone).to_have_attribute("href", "tel:5550100199")
    area = results(page).get_by_role("link", name="Lower back, sacrum and tailbone")
    expect(area).to_be_visible()
    press(area, is_phone)
    expect(page.locator("#area-lower-back")).to_be_in_viewport()
    expect_no_violations(page, "nothing found")
    expect_clean(traffic, context, page)
