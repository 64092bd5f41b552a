"""Web addresses from regions.yaml: https:// and site paths only, everything else refused."""

from __future__ import annotations

import json
import re

import pytest

from bodymap.loader import load_bytes
from bodymap.models import URL_PATTERN
from bodymap.problems import ContentError

from .conftest import SMALL, SMALL_FIGURE

SMALL_TEXT = SMALL.read_text()
FIELDS = {
    "booking_url": ("booking_url: https://clinic.example/book", "booking_url: {}", 5),
    "site_url": ("site_url: https://clinic.example/", "site_url: {}", 6),
    "article url": ("url: https://clinic.example/nerves", "url: {}", 59),
}

SCHEME = "javascript:, data: and vbscript: addresses are refused"
SPACE = "no spaces, tabs, line breaks or control characters"
BACKSLASH = "no backslash"
SLASHES = "not // at the start"
HTTP = "http:// is refused"
CREDENTIALS = "no user name or password"
HOST = "punycode"
ASCII = "plain ASCII only"
SHAPE = "must be a web address starting with https:// or a path starting with /"

BAD = [
    ("javascript:alert(1)", SCHEME),
    ("JAVASCRIPT:alert(1)", SCHEME),
    ("JaVaScRiPt:alert(document.domain)", SCHEME),
    ("   javascript:alert(1)", SCHEME),
    ("\tjavascript:alert(1)", SCHEME),
    ("java\tscript:alert(1)", SCHEME),
    ("java\nscript:alert(1)", SCHEME),
    ("java\rscript:alert(1)", SCHEME),
    ("\x01javascript:alert(1)", SCHEME),
    ("java\x00script:alert(1)", SCHEME),
    ("jav\u200bascript:alert(1)", SCHEME),
    ("javascript :alert(1)", SCHEME),
    ("javascript://%0aalert(1)", SCHEME),
    ("data:text/html,<script>alert(1)</script>", SCHEME),
    ("DATA:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==", SCHEME),
    (" data:image/svg+xml,<svg onload=alert(1)>", SCHEME),
    ("vbscript:msgbox(1)", SCHEME),
    ("VBScript:msgbox(1)", SCHEME),
    ("https://clinic.example/a b", SPACE),
    ("https://clinic.example/a\tb", SPACE),
    ("https://clinic.example/a\nb", SPACE),
    ("https://clinic.example/a\u00a0b", SPACE),
    ("https://clinic.example/a\x7fb", SPACE),
    ("/treatments/ back", SPACE),
    ("https://clinic.example\\@evil.example/", BACKSLASH),
    ("https:\\\\evil.example", BACKSLASH),
    ("/\\evil.example", BACKSLASH),
    ("/treatments\\back", BACKSLASH),
    ("//evil.example/", SLASHES),
    ("//evil.example", SLASHES),
    ("///evil.example", SLASHES),
    ("http://clinic.example/", HTTP),
    ("HTTP://clinic.example/", HTTP),
    ("https://user@clinic.example/", CREDENTIALS),
    ("https://user:pw@clinic.example/", CREDENTIALS),
    ("https://clinic.example@evil.example/", CREDENTIALS),
    ("https://:@evil.example", CREDENTIALS),
    ("https://bücher.example/", HOST),
    ("https://\u0435xample.com/", HOST),  # a Cyrillic e
    ("https://clinic.example/é", ASCII),
    ("/träatments", ASCII),
    ("ftp://clinic.example/", SHAPE),
    ("mailto:front-desk@clinic.example", SHAPE),
    ("tel:5550100", SHAPE),
    ("clinic.example/book", SHAPE),
    ("https://", SHAPE),
    ("https:/clinic.example", SHAPE),
    ("https://-clinic.example/", SHAPE),
    ("https://clinic..example/", SHAPE),
    ("https://clinic.example:port/", SHAPE),
    ("HTTPS://clinic.example/", SHAPE),
    ("#top", SHAPE),
    ("?page=1", SHAPE),
    ("../etc/passwd", SHAPE),
    ("", SHAPE),
]

GOOD = [
    "https://clinic.example/book",
    "https://www.clinic.example/treatments/physical-therapy/",
    "https://clinic.example",
    "https://clinic.example:8443/book",
    "https://clinic.example/search?q=back+pain&page=2",
    "https://clinic.example/page#section-2",
    "https://clinic.example/caf%C3%A9",
    "https://xn--bcher-kva.example/",
    "https://sub.domain-with-hyphens.clinic.example/a/b/c.html",
    "https://clinic.example/@team",
    "https://clinic.example/?",
    "/",
    "/articles/physical-therapy",
    "/articles/a.html?x=1#y",
]


def load_with(field: str, value: str):
    original, template, _ = FIELDS[field]
    assert original in SMALL_TEXT
    # A JSON string is a YAML double-quoted string: escapes (\t, \n, \u…) survive the trip.
    text = SMALL_TEXT.replace(original, template.format(json.dumps(value)), 1)
    return load_bytes(text.encode(), "regions.yaml", figure=SMALL_FIGURE.read_bytes())


def test_the_corpus_is_big_enough():
    assert len(BAD) >= 30 and len(GOOD) >= 10


@pytest.mark.parametrize("field", FIELDS)
@pytest.mark.parametrize(("url", "message"), BAD, ids=[repr(u) for u, _ in BAD])
def test_dangerous_or_malformed_addresses_are_refused_with_file_line_and_reason(
    field, url, message
):
    with pytest.raises(ContentError) as caught:
        load_with(field, url)
    _, _, line = FIELDS[field]
    problems = [str(p) for p in caught.value.problems]
    assert len(problems) == 1, problems
    assert problems[0].startswith(f"regions.yaml:{line}:"), problems
    assert message in problems[0], problems
    assert "must be a web address starting with https:// or a path starting with /" in problems[0]


@pytest.mark.parametrize("field", FIELDS)
@pytest.mark.parametrize("url", GOOD)
def test_plain_https_addresses_and_site_paths_are_accepted(field, url):
    load_with(field, url)


def test_phone_numbers_become_tel_links_of_digits_only(client):
    page = client.get("/regions/lower-back-left").get_data(as_text=True)
    assert 'href="tel:5550100100"' in page


def test_the_schema_pattern_agrees_with_the_loader():
    """Editors see the same rule (regions.schema.json) as `bodymap check` applies."""
    pattern = re.compile(URL_PATTERN)
    for url in GOOD:
        assert pattern.match(url), url
    for url, _ in BAD:
        assert not pattern.match(url.strip()), url
