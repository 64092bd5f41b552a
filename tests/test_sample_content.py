"""The sample regions.yaml that ships with the project: complete, and every page renders."""

from __future__ import annotations

import re

from bodymap.loader import load_file

from .conftest import SAMPLE

DEPRESSION_TITLE = "Chronic Back Pain and Depression: Is There a Link?"


def test_sample_has_the_promised_amount_of_content():
    data = load_file(SAMPLE).regions_file
    assert len(data.regions) == 80
    assert len(data.pain_points) >= 25
    assert len(data.articles) >= 15
    assert {f.level for f in data.red_flags} == {"emergency", "urgent", "soon"}
    assert "clinicians must" in SAMPLE.read_text()[:1000]


def test_sample_says_it_needs_clinical_review():
    header = SAMPLE.read_text()[:1500].lower()
    assert "sample" in header and "review" in header


def test_depression_article_is_two_taps_from_the_lower_back(sample_client):
    region_page = sample_client.get("/regions/lower-back-left").get_data(as_text=True)
    link = re.search(r'href="(/pain-points/[^"]+)"[^>]*>Chronic back pain<', region_page)
    assert link, "the lower back lists chronic back pain"
    pain_point_page = sample_client.get(link[1]).get_data(as_text=True)
    article = re.search(
        rf'<a href="(https://[^"]+)"[^>]*>{re.escape(DEPRESSION_TITLE)}</a>', pain_point_page
    )
    assert article, "chronic back pain links the depression article"
    assert "988" in pain_point_page


def test_every_region_and_pain_point_page_renders(sample_client, sample_app):
    content = sample_app.extensions["bodymap"].current
    for region_id in content.regions:
        response = sample_client.get(f"/regions/{region_id}")
        assert response.status_code == 200, region_id
        assert "If this is an emergency, call" in response.get_data(as_text=True)
    for pain_point_id in content.pain_points:
        assert sample_client.get(f"/pain-points/{pain_point_id}").status_code == 200


def test_every_region_offers_a_pain_point_or_a_warning(sample_app):
    content = sample_app.extensions["bodymap"].current
    bare = [e.id for e in content.regions.values() if not e.pain_points and not e.red_flags]
    assert bare == []


def test_every_article_is_reachable_from_some_region(sample_app):
    content = sample_app.extensions["bodymap"].current
    reachable = {
        article.id
        for region in content.regions.values()
        for pain_point in region.pain_points
        for article in pain_point.articles
    }
    assert reachable == {a.id for a in load_file(SAMPLE).regions_file.articles}
