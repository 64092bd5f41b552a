"""The keyboard's and screen reader's fast path: a place chosen by its name, Space on a toggle,
and the place added said by name. Phone and desktop, with and without JavaScript.

On tests/data/places/regions.yaml. Every key the patient presses is counted from the top of
the page (Tab, each letter typed, Enter): a named place is reached and chosen in 20 or fewer.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from .conftest import Traffic, own_content, show_view_of
from .test_accessibility import expect_no_violations
from .test_journey import (
    expect_clean,
    figure_region,
    marker,
    panel_heading,
    set_marker,
    url,
)
from .test_places import (
    LOWER_BACK,
    LOWER_BACK_NAME,
    PLACES,
    THIGH,
    THIGH_NAME,
    chosen_link,
    expect_one_place,
    expect_selected,
    expect_two_places,
)

server, browser_context_args, traffic, nojs_traffic = own_content(PLACES)
MOST_KEYS = 20  # issue 15.7: a named place reached and chosen in this many presses at most
PICKER = "Or choose a place from a list"


class Keyboard:
    """The patient's keyboard, counting every key pressed."""

    def __init__(self, page: Page):
        self.page, self.presses = page, 0

    def press(self, key: str) -> None:
        self.page.keyboard.press(key)
        self.presses += 1

    def type(self, text: str) -> None:
        for letter in text:
            self.press(letter)

    def tab_to(self, role: str, name: str) -> None:
        """Tab until the control is focused (at most MOST_KEYS presses in all)."""
        wanted = self.page.get_by_role(role, name=name, exact=True)
        while self.presses < MOST_KEYS:
            self.press("Tab")
            if wanted.evaluate("el => el === document.activeElement"):
                return
        raise AssertionError(f"{name!r} not reached in {MOST_KEYS} key presses")


def choose_by_name(keys: Keyboard, typed: str, name: str) -> None:
    """From wherever focus is: Tab to the list of places, type the first letters, Add."""
    keys.tab_to("combobox", PICKER)
    keys.type(typed)
    expect(keys.page.get_by_role("combobox", name=PICKER)).to_have_value(
        re.compile(".+")  # typing chose a place, not the empty first choice
    )
    chosen = keys.page.locator("#place-picker-place option:checked")
    expect(chosen).to_have_text(name)
    keys.press("Tab")
    expect(keys.page.get_by_role("button", name="Add", exact=True)).to_be_focused()
    keys.press("Enter")


def another_by_name(keys: Keyboard, typed: str, name: str) -> None:
    """From the panel's heading (focus after a place is added): back to the list by name."""
    expect(panel_heading(keys.page)).to_be_focused()
    keys.press("Shift+Tab")
    expect(keys.page.get_by_role("link", name="Add another place by name")).to_be_focused()
    keys.press("Enter")
    expect(keys.page.get_by_role("combobox", name=PICKER)).to_be_focused()
    keys.type(typed)
    expect(keys.page.locator("#place-picker-place option:checked")).to_have_text(name)
    keys.press("Tab")
    keys.press("Enter")


def status(page: Page):
    return page.locator("#status")


# --- a place by name ---------------------------------------------------------------------


def test_a_named_place_in_20_key_presses_with_javascript(
    page: Page, context: BrowserContext, traffic: Traffic, server: str
):
    page.goto("/")
    set_marker(page)
    keys = Keyboard(page)
    choose_by_name(keys, "lower", LOWER_BACK_NAME)
    expect_one_place(page, server, LOWER_BACK, LOWER_BACK_NAME)
    assert keys.presses <= MOST_KEYS, keys.presses
    expect(status(page)).to_have_text("Added: " + LOWER_BACK_NAME)
    expect(panel_heading(page)).to_be_focused()

    keys = Keyboard(page)
    another_by_name(keys, "back", THIGH_NAME)
    expect_two_places(page, server)  # the first place kept, the second after it
    assert keys.presses <= MOST_KEYS, keys.presses
    expect(status(page)).to_have_text("Added: " + THIGH_NAME + ". Showing Pain in 2 places")
    assert marker(page) == 1, "the page reloaded: the panel should change in place"
    expect_clean(traffic, context, page)


