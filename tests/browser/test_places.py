"""Pain in several places, in a real browser, on a phone and on a desktop screen.

On tests/data/places/regions.yaml. "My lower back hurts, and it goes down the back of my thigh":
the patient taps both places on the figure, and the causes that fit both come first
(sciatica), each saying why it appears. A second tap on a place takes it away again. The
chosen places live in the address (/?r=…&r=…), so Back, Forward, a new tab and a shared
link all show the same panel. With JavaScript the panel changes in place (htmx); without
it every tap is a page.

Whatever is chosen, the warning signs are all on screen, above the causes, and never
behind a click.
"""

from __future__ import annotations

import re
from functools import cache

import pytest
from playwright.sync_api import BrowserContext, Locator, Page, expect

from bodymap.content import Content, build_content
from bodymap.loader import load_file

from .conftest import ROOT, Traffic, own_content
from .test_journey import (
    expect_clean,
    expect_start,
    figure_region,
    follow,
    marker,
    panel,
    panel_heading,
    press,
    set_marker,
    url,
)

PLACES = ROOT / "tests" / "data" / "places" / "regions.yaml"
server, browser_context_args, traffic, nojs_traffic = own_content(PLACES)
LOWER_BACK = "lower-back-left"
THIGH = "thigh-back-left"
CALF = "calf-left"
LOWER_BACK_NAME = "Lower back, your left side"
THIGH_NAME = "Back of the thigh, your left side"
SCIATICA = "Sciatica (a pinched nerve)"
LOW_MOOD = "Chronic back pain"  # with the crisis line
START_HEADING = "Choose a place on the body"
BOOKING = "Book an appointment"
CALL_CLINIC = "Call (555) 010-0100"
CLINIC_TEL = "tel:5550100100"


@cache
def content() -> Content:
    """The content this module's server shows (tests/data/places/regions.yaml)."""
    return build_content(load_file(PLACES))


# --- helpers -------------------------------------------------------------------------


def query(*region_ids: str) -> str:
    """The address of a selection, as the app writes it: /?r=a&r=b."""
    return "/?" + "&".join(f"r={region_id}" for region_id in region_ids) if region_ids else "/"


def link_to(*region_ids: str) -> str:
    """A tap's link: the selection's address, opening at the panel's heading."""
    return query(*region_ids) + "#panel-heading"


def chosen_link(page: Page, name: str) -> Locator:
    return panel(page).get_by_role("link", name=f"Remove {name}", exact=True)


def causes(page: Page) -> Locator:
    return panel(page).locator("article.pain-point")


def expect_selected(page: Page, *region_ids: str) -> None:
    """Exactly these places are lit on the figure, for the eye and for a screen reader."""
    for region_id in region_ids:
        region = figure_region(page, region_id)
        expect(region).to_have_attribute("aria-current", "true")
        expect(region).to_have_class(re.compile(r"\bis-selected\b"))
    expect(page.locator("svg a.region[aria-current]")).to_have_count(len(region_ids))
    expect(page.locator("svg a.region.is-selected")).to_have_count(len(region_ids))


def expect_two_places(page: Page, server: str) -> None:
    """Lower back + back of the thigh: sciatica first, and why it appears."""
    expect(page).to_have_url(url(server, query(LOWER_BACK, THIGH)))
    expect(panel_heading(page)).to_have_text("Pain in 2 places")
    expect(page).to_have_title(re.compile(r"^Pain in 2 places — Where does it hurt\?"))
    expect(panel(page).locator(".chosen-list .chosen-name")).to_have_text(
        [LOWER_BACK_NAME, THIGH_NAME]
    )
    first = causes(page).first
    expect(first.locator("h4")).to_have_text(SCIATICA)
    expect(first.locator("h4 a")).to_have_attribute(
        "href", f"/pain-points/sciatica{query(LOWER_BACK, THIGH)[1:]}"
    )
    why = first.locator("p.why")
    expect(why).to_be_visible()
    expect(why).to_have_text(
        re.compile(
            r"^\s*Why this appears:\s*"
            + re.escape(LOWER_BACK_NAME)
            + r"\s*\+\s*"
            + re.escape(THIGH_NAME)
            + r"\s*$"
        )
    )
    expect_selected(page, LOWER_BACK, THIGH)


