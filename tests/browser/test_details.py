"""A patient answers the warning-sign question, describes two places and prints the summary:
phone and desktop, with and without JavaScript (content: tests/data/details.yaml)."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import zxingcpp
from babel.dates import format_date
from PIL import Image
from playwright.sync_api import Browser, BrowserContext, Page, expect
from pypdf import PdfReader

from bodymap import create_app
from bodymap.caching import MissBudget

from .conftest import SCREENS, bounded, serving
from .test_accessibility import expect_no_violations
from .test_journey import press

DETAILS = Path(__file__).parents[1] / "data" / "details.yaml"
BOTH = "/?r=lower-back-left&r=lower-back-right"
LEFT, RIGHT = "Lower back, your left side", "Lower back, your right side"


@pytest.fixture(scope="module")
def details_server() -> str:
    """The app on the details test content, its public address set to where it listens."""
    app = create_app(DETAILS)
    app.extensions["bodymap.misses"] = MissBudget(share=1.0, burst=3600.0)  # as live_server
    with serving(app) as url:
        app.config["PUBLIC_URL"] = url
        yield url


@pytest.fixture(params=["js", "no-js"])
def journey(request, browser: Browser, screen: str, details_server: str) -> Page:
    """A page at this screen size, with JavaScript on or off, on the details server."""
    context: BrowserContext = bounded(
        browser.new_context(
            **SCREENS[screen],
            base_url=details_server,
            java_script_enabled=request.param == "js",
        )
    )
    yield context.new_page()
    context.close()


def test_none_of_these_is_kept_and_said(journey: Page, is_phone: bool):
    journey.goto(BOTH)
    press(journey.get_by_role("button", name="None of these apply to me"), is_phone)
    expect(journey).to_have_url(re.compile(r"flags=none"))
    expect(
        journey.get_by_text("You said none of these warning signs apply to you.")
    ).to_be_visible()
    # The education below is still there.
    expect(journey.get_by_role("link", name="Sciatica")).to_be_visible()


def test_yes_lands_on_the_emergency_action(journey: Page, is_phone: bool):
    journey.goto(BOTH)
    press(journey.get_by_role("button", name="Yes, one of these"), is_phone)
    expect(journey).to_have_url(re.compile(r"flags=yes#answer$"))
    call = journey.locator("#answer").get_by_role("link", name="Call 911")
    expect(call).to_have_attribute("href", "tel:911")
    expect(call).to_be_in_viewport()
    width = call.bounding_box()["width"]
    assert width >= journey.locator("#answer").bounding_box()["width"] * 0.8, "not full width"
    expect(journey.locator("#answer .answer-signs li")).to_have_text(["Numbness between the legs."])


def fill_details(page: Page, is_phone: bool) -> None:
    """From the panel: the details form for both places, then the summary."""
    page.goto(BOTH + "&flags=none")
    press(page.get_by_role("link", name="Tell us more about your pain (optional)"), is_phone)
    left = page.get_by_role("group", name=LEFT, exact=True)
    right = page.get_by_role("group", name=RIGHT, exact=True)
    left.get_by_role("group", name="How bad is it?").get_by_role("radio", name="8").check()
    left.get_by_role("checkbox", name="Zinging").check()
    left.get_by_role("checkbox", name="Dull").check()
    left.get_by_role("radio", name="3 months or more").check()
    right.get_by_role("group", name="How bad is it?").get_by_role(
        "radio", name=re.compile(r"^0")
    ).check()
    right.get_by_role("radio", name="Days").check()
    page.get_by_role("group", name="Which place hurts the most?").get_by_role(
        "radio", name=LEFT
    ).check()
    press(page.get_by_role("button", name="Show my summary"), is_phone)
    expect(page).to_have_url(re.compile(r"/summary\?"))


def test_details_for_two_places_reach_the_summary(journey: Page, is_phone: bool):
    fill_details(journey, is_phone)
    rows = journey.locator(".summary-details tbody tr")
    expect(rows.nth(0)).to_contain_text(f"{LEFT} (hurts the most)")
    expect(rows.nth(0)).to_contain_text("8/10")
    expect(rows.nth(0)).to_contain_text("Zinging, Dull")
    expect(rows.nth(0)).to_contain_text("3 months or more")
    expect(rows.nth(1)).to_contain_text("0/10")
    expect(rows.nth(1)).to_contain_text("Days")
    expect(journey.get_by_text("You said none of these apply:")).to_be_visible()


@pytest.mark.parametrize("journey", ["js"], indirect=True)  # axe is a script: it needs JS
def test_the_details_form_and_the_answered_pages_pass_axe(journey: Page, is_phone: bool):
    journey.goto("/details?r=lower-back-left&r=lower-back-right&i.lower-back-left=4")
    expect_no_violations(journey, "the details form")
    journey.goto(BOTH + "&flags=yes#answer")
    expect_no_violations(journey, "the action after yes")
    fill_details(journey, is_phone)
    expect_no_violations(journey, "the summary with details")


def test_the_scale_is_reached_and_answered_with_the_keyboard(journey: Page):
    journey.goto("/details?r=lower-back-left")
    # The ends are named (Chromium reads the hidden words as "0 : no pain").
    first = journey.get_by_role("radio", name=re.compile(r"^0\s*:\s*no pain$"))
    expect(first).to_have_count(1)
    worst = re.compile(r"^10\s*:\s*worst pain you can imagine$")
    expect(journey.get_by_role("radio", name=worst)).to_have_count(1)
    first.focus()
    journey.keyboard.press("ArrowRight")
    journey.keyboard.press("ArrowRight")
    expect(journey.get_by_role("radio", name="2", exact=True)).to_be_checked()


ANSWERED = (
    "/summary?r=lower-back-left&r=lower-back-right&i.lower-back-left=8&k.lower-back-left=zinging"
    "&k.lower-back-left=dull&d.lower-back-left=months&i.lower-back-right=0&d.lower-back-right=days"
    "&worst=lower-back-left&flags=none"
)
PRINTED = {
    "en": [
        "8/10",
        "0/10",
        "Zinging, Dull",
        "3 months or more",
        "Days",
        "You said none of these apply:",
    ],
    "es": [
        "8/10",
        "0/10",
        "Zumbante, Sordo",
        "3 meses o más",
        "Días",
        "Usted dijo que no le pasa ninguna de estas cosas:",
    ],
}


@pytest.mark.parametrize("screen", ["desktop"])
@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("paper", ["A4", "Letter"])
def test_the_printed_summary_is_one_sheet_with_the_answers(
    browser: Browser, screen: str, details_server: str, language: str, paper: str
):
    context = bounded(browser.new_context(**SCREENS[screen], base_url=details_server))
    page = context.new_page()
    page.goto(f"{ANSWERED}&lang={language}")
    reader = PdfReader(io.BytesIO(page.pdf(format=paper, print_background=True)))
    assert len(reader.pages) == 1
    printed = " ".join(reader.pages[0].extract_text().split())
    now = datetime.now(UTC).astimezone(ZoneInfo("America/Chicago"))  # clinic.timezone
    assert format_date(now, "long", locale=language) in printed
    for words in PRINTED[language]:
        assert words in printed, (words, printed)
    for screen_only in ("Español", "English", "Back to the body map", "Volver al mapa"):
        assert screen_only not in printed
    context.close()


@pytest.mark.parametrize("screen", ["desktop"])
def test_the_qr_code_reopens_the_same_summary(page: Page, details_server: str):
    page.goto(details_server + ANSWERED)
    own = page.locator(".reopen a").get_attribute("href")
    assert own.startswith(details_server + "/summary?")
    shot = page.locator("svg.qr").screenshot()
    found = zxingcpp.read_barcodes(Image.open(io.BytesIO(shot)))
    assert [code.text for code in found] == [own]
    page.goto(own)
    expect(page.locator(".summary-details tbody tr")).to_have_count(2)
