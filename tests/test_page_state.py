"""One request state in the pages: every link a page writes opens the state it means."""

from __future__ import annotations

import html
import json
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from werkzeug.datastructures import MultiDict

from bodymap.i18n import LANGUAGES
from bodymap.state import Known, PageState

PLACES = ("lower-back-left", "lower-back-right", "belly")  # tests/data/small.yaml
LINK = re.compile(r'<a\b[^>]*?\shref="(/[^"]*)"[^>]*>')
MAP_PATHS = re.compile(r"^/(?:embed/)?(?:$|\?|zoom/|pain-points/|regions/|summary|search)")


def read(href: str) -> tuple[str, PageState]:
    """A link's path and the state its address asks for, as the server reads it."""
    parts = urlsplit(html.unescape(href))
    args = MultiDict(parse_qs(parts.query, keep_blank_values=True))
    embed = parts.path.startswith("/embed")
    return parts.path, PageState.parse(args, Known(PLACES, LANGUAGES), embed=embed)


def map_links(page: str) -> list[tuple[str, str, PageState]]:
    """(the <a> tag, its path, its state) for every link to a page of the map."""
    found = []
    for tag in LINK.finditer(page):
        path, state = read(tag.group(1))
        if MAP_PATHS.match(path):
            found.append((tag.group(0), path, state))
    return found


@pytest.mark.parametrize("prefix", ["", "/embed"])
@pytest.mark.parametrize("language", [None, "es"])
def test_every_link_of_a_page_keeps_the_chosen_places_or_says_what_it_changes(
    client, prefix, language
):
    chosen = ("lower-back-right", "belly")
    state = PageState(places=chosen, language=language, embed=bool(prefix))
    page = client.get(f"{prefix}/?{state.encode()}").get_data(as_text=True)
    links = map_links(page)
    assert len(links) > 10
    for tag, path, meant in links:
        assert meant.language == language or 'hreflang="' in tag, tag
        assert meant.embed == state.embed, tag
        if 'hreflang="' in tag:  # the language switch: this page in another language
            assert meant.but(language=language) == state, tag
        elif "data-region=" in tag or "data-toggle=" in tag:  # a tap adds or removes a place
            place = re.search(r'data-(?:region|toggle)="([^"]+)"', tag).group(1)
            assert meant == state.toggled(place), tag
        elif "/regions/" in path:  # a place's own page: the place is in the path
            assert meant.places == (), tag
        else:  # the way back to the start leaves the places; everything else keeps them
            assert meant.places in (chosen, ()), tag


def test_a_form_sends_the_state_along_with_the_patient_s_words(client):
    page = client.get("/?r=belly&r=lower-back-left&lang=es").get_data(as_text=True)
    form = re.search(r'<form class="search".*?</form>', page, re.S).group(0)
    hidden = dict(re.findall(r'type="hidden" name="(\w+)" value="([^"]*)"', form))
    assert hidden == {"r": "belly lower-back-left", "lang": "es"}
    assert 'action="/search"' in form


def test_the_links_the_script_is_given_are_the_ones_the_server_writes(client):
    page = client.get("/?r=belly&lang=es").get_data(as_text=True)
    data = re.search(r'<data id="page-links" value="([^"]*)"', page).group(1)
    links = json.loads(html.unescape(data))
    state = PageState(places=("belly",), language="es")
    assert read(links["toggle"]["belly"])[1] == state.toggled("belly")
    added = links["toggle"]["*"].replace("__id__", "lower-back-left")
    assert read(added)[1] == state.toggled("lower-back-left")
    assert links["keep"] == "r=belly&lang=es"
    assert read(links["languages"]["en"])[1] == state.but(language="en")


def test_the_zoomed_view_keeps_the_chosen_places(client):
    """Issue 15 #4: "See the whole body" and the other enlarged views keep the places."""
    page = client.get("/zoom/back?r=belly&r=lower-back-left").get_data(as_text=True)
    whole = re.search(r'<a href="([^"]*)" data-keep>See the whole body</a>', page).group(1)
    assert read(whole) == ("/", PageState(places=("belly", "lower-back-left")))
    zooms = re.findall(r'<a href="(/zoom/[^"]*)" data-keep', page)
    assert {read(href)[0] for href in zooms} == {"/zoom/back", "/zoom/front"}
    assert {read(href)[1].places for href in zooms} == {("belly", "lower-back-left")}


def test_the_static_export_s_links_are_paths_alone(app):
    """A static host cannot answer a query string: no link of an exported page has one."""
    app.config["STATIC_EXPORT"] = True
    page = app.test_client().get("/regions/belly").get_data(as_text=True)
    links = map_links(page)
    assert links and not [tag for tag, _, _ in links if "?" in tag]