def expect_one_place(page: Page, server: str, region_id: str, name: str) -> None:
    expect(page).to_have_url(url(server, query(region_id)))
    expect(panel_heading(page)).to_have_text(re.compile(r"^\s*" + re.escape(name) + r"\s*$"))
    expect(panel(page).locator(".chosen-list .chosen-name")).to_have_text([name])
    expect(causes(page).first).to_be_visible()
    expect(causes(page).locator("p.why")).to_have_count(0)  # one place: nothing to explain
    expect_selected(page, region_id)


def choose_two_places_with_js(page: Page, server: str, is_phone: bool) -> None:
    page.goto("/")
    expect_start(page, server)
    set_marker(page)

    press(figure_region(page, LOWER_BACK), is_phone)
    expect_one_place(page, server, LOWER_BACK, LOWER_BACK_NAME)
    press(figure_region(page, THIGH), is_phone)
    expect_two_places(page, server)
    assert marker(page) == 1, "the page reloaded: the panel should change in place"


# --- with JavaScript (htmx) ------------------------------------------------------------


def test_tapping_two_places_ranks_the_causes_that_fit_both(
    page: Page, context: BrowserContext, traffic: Traffic, server: str, is_phone: bool
):
    choose_two_places_with_js(page, server, is_phone)

    expect(page.locator("#status")).to_have_text(re.compile(r"Pain in 2 places"))
    assert page.evaluate("document.querySelectorAll('#panel').length") == 1, (
        "the panel was nested in itself"
    )
    # "Open in new tab" on a region leads to the selection a tap would make now.
    expect(figure_region(page, CALF)).to_have_attribute("href", link_to(LOWER_BACK, THIGH, CALF))
    expect(figure_region(page, THIGH)).to_have_attribute("href", link_to(LOWER_BACK))
    expect(figure_region(page, LOWER_BACK)).to_have_attribute("href", link_to(THIGH))
    expect_clean(traffic, context, page)


def test_keyboard_focus_follows_the_second_place(
    page: Page, context: BrowserContext, traffic: Traffic, server: str, is_phone: bool
):
    """After each tap focus is on the new panel's heading or stays on the place just
    tapped; never on another place the patient did not touch."""
    choose_two_places_with_js(page, server, is_phone)
    # bodymap.js writes the status line, then moves the focus.
    expect(page.locator("#status")).to_have_text(re.compile(r"Pain in 2 places"))
    focused = page.evaluate(
        "() => { const a = document.activeElement; return a.id ||"
        " a.getAttribute('data-region') || a.outerHTML.slice(0, 80); }"
    )
    assert focused in ("panel-heading", THIGH), (
        f"after tapping {THIGH} keyboard focus went to {focused!r}"
    )
    expect_clean(traffic, context, page)


def test_a_second_tap_removes_a_place_and_back_and_forward_follow(
    page: Page, context: BrowserContext, traffic: Traffic, server: str, is_phone: bool
):
    choose_two_places_with_js(page, server, is_phone)

    press(figure_region(page, THIGH), is_phone)
    expect_one_place(page, server, LOWER_BACK, LOWER_BACK_NAME)
    expect(figure_region(page, THIGH)).to_have_attribute("href", link_to(LOWER_BACK, THIGH))
    expect(page.locator("#status")).to_have_text(re.compile(re.escape(LOWER_BACK_NAME)))
    assert marker(page) == 1, "the page reloaded: the panel should change in place"

    page.go_back()
    expect_two_places(page, server)
    page.go_forward()
    expect_one_place(page, server, LOWER_BACK, LOWER_BACK_NAME)
    page.go_back()
    expect_two_places(page, server)
    expect_clean(traffic, context, page)


