"""The map in Spanish, in a real browser: chosen by the browser's language or by the switch,
kept in every link, and with no English interface text left on the page. On content of its
own with every text in both languages (tests/data/search/regions.yaml)."""

from __future__ import annotations

import re

import pytest
from babel.messages.pofile import read_po
from playwright.sync_api import Browser, Page, expect

from bodymap.i18n import catalogue_path, translator

from ..search_table import CONTENT
from .conftest import SCREENS, bounded, own_content
from .test_accessibility import expect_no_violations
from .test_journey import press

server, browser_context_args, traffic, nojs_traffic = own_content(CONTENT)
_ = translator("es").gettext
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")
MIN_CHUNK = 12  # shorter English pieces ("Back", "Call") can be names or content


def english_interface_texts() -> list[str]:
    """Every English interface text that has a different Spanish translation, in pieces
    long enough to be unmistakable (placeholders split them)."""
    with catalogue_path("es").open("rb") as po:
        catalogue = read_po(po)
    pieces = set()
    for message in catalogue:
        if not message.id or not message.string:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        for english in ids:
            if english in strings:
                continue
            for piece in PLACEHOLDER.split(english):
                piece = piece.strip(" .,:;()")
                if len(piece) >= MIN_CHUNK:
                    pieces.add(piece)
    return sorted(pieces)


# Everything a patient reads or hears: visible text, names and descriptions, SVG titles.
PAGE_WORDS = """() => {
    const parts = [document.title, document.body.innerText];
    for (const el of document.querySelectorAll('[aria-label], [title], [alt], [placeholder]')) {
        for (const name of ['aria-label', 'title', 'alt', 'placeholder']) {
            if (el.hasAttribute(name)) parts.push(el.getAttribute(name));
        }
    }
    for (const title of document.querySelectorAll('svg title')) parts.push(title.textContent);
    for (const el of document.querySelectorAll('[data-showing], [data-nothing]')) {
        for (const attr of el.attributes) if (attr.name.startsWith('data-')) parts.push(attr.value);
    }
    return parts.join('\\n').replace(/\\s+/g, ' ');
}"""


def english_left(page: Page) -> list[str]:
    words = page.evaluate(PAGE_WORDS)
    return [piece for piece in english_interface_texts() if piece in words]


@pytest.fixture
def spanish_page(browser: Browser, server: str, screen: str) -> Page:
    """A browser whose language is Mexican Spanish (Accept-Language: es-MX)."""
    context = bounded(browser.new_context(base_url=server, locale="es-MX", **SCREENS[screen]))
    yield context.new_page()
    context.close()


def test_the_english_list_is_not_empty():
    """The check below compares against real catalogue texts, so it can fail."""
    pieces = english_interface_texts()
    assert "Where does it hurt?" in pieces or any("Where does it hurt" in p for p in pieces)
    assert len(pieces) > 40


def test_a_spanish_browser_gets_the_map_in_spanish(spanish_page: Page):
    page = spanish_page
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.get_by_role("heading", level=1)).to_have_text(_("Where does it hurt?"))
    expect(page.locator("svg.figure-back")).to_have_attribute("aria-label", _("Back of the body"))
    assert english_left(page) == []


def test_the_spanish_region_page_has_no_english_interface_text(spanish_page: Page, is_phone: bool):
    page = spanish_page
    page.goto("/")
    press(page.locator('svg a.region[data-region="lower-back-left"]'), is_phone)
    heading = page.locator("#panel-heading")
    expect(heading).to_have_text(
        re.compile(r"^\s*Espalda baja \(zona lumbar\), su lado izquierdo\s*$")
    )
    expect(page.locator(".red-flags li").first).to_contain_text("Entumecimiento")
    expect(page.locator("article.pain-point h4").first).to_contain_text("Distensión")
    assert english_left(page) == []
    # The same page loaded whole (a shared link), and two places at once.
    for path in ("/regions/lower-back-left", "/?r=lower-back-left&r=thigh-back-left"):
        page.goto(path)
        expect(page.locator("html")).to_have_attribute("lang", "es")
        assert english_left(page) == [], path


def test_the_switch_chooses_english_and_every_link_keeps_it(spanish_page: Page, is_phone: bool):
    page = spanish_page
    page.goto("/")
    press(page.locator(".languages").get_by_role("link", name="English"), is_phone)
    expect(page).to_have_url(re.compile(r"/\?lang=en$"))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("heading", level=1)).to_have_text("Where does it hurt?")
    press(page.locator('svg a.region[data-region="lower-back-left"]'), is_phone)
    expect(page.locator("#panel-heading")).to_have_text(re.compile(r"Lower back, your left side"))
    expect(page).to_have_url(re.compile(r"lang=en"))
    # After the panel changed in place, the switch leads to this same page in Spanish.
    spanish = page.locator(".languages").get_by_role("link", name="Español")
    expect(spanish).to_have_attribute(
        "href", re.compile(r"r=lower-back-left.*lang=es|lang=es.*r=lower-back-left")
    )
    press(spanish, is_phone)
    expect(page.locator("#panel-heading")).to_have_text(re.compile(r"Espalda baja"))


def test_the_switch_works_without_javascript(nojs_page: Page):
    page = nojs_page
    page.goto("/regions/lower-back-left")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.locator(".languages").get_by_role("link", name="Español").click()
    expect(page.locator("html")).to_have_attribute("lang", "es")
    expect(page.locator("#panel-heading")).to_have_text(re.compile(r"Espalda baja"))
    link = page.locator("article.pain-point h4 a").first
    expect(link).to_have_attribute("href", re.compile(r"lang=es"))
    link.click()
    expect(page.locator("html")).to_have_attribute("lang", "es")


def test_spanish_pages_pass_axe(spanish_page: Page):
    page = spanish_page
    for path in (
        "/",
        "/?r=lower-back-left&r=thigh-back-left",
        "/search?q=ciatica",
        "/summary?r=calf-left",
    ):
        page.goto(path)
        expect(page.locator("html")).to_have_attribute("lang", "es")
        expect_no_violations(page, f"the Spanish page {path}")
