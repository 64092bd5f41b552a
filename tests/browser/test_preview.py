"""The preview page in a real browser: pointer position in figure units, reload on edits."""

from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from bodymap import create_app

from ..conftest import copy_content
from .conftest import CONTENT, serving
from .test_accessibility import AXE_OPTIONS


@pytest.fixture(scope="module")
def content_copy(tmp_path_factory):
    path = tmp_path_factory.mktemp("preview") / "regions.yaml"
    copy_content(path, CONTENT)
    return path


@pytest.fixture(scope="module")
def preview_url(content_copy):
    with serving(create_app(content_copy, PREVIEW=True)) as url:
        yield f"{url}/preview"


def test_pointer_position_is_shown_in_figure_units(page: Page, preview_url, is_phone):
    if is_phone:
        pytest.skip("the pointer read-out is for drawing with a mouse on a desktop")
    page.goto(preview_url)
    figure = page.locator("svg.preview-figure.figure-back")
    figure.scroll_into_view_if_needed()
    target = figure.evaluate(
        """svg => {
            const p = new DOMPoint(150, 300).matrixTransform(svg.getScreenCTM());
            return {x: p.x, y: p.y};
        }"""
    )
    page.mouse.move(target["x"], target["y"])
    expect(page.locator("#pointer")).to_have_text("back view: x 150.0, y 300.0")


def test_the_page_reloads_itself_when_the_file_changes(page: Page, preview_url, content_copy):
    page.goto(preview_url)
    expect(page.locator(".preview-pending")).to_have_count(0)
    page.evaluate("window.__before_edit = true")
    original = content_copy.read_text()
    try:
        content_copy.write_text(
            original.replace("  - id: tailbone\n", "  - id: tailbone\n    lable: x\n")
        )
        expect(page.locator(".preview-pending")).to_be_visible(timeout=5_000)
        expect(page.locator(".problem-error")).to_contain_text("did you mean 'label'?")
        assert page.evaluate("window.__before_edit") is None  # a fresh page, not a patched one
    finally:
        content_copy.write_text(original)
    expect(page.locator(".preview-pending")).to_have_count(0, timeout=5_000)


def test_preview_page_has_no_accessibility_violations(page: Page, preview_url):
    page.goto(preview_url)
    result = Axe().run(page, options=AXE_OPTIONS)
    assert result.violations_count == 0, result.generate_report()