def test_remove_and_start_over(
    page: Page, context: BrowserContext, traffic: Traffic, server: str, is_phone: bool
):
    choose_two_places_with_js(page, server, is_phone)

    remove = chosen_link(page, LOWER_BACK_NAME)
    expect(remove).to_be_visible()
    expect(remove).to_have_attribute("href", link_to(THIGH))
    press(remove, is_phone)
    expect_one_place(page, server, THIGH, THIGH_NAME)
    expect(chosen_link(page, LOWER_BACK_NAME)).to_have_count(0)
    # The figure's lower back is a tap to add it again, not to remove it.
    expect(figure_region(page, LOWER_BACK)).to_have_attribute("href", link_to(THIGH, LOWER_BACK))

    start_over = panel(page).get_by_role("link", name="Start over", exact=True)
    expect(start_over).to_be_visible()
    press(start_over, is_phone)
    expect(page).to_have_url(url(server, "/"))
    expect(panel_heading(page)).to_have_text(START_HEADING)
    expect_selected(page)
    expect(figure_region(page, THIGH)).to_have_attribute("href", link_to(THIGH))
    assert marker(page) == 1, "the page reloaded: the panel should change in place"
    expect_clean(traffic, context, page)


def test_a_shared_link_shows_the_same_places(
    page: Page, context: BrowserContext, traffic: Traffic, server: str
):
    page.goto(query(LOWER_BACK, THIGH))
    expect_two_places(page, server)
    expect(figure_region(page, CALF)).to_have_attribute("href", link_to(LOWER_BACK, THIGH, CALF))
    expect_clean(traffic, context, page)


# --- without JavaScript: every tap is a page -------------------------------------------


def test_two_places_without_javascript(
    nojs_page: Page,
    nojs_context: BrowserContext,
    nojs_traffic: Traffic,
    server: str,
    is_phone: bool,
):
    page = nojs_page
    page.goto("/")
    expect_start(page, server)

    follow(page, figure_region(page, LOWER_BACK), is_phone, query(LOWER_BACK))
    expect_one_place(page, server, LOWER_BACK, LOWER_BACK_NAME)
    follow(page, figure_region(page, THIGH), is_phone, query(LOWER_BACK, THIGH))
    expect_two_places(page, server)

    follow(page, chosen_link(page, LOWER_BACK_NAME), is_phone, query(THIGH))
    expect_one_place(page, server, THIGH, THIGH_NAME)

    page.go_back()
    expect_two_places(page, server)
    expect_clean(nojs_traffic, nojs_context, page)


# --- an emergency sign is never hidden behind a click; the others say how many they are ---


def warning_selections() -> list[tuple[str, ...]]:
    """The first place of every area alone, and lower back + thigh + calf together."""
    alone = [(entries[0].id,) for _area, entries in content().areas]
    return [*alone, (LOWER_BACK, THIGH, CALF)]


HIDDEN_FLAGS = """(items) => items.map((li) => {
  const problems = [];
  if (!li.checkVisibility({checkOpacity: true, checkVisibilityCSS: true}))
    problems.push("not visible");
  if (li.closest("details")) problems.push("inside <details>");
  if (li.closest("[hidden]")) problems.push("inside [hidden]");
  if (li.closest("[aria-hidden=true]")) problems.push("inside aria-hidden");
  if (li.closest('[aria-expanded="false"]')) problems.push("inside aria-expanded=false");
  for (const control of document.querySelectorAll('[aria-expanded="false"][aria-controls]')) {
    for (const id of control.getAttribute("aria-controls").split(/\\s+/)) {
      const target = document.getElementById(id);
      if (target && target.contains(li)) problems.push("behind a collapsed control");
    }
  }
  const box = li.getBoundingClientRect();
  if (!(box.height > 0 && box.width > 0)) problems.push("no size");
  for (let el = li.parentElement; el; el = el.parentElement) {
    const style = getComputedStyle(el);
    if (!/hidden|clip/.test(style.overflowX + " " + style.overflowY)) continue;
    const outer = el.getBoundingClientRect();
    if (outer.height <= 0 || outer.width <= 0 || box.bottom <= outer.top
        || box.top >= outer.bottom || box.right <= outer.left || box.left >= outer.right)
      problems.push("clipped by " + el.tagName.toLowerCase() + "." + el.className);
  }
  return problems.length ? li.textContent.slice(0, 60) + ": " + problems.join(", ") : null;
}).filter(Boolean)"""


