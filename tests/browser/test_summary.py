"""The summary to bring to the appointment, printed by Chromium: one sheet, places marked.

On tests/data/places/regions.yaml, except that the sample's summaries (the longest texts a clinic
starts from) must print on one sheet: those places are picked by area, not by id.
"""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import Page, expect

from bodymap import create_app
from bodymap.caching import MissBudget
from bodymap.content import build_content
from bodymap.loader import load_file

from .conftest import CONTENT, ROOT, own_content, serving
from .test_accessibility import expect_no_violations
from .test_journey import press

PLACES = ROOT / "tests" / "data" / "places" / "regions.yaml"
server, browser_context_args, traffic, nojs_traffic = own_content(PLACES)
BACK_AND_THIGH = ["lower-back-left", "thigh-back-left"]


def by_area(path) -> dict[str, list[str]]:
    """Places of the shared live server's content with the most to print, one per area,
    whatever their ids."""
    regions = load_file(path).regions_file.regions
    richest: dict[str, object] = {}
    for region in sorted(regions, key=lambda r: -len(r.pain_points)):
        richest.setdefault(region.area, region)
    firsts = [r.id for r in sorted(richest.values(), key=lambda r: -len(r.pain_points))]
    return {"one place": firsts[:1], "three areas": firsts[:3], "six areas": firsts[:6]}


SELECTIONS = by_area(CONTENT)
PAGE_OBJECT = re.compile(rb"/Type\s*/Page(?!s)")


def summary_path(ids: list[str]) -> str:
    return "/summary?" + "&".join(f"r={i}" for i in ids)


def pdf_pages(page: Page, paper: str) -> int:
    """How many sheets Chromium prints the page on (counted in the PDF it makes)."""
    pdf = page.pdf(format=paper, print_background=True)
    assert pdf.startswith(b"%PDF"), "Chromium did not make a PDF"
    return len(PAGE_OBJECT.findall(pdf))


@pytest.mark.parametrize("screen", ["desktop"])
@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("name", list(SELECTIONS))
def test_the_summary_prints_on_one_sheet_of_a4_and_of_letter(
    page: Page, live_server: str, name: str, language
):
    # Spanish texts run about a quarter longer than English: both must fit.
    page.goto(live_server + summary_path(SELECTIONS[name]) + f"&lang={language}")
    expect(page.locator("html")).to_have_attribute("lang", language)
    expect(page.locator(".summary-places li")).to_have_count(len(SELECTIONS[name]))
    assert pdf_pages(page, "A4") == 1
    assert pdf_pages(page, "Letter") == 1


def described(ids: list[str]) -> str:
    """The summary of these places of the sample with every detail given, the longest way:
    pain at 8, the three longest kinds, 3 months or more, the worst place, and three warning
    signs ticked (in each language, the signs and kinds with the longest texts)."""
    content = build_content(load_file(CONTENT))
    kinds = sorted(content.pain_kinds, key=lambda k: -len(content.pain_kinds[k].label))[:3]
    signs = sorted(content.selection(ids).red_flags, key=lambda f: -len(f.text))[:3]
    query = [f"r={i}" for i in ids]
    for i in ids:
        query += [f"i.{i}=8", f"k.{i}={'+'.join(kinds)}", f"d.{i}=months"]
    query += [f"worst={ids[0]}", "flags=yes", *(f"sign={f.id}" for f in signs)]
    return "/summary?" + "&".join(query)


@pytest.fixture(scope="module")
def sample_with_address() -> str:
    """The app on the shared content with its public address set: the sheet has a QR code."""
    app = create_app(CONTENT)
    app.extensions["bodymap.misses"] = MissBudget(share=1.0, burst=3600.0)
    with serving(app) as url:
        app.config["PUBLIC_URL"] = url
        yield url


@pytest.mark.parametrize("screen", ["desktop"])
@pytest.mark.parametrize("language", ["en", "es"])
def test_six_places_with_every_detail_and_the_qr_code_print_on_one_sheet(
    page: Page, sample_with_address: str, language: str
):
    """The fullest sheet promised (docs/summary.md): more to print only makes the type smaller."""
    ids = SELECTIONS["six areas"]
    page.goto(sample_with_address + described(ids) + f"&lang={language}")
    expect(page.locator(".summary-details tbody tr")).to_have_count(len(ids))
    expect(page.locator(".summary-reopen .qr")).to_have_count(1)
    expect(page.locator(".summary-flags .flag-reply .sign")).to_have_count(3)
    assert pdf_pages(page, "A4") == 1
    assert pdf_pages(page, "Letter") == 1


@pytest.mark.parametrize("screen", ["desktop"])
def test_the_page_count_can_tell_two_sheets_from_one(page: Page):
    """The check above would notice a summary that runs over: a long page is two sheets."""
    page.goto(summary_path(BACK_AND_THIGH))
    page.evaluate("document.querySelector('.summary-notes').style.paddingBottom = '30cm'")
    assert pdf_pages(page, "A4") >= 2


def test_the_printed_summary_shows_the_chosen_places_on_the_figure_and_in_words(page: Page):
    page.goto(summary_path(BACK_AND_THIGH))
    page.emulate_media(media="print")
    places = page.locator(".summary-places li")
    expect(places).to_have_text(["Lower back, your left side", "Back of the thigh, your left side"])
    marked = page.locator(".marked-figure .is-selected")
    expect(marked).to_have_count(2)
    for i in range(2):
        box = marked.nth(i).bounding_box()
        assert box and box["width"] > 3 and box["height"] > 3, "a marked place is not visible"
        expect(marked.nth(i)).to_have_css("fill", "rgb(0, 0, 0)")  # black on paper
    # On paper: the warning signs, the causes and the clinic's phone; no buttons or menus.
    expect(page.locator(".summary-flags li").first).to_be_visible()
    expect(page.locator(".summary-causes li").first).to_contain_text("Sciatica")
    expect(page.locator(".summary-clinic")).to_contain_text("Call (555) 010-0100")
    expect(page.locator(".site-header")).to_be_hidden()
    expect(page.get_by_role("button", name="Print this summary")).to_be_hidden()
    expect(page.locator(".print-url").first).to_have_text(re.compile(r"^https://"))


def test_the_summary_is_reached_from_the_panel_and_has_a_print_button(page: Page, is_phone: bool):
    page.goto("/?r=lower-back-left&r=thigh-back-left")
    press(page.get_by_role("link", name="A summary to print for your appointment"), is_phone)
    expect(page).to_have_url(re.compile(r"/summary\?r=lower-back-left&r=thigh-back-left$"))
    button = page.get_by_role("button", name="Print this summary")
    expect(button).to_be_visible()
    page.evaluate("window.print = () => { window.__printed = true; }")
    press(button, is_phone)
    assert page.evaluate("window.__printed") is True
    expect_no_violations(page, "the summary")


def test_the_summary_works_without_javascript(nojs_page: Page):
    nojs_page.goto(summary_path(BACK_AND_THIGH))
    expect(nojs_page.locator(".summary-places li")).to_have_count(2)
    # The print button needs JavaScript, so it stays hidden; the browser's Print works.
    expect(nojs_page.get_by_role("button", name="Print this summary")).to_be_hidden()
