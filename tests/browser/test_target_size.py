"""Target size (WCAG 2.2 SC 2.5.8, AA: at least 24 x 24 CSS px) on a 360 px phone.

Measured from the rendered boxes, not from the content's figure units: what a thumb
meets is `getBoundingClientRect()` of each region's path at 360 CSS px.

Small regions on the whole-body figure (a toe, the tailbone) are allowed because the
same page offers equivalents: the list of places below it, and a zoom page per body part
("Hard to tap? See a part larger:") where the part is drawn large enough. So every
region must be at least 24 x 24 either on the home figure or on the zoom page that holds
it, and every link in the list must be at least 24 x 24 too.

The smallest measured targets go into a JSON summary (printed; shown with -rP) for the
release notes.
"""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Page, expect

from bodymap.loader import load_file

from .conftest import CONTENT, SCREENS, bounded, show_view

MIN_SIZE = 24.0  # CSS px, WCAG 2.2 SC 2.5.8 Target Size (Minimum)
REGIONS = len(load_file(CONTENT).regions_file.regions)  # however many the clinic keeps
PHONE = SCREENS["phone"]

# The rendered box of every region on the page's figure (its path: the link's shape).
REGION_BOXES = """() => Array.from(document.querySelectorAll('svg a.region')).map((a) => {
  const r = a.querySelector('path').getBoundingClientRect();
  return {id: a.dataset.region, width: r.width, height: r.height};
})"""

# Stricter, for the report only: the largest axis-aligned square (CSS px, 1 px grid) that
# fits inside each region's shape. A bounding box can pass 24 x 24 while the shape is thin.
INSCRIBED_SQUARES = """() => Array.from(document.querySelectorAll('svg a.region'))
.filter((a) => a.getClientRects().length).map((a) => {
  const path = a.querySelector('path');
  const box = path.getBBox();
  const unit = 1 / path.getScreenCTM().a;  // one CSS px in figure units
  const columns = Math.ceil(box.width / unit), rows = Math.ceil(box.height / unit);
  let best = 0, above = new Array(columns + 1).fill(0);
  for (let j = 0; j < rows; j++) {
    const row = new Array(columns + 1).fill(0);
    for (let i = 0; i < columns; i++) {
      const point = new DOMPoint(box.x + (i + 0.5) * unit, box.y + (j + 0.5) * unit);
      if (path.isPointInFill(point)) {
        row[i + 1] = 1 + Math.min(row[i], above[i], above[i + 1]);
        best = Math.max(best, row[i + 1]);
      }
    }
    above = row;
  }
  return [a.dataset.region, best];
})"""

LINK_BOXES = """(links) => links.map((a) => {
  const r = a.getBoundingClientRect();
  return {text: a.textContent.trim(), href: a.getAttribute('href'),
          width: r.width, height: r.height};
})"""


@pytest.fixture
def phone(browser: Browser, base_url: str) -> Iterator[Page]:
    """A 360 x 740 touch phone only: target size is about fingers on a small screen."""
    context = bounded(browser.new_context(base_url=base_url, **PHONE))
    try:
        yield context.new_page()
    finally:
        context.close()


def big_enough(box: dict) -> bool:
    return box["width"] >= MIN_SIZE and box["height"] >= MIN_SIZE


def smallest(boxes: list[dict]) -> dict:
    """The hardest target to hit: the shortest side first, then the smallest area."""
    return min(boxes, key=lambda b: (min(b["width"], b["height"]), b["width"] * b["height"]))


def rounded(box: dict) -> dict:
    return {k: round(v, 1) if isinstance(v, float) else v for k, v in box.items()}


def region_boxes(page: Page) -> dict[str, dict]:
    """The boxes of the regions shown, on each view in turn: a phone shows one view at a time
    (the Front/Back switch); a hidden view's regions are 0 x 0 and not counted."""
    by_id: dict[str, dict] = {}
    for view in ("front", "back"):
        show_view(page, view)
        boxes = page.evaluate(REGION_BOXES)
        ids = [box["id"] for box in boxes]
        assert len(set(ids)) == len(ids), f"{page.url}: a region is on the figure twice"
        for box in boxes:
            if box["width"] or box["height"]:
                by_id.setdefault(box["id"], box)
    assert by_id, f"{page.url}: no region on the figure"
    return by_id