def expect_every_warning_in_view(page: Page, region_ids: tuple[str, ...]) -> None:
    """The selection's emergency signs open and first, the "today" and "soon" signs folded
    under a summary that says how many, all above the causes."""
    wanted = content().selection(region_ids)

    def texts(level: str, crisis: bool = False) -> list[str]:
        return [f.text for f in wanted.red_flags if f.level == level and f.crisis_line == crisis]

    emergency, crisis = texts("emergency"), texts("emergency", crisis=True)
    folded = {"flag-urgent": texts("urgent"), "flag-soon": texts("soon")}
    assert emergency, f"{region_ids}: places/regions.yaml has no emergency signs here"
    what = " + ".join(region_ids)

    flags = panel(page).locator(".red-flags")
    expect(flags).to_have_count(1)
    expect(flags).to_be_visible()
    expect(flags.locator(".flag-tier").first).to_have_class(re.compile(r"\bflag-emergency\b"))
    expect(flags.locator(".flag-emergency:not(.flag-crisis) li")).to_have_text(emergency)
    expect(flags.locator(".flag-crisis li")).to_have_text(crisis)
    call = flags.locator('.flag-emergency a[href="tel:911"]')
    expect(call).to_have_count(1)
    expect(call).to_be_visible()
    expect(call).to_have_text("Call 911")

    items = flags.locator(".flag-emergency li")
    expect(items).to_have_count(len(emergency) + len(crisis))
    for index in range(items.count()):
        expect(items.nth(index)).to_be_visible()
    hidden = items.evaluate_all(HIDDEN_FLAGS)
    assert hidden == [], f"{what}: emergency signs a patient cannot see: {hidden}"
    for tier, signs in folded.items():
        fold = flags.locator(f"details.{tier}")
        expect(fold).to_have_count(1 if signs else 0)
        if signs:
            expect(fold.locator("li")).to_have_text(signs)
            expect(fold.locator("summary")).to_be_visible()
            expect(fold.locator("summary")).to_contain_text(f"({len(signs)})")

    if not wanted.pain_points:
        expect(causes(page)).to_have_count(0)
        return
    first_cause = causes(page).first
    expect(first_cause).to_be_visible()
    follows = first_cause.evaluate(
        "(cause) => !!(document.querySelector('#panel .red-flags')"
        ".compareDocumentPosition(cause) & Node.DOCUMENT_POSITION_FOLLOWING)"
    )
    assert follows, f"{what}: the causes come before the warning signs in the document"
    flags_box, cause_box = flags.bounding_box(), first_cause.bounding_box()
    assert flags_box and cause_box, what
    assert flags_box["y"] + flags_box["height"] <= cause_box["y"] + 0.5, (
        f"{what}: the warning signs {flags_box} are not above the first cause {cause_box}"
    )


def test_every_warning_is_in_view_for_each_area_and_for_three_places(page: Page, server: str):
    selections = warning_selections()
    assert len(selections) == len(content().areas) + 1, selections  # and three places
    for region_ids in selections:
        page.goto(query(*region_ids))
        expect(page).to_have_url(url(server, query(*region_ids)))
        expect_every_warning_in_view(page, region_ids)


def test_warnings_after_three_taps_with_javascript(
    page: Page, context: BrowserContext, traffic: Traffic, server: str, is_phone: bool
):
    choose_two_places_with_js(page, server, is_phone)
    press(figure_region(page, CALF), is_phone)
    expect(page).to_have_url(url(server, query(LOWER_BACK, THIGH, CALF)))
    expect(panel_heading(page)).to_have_text("Pain in 3 places")
    expect_every_warning_in_view(page, (LOWER_BACK, THIGH, CALF))
    assert marker(page) == 1, "the page reloaded: the panel should change in place"
    expect_clean(traffic, context, page)


