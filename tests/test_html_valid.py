"""Every kind of page is valid HTML (html-validate from npm, hx-* attributes allowed).

On tests/data/places/regions.yaml: every kind of page, in the tests' own words.
"""

from __future__ import annotations

import subprocess

from .conftest import ROOT

HTML_VALIDATE = ROOT / "node_modules" / ".bin" / "html-validate"
PAGES = {
    "home": "/",
    "region": "/regions/lower-back-left",
    "region-without-pain-points": "/regions/belly",
    "pain-point": "/pain-points/chronic-back-pain",
    "several-places": "/?r=lower-back-left&r=thigh-back-left",
    "search": "/search?q=pinched+nerve&r=calf-left",
    "nothing-found": "/search?q=xylophone",
    "summary": "/summary?r=lower-back-left&r=thigh-back-left",
    "summary-without-places": "/summary",
    "warning-signs-yes": "/?r=lower-back-left&r=thigh-back-left&flags=yes",
    "warning-signs-none": "/?r=lower-back-left&flags=none",
    "details": "/details?r=lower-back-left&r=thigh-back-left&i.lower-back-left=7",
    "summary-with-details": "/summary?r=lower-back-left&r=thigh-back-left&i.lower-back-left=7"
    "&k.lower-back-left=burning&d.thigh-back-left=months&worst=lower-back-left&flags=none",
    "not-found": "/regions/no-such-place",
}


def html_problems(client, pages: dict[str, str], tmp_path) -> str:
    """What html-validate says about the pages the client serves at these addresses."""
    assert HTML_VALIDATE.exists(), "run npm ci"
    files = []
    for name, url in pages.items():
        path = tmp_path / f"{name}.html"
        path.write_bytes(client.get(url).data)
        files.append(str(path))
    result = subprocess.run(
        [str(HTML_VALIDATE), "--config", str(ROOT / ".htmlvalidate.json"), *files],
        capture_output=True,
        text=True,
        timeout=120,
    )
    return "" if result.returncode == 0 else result.stdout + result.stderr


def test_pages_are_valid_html(places_client, tmp_path):
    assert html_problems(places_client, PAGES, tmp_path) == ""