def inscribed_squares(page: Page) -> dict[str, int]:
    found: dict[str, int] = {}
    for view in ("front", "back"):
        show_view(page, view)
        found.update(dict(page.evaluate(INSCRIBED_SQUARES)))
    return found


def test_every_region_is_big_enough_on_the_figure_or_its_zoom_page(
    phone: Page, tmp_path, base_url: str
):
    page = phone
    page.goto("/")
    assert page.evaluate("window.innerWidth") == PHONE["viewport"]["width"]
    home = region_boxes(page)
    assert len(home) == REGIONS, f"expected the file's {REGIONS} regions, found {len(home)}"
    small_on_home = sorted(i for i, box in home.items() if not big_enough(box))

    zoom_links = page.locator("nav.zooms a")
    hrefs = [zoom_links.nth(i).get_attribute("href") for i in range(zoom_links.count())]
    assert hrefs and all(h and h.startswith("/zoom/") for h in hrefs), hrefs

    on_zoom: dict[str, tuple[str, dict]] = {}  # region id → (zoom page, box there)
    inscribed: dict[str, int] = {}  # region id → largest square inside it on its zoom page
    for href in hrefs:
        page.goto(href)
        expect(page.locator(".zoom-caption")).to_be_visible()
        boxes = region_boxes(page)
        assert set(boxes) < set(home), f"{href} shows regions the home figure lacks, or all"
        for region_id, box in boxes.items():
            assert region_id not in on_zoom, f"{region_id} on {on_zoom[region_id][0]} and {href}"
            on_zoom[region_id] = (href, box)
        inscribed.update(inscribed_squares(page))

    uncovered = sorted(set(home) - set(on_zoom))
    too_small = {
        region_id: (on_zoom[region_id][0], rounded(on_zoom[region_id][1]))
        for region_id in small_on_home
        if region_id in on_zoom and not big_enough(on_zoom[region_id][1])
    }
    missing = [region_id for region_id in small_on_home if region_id not in on_zoom]

    zoom_boxes = [{**box, "page": href} for href, box in on_zoom.values()]
    summary = {
        "viewport": "360x740",
        "minimum_css_px": MIN_SIZE,
        "home_figure": {
            "regions": len(home),
            "smallest": rounded(smallest(list(home.values()))),
            "below_minimum": len(small_on_home),
        },
        "zoom_pages": {
            "pages": len(hrefs),
            "regions": len(on_zoom),
            "smallest": rounded(smallest(zoom_boxes)),
            "below_minimum": sum(not big_enough(b) for b in zoom_boxes),
            "smallest_of_those_small_on_home": (
                rounded(smallest([{**on_zoom[i][1], "page": on_zoom[i][0]} for i in small_on_home]))
                if small_on_home and not missing
                else None
            ),
        },
        "zoom_pages_largest_square_inside_the_shape": {
            "note": "stricter than the bounding box; reported, not asserted",
            "smallest": [
                {"id": i, "side": inscribed[i], "page": on_zoom[i][0]}
                for i in sorted(inscribed, key=lambda i: (inscribed[i], i))[:3]
            ],
            "below_minimum": sorted(i for i, side in inscribed.items() if side < MIN_SIZE),
        },
    }
    report = tmp_path / "target_sizes.json"
    report.write_text(json.dumps(summary, indent=2))
    print(report.read_text())

    assert not uncovered, f"regions on no zoom page: {uncovered}\n{report.read_text()}"
    assert not missing, f"small on the home figure and on no zoom page: {missing}"
    assert not too_small, (
        f"regions below {MIN_SIZE:g} x {MIN_SIZE:g} CSS px on the home figure and on their "
        f"zoom page too: {too_small}\n{report.read_text()}"
    )


def test_the_list_of_places_and_the_zoom_links_are_big_enough(phone: Page):
    page = phone
    page.goto("/")
    lists = {
        "list of places": page.locator(".region-list a"),
        "zoom links": page.locator("nav.zooms a"),
    }
    measured = {}
    for what, links in lists.items():
        expect(links.first).to_be_visible()
        boxes = links.evaluate_all(LINK_BOXES)
        small = [rounded(b) for b in boxes if not big_enough(b)]
        assert not small, f"{what}: links below {MIN_SIZE:g} x {MIN_SIZE:g} CSS px: {small}"
        measured[what] = {"links": len(boxes), "smallest": rounded(smallest(boxes))}
    assert measured["list of places"]["links"] == REGIONS, measured
    print(json.dumps(measured, indent=2))