def test_the_warning_test_can_fail(page: Page):
    """The checks above notice a warning folded into <details> or clipped away."""
    page.goto(query(THIGH, "belly"))  # two emergency-level signs, one from each place
    items = panel(page).locator(".red-flags .flag-emergency li")
    expect(items.first).to_be_visible()
    page.evaluate(
        """() => {
          const [first, second] = document.querySelectorAll('#panel .flag-emergency li');
          const details = document.createElement('details');
          first.parentElement.insertBefore(details, first);
          details.appendChild(first);
          second.style.cssText = 'display: block; height: 0; overflow: hidden; padding: 0;'
            + ' margin: 0; border: 0;';
          second.parentElement.style.overflow = 'hidden';
        }"""
    )
    hidden = items.evaluate_all(HIDDEN_FLAGS)
    assert len(hidden) == 2, hidden
    assert "inside <details>" in hidden[0] and "not visible" in hidden[0], hidden
    assert "no size" in hidden[1], hidden


# --- low mood and the crisis line ---------------------------------------------------------


def crisis_call(page: Page) -> Locator:
    return panel(page).locator('a[href="tel:988"]')


def test_the_crisis_line_comes_with_the_lower_back(
    page: Page, context: BrowserContext, traffic: Traffic, server: str, is_phone: bool
):
    assert not content().selection((CALF,)).crisis_line, "the calf alone should not need it"
    page.goto(query(CALF))
    expect(panel_heading(page)).to_have_text(re.compile(r"Calf|calf"))
    expect(crisis_call(page)).to_have_count(0)
    set_marker(page)

    press(figure_region(page, LOWER_BACK), is_phone)
    expect(page).to_have_url(url(server, query(CALF, LOWER_BACK)))
    expect(panel_heading(page)).to_have_text("Pain in 2 places")
    expect(causes(page).locator("h4", has_text=LOW_MOOD)).to_have_count(1)
    expect(crisis_call(page)).to_have_count(1)
    expect(crisis_call(page)).to_be_visible()
    expect(crisis_call(page)).to_have_text("Call 988")
    expect(panel(page).locator('a[href="sms:988"]')).to_have_text("Text 988")
    assert marker(page) == 1, "the page reloaded: the panel should change in place"

    page.goto(query(LOWER_BACK, THIGH))
    expect_two_places(page, server)
    expect(causes(page).locator("h4", has_text=LOW_MOOD)).to_have_count(1)
    expect(crisis_call(page)).to_be_visible()
    expect_clean(traffic, context, page)


# --- every cause can be acted on --------------------------------------------------------


@pytest.mark.parametrize("region_ids", [(LOWER_BACK, THIGH), (CALF,)], ids=["two", "one"])
def test_the_panel_offers_booking_and_a_call_once(
    page: Page, server: str, region_ids: tuple[str, ...]
):
    page.goto(query(*region_ids))
    expect(page).to_have_url(url(server, query(*region_ids)))
    count = len(content().selection(region_ids).pain_points)
    assert count > 0
    expect(causes(page)).to_have_count(count)
    book = panel(page).get_by_role("link", name=BOOKING, exact=True)
    call = panel(page).get_by_role("link", name=CALL_CLINIC, exact=True)
    expect(book, "one booking link").to_have_count(1)
    expect(book).to_have_attribute("href", re.compile(r"^https://[^/\s]+\.[^/\s]+(/|$)"))
    expect(book).to_be_visible()
    expect(call, "one call link").to_have_count(1)
    expect(call).to_have_attribute("href", CLINIC_TEL)
    expect(call).to_be_visible()


def test_remove_links_are_never_marked_as_chosen_places(page: Page, server: str, is_phone: bool):
    """The server draws "Remove" links plain; after a swap the script must too."""
    page.goto("/")
    press(figure_region(page, LOWER_BACK), is_phone)
    press(figure_region(page, THIGH), is_phone)
    expect(page).to_have_url(url(server, query(LOWER_BACK, THIGH)))
    removes = panel(page).locator(".chosen-list a")
    expect(removes).to_have_count(2)
    for i in range(2):
        expect(removes.nth(i)).not_to_have_attribute("aria-current", "true")
        expect(removes.nth(i)).not_to_have_class(re.compile(r"\bis-selected\b"))
