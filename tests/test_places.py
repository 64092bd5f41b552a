"""Several places at once: the selection in the address, ranked causes, merged warnings."""

from __future__ import annotations

import re

import pytest

from bodymap.content import build_content
from bodymap.loader import load_file

from .conftest import PLACES

BACK_AND_THIGH = "/?r=lower-back-left&r=thigh-back-left"


@pytest.fixture(scope="module")
def places():
    return build_content(load_file(PLACES))


def text(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def pain_point_order(page: str) -> list[str]:
    return re.findall(r'<h4 id="pp-([a-z0-9-]+)">', page)


def test_causes_of_both_places_come_first_in_the_order_of_the_first_place(places):
    chosen = places.selection(["lower-back-left", "thigh-back-left"])
    ranked = [(p.id, p.region_ids) for p in chosen.pain_points]
    assert ranked[:2] == [
        ("sciatica", ("lower-back-left", "thigh-back-left")),
        ("herniated-disc", ("lower-back-left", "thigh-back-left")),
    ]
    assert all(len(regions) == 1 for _, regions in ranked[2:])


def test_warning_signs_of_all_places_are_merged_once_each_emergencies_first(places):
    back, thigh = places.region("lower-back-left"), places.region("thigh-back-left")
    merged = places.selection([back.id, thigh.id]).red_flags
    ids = [flag.id for flag in merged]
    assert len(ids) == len(set(ids))
    assert set(ids) == {f.id for f in back.red_flags} | {f.id for f in thigh.red_flags}
    levels = [flag.level for flag in merged]
    assert levels == sorted(levels, key=["emergency", "urgent", "soon"].index)


def test_unknown_and_repeated_places_are_dropped_in_the_order_chosen(places):
    chosen = places.selection(["thigh-back-left", "nowhere", "lower-back-left", "thigh-back-left"])
    assert chosen.ids == ("thigh-back-left", "lower-back-left")
    assert chosen.toggled("lower-back-left") == ("thigh-back-left",)
    assert chosen.toggled("calf-left") == ("thigh-back-left", "lower-back-left", "calf-left")


def test_the_address_holds_the_selection_and_the_page_explains_each_cause(places_client):
    page = text(places_client.get(BACK_AND_THIGH))
    assert "<title>Pain in 2 places — Where does it hurt? — Test Clinic</title>" in page
    assert pain_point_order(page)[:2] == ["sciatica", "herniated-disc"]
    why = "Why this appears:</span> Lower back, your left side + Back of the thigh, your left side"
    assert page.count(why) == 2  # sciatica and the herniated disc: both places list them
    # Warnings come before everything else in the panel.
    panel = page[page.index('id="panel-heading"') :]
    assert panel.index("Call 911 or go to the emergency room now") < panel.index(
        "Common causes of pain in these places"
    )


def test_each_place_on_the_figure_adds_or_removes_itself(places_client):
    page = text(places_client.get(BACK_AND_THIGH))
    # A chosen place removes itself; another one is added to the two.
    opens = "#panel-heading"  # at the panel's heading
    assert f'data-region="lower-back-left" href="/?r=thigh-back-left{opens}"' in page
    calf = f'href="/?r=lower-back-left&amp;r=thigh-back-left&amp;r=calf-left{opens}"'
    assert f'data-region="calf-left" {calf}' in page
    chosen_on_figure = re.findall(
        r'aria-current="true" class="region is-selected" data-region="([^"]+)"', page
    )
    assert chosen_on_figure == ["lower-back-left", "thigh-back-left"]
    assert 'hx-get="/fragments/places.html?toggle=calf-left"' in page
    chosen = re.search(r'<div id="chosen" hidden>(.*?)</div>', page).group(1)
    assert re.findall(r'name="r" value="([^"]+)"', chosen) == ["lower-back-left thigh-back-left"]


def test_a_tap_answers_the_new_panel_and_the_address_to_show(places_client):
    response = places_client.get("/fragments/places.html?toggle=thigh-back-left&r=lower-back-left")
    assert response.headers["HX-Push-Url"] == BACK_AND_THIGH
    assert pain_point_order(text(response))[0] == "sciatica"
    # What htmx sends: the chosen places as one value (hx-include="#chosen").
    third = places_client.get(
        "/fragments/places.html?toggle=calf-left&r=lower-back-left+thigh-back-left"
    )
    assert third.headers["HX-Push-Url"] == BACK_AND_THIGH + "&r=calf-left"
    removed = places_client.get("/fragments/places.html?toggle=lower-back-left&r=lower-back-left")
    assert removed.headers["HX-Push-Url"] == "/"
    assert "Choose a place on the body" in text(removed)


def test_tapping_an_unknown_place_is_not_found(places_client):
    response = places_client.get("/fragments/places.html?toggle=nowhere&r=lower-back-left")
    assert response.status_code == 404


def test_a_shared_address_with_a_renamed_place_still_shows_the_others(places_client):
    page = text(places_client.get("/?r=old-place-name&r=calf-left"))
    assert '<h2 id="panel-heading" tabindex="-1" data-selection="calf-left"' in page


def test_pages_reached_from_a_selection_keep_it_and_start_over_clears_it(places_client):
    page = text(places_client.get(BACK_AND_THIGH))
    assert 'href="/pain-points/sciatica?r=lower-back-left&amp;r=thigh-back-left"' in page
    pain_point = text(
        places_client.get("/pain-points/sciatica?r=lower-back-left&r=thigh-back-left")
    )
    assert ">Back to the places you chose</a>" in pain_point
    assert 'hx-get="/fragments/places.html?r=lower-back-left&amp;r=thigh-back-left"' in pain_point
    assert '<a href="/" hx-get="/fragments/start.html">Start over</a>' in page


def test_each_panel_says_the_address_of_its_page_for_the_address_bar(places_client):
    """htmx puts the page's address in the address bar (HX-Push-Url), not the fragment's."""
    for fragment, address in {
        "/fragments/pain-points/sciatica.html?r=lower-back-left&r=thigh-back-left": (
            "/pain-points/sciatica?r=lower-back-left&r=thigh-back-left"
        ),
        "/fragments/regions/calf-left.html?lang=es": "/regions/calf-left?lang=es",
        "/fragments/start.html?r=calf-left": "/",
        "/fragments/places.html?r=calf-left&toggle=lower-back-left": (
            "/?r=calf-left&r=lower-back-left"
        ),
    }.items():
        response = places_client.get(fragment)
        assert response.status_code == 200, fragment
        assert response.headers["HX-Push-Url"] == address, fragment
        assert "hx-push-url" not in text(response), fragment


def test_the_same_selection_is_served_from_the_prepared_pages(places_client, places_app):
    first = places_client.get(BACK_AND_THIGH)
    again = places_client.get(BACK_AND_THIGH + "&utm_source=newsletter")
    assert first.data == again.data
    other = places_client.get("/?r=calf-left")
    assert other.data != first.data
