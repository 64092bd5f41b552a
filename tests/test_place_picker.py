"""The list of places by name (templates/_place_picker.html): every place, by area, and a
submit that adds the place to those already chosen. On tests/data/places/regions.yaml."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

from bodymap import create_app
from bodymap.content import build_content
from bodymap.loader import load_file

from .conftest import PLACES


class Picker(HTMLParser):
    """The picker form of a page: its action, hidden fields, and options by group."""

    def __init__(self, markup: str):
        super().__init__()
        self.inside = False
        self.action = self.fragment = None
        self.hidden: list[tuple[str, str]] = []
        self.groups: list[tuple[str, list[tuple[str, str]]]] = []
        self.option: str | None = None
        self.feed(markup)
        self.close()

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and attrs.get("id") == "place-picker":
            self.inside, self.action, self.fragment = True, attrs["action"], attrs["hx-get"]
        elif not self.inside:
            return
        elif tag == "input" and attrs.get("type") == "hidden":
            self.hidden.append((attrs["name"], attrs["value"]))
        elif tag == "optgroup":
            self.groups.append((attrs["label"], []))
        elif tag == "option" and self.groups:
            self.option = attrs["value"]

    def handle_data(self, data):
        if self.option is not None:
            self.groups[-1][1].append((self.option, data))
            self.option = None

    def handle_endtag(self, tag):
        if tag == "form":
            self.inside = False


@pytest.fixture(scope="module")
def places():
    return build_content(load_file(PLACES))


def picker(client, address: str) -> Picker:
    response = client.get(address)
    assert response.status_code == 200, response.status_code
    found = Picker(response.get_data(as_text=True))
    assert found.action is not None, f"no list of places by name on {address}"
    return found


def test_it_lists_every_place_by_area_as_the_list_of_places_names_them(places_client, places):
    found = picker(places_client, "/")
    assert found.groups == [
        (area.label, [(entry.id, entry.name) for entry in entries])
        for area, entries in places.areas
    ]
    assert found.action == "/#panel-heading"  # without JavaScript: the map, at the panel
    assert found.fragment == "/fragments/places.html"  # with htmx: the panel, as a tap


def test_it_keeps_the_chosen_places_and_what_was_said_about_them(places_client, places):
    found = picker(places_client, "/?r=lower-back-left&r=calf-left&i.calf-left=6&lang=es")
    assert found.hidden == [("i.calf-left", "6"), ("lang", "es")]
    # Each choice is the chosen places, then its own: submitting adds it after them.
    values = [value for _, options in found.groups for value, _ in options]
    assert values == [f"lower-back-left calf-left {place}" for place in places.regions]
    names = [name for _, options in found.groups for _, name in options]
    assert "Espalda baja, su lado izquierdo" in names  # in the page's language


def test_submitting_it_adds_the_place_after_those_chosen(places_client):
    # What the browser sends for "Back of the thigh" with two places chosen.
    address = "/?r=lower-back-left+calf-left+thigh-back-left"
    html = places_client.get(address).get_data(as_text=True)
    assert "Pain in 3 places" in html
    assert (
        Picker(html).groups[0][1][0][0]
        == "lower-back-left calf-left thigh-back-left lower-back-left"
    )
    fragment = places_client.get("/fragments/places.html?r=lower-back-left+thigh-back-left")
    assert fragment.status_code == 200
    assert fragment.headers["HX-Push-Url"] == "/?r=lower-back-left&r=thigh-back-left"
    # A place chosen already stays where it is.
    again = places_client.get(
        "/fragments/places.html?r=lower-back-left+thigh-back-left+lower-back-left"
    )
    assert again.headers["HX-Push-Url"] == "/?r=lower-back-left&r=thigh-back-left"


@pytest.mark.parametrize(
    "value",
    ["nowhere", "", "../../etc/passwd", "%00", "<script>", "lower-back-left" * 300, "é"],
)
def test_a_bad_place_is_ignored(places_client, value):
    for address in ("/", "/fragments/places.html"):
        response = places_client.get(address, query_string={"r": ["calf-left", value]})
        assert response.status_code == 200, (address, value, response.status_code)
        if address == "/":
            found = Picker(response.get_data(as_text=True))
            assert found.groups[0][1][0][0] == "calf-left lower-back-left"
        else:
            assert response.headers["HX-Push-Url"] == "/?r=calf-left"


def test_not_in_the_static_export_which_cannot_answer_a_query():
    app = create_app(PLACES, TESTING=True, STATIC_EXPORT=True)
    html = app.test_client().get("/").get_data(as_text=True)
    assert 'id="place-picker"' not in html


def test_a_tap_on_an_unknown_place_is_a_404_not_a_500(places_client):
    response = places_client.get("/fragments/places.html?r=calf-left&toggle=nowhere")
    assert response.status_code == 404
