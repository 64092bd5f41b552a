"""Embed mode as the clinic's website receives it: headers, links, theme, snippet."""

from __future__ import annotations

import html
import json
import re
from html.parser import HTMLParser

import pytest

from bodymap import create_app
from bodymap.contrast import mix, ratio
from bodymap.lint import content_warnings
from bodymap.loader import load_bytes
from bodymap.problems import ContentError

from .conftest import SMALL, SMALL_FIGURE, copy_content

SMALL_TEXT = SMALL.read_text()
EMBED_SETTINGS = """  embed:
    allowed_origins: ["https://www.clinic.example", "http://127.0.0.1:8123"]
    open_links: OPEN
"""


def embedding_client(tmp_path, open_links="top", theme=""):
    path = tmp_path / "regions.yaml"
    settings = EMBED_SETTINGS.replace("OPEN", open_links) + theme
    copy_content(path, text=SMALL_TEXT.replace("  disclaimer:", settings + "  disclaimer:"))
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
    figure = 'href="/embed/?r=lower-back-left&amp;r=lower-back-right#panel-heading"'
    assert figure in page  # the figure
    assert 'href="/regions/' not in page


@pytest.mark.parametrize(("setting", "target"), [("top", "_top"), ("new-tab", "_blank")])
def test_links_out_of_the_frame_open_as_configured(tmp_path, setting, target):
    page = text(embedding_client(tmp_path, setting).get("/embed/regions/lower-back-left"))
    article = re.search(r'<a href="https://clinic.example/depression"([^>]*)>', page)
    booking = re.search(r'<a class="button" href="https://clinic.example/book"([^>]*)>', page)
    for link in (article, booking):
        assert link and link[1] == f' target="{target}" rel="noreferrer"'


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
        load_bytes(text_.encode(), figure=SMALL_FIGURE.read_bytes())
    assert reason in str(caught.value)


def test_theme_colours_and_fonts_are_validated():
    for theme, words in (
        ('{accent: "blue"}', 'must be a colour written as "#1f6f8b"'),
        ("{font: comic-sans}", "must be 'system', 'humanist', 'serif' or 'rounded'"),
        ("{radius: 40}", "radius"),
    ):
        text_ = SMALL_TEXT.replace("  disclaimer:", f"  theme: {theme}\n  disclaimer:")
        with pytest.raises(ContentError, match=re.escape(words)):
            load_bytes(text_.encode(), figure=SMALL_FIGURE.read_bytes())


def test_contrast_follows_wcag():
    assert ratio("#000000", "#ffffff") == pytest.approx(21.0)
    assert ratio("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)
    assert mix("#000000", "#ffffff", 0.5) == "#808080"


def test_check_warns_about_a_theme_that_is_hard_to_read():
    text_ = SMALL_TEXT.replace(
        "  disclaimer:", '  theme: {accent: "#66aaff", text: "#1d2327"}\n  disclaimer:'
    )
    warnings = [
        w.message
        for w in content_warnings(load_bytes(text_.encode(), figure=SMALL_FIGURE.read_bytes()))
    ]
    assert (
        "low contrast in the theme: links (accent), #66aaff on #ffffff, is 2.40:1; "
        "WCAG AA asks for 4.5:1"
    ) in warnings
    assert any("button text (white) on the accent" in w for w in warnings)
    assert not any("theme: text," in w for w in warnings)


ALLOWED = "frame-ancestors 'self' https://www.clinic.example http://127.0.0.1:8123"


@pytest.mark.parametrize(
    "url", ["/embed/nowhere", "/embed/regions/nope/more", "/embed/fragments/x.html"]
)
def test_a_dead_link_inside_the_frame_gets_the_frames_friendly_page(tmp_path, url):
    response = embedding_client(tmp_path).get(url)
    page = text(response)
    assert response.status_code == 404
    assert response.headers["Content-Security-Policy"].endswith(ALLOWED)
    assert "We could not find that page" in page
    assert '<a class="button" href="/embed/">Go to the body map</a>' in page
    assert 'class="site-header"' not in page and "/static/frame.js" in page


def test_a_wrong_method_inside_the_frame_gets_the_frames_friendly_page(tmp_path):
    response = embedding_client(tmp_path).post("/embed/regions/belly")
    assert response.status_code == 405
    assert response.headers["Content-Security-Policy"].endswith(ALLOWED)
    assert "This page cannot be used that way." in text(response)


def test_errors_outside_the_frame_may_not_be_framed(tmp_path):
    client = embedding_client(tmp_path)
    for url in ("/nowhere", "/embedded", "/regions/nope"):
        response = client.get(url)
        assert response.status_code == 404
        assert response.headers["Content-Security-Policy"].endswith("frame-ancestors 'self'")


# --- the snippet ---------------------------------------------------------------------------

PUBLIC = "https://map.example-clinic.com"
DOCUMENTED = {
    "iframe": {"src", "title", "width", "height", "loading", "data-bodymap-frame"},
    "script": {"src", "async"},
}


class Elements(HTMLParser):
    """Every start tag of a piece of HTML, with its attributes, as a browser would see them."""

    def __init__(self, markup: str):
        super().__init__()
        self.found: list[tuple[str, dict[str, str | None]]] = []
        self.feed(markup)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, dict(attrs)))


