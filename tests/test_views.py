"""Pages, fragments, 404s and headers, as a browser without JavaScript receives them."""

from __future__ import annotations

import re
import subprocess
import sys

from .conftest import ROOT, SMALL, copy_content


def text(response) -> str:
    return response.get_data(as_text=True)


def test_home_page_has_the_figure_instructions_emergency_line_and_region_list(client):
    response = client.get("/")
    page = text(response)
    assert response.status_code == 200
    assert '<h1 id="map-heading">Where does it hurt?</h1>' in page
    assert 'If this is an emergency, call <a href="tel:911">911</a>' in page
    assert page.count('class="figure figure-') == 2
    assert 'id="region-list"' in page
    # the figure and the list; the page opens at the panel's heading
    assert page.count('href="/?r=lower-back-left#panel-heading"') == 2
    assert "<title>Where does it hurt? — Test Clinic</title>" in page


def test_region_page_shows_red_flags_before_pain_points(client):
    page = text(client.get("/regions/lower-back-left"))
    assert "<title>Lower back, your left side — Where does it hurt? — Test Clinic</title>" in page
    assert page.index("Numbness between the legs.") < page.index("Common causes of pain here")
    assert 'href="/pain-points/chronic-back-pain?r=lower-back-left"' in page
    assert "Chronic Back Pain and Depression: Is There a Link?" in page
    assert 'href="tel:5550100100"' in page and 'href="https://clinic.example/book"' in page
    assert "988" in page  # the crisis line goes with mood-related content
    assert 'aria-current="true"' in page


def test_region_fragment_is_the_panel_block_of_the_region_page(client):
    fragment = text(client.get("/fragments/regions/lower-back-left.html"))
    page = text(client.get("/regions/lower-back-left"))
    assert fragment.startswith("<title>Lower back, your left side — Where does it hurt?")
    panel = fragment.split("</title>\n", 1)[1]
    assert panel.strip() and panel in page
    assert "<html" not in fragment and "figure-front" not in fragment


def test_pain_point_page_lists_articles_and_related_regions(client):
    page = text(client.get("/pain-points/sciatica"))
    assert '<h2 id="panel-heading" tabindex="-1" data-pain-point="sciatica">Sciatica</h2>' in page
    assert 'href="https://clinic.example/nerves"' in page
    assert "Where this pain is often felt" in page
    assert 'href="/regions/lower-back-right"' in page
    fragment = text(client.get("/fragments/pain-points/sciatica.html"))
    assert fragment.split("</title>\n", 1)[1] in page


def test_links_that_leave_the_map_send_no_referrer_and_no_opener(client):
    """The clinic's articles and booking never learn which places were chosen (?r=…)."""
    page = text(client.get("/pain-points/sciatica?r=lower-back-right"))
    leaving = re.findall(r'<a href="https://[^"]*"([^>]*)>', page)
    assert leaving and all(' rel="noreferrer"' in attributes for attributes in leaving)


def test_the_mood_article_is_two_taps_from_the_lower_back_with_the_crisis_line(client):
    region_page = text(client.get("/regions/lower-back-left"))
    link = re.search(r'href="(/pain-points/[^"]+)"[^>]*>Chronic back pain<', region_page)
    assert link, "the lower back lists chronic back pain"
    pain_point_page = text(client.get(link[1]))
    title = re.escape("Chronic Back Pain and Depression: Is There a Link?")
    assert re.search(
        rf'<a href="https://clinic.example/depression"[^>]*>{title}</a>', pain_point_page
    )
    assert 'href="tel:988"' in pain_point_page


def test_start_fragment_brings_back_the_introduction(client):
    fragment = text(client.get("/fragments/start.html"))
    assert "Choose a place on the body" in fragment


def test_unknown_ids_get_a_friendly_404(client):
    for url in ("/regions/no-such-place", "/fragments/regions/nope.html", "/pain-points/x", "/x"):
        response = client.get(url)
        assert response.status_code == 404, url
        assert "We could not find that page" in text(response)
        assert 'href="/"' in text(response)


def test_wrong_method_is_a_friendly_405(client):
    response = client.post("/")
    assert response.status_code == 405
    assert "That did not work" in text(response)


def test_healthz_reports_the_content_version(client, app):
    data = client.get("/healthz").get_json()
    assert data["ok"] is True
    assert data["regions"] == 3
    assert data["version"] == app.extensions["bodymap"].current.version


def test_text_from_yaml_is_escaped_in_pages(client):
    page = text(client.get("/regions/belly"))
    assert "<b>button</b>" not in page
    assert "Belly &lt;b&gt;button&lt;/b&gt;" in page


def test_pages_are_served_with_a_strict_policy_and_no_cookies(client):
    for url in ("/", "/regions/lower-back-left", "/fragments/regions/belly.html", "/nope"):
        response = client.get(url)
        policy = response.headers["Content-Security-Policy"]
        assert policy.startswith("default-src 'self'") and "unsafe-inline" not in policy
        assert "frame-ancestors 'self'" in policy
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert "Set-Cookie" not in response.headers


def test_htmx_is_served_from_the_npm_package(client):
    with client.get("/assets/htmx.min.js") as response:
        assert response.status_code == 200
        assert response.mimetype == "text/javascript"
        assert b"htmx" in response.data[:2000]


def test_app_refuses_to_start_on_an_invalid_file_and_prints_the_lines(tmp_path):
    bad = tmp_path / "regions.yaml"
    copy_content(bad, text=SMALL.read_text().replace("view: front", "view: frnt"))
    result = subprocess.run(
        [sys.executable, "-c", "import app"],
        cwd=ROOT,
        env={"BODYMAP_REGIONS": str(bad), "PATH": ""},
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 1
    assert f"{bad}:" in result.stderr and "region 'belly', view" in result.stderr
    assert "Traceback" not in result.stderr
