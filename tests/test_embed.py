"""Embed mode as the clinic's website receives it: headers, links, theme, snippet."""

from __future__ import annotations

import html
import re

import pytest

from bodymap import create_app
from bodymap.contrast import mix, ratio
from bodymap.lint import content_warnings
from bodymap.loader import load_bytes
from bodymap.problems import ContentError

from .conftest import SMALL

SMALL_TEXT = SMALL.read_text()
EMBED_SETTINGS = """  embed:
    allowed_origins: ["https://www.clinic.example", "http://127.0.0.1:8123"]
    open_links: OPEN
"""


def embedding_client(tmp_path, open_links="top", theme=""):
    path = tmp_path / "regions.yaml"
    settings = EMBED_SETTINGS.replace("OPEN", open_links) + theme
    path.write_text(SMALL_TEXT.replace("  disclaimer:", settings + "  disclaimer:"))
    return create_app(path, TESTING=True).test_client()


def text(response) -> str:
    return response.get_data(as_text=True)


def test_only_embed_responses_may_be_framed_by_the_allowed_origins(tmp_path):
    client = embedding_client(tmp_path)
    allowed = "frame-ancestors 'self' https://www.clinic.example http://127.0.0.1:8123"
    for url in ("/embed", "/embed/regions/belly", "/embed/fragments/regions/belly.html"):
        assert client.get(url).headers["Content-Security-Policy"].endswith(allowed), url
    for url in ("/", "/regions/belly", "/embed/snippet", "/healthz"):
        policy = client.get(url).headers["Content-Security-Policy"]
        assert policy.endswith("frame-ancestors 'self'"), url
    assert "X-Frame-Options" not in client.get("/embed").headers


def test_embed_pages_drop_the_header_but_keep_the_emergency_line_and_booking(tmp_path):
    client = embedding_client(tmp_path)
    page = text(client.get("/embed/regions/lower-back-left"))
    assert 'class="site-header"' not in page
    assert "If this is an emergency, call" in page
    assert "Book an appointment" in page
    assert "/static/frame.js" in page
    assert 'data-parent-origins="https://www.clinic.example http://127.0.0.1:8123"' in page
    assert 'class="site-header"' in text(client.get("/regions/lower-back-left"))


def test_links_inside_the_frame_stay_in_the_frame(tmp_path):
    page = text(embedding_client(tmp_path).get("/embed/regions/lower-back-left"))
    assert 'href="/embed/pain-points/chronic-back-pain?r=lower-back-left"' in page
    assert 'hx-get="/embed/fragments/pain-points/chronic-back-pain.html?r=lower-back-left"' in page
    assert 'href="/embed/?r=lower-back-left&amp;r=lower-back-right"' in page  # the figure
    assert 'href="/regions/' not in page


@pytest.mark.parametrize(("setting", "target"), [("top", "_top"), ("new-tab", "_blank")])
def test_links_out_of_the_frame_open_as_configured(tmp_path, setting, target):
    page = text(embedding_client(tmp_path, setting).get("/embed/regions/lower-back-left"))
    article = re.search(r'<a href="https://clinic.example/depression"([^>]*)>', page)
    booking = re.search(r'<a class="button" href="https://clinic.example/book"([^>]*)>', page)
    for link in (article, booking):
        assert link and link[1] == f' target="{target}" rel="noopener noreferrer"'


def test_theme_is_served_as_css_custom_properties(tmp_path):
    theme = '  theme: {accent: "#5b2a86", text: "#222", background: "#fffdf8", font: serif}\n'
    client = embedding_client(tmp_path, theme=theme)
    page = text(client.get("/embed"))
    stylesheet = re.search(r'<link rel="stylesheet" href="(/theme\.css\?v=[0-9a-f]+)">', page)
    css = client.get(stylesheet[1])
    assert css.content_type == "text/css; charset=utf-8"
    body = text(css)
    assert "--theme-accent: #5b2a86;" in body and "--theme-background: #fffdf8;" in body
    assert "--font: Charter," in body
    assert "style=" not in page


@pytest.mark.parametrize(
    ("origin", "reason"),
    [
        ("https://www.clinic.example/", "no / at the end"),
        ("https://www.clinic.example/page", "no path"),
        ("http://www.clinic.example", "web origin"),
        ("javascript:alert(1)", "web origin"),
        ("https://WWW.CLINIC.EXAMPLE", "web origin"),
    ],
)
def test_allowed_origins_are_validated(origin, reason):
    text_ = SMALL_TEXT.replace(
        "  disclaimer:", f'  embed:\n    allowed_origins: ["{origin}"]\n  disclaimer:'
    )
    with pytest.raises(ContentError) as caught:
        load_bytes(text_.encode())
    assert reason in str(caught.value)


def test_theme_colours_and_fonts_are_validated():
    for theme, words in (
        ('{accent: "blue"}', 'must be a colour written as "#1f6f8b"'),
        ("{font: comic-sans}", "must be 'system', 'humanist', 'serif' or 'rounded'"),
        ("{radius: 40}", "radius"),
    ):
        text_ = SMALL_TEXT.replace("  disclaimer:", f"  theme: {theme}\n  disclaimer:")
        with pytest.raises(ContentError, match=re.escape(words)):
            load_bytes(text_.encode())


def test_contrast_follows_wcag():
    assert ratio("#000000", "#ffffff") == pytest.approx(21.0)
    assert ratio("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)
    assert mix("#000000", "#ffffff", 0.5) == "#808080"


def test_check_warns_about_a_theme_that_is_hard_to_read():
    text_ = SMALL_TEXT.replace(
        "  disclaimer:", '  theme: {accent: "#66aaff", text: "#1d2327"}\n  disclaimer:'
    )
    warnings = [w.message for w in content_warnings(load_bytes(text_.encode()))]
    assert (
        "low contrast in the theme: links (accent), #66aaff on #ffffff, is 2.40:1; "
        "WCAG AA asks for 4.5:1"
    ) in warnings
    assert any("button text (white) on the accent" in w for w in warnings)
    assert not any("theme: text," in w for w in warnings)


def test_snippet_page_shows_the_code_with_this_address(tmp_path):
    page = text(embedding_client(tmp_path).get("/embed/snippet", base_url="https://map.example"))
    code = html.unescape(re.search(r'<code id="snippet">(.*?)</code>', page, re.S)[1])
    assert code.startswith('<iframe src="https://map.example/embed/" title="Where does it hurt?')
    assert 'loading="lazy" data-bodymap-frame></iframe>' in code
    assert code.endswith('<script src="https://map.example/static/embed.js" async></script>')
    assert "<code>https://www.clinic.example</code>" in page
