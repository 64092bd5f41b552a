"""Where a patient sees each item: where.py, `bodymap where`, /preview and the warnings of
`bodymap check` for things shown nowhere."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bodymap import create_app, where
from bodymap.content import build_content
from bodymap.loader import load_file

from .conftest import copy_content

CLINIC = Path(__file__).parent / "data" / "editor" / "clinic.yaml"


@pytest.fixture
def clinic_file(tmp_path) -> Path:
    path = tmp_path / "regions.yaml"
    copy_content(path, CLINIC)
    return path


def usage(path, kind, ident):
    return where.index(build_content(load_file(path)))[kind, ident]


def edited(path: Path, old: str, new: str) -> Path:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))
    return path


def test_an_article_is_shown_through_its_id_and_through_a_tag(clinic_file):
    # hip-exercises is named by no pain point: hip-ache reaches it through the tag 'hips'
    found = usage(clinic_file, "article", "hip-exercises")
    assert [p.id for p in found.regions] == ["seat-left", "seat-right"]
    assert found.regions[0].why == ("under 'Hip ache' (tag 'hips')",)
    assert [(p.id, p.why) for p in found.pain_points] == [("hip-ache", ("tag 'hips'",))]
    named = usage(clinic_file, "article", "stretching-guide")
    assert named.pain_points[0].why == ("named",)


def test_an_areas_warning_signs_show_on_every_region_of_the_area(clinic_file):
    found = usage(clinic_file, "red_flag", "numb-saddle")
    assert [p.id for p in found.regions] == ["low-back-left", "low-back-right"]
    assert "a warning sign of the area 'Lower back'" in found.regions[0].why
    assert [p.id for p in usage(clinic_file, "area", "hips").regions] == ["seat-left", "seat-right"]


def test_a_warning_sign_of_a_pain_point_is_on_its_page(clinic_file):
    edited(
        clinic_file,
        "    tags: [hips]\n  - id: tummy-ache",
        "    tags: [hips]\n    red_flags: [belly-sudden-pain]\n  - id: tummy-ache",
    )
    found = usage(clinic_file, "red_flag", "belly-sudden-pain")
    assert [p.id for p in found.pain_points] == ["hip-ache"]
    assert found.pain_points[0].why == ("listed by the pain point",)


def test_an_article_named_in_one_place_and_reached_by_a_tag_in_another_counts_both(
    clinic_file,
):
    # The office counted the places that name the article; those reached by a tag count too.
    edited(
        clinic_file,
        "    tags: [hips]\n  - id: tummy-ache",
        "    tags: [hips, back]\n  - id: tummy-ache",
    )
    found = usage(clinic_file, "article", "stretching-guide")
    assert [p.id for p in found.regions] == [
        "low-back-left",
        "low-back-right",
        "seat-left",
        "seat-right",
    ]
    assert any("tag 'back'" in why for p in found.regions for why in p.why)


def test_a_red_flag_attached_to_nothing_is_a_warning_and_fails_strict(clinic_file, runner):
    # Failed before: "ok" even with --strict, and patients never saw the sign.
    edited(
        clinic_file,
        "red_flags:\n  # ----- EMERGENCY",
        "red_flags:\n  - id: calf-pain-breathless\n    level: emergency\n"
        '    text: "A swollen calf and sudden shortness of breath."\n  # ----- EMERGENCY',
    )
    code, _, err = runner("check", str(clinic_file))
    assert code == 0
    assert "warning: the red flag 'calf-pain-breathless' is shown nowhere" in err
    assert "add its id to the red_flags of an area" in err
    code, _, _ = runner("check", "--strict", str(clinic_file))
    assert code == 1


def test_a_red_flag_only_on_an_area_without_regions_is_shown_nowhere(clinic_file, runner):
    edited(
        clinic_file,
        '  - id: hips\n    label: "Hips and buttocks"\n',
        '  - id: hips\n    label: "Hips and buttocks"\n'
        "  - id: empty-area\n    label: Nothing\n    red_flags: [belly-sudden-pain]\n",
    )
    edited(clinic_file, "    red_flags: [belly-sudden-pain]\n\n# REGIONS", "\n# REGIONS")
    code, _, err = runner("check", "--strict", str(clinic_file))
    assert code == 1
    assert "the red flag 'belly-sudden-pain' is shown nowhere" in err


def test_bodymap_where_lists_the_places_and_why(clinic_file, runner):
    code, out, _ = runner("where", "hip-exercises", str(clinic_file))
    assert code == 0
    assert "the article 'hip-exercises' (Exercises for the hip):" in out
    assert "on 2 places of the body:" in out
    assert "Buttock, your left side (seat-left) — under 'Hip ache' (tag 'hips')" in out
    assert "on the page of 1 pain point:" in out


def test_bodymap_where_as_json(clinic_file, runner):
    code, out, _ = runner("where", "numb-saddle", str(clinic_file), "--format", "json")
    assert code == 0
    [found] = json.loads(out)
    assert found["kind"] == "red_flag"
    assert [p["id"] for p in found["places"]] == ["low-back-left", "low-back-right"]


def test_bodymap_where_an_unknown_id(clinic_file, runner):
    code, _, err = runner("where", "stretching-guid", str(clinic_file))
    assert code == 1
    assert "no article, pain point, red flag or area has the id 'stretching-guid'" in err
    assert "did you mean 'stretching-guide'?" in err


def test_bodymap_where_on_a_broken_file_prints_the_problems(clinic_file, runner):
    edited(clinic_file, 'phone: "(555) 010-0200"', "phone: 5550100200")
    code, _, err = runner("where", "numb-saddle", str(clinic_file))
    assert code == 1
    assert "clinic.phone: must be a text" in err


def test_bodymap_where_an_item_shown_nowhere(clinic_file, runner):
    edited(clinic_file, "    tags: [hips]\n  - id: tummy-ache", "  - id: tummy-ache")
    code, out, _ = runner("where", "hip-exercises", str(clinic_file))
    assert code == 0
    assert "is shown nowhere: no patient can see it" in out


def test_preview_lists_where_each_item_is_shown(clinic_file):
    client = create_app(clinic_file, PREVIEW=True).test_client()
    page = client.get("/preview").text
    assert "Where each item is shown" in page
    assert "Buttock, your left side — under &#39;Hip ache&#39; (tag &#39;hips&#39;)" in page
    assert 'id="where-red_flag"' in page
