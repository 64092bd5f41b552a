"""Three levels of warning sign and the panel around them, as the server writes them.

Content: tests/data/levels/regions.yaml. The browser tests
(tests/browser/test_first_screen.py) check what a patient sees;
these check the page and the sheet that the server sends.
"""

from __future__ import annotations

import re

import pytest

from .conftest import TESTS
from .conftest import testing_app as app_on
from .test_html_valid import html_problems

LEVELS = TESTS / "data" / "levels" / "regions.yaml"
BACK = "low-back-left"


@pytest.fixture(scope="module")
def levels_client():
    return app_on(LEVELS).test_client()


def page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


def test_check_accepts_the_soon_level(runner):
    code, out, _ = runner("check", str(LEVELS))
    assert code == 0, out


def test_signs_come_emergency_then_today_then_soon_then_the_causes(levels_client):
    text = page(levels_client, f"/?r={BACK}")
    order = [
        text.index("Numb between the legs."),
        text.index("A fever with the pain."),
        text.index("New pain after about age 50."),
        text.index('id="pain-points-heading"'),
    ]
    assert order == sorted(order)
    soon = re.search(r'<details class="flag-tier flag-soon">(.*?)</details>', text, re.S).group(1)
    assert "Call the clinic in the next few days" in soon and "(2)" in soon
    assert 'href="tel:5550100199"' in soon  # its own action: the clinic, not 911
    assert 'href="tel:911"' not in soon


def test_the_crisis_box_comes_before_the_causes_with_call_and_text(levels_client):
    text = page(levels_client, f"/?r={BACK}")
    box = text.index('class="crisis-line"')
    assert box < text.index('id="pain-points-heading"')
    assert 'href="tel:988"' in text[box:] and 'href="sms:988"' in text[box:]


def test_the_summary_prints_every_level_open(levels_client):
    text = page(levels_client, f"/summary?r={BACK}")
    assert "<details" not in text
    assert "See a doctor today" in text and "A fever with the pain." in text
    assert "Call the clinic in the next few days" in text and "Not better after a month." in text


def test_an_english_only_article_is_marked_on_the_spanish_page(levels_client):
    spanish = page(levels_client, f"/?r={BACK}&lang=es")
    assert re.search(r"About nerves</span></a> <span class=\"in-english\">\(en inglés\)", spanish)
    assert not re.search(r">Ejercicio</a> <span class=\"in-english\">", spanish)
    assert "(in English)" not in page(levels_client, f"/?r={BACK}")


def test_levels_pages_are_valid_html(levels_client, tmp_path):
    pages = {
        "region": f"/?r={BACK}",
        "two": f"/?r={BACK}&r=chest-left",
        "spanish": f"/?r={BACK}&lang=es",
        "pain-point": "/pain-points/low-mood",
        "summary": f"/summary?r={BACK}&r=chest-left",
    }
    assert html_problems(levels_client, pages, tmp_path) == ""
