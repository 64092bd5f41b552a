"""The summary to bring to the appointment: what it lists, and that nothing of it is kept."""

from __future__ import annotations

import re

from .conftest import SAMPLE
from .conftest import testing_app as app_on

BACK_AND_THIGH = "/summary?r=lower-back-left&r=thigh-back-left"


def text(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def test_the_summary_lists_places_causes_articles_warnings_and_how_to_reach_the_clinic(
    sample_client,
):
    page = text(sample_client.get(BACK_AND_THIGH))
    places = re.search(r'<ul class="summary-places">(.*?)</ul>', page, re.S).group(1)
    assert re.findall(r"<li>(.*?)</li>", places) == [
        "Lower back, your left side",
        "Back of the thigh, your left side",
    ]
    causes = re.findall(r"<li><strong>(.*?)</strong>", page)
    assert causes[:2] == ["Sciatica (lumbar radiculopathy)", "Herniated disc (slipped disc)"]
    assert 'Call <a href="tel:911">911</a> or go to the emergency room now' in page
    assert "Numbness or tingling between your legs" in page  # an emergency sign
    assert "Back pain that has not started to get better after about a month" in page
    assert 'href="https://www.spineina.com/conditions/sciatica/"' in page
    assert ">Book an appointment</a>" in page and 'href="tel:6093719100"' in page
    assert 'href="tel:988"' in page  # pain with low mood is among the causes


def test_the_small_figure_marks_exactly_the_chosen_places(sample_client):
    page = text(sample_client.get(BACK_AND_THIGH))
    marked = re.findall(r'<path class="marked-region is-selected" d="', page)
    assert len(marked) == 2
    assert page.count('class="marked-region"') == 78
    # A picture of what the list says: hidden from screen readers, which read the list.
    assert len(re.findall(r'<svg aria-hidden="true" [^>]*class="figure marked-figure', page)) == 2


def test_nothing_about_a_summary_is_kept_on_the_server_or_in_a_cache():
    app = app_on(SAMPLE)
    client = app.test_client()
    client.get("/?r=calf-left")  # an ordinary page is prepared and kept
    response = client.get(BACK_AND_THIGH, headers={"Accept-Encoding": "br"})
    assert response.headers["Cache-Control"] == "no-store"
    assert "ETag" not in response.headers
    assert "Set-Cookie" not in response.headers
    kept = [
        key
        for cache in ("bodymap.pages", "bodymap.compressed")
        for key in app.extensions[cache]._items
    ]
    assert kept and not [key for key in kept if "/summary" in repr(key)]


def test_without_places_the_summary_says_how_to_choose_them(sample_client):
    page = text(sample_client.get("/summary"))
    assert "You have not chosen a place yet." in page
    assert 'href="/"' in page


def test_the_panel_of_chosen_places_links_to_their_summary(sample_client):
    page = text(sample_client.get("/?r=lower-back-left&r=thigh-back-left"))
    assert 'href="/summary?r=lower-back-left&amp;r=thigh-back-left"' in page
