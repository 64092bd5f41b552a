"""Warnings: things in a valid file that work but are probably not what the clinic meant."""

from __future__ import annotations

from bodymap.lint import content_warnings
from bodymap.loader import load_bytes

from .conftest import SMALL, SMALL_FIGURE

SMALL_TEXT = SMALL.read_text()


def warnings_for(text: str) -> list[str]:
    return [
        f"{w.line}: {w.message}"
        for w in content_warnings(load_bytes(text.encode(), figure=SMALL_FIGURE.read_bytes()))
    ]


def test_the_sample_of_the_tests_warns_about_a_bare_region_and_a_relative_url():
    assert warnings_for(SMALL_TEXT) == [
        "30: the region 'belly' has no pain points and no warning signs",
        "54: the article 'physical-therapy' has an address that is not https://",
    ]


def test_unused_pain_point_and_unreachable_article():
    text = SMALL_TEXT.replace("pain_points: [sciatica]", "pain_points: [chronic-back-pain]")
    text = text.replace(
        "pain_points: [chronic-back-pain, sciatica]", "pain_points: [chronic-back-pain]"
    )
    text = text.replace("tags: [nerve, back]", "tags: [back]")
    found = warnings_for(text)
    assert "42: no region lists the pain point 'sciatica'" in found
    assert "57: no pain point leads to the article 'nerve-pain'" in found


def test_repeated_synonym_and_unknown_tag():
    text = SMALL_TEXT.replace("synonyms: [lumbar]", "synonyms: [lumbar, Lumbar]")
    text = text.replace("tags: [nerve, back]", "tags: [nerve, bak]")
    found = warnings_for(text)
    assert "20: the synonym 'Lumbar' of 'lower-back-left' is listed twice" in found
    assert "45: no article has the tag 'bak'" in found


def test_heavily_overlapping_shapes_on_one_view_warn_at_the_shape_in_the_figure_file():
    figure = SMALL_FIGURE.read_text()
    figure = figure.replace('"M50 10h40v180h-40z"', '"M30 10h60v180h-60z"')
    loaded = load_bytes(SMALL_TEXT.encode(), figure=figure.encode())
    overlap = "the shapes of 'lower-back-left' and 'lower-back-right' overlap (50% of the smaller"
    line = figure[: figure.index("lower-back-right:")].count("\n") + 1
    assert [(w.file, w.line) for w in content_warnings(loaded) if overlap in w.message] == [
        ("figures/adult.yaml", line)
    ]


def test_shapes_that_only_touch_do_not_warn():
    assert not [w for w in warnings_for(SMALL_TEXT) if "overlap" in w]