def test_a_named_place_in_20_key_presses_without_javascript(
    nojs_page: Page, nojs_context: BrowserContext, nojs_traffic: Traffic, server: str
):
    page = nojs_page
    page.goto("/")
    keys = Keyboard(page)
    choose_by_name(keys, "lower", LOWER_BACK_NAME)
    expect_one_place(page, server, LOWER_BACK, LOWER_BACK_NAME)
    assert keys.presses <= MOST_KEYS, keys.presses
    # The page opens at the panel's heading, which names the place.
    expect(panel_heading(page)).to_be_focused()

    keys = Keyboard(page)
    another_by_name(keys, "back", THIGH_NAME)
    # The form writes the places as one field (r=a+b), the same state as r=a&r=b.
    expect(page).to_have_url(url(server, f"/?r={LOWER_BACK}+{THIGH}"))
    expect(panel_heading(page)).to_have_text("Pain in 2 places")
    expect(page.locator("#panel .chosen-list .chosen-name")).to_have_text(
        [LOWER_BACK_NAME, THIGH_NAME]
    )
    expect_selected(page, LOWER_BACK, THIGH)
    assert keys.presses <= MOST_KEYS, keys.presses
    expect_clean(nojs_traffic, nojs_context, page)


def test_the_other_side_is_one_arrow_further(page: Page, server: str):
    page.goto("/")
    keys = Keyboard(page)
    keys.tab_to("combobox", PICKER)
    keys.type("lower")
    keys.press("ArrowDown")
    expect(page.locator("#place-picker-place option:checked")).to_have_text(
        "Lower back, your right side"
    )
    keys.press("Tab")
    keys.press("Enter")
    expect(panel_heading(page)).to_have_text("Lower back, your right side")
    assert keys.presses <= MOST_KEYS, keys.presses


def test_choosing_a_chosen_place_again_keeps_it(page: Page, server: str):
    page.goto(f"/?r={LOWER_BACK}&r={THIGH}")
    keys = Keyboard(page)
    choose_by_name(keys, "lower", LOWER_BACK_NAME)
    expect_two_places(page, server)


# --- Space on a toggle -------------------------------------------------------------------


def scroll_after(page: Page, key: str) -> float:
    """Where the page is after `key` on the focused lower back, once the panel has changed."""
    page.goto("/")
    show_view_of(page, LOWER_BACK)  # on a phone the back view is one tap away
    figure_region(page, LOWER_BACK).focus()
    page.keyboard.press(key)
    expect(panel_heading(page)).to_have_text(LOWER_BACK_NAME)
    expect(status(page)).to_have_text(re.compile("^Added: " + re.escape(LOWER_BACK_NAME)))
    return page.evaluate("window.scrollY")


def test_space_on_a_region_adds_it_as_enter_does_and_does_not_scroll(
    page: Page, context: BrowserContext, traffic: Traffic, server: str
):
    by_enter = scroll_after(page, "Enter")
    set_marker(page)
    by_space = scroll_after(page, " ")
    assert by_space == by_enter, "Space scrolled the page (Enter did not)"
    expect_one_place(page, server, LOWER_BACK, LOWER_BACK_NAME)

    # Space on the chosen place takes it away again, and says so.
    figure_region(page, LOWER_BACK).focus()
    page.keyboard.press(" ")
    expect(panel_heading(page)).to_have_text("Choose a place on the body")
    expect(status(page)).to_have_text(re.compile("^Removed: " + re.escape(LOWER_BACK_NAME)))
    expect_selected(page)
    expect_clean(traffic, context, page)


def test_space_on_the_list_of_places_and_on_remove(page: Page, server: str):
    page.goto(f"/?r={LOWER_BACK}")
    page.locator("#region-list").get_by_role("link", name=THIGH_NAME, exact=True).focus()
    page.keyboard.press(" ")
    expect_two_places(page, server)
    chosen_link(page, LOWER_BACK_NAME).focus()
    page.keyboard.press(" ")
    expect_one_place(page, server, THIGH, THIGH_NAME)
    expect(status(page)).to_have_text(re.compile("^Removed: " + re.escape(LOWER_BACK_NAME)))


# --- in Spanish, and for axe -------------------------------------------------------------


def test_the_place_added_is_said_in_spanish(page: Page):
    page.goto("/?lang=es")
    keys = Keyboard(page)
    keys.tab_to("combobox", "O elija un lugar de una lista")
    keys.type("esp")
    keys.press("Tab")
    keys.press("Enter")
    expect(status(page)).to_have_text("Añadido: Espalda baja, su lado izquierdo")


@pytest.mark.parametrize("address", ["/", f"/?r={LOWER_BACK}"])
def test_no_axe_violations_with_the_list_by_name(page: Page, address: str):
    page.goto(address)
    expect(page.get_by_role("combobox", name=PICKER)).to_be_visible()
    expect_no_violations(page, "the page with the list of places by name")
    # The link back to the list, shown when focused, is seen by axe too.
    if address != "/":
        page.get_by_role("link", name="Add another place by name").focus()
        expect_no_violations(page, "the focused link back to the list by name")
