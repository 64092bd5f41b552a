"""Reflow (WCAG 2.1 SC 1.4.10, AA): no horizontal scrolling from 320 CSS px up.

Browser zoom is emulated the way WCAG defines it, by the CSS width it leaves:
1280 px at 400 % is a 320 px wide viewport, at 200 % a 640 px one (device_scale_factor
changes pixel density, not CSS px, so it is not zoom). On every size, on the start page,
a region page and a zoom page: the page does not scroll sideways, the emergency line is
shown, and both views of the figure are wholly inside the viewport's width.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from bodymap.content import build_content
from bodymap.loader import load_file

from .conftest import CONTENT, bounded

PHONE = {"is_mobile": True, "has_touch": True, "device_scale_factor": 2}
LAYOUTS = {
    "320x640 (400% zoom)": {"viewport": {"width": 320, "height": 640}, **PHONE},
    "360x740 portrait": {"viewport": {"width": 360, "height": 740}, **PHONE},
    "740x360 landscape": {"viewport": {"width": 740, "height": 360}, **PHONE},
    "640x400 (1280x800 at 200%)": {"viewport": {"width": 640, "height": 400}},
    "1920x1080": {"viewport": {"width": 1920, "height": 1080}},
}


def pages_of(path) -> tuple[list[str], str]:
    """The start page, the region with the most causes, the enlarged part with the most
    places; and the two richest places of different areas, as a query: whatever the ids."""
    content = build_content(load_file(path))
    regions = sorted(content.regions.values(), key=lambda e: -len(e.region.pain_points))
    other = next((e for e in regions if e.region.area != regions[0].region.area), regions[-1])
    zoom = max(content.zooms.values(), key=lambda z: len(z.region_ids))
    pages = ["/", f"/regions/{regions[0].id}", f"/zoom/{zoom.id}"]
    return pages, f"r={regions[0].id}&r={other.id}"


PAGES, TWO_PLACES = pages_of(CONTENT)
EMERGENCY = "If this is an emergency, call 911"
SLACK_PX = 0.5  # sub-pixel rounding

MEASURE = """() => ({
  innerWidth: window.innerWidth,
  scrollWidth: document.documentElement.scrollWidth,
  figures: Array.from(document.querySelectorAll('svg.figure')).map((svg) => {
    const r = svg.getBoundingClientRect();
    return {view: svg.getAttribute('class'), left: r.left, right: r.right, width: r.width};
  }),
  wide: Array.from(document.querySelectorAll('body *')).filter((el) => {
    const r = el.getBoundingClientRect();
    return r.width > 0 && (r.right > window.innerWidth + 0.5 || r.left < -0.5)
      && !el.closest('.visually-hidden, .skip-link') && !el.parentElement.closest('svg');
  }).slice(0, 5).map((el) => `<${el.tagName.toLowerCase()} class="${el.getAttribute('class')
    || ''}"> ${el.textContent.trim().slice(0, 30)}`),
})"""


@pytest.fixture(params=list(LAYOUTS), ids=list(LAYOUTS))
def sized_page(request: pytest.FixtureRequest, browser: Browser, base_url: str) -> Iterator[Page]:
    context = bounded(browser.new_context(base_url=base_url, **LAYOUTS[request.param]))
    try:
        yield context.new_page()
    finally:
        context.close()


def test_pages_reflow_without_horizontal_scrolling(sized_page: Page):
    page = sized_page
    size = page.viewport_size
    assert size
    problems = {}
    for path in PAGES:
        page.goto(path)
        line = page.locator("main .emergency-line")
        expect(line).to_be_visible()
        expect(line).to_contain_text(EMERGENCY)
        expect(line).to_be_in_viewport()  # on load, without scrolling
        figures = page.locator("svg.figure:visible")  # a phone shows one view at a time
        expect(figures.first).to_be_visible()
        m = page.evaluate(MEASURE)
        # A phone lays out a page wider than its screen by zooming out: then innerWidth grows
        # past the screen's width, and scrollWidth <= innerWidth alone would not notice.
        assert m["innerWidth"] == size["width"], (
            f"{path} at {size['width']} px is laid out {m['innerWidth']} px wide and shown "
            f"zoomed out (too wide: {m['wide']}; figures {m['figures']})"
        )
        found = []
        if m["scrollWidth"] > m["innerWidth"]:
            found.append(f"scrolls sideways: {m['scrollWidth']} > {m['innerWidth']} ({m['wide']})")
        views = {"figure-front", "figure-back"} & {
            c for f in m["figures"] for c in f["view"].split()
        }
        if len(m["figures"]) != 2 or views != {"figure-front", "figure-back"}:
            found.append(f"expected a front and a back view: {m['figures']}")
        for f in m["figures"]:
            if f["left"] < -SLACK_PX or f["right"] > m["innerWidth"] + SLACK_PX:
                found.append(f"{f['view']} sticks out: {f['left']:.1f}…{f['right']:.1f}")
        if found:
            problems[path] = found
    assert not problems, f"{size['width']}x{size['height']}: {problems}"


# Longer Spanish words, search results and the summary page must reflow too.
MORE_PAGES = [
    f"/?{TWO_PLACES}&lang=es",
    "/search?q=ciatica&lang=es",
    f"/summary?{TWO_PLACES}&lang=es",
    f"/summary?{TWO_PLACES}",
]


def test_spanish_search_and_summary_pages_reflow_without_horizontal_scrolling(sized_page: Page):
    page = sized_page
    size = page.viewport_size
    assert size
    problems = {}
    for path in MORE_PAGES:
        page.goto(path)
        expect(page.locator("main h1")).to_be_visible()
        m = page.evaluate(MEASURE)
        if m["innerWidth"] != size["width"] or m["scrollWidth"] > m["innerWidth"]:
            problems[path] = (m["innerWidth"], m["scrollWidth"], m["wide"])
    assert not problems, f"{size['width']}x{size['height']}: {problems}"
