"""The content model: what each region and pain point leads to."""

from __future__ import annotations

from bodymap.content import build_content, matching_articles, region_name
from bodymap.loader import load_bytes, load_file

from .conftest import SMALL, SMALL_FIGURE


def small_content():
    return build_content(load_file(SMALL))


def test_region_names_say_the_patients_side():
    content = small_content()
    assert content.region("lower-back-left").name == "Lower back, your left side"
    assert content.region("lower-back-right").name == "Lower back, your right side"
    assert region_name(content.region("belly").region) == "Belly <b>button</b>"


def test_articles_by_id_come_first_then_by_tag_without_duplicates():
    content = small_content()
    chronic = content.pain_point("chronic-back-pain")
    # by id: the depression article; by tag "back": physical therapy (once, in file order)
    assert [a.id for a in chronic.articles] == ["back-pain-and-depression", "physical-therapy"]
    sciatica = content.pain_point("sciatica")
    assert [a.id for a in sciatica.articles] == ["physical-therapy", "nerve-pain"]


def test_an_article_named_by_id_and_by_tag_is_listed_once():
    loaded = load_file(SMALL)
    pain_point = loaded.regions_file.pain_points[0].model_copy(
        update={"articles": ["physical-therapy", "physical-therapy"], "tags": ["back"]}
    )
    articles = matching_articles(pain_point, tuple(loaded.regions_file.articles))
    assert [a.id for a in articles] == ["physical-therapy"]


def test_region_red_flags_merge_area_and_own_with_emergencies_first():
    content = small_content()
    right = content.region("lower-back-right")
    assert [(f.id, f.level) for f in right.red_flags] == [
        ("saddle-numbness", "emergency"),
        ("fever-back-pain", "urgent"),
    ]
    assert content.region("belly").red_flags == ()


def test_pain_points_know_their_regions_and_regions_their_pain_points():
    content = small_content()
    assert content.pain_point("sciatica").region_ids == ("lower-back-left", "lower-back-right")
    assert [p.id for p in content.region("lower-back-left").pain_points] == [
        "chronic-back-pain",
        "sciatica",
    ]


def test_crisis_line_follows_mood_related_pain_points():
    content = small_content()
    assert content.region("lower-back-left").crisis_line is True
    assert content.region("lower-back-right").crisis_line is False


def test_regions_are_grouped_by_area_in_file_order_and_empty_areas_are_left_out():
    text = SMALL.read_text().replace(
        "  - id: front\n    label: Front\n",
        "  - id: front\n    label: Front\n  - id: unused\n    label: Unused\n",
    )
    content = build_content(load_bytes(text.encode(), figure=SMALL_FIGURE.read_bytes()))
    assert [(a.id, [e.id for e in entries]) for a, entries in content.areas] == [
        ("back", ["lower-back-left", "lower-back-right"]),
        ("front", ["belly"]),
    ]
