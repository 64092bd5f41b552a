"""Invariants of the sample regions.yaml, and of a copy a clinic has edited: never wording.

The clinic rewrites every text before going live, so nothing here may know the sample's
words, counts or ids: each check reads what to look for from the file it checks.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from urllib.parse import quote_plus

import pytest

from bodymap.content import Content
from bodymap.i18n import LANGUAGES
from bodymap.lint import untranslated_texts
from bodymap.loader import load_file

from .clinic_edit import ADDED_PAIN_POINT, CLINIC_PHONE, edited_copy
from .conftest import SAMPLE
from .conftest import testing_app as app_on

ALLOWED_LINK = re.compile(r"(/(?!/)|#|\?|https://|tel:|sms:|mailto:)")
LINK_ATTRIBUTES = {"href", "src", "action", "hx-get", "hx-push-url", "data-hx-get"}


@pytest.fixture(scope="module", params=["sample", "edited"])
def content_file(request, tmp_path_factory):
    """The sample as shipped, and a copy edited as a clinic would (tests/clinic_edit.py)."""
    if request.param == "sample":
        return SAMPLE
    return edited_copy(SAMPLE, tmp_path_factory.mktemp("clinic"))


@pytest.fixture(scope="module")
def app(content_file):
    return app_on(content_file)


@pytest.fixture(scope="module")
def content(app) -> Content:
    return app.extensions["bodymap"].current


@pytest.fixture(scope="module")
def pages(app, content) -> dict[str, tuple[int, str]]:
    """Every page and fragment a patient can reach, in every language: url → (status, html)."""
    client = app.test_client()
    return {url: _get(client, url) for url in _every_address(content)}


def _every_address(content: Content) -> list[str]:
    urls = []
    for language in LANGUAGES:
        words = content.in_language(language)
        lang = f"lang={language}"
        urls += [f"/?{lang}", f"/fragments/start.html?{lang}", f"/summary?{lang}"]
        urls += [f"/embed/?{lang}", f"/embed/snippet?{lang}"]
        for region_id in content.regions:
            urls += [
                f"/regions/{region_id}?{lang}",
                f"/fragments/regions/{region_id}.html?{lang}",
                f"/?r={region_id}&{lang}",
                f"/fragments/places.html?toggle={region_id}&{lang}",
                f"/summary?r={region_id}&{lang}",
            ]
        for pain_point_id, entry in words.pain_points.items():
            query = quote_plus(entry.pain_point.label)
            urls += [
                f"/pain-points/{pain_point_id}?{lang}",
                f"/fragments/pain-points/{pain_point_id}.html?{lang}",
                f"/search?q={query}&{lang}",
                f"/fragments/search.html?q={query}&{lang}",
            ]
        urls += [f"/zoom/{zoom_id}?{lang}" for zoom_id in content.zooms]
        everywhere = "&".join(f"r={region_id}" for region_id in content.regions)
        urls += [f"/?{everywhere}&{lang}", f"/summary?{everywhere}&{lang}"]
    return urls


def _get(client, url: str) -> tuple[int, str]:
    response = client.get(url)
    return response.status_code, response.get_data(as_text=True)


class _Links(HTMLParser):
    """Every address in a page's links, images, forms and htmx attributes."""

    def __init__(self):
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.found += [value for name, value in attrs if name in LINK_ATTRIBUTES and value]


def links(html: str) -> list[str]:
    parser = _Links()
    parser.feed(html)
    return parser.found


def full_pages(pages: dict) -> dict[str, str]:
    return {
        url: html
        for url, (_, html) in pages.items()
        if "/fragments/" not in url and "/embed/snippet" not in url
    }


def test_it_loads_and_passes_the_strict_check(content_file, runner):
    code, out, err = runner("check", "--strict", str(content_file))
    assert code == 0, out + err
    assert "warning" not in out + err


def test_every_page_and_fragment_renders_in_every_language(pages):
    failed = {url: status for url, (status, _) in pages.items() if status != 200}
    assert failed == {}
    for url, html in full_pages(pages).items():
        language = re.search(r"lang=(\w+)", url)[1]
        assert f'<html lang="{language}"' in html, url


def test_every_full_page_offers_the_emergency_number_and_the_clinic_phone(pages, content):
    emergency = re.sub(r"\D", "", content.clinic.emergency_number)
    phone = re.sub(r"\D", "", content.clinic.phone)
    for url, html in full_pages(pages).items():
        if url.startswith("/embed/snippet"):
            continue
        assert f'href="tel:{emergency}"' in html, url
        assert f'href="tel:{phone}"' in html, url


def test_every_link_on_every_page_is_an_allowed_kind(pages):
    found = {(url, link) for url, (_, html) in pages.items() for link in links(html)}
    assert any(link.startswith("https://") for _, link in found)  # the check sees links
    assert {(url, link) for url, link in found if not ALLOWED_LINK.match(link)} == set()


def test_every_region_has_warning_signs_and_something_to_read(content):
    assert [e.id for e in content.regions.values() if not e.red_flags] == []
    # Chest and belly may show only warning signs: they are not for a spine clinic.
    assert [e.id for e in content.regions.values() if not e.pain_points and not e.red_flags] == []
    assert any(e.pain_points for e in content.regions.values())


def test_every_pain_point_is_shown_on_some_region(content):
    shown = {p.id for e in content.regions.values() for p in e.pain_points}
    assert shown == set(content.pain_points)


def test_every_patient_text_is_in_spanish_too(content_file):
    assert untranslated_texts(load_file(content_file))["es"] == []


def test_the_clinics_copy_says_what_the_clinic_wrote(tmp_path):
    # The edited copy really differs: the checks above ran on the clinic's words too.
    sample = app_on(SAMPLE).extensions["bodymap"].current
    app = app_on(edited_copy(SAMPLE, tmp_path))
    content = app.extensions["bodymap"].current
    assert content.clinic.phone == CLINIC_PHONE
    assert len(content.articles) == len(sample.articles) - 1
    first = next(iter(content.regions))
    assert content.region(first).name != sample.region(first).name
    page = app.test_client().get(f"/regions/{first}").get_data(as_text=True)
    assert ADDED_PAIN_POINT["label"]["en"] in page
    assert content.region(first).name in page
