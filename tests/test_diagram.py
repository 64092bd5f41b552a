"""The figure: every region once, as a named link, deterministic, escaped."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from bodymap.content import build_content
from bodymap.diagram import RegionLinks, render_view
from bodymap.loader import load_file

from .conftest import SAMPLE, SMALL

SVG = "{http://www.w3.org/2000/svg}"
LINKS = RegionLinks(
    page="/regions/{}".format, fragment="/fragments/regions/{}.html".format, key="one-place"
)


def region_links(svg: str) -> list[ET.Element]:
    return ET.fromstring(svg).findall(f".//{SVG}a")


def test_every_region_of_a_view_is_one_named_link():
    content = build_content(load_file(SMALL))
    links = region_links(render_view(content, "back", LINKS))
    assert [a.get("data-region") for a in links] == ["lower-back-left", "lower-back-right"]
    first = links[0]
    assert first.get("href") == "/regions/lower-back-left"
    assert first.get("hx-get") == "/fragments/regions/lower-back-left.html"
    assert first.get("hx-push-url") == "/regions/lower-back-left"
    assert first.get("aria-label") is None  # named once, by its <title>
    assert first.find(f"{SVG}title").text == "Lower back, your left side"
    assert first.find(f"{SVG}path").get("d") == "M10 10h40v180h-40z"
    assert first.get("target") is None


def test_the_selected_region_is_marked_for_eyes_and_screen_readers():
    content = build_content(load_file(SMALL))
    links = region_links(render_view(content, "back", LINKS, selected=("lower-back-right",)))
    selected = [a for a in links if a.get("aria-current") == "true"]
    assert [a.get("data-region") for a in selected] == ["lower-back-right"]
    assert "is-selected" in selected[0].get("class")


def test_toggles_leave_the_address_to_the_server_and_send_the_chosen_places():
    content = build_content(load_file(SMALL))
    toggles = RegionLinks(
        page=lambda region_id: f"/?r=lower-back-left&r={region_id}",
        fragment="/fragments/places.html?toggle={}".format,
        key="toggles",
        include="#chosen",
    )
    svg = ET.fromstring(
        render_view(content, "back", toggles, selected=("lower-back-left", "lower-back-right"))
    )
    links = svg.findall(f".//{SVG}a")
    assert [a.get("hx-include") for a in links] == ["#chosen", "#chosen"]
    assert [a.get("aria-current") for a in links] == ["true", "true"]
    assert links[1].get("hx-get") == "/fragments/places.html?toggle=lower-back-right"
    assert links[1].get("href") == "/?r=lower-back-left&r=lower-back-right"
    assert all(a.get("hx-push-url") is None for a in links)


def test_side_labels_follow_the_patients_sides():
    content = build_content(load_file(SMALL))
    front = ET.fromstring(render_view(content, "front", LINKS))
    back = ET.fromstring(render_view(content, "back", LINKS))
    assert [t.text for t in front.iter(f"{SVG}text")] == ["Your right", "Your left"]
    assert [t.text for t in back.iter(f"{SVG}text")] == ["Your left", "Your right"]


def test_the_figure_is_an_interactive_group_not_an_image():
    content = build_content(load_file(SMALL))
    root = ET.fromstring(render_view(content, "front", LINKS))
    assert root.get("role") == "group"
    assert root.get("aria-label") == "Front of the body"


def test_labels_from_yaml_are_escaped():
    content = build_content(load_file(SMALL))
    svg = render_view(content, "front", LINKS)
    assert "<b>" not in svg
    assert "Belly &lt;b&gt;button&lt;/b&gt;" in svg


def test_output_is_deterministic_across_loads():
    first = render_view(build_content(load_file(SMALL)), "back", LINKS)
    second = render_view(build_content(load_file(SMALL)), "back", LINKS)
    assert first == second


def test_sample_figure_has_every_region_exactly_once_in_its_view():
    content = build_content(load_file(SAMPLE))
    seen = []
    for view in ("front", "back"):
        for link in region_links(render_view(content, view, LINKS)):
            region = content.region(link.get("data-region"))
            assert region.region.view == view
            assert link.get("href") == f"/regions/{region.id}"
            assert link.find(f"{SVG}title").text == region.name
            seen.append(region.id)
    assert sorted(seen) == sorted(content.regions)
    assert len(seen) == len(set(seen))