def snippet_client(tmp_path, name: str = "Test Clinic", **config):
    path = tmp_path / "regions.yaml"
    copy_content(path, text=SMALL_TEXT.replace("name: Test Clinic", f"name: {json.dumps(name)}"))
    return create_app(path, TESTING=True, **config).test_client()


def copied(page: str) -> str:
    """What the web person copies: the text of the code box (its HTML, unescaped once)."""
    return html.unescape(re.search(r'<code id="snippet">(.*?)</code>', page, re.S)[1])


def test_snippet_page_shows_the_code_with_the_public_address(tmp_path):
    client = snippet_client(tmp_path, PUBLIC_URL=PUBLIC)
    page = text(client.get("/embed/snippet", headers={"Host": "evil.example"}))
    code = copied(page)
    assert code.startswith(f'<iframe src="{PUBLIC}/embed/" title="Where does it hurt?')
    assert 'loading="lazy" data-bodymap-frame></iframe>' in code
    assert code.endswith(f'<script src="{PUBLIC}/static/embed.js" async></script>')
    assert "evil.example" not in page
    assert "BODYMAP_PUBLIC_URL" not in page


def test_snippet_addresses_keep_the_base_path_of_the_public_address(tmp_path):
    client = snippet_client(tmp_path, PUBLIC_URL=PUBLIC + "/clinic-map")
    page = text(client.get("/embed/snippet", environ_overrides={"SCRIPT_NAME": "/clinic-map"}))
    code = copied(page)
    assert code.startswith(f'<iframe src="{PUBLIC}/clinic-map/embed/"')
    assert code.endswith(f'<script src="{PUBLIC}/clinic-map/static/embed.js" async></script>')


def test_without_a_public_address_the_snippet_page_says_what_to_set(tmp_path):
    client = snippet_client(tmp_path)
    page = text(client.get("/embed/snippet", base_url="http://evil.example"))
    code = copied(page)
    assert code.startswith('<iframe src="https://your-map-address.example/embed/"')
    assert "evil.example" not in page.replace("your-map-address.example", "")
    notice = re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", page))
    assert (
        "The map's public address is not set, so the code below has a stand-in address:"
        " https://your-map-address.example. Whoever runs the map should set"
        " BODYMAP_PUBLIC_URL to the map's address (see docs/deploy.md)"
    ) in notice


NAMES = [
    'Dr. "Joe" Smith',
    'Valley Spine" onload="alert(document.domain)',
    "Spine & Pain <Clinic>",
    "</code></pre><script>alert(1)</script>",
    "'single' \"double\" &amp; &lt;b&gt; <!-- -->",
]


@pytest.mark.parametrize("name", NAMES)
def test_the_copied_snippet_is_one_frame_and_one_script_whatever_the_clinics_name(tmp_path, name):
    client = snippet_client(tmp_path, name, PUBLIC_URL=PUBLIC)
    code = copied(text(client.get("/embed/snippet")))
    elements = Elements(code).found
    assert [tag for tag, _ in elements] == ["iframe", "script"], code
    for tag, attributes in elements:
        assert set(attributes) == DOCUMENTED[tag], code
    frame = elements[0][1]
    assert frame["title"] == f"Where does it hurt? Body map of {name}"
    assert frame["src"] == f"{PUBLIC}/embed/"


@pytest.mark.parametrize("query", ["", "?v=1", "?v=f985c6223de2"])
def test_the_snippet_page_is_never_cached_for_a_year(tmp_path, query):
    response = snippet_client(tmp_path, PUBLIC_URL=PUBLIC).get("/embed/snippet" + query)
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-cache"
