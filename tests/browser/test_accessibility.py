"""WCAG 2.2 AA as a patient meets it, in a real browser, phone and desktop.

- axe-core (WCAG 2.0/2.1 A and AA, WCAG 2.2 AA) on every kind of page: start, region,
  pain point, zoom, embed, 404; in dark mode and in forced colours too.
- What axe cannot see: region outlines in forced colours, reduced motion, the keyboard
  order over the figure and its visible focus, focus after each panel change, the names
  a screen reader reads, the live status line, heading levels, and the zoom journey
  without JavaScript.

A violation here is a barrier for a real patient: the report names the rule, the
element and the fix. Do not weaken the rules to make this pass; fix the page.

These check the live server's content (the sample, or the file BODYMAP_BROWSER_REGIONS
names) for invariants: the places, names and counts are read from that file, never
written here, so a clinic's edits keep them green.
"""

from __future__ import annotations

import itertools
import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Locator, Page, expect

from bodymap.content import SIDES, build_content
from bodymap.loader import load_file

from .conftest import CONTENT, Traffic, show_view, show_view_of

SAMPLE = build_content(load_file(CONTENT))
# A place on the back view, on one side, whose first cause has articles (the journeys below).
PLACE = next(
    e
    for e in SAMPLE.regions.values()
    if e.region.view == "back"
    and e.region.side in SIDES
    and e.pain_points
    and e.pain_points[0].articles
)
REGION = PLACE.id
REGION_NAME = PLACE.name
CAUSE_NAME = PLACE.pain_points[0].pain_point.label
PLACE_ZOOM = next(z for z in SAMPLE.zooms.values() if REGION in z.region_ids)
AREA_IDS = {area.id for area, _ in SAMPLE.areas}
# The zoom of that place, and a part zoomed one side at a time if the figure has one.
ZOOM_IDS = list(dict.fromkeys([PLACE_ZOOM.id, *(z for z in SAMPLE.zooms if z not in AREA_IDS)][:2]))
REGION_COUNT = len(SAMPLE.regions)
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
AXE_OPTIONS = {"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]}

_axe = Axe()


def expect_no_violations(page: Page, what: str) -> None:
    # axe places a sticky element where it is painted now but treats it as in the flow
    # (dequelabs/axe-core#3720), so the phone's Book/Call bar, stuck over the panel, reads as
    # covering whatever lies under it. At the page's end the bar rests in its own place.
    scrolled = page.evaluate("window.scrollY")
    page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
    result = _axe.run(page, options=AXE_OPTIONS)
    page.evaluate("y => window.scrollTo(0, y)", scrolled)
    # The run itself must have happened: axe answers with the rules it was asked for.
    assert result.response.get("testEngine", {}).get("name") == "axe-core", result.response
    assert result.violations_count == 0, f"{what} ({page.url}):\n{result.generate_report()}"


def pain_point_path(page: Page) -> str:
    """The first pain point's page, as linked from the lower-back panel."""
    link = page.locator("#panel article.pain-point h4 a").first
    href = link.get_attribute("href")
    assert href and href.startswith("/pain-points/"), href
    return href


def test_start_page(page: Page):
    page.goto("/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Where does it hurt?")
    expect_no_violations(page, "the start page")


def test_region_page(page: Page):
    page.goto(f"/regions/{REGION}")
    expect(page.locator("#panel-heading")).to_have_text(REGION_NAME)
    expect_no_violations(page, "a region page")


def test_region_panel_after_an_htmx_swap(page: Page):
    page.goto("/")
    show_view_of(page, REGION)
    page.locator(f'svg a.region[data-region="{REGION}"]').click()
    heading = page.locator("#panel-heading")
    expect(heading).to_have_text(REGION_NAME)
    expect(heading).to_be_focused()  # bodymap.js has run: selection and focus are in place
    expect(page.locator(f'svg a.region[data-region="{REGION}"]')).to_have_attribute(
        "aria-current", "true"
    )
    expect_no_violations(page, "the region panel swapped in by htmx")


def test_pain_point_page(page: Page):
    page.goto(f"/regions/{REGION}")
    path = pain_point_path(page)
    page.goto(path)
    expect(page.locator("#panel-heading")).to_be_visible()
    expect(page.locator("#panel ul.articles a").first).to_be_visible()
    expect_no_violations(page, "a pain-point page")


def test_not_found_page(page: Page):
    response = page.goto("/regions/no-such-place")
    assert response is not None and response.status == 404
    expect(page.get_by_role("heading", level=1)).to_have_text("We could not find that page")
    expect_no_violations(page, "the 404 page")


# --- more pages: zoom, embed ---------------------------------------------------------------


@pytest.mark.parametrize("zoom_id", ZOOM_IDS)
def test_zoom_page(page: Page, zoom_id: str):
    page.goto(f"/zoom/{zoom_id}")
    expect(page.locator(".zoom-caption")).to_be_visible()
    expect(page.locator("svg a.region").first).to_be_visible()
    expect_no_violations(page, f"the zoom page of {zoom_id}")


@pytest.mark.parametrize("path", ["/embed/", f"/embed/regions/{REGION}"])
def test_embed_page(page: Page, path: str):
    response = page.goto(path)
    assert response is not None and response.status == 200, path
    expect(page.locator("html.embed")).to_have_count(1)
    expect(page.locator("#panel-heading")).to_be_visible()
    expect_no_violations(page, f"the embedded page {path}")


# --- dark mode, forced colours, reduced motion ------------------------------------------------


def background_luminance(page: Page) -> float:
    """The body's background as a relative luminance (0 black … 1 white)."""
    return page.evaluate(
        """() => {
          const [r, g, b] = getComputedStyle(document.body).backgroundColor
            .match(/[\\d.]+/g).slice(0, 3).map(Number).map((c) => c / 255)
            .map((c) => (c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
          return 0.2126 * r + 0.7152 * g + 0.0722 * b;
        }"""
    )


@pytest.mark.parametrize("kind", ["start", "region", "pain-point"])
def test_dark_mode(page: Page, kind: str):
    page.emulate_media(color_scheme="dark")
    page.goto("/" if kind == "start" else f"/regions/{REGION}")
    if kind == "pain-point":
        page.goto(pain_point_path(page))
    expect(page.locator("#panel-heading")).to_be_visible()
    assert page.evaluate("matchMedia('(prefers-color-scheme: dark)').matches")
    luminance = background_luminance(page)
    assert luminance < 0.05, f"dark mode did not apply: background luminance {luminance:.3f}"
    expect_no_violations(page, f"the {kind} page in dark mode")


REGION_PATH_STYLE = """(path) => {
  const s = getComputedStyle(path);
  return {stroke: s.stroke, strokeWidth: s.strokeWidth, strokeOpacity: s.strokeOpacity,
          transitionDuration: s.transitionDuration};
}"""


def is_visible_paint(paint: str) -> bool:
    """A computed stroke that draws something: not 'none', not fully transparent."""
    if paint in ("none", "transparent", ""):
        return False
    alpha = re.fullmatch(r"rgba\([^)]*,\s*([\d.]+)\)", paint)
    return not (alpha and float(alpha.group(1)) == 0)


def test_forced_colours(page: Page):
    page.emulate_media(forced_colors="active")
    page.goto("/")
    assert page.evaluate("matchMedia('(forced-colors: active)').matches")
    expect(page.locator("svg a.region")).to_have_count(REGION_COUNT)
    styles = page.locator("svg a.region path").evaluate_all(
        f"(paths) => paths.map({REGION_PATH_STYLE})"
    )
    invisible = [
        s
        for s in styles
        if not is_visible_paint(s["stroke"])
        or float(s["strokeOpacity"]) == 0
        or float(s["strokeWidth"].removesuffix("px")) <= 0
    ]
    assert not invisible, f"region outlines vanish in forced colours: {invisible[:3]}"
    expect_no_violations(page, "the start page in forced colours")


def test_reduced_motion_switches_off_the_region_transition(page: Page):
    page.goto("/")
    path = page.locator("svg a.region path").first
    # Without the preference the fill fades: otherwise this test could never fail.
    page.emulate_media(reduced_motion="no-preference")
    assert path.evaluate(REGION_PATH_STYLE)["transitionDuration"] != "0s"
    page.emulate_media(reduced_motion="reduce")
    durations = set(
        page.locator("svg a.region path").evaluate_all(
            "(paths) => paths.map((p) => getComputedStyle(p).transitionDuration)"
        )
    )
    assert durations == {"0s"}, f"regions still animate with reduced motion: {durations}"


# --- keyboard (desktop) ------------------------------------------------------------------------

FOCUSED = """() => {
  const a = document.activeElement;
  if (!a || a === document.body) return null;
  const region = a.matches('svg a.region') ? a.dataset.region : null;
  const path = region ? a.querySelector('path') : null;
  const box = (path || a).getBoundingClientRect();
  const style = path ? getComputedStyle(path) : null;
  return {
    region,
    view: region ? (a.closest('svg.figure-front') ? 'front' : 'back') : null,
    cls: a.getAttribute('class') || '',
    text: (a.getAttribute('aria-label') || a.textContent).trim().slice(0, 60),
    top: box.top + window.scrollY,
    left: box.left, right: box.right, bottom: box.bottom,
    stroke: style && style.stroke,
    strokeWidth: style && parseFloat(style.strokeWidth),
    focusVisible: a.matches(':focus-visible'),
  };
}"""

UNFOCUSED_STROKES = """() => Object.fromEntries(
  Array.from(document.querySelectorAll('svg a.region')).map((a) => {
    const s = getComputedStyle(a.querySelector('path'));
    return [a.dataset.region, {stroke: s.stroke, strokeWidth: parseFloat(s.strokeWidth)}];
  }))"""

ROW_TIE_PX = 15  # regions in one row may start a little higher than the one before


def shows_focus(focused: dict, unfocused: dict) -> bool:
    return focused["strokeWidth"] >= 3 or focused["stroke"] != unfocused["stroke"]


@pytest.mark.parametrize("screen", ["desktop"])
def test_keyboard_order_focus_and_return(page: Page, base_url: str):
    page.goto("/")
    expect(page.locator("#panel-heading")).to_have_text("Choose a place on the body")
    dom_order = page.evaluate(
        "() => [...document.querySelectorAll('svg.figure-front a.region'),"
        " ...document.querySelectorAll('svg.figure-back a.region')].map((a) => a.dataset.region)"
    )
    unfocused = page.evaluate(UNFOCUSED_STROKES)
    viewport = page.viewport_size
    assert viewport

    reached: list[dict] = []
    for _ in range(len(dom_order) + 20):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        assert focused, f"Tab left the page after {[f['text'] for f in reached]}"
        reached.append(focused)
        if any(f["region"] for f in reached) and not focused["region"]:
            break  # past the figure
    texts = [f["text"] for f in reached]

    # The skip link first, visible when focused; the figure's own skip link after the header.
    assert "skip-link" in reached[0]["cls"], f"Tab order starts {texts[:3]}"
    skip = reached[0]
    assert skip["left"] >= 0 and skip["right"] <= viewport["width"] and skip["top"] >= 0, (
        f"the focused skip link is off screen: {skip}"
    )
    classes = [f["cls"] for f in reached]
    header = [i for i, c in enumerate(classes) if c in ("clinic-name", "header-phone")]
    first_region = next(i for i, f in enumerate(reached) if f["region"])
    skip_figure = classes.index("skip-figure") if "skip-figure" in classes else None
    assert header and skip_figure is not None, f"Tab order: {texts}"
    assert max(header) < skip_figure == first_region - 1, (
        f"'Skip to the list of places' must follow the header and come right before the "
        f"figure: {texts[: first_region + 1]}"
    )

    # Every region, front view before back view, top to bottom within a view.
    regions = [f for f in reached if f["region"]]
    assert [f["region"] for f in regions] == dom_order, "Tab order is not the figure's DOM order"
    assert len(dom_order) == REGION_COUNT
    for view in ("front", "back"):
        in_view = [f for f in regions if f["view"] == view]
        climbs = [
            (a["region"], round(a["top"]), b["region"], round(b["top"]))
            for a, b in itertools.pairwise(in_view)
            if b["top"] < a["top"] - ROW_TIE_PX
        ]
        assert not climbs, f"{view} view: Tab goes back up the body: {climbs}"
    assert regions[-1]["view"] == "back" and regions[0]["view"] == "front"

    # Every focused region shows it.
    unseen = [
        (f["region"], f["stroke"], f["strokeWidth"])
        for f in regions
        if not f["focusVisible"] or not shows_focus(f, unfocused[f["region"]])
    ]
    assert not unseen, f"regions without a visible focus indication: {unseen[:5]}"

    # Back to the lower back with Shift+Tab, open it with Enter.
    steps_back = len(regions) - dom_order.index(REGION)
    for _ in range(steps_back):
        page.keyboard.press("Shift+Tab")
    region = page.locator(f'svg a.region[data-region="{REGION}"]')
    expect(region).to_be_focused()
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{base_url}/?r={REGION}")
    heading = page.locator("#panel-heading")
    expect(heading).to_have_text(REGION_NAME)
    expect(heading).to_be_focused()

    # Tab through the panel to "Start over", Enter: focus is back on the region.
    for _ in range(120):
        page.keyboard.press("Tab")
        focused = page.evaluate(FOCUSED)
        if focused and focused["text"] == "Start over":
            break
    else:
        pytest.fail("120 presses of Tab did not reach 'Start over'")
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{base_url}/")
    expect(heading).to_have_text("Choose a place on the body")
    expect(region).to_be_focused()
    back = page.evaluate(FOCUSED)
    assert back["focusVisible"] and shows_focus(back, unfocused[REGION]), (
        f"focus returned to the region but does not show: {back}"
    )


@pytest.mark.parametrize("screen", ["desktop"])
def test_skip_to_the_list_moves_focus_past_the_figure(page: Page):
    page.goto("/")
    skip = page.get_by_role("link", name="Skip to the list of places")
    skip.focus()
    page.keyboard.press("Enter")
    expect(page.locator("#region-list")).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.locator(".region-list a").first).to_be_focused()


# --- screen readers ---------------------------------------------------------------------------


def test_figure_links_are_named_like_the_list(page: Page):
    page.goto("/")
    expect(page.locator("html")).to_have_attribute("lang", "en")
    names = dict(
        page.locator(".region-list a").evaluate_all(
            "(links) => links.map((a) => [a.dataset.toggle, a.textContent.trim()])"
        )
    )
    assert len(names) == REGION_COUNT
    for view, label in (("front", "Front of the body"), ("back", "Back of the body")):
        show_view(page, view)
        svg = page.locator(f"svg.figure-{view}")
        expect(svg).to_have_attribute("role", "group")
        expect(svg).to_have_role("group")
        expect(svg).to_have_accessible_name(label)
        tree = svg.aria_snapshot()
        assert tree.startswith(f'- group "{label}"'), tree[:200]
        assert " img" not in tree, "a figure is exposed as an image: its links are hidden"
        ids = svg.locator("a.region").evaluate_all("(links) => links.map((a) => a.dataset.region)")
        announced = re.findall(r'^\s*- link "((?:[^"\\]|\\.)*)"', tree, flags=re.M)
        assert announced == [names[i] for i in ids], f"{view} view: names differ from the list"

    figure = page.locator("svg.figure")
    for name, region_id in named_places():
        show_view_of(page, region_id)
        link = figure.get_by_role("link", name=name, exact=True)
        expect(link).to_have_count(1)
        expect(link).to_have_attribute("data-region", region_id)
        # Page-wide the name leads to the figure's link and the list's link, nothing else.
        everywhere = page.get_by_role("link", name=name, exact=True)
        expect(everywhere).to_have_count(2)
        expect(everywhere.first).to_have_attribute("data-region", region_id)


def named_places() -> list[tuple[str, str]]:
    """(name, id) of a place on each view with a side, and one without, if the file has one;
    names no zoom link shares, so each is on the page twice (figure and list)."""
    zoom_labels = {z.label for z in SAMPLE.zooms.values()}
    entries = [e for e in SAMPLE.regions.values() if e.name not in zoom_labels]
    kinds = {(e.region.view, e.region.side in SIDES): e for e in reversed(entries)}
    return sorted({(e.name, e.id) for e in kinds.values()})


def test_the_status_line_announces_the_swapped_panel(page: Page, is_phone: bool):
    page.goto("/")
    status = page.locator("#status")
    expect(status).to_have_attribute("role", "status")
    expect(status).to_have_attribute("aria-live", "polite")
    expect(status).to_have_text("")
    show_view_of(page, REGION)
    region = page.locator(f'svg a.region[data-region="{REGION}"]')
    if is_phone:
        region.tap()
    else:
        region.click()
    expect(page.locator("#panel-heading")).to_have_text(REGION_NAME)
    expect(status).to_have_text("Added: " + REGION_NAME)  # the heading's name, said once
    assert page.locator("#status").count() == 1


HEADING = re.compile(r'^\s*- heading "((?:[^"\\]|\\.)*)" \[level=(\d)\]', re.M)


@pytest.mark.parametrize("kind", ["start", "region", "pain-point"])
def test_heading_levels_never_skip(page: Page, kind: str):
    page.goto("/" if kind == "start" else f"/regions/{REGION}")
    if kind == "pain-point":
        page.goto(pain_point_path(page))
    expect(page.locator("#panel-heading")).to_be_visible()
    headings = [
        (int(level), name) for name, level in HEADING.findall(page.locator("body").aria_snapshot())
    ]
    assert len(headings) >= 4, f"too few headings in the accessibility tree: {headings}"
    assert headings[0] == (1, "Where does it hurt?"), headings[:2]
    jumps = [(a, b) for a, b in itertools.pairwise(headings) if b[0] > a[0] + 1]
    assert not jumps, f"{kind} page: heading levels skip: {jumps}"
    assert [level for level, _ in headings].count(1) == 1, headings


# --- without JavaScript ---------------------------------------------------------------------


def follow(page: Page, link: Locator, is_phone: bool, path: str) -> None:
    """Follow a link; it must be a whole page load of `path` from the server."""
    with page.expect_response(lambda r: r.url.endswith(path)) as response_info:
        if is_phone:
            link.tap()
        else:
            link.click()
    response = response_info.value
    assert response.request.is_navigation_request(), f"{path} was not a page load"
    assert response.status == 200, f"{path}: {response.status}"
    assert response.request.headers.get("hx-request") is None, "htmx ran without JavaScript"
    page.wait_for_url(re.compile(re.escape(path) + "(#panel-heading)?$"))


def test_zoom_journey_without_javascript(nojs_page: Page, nojs_traffic: Traffic, is_phone: bool):
    page = nojs_page
    page.goto("/")
    zoom = page.locator("nav.zooms").get_by_role("link", name=PLACE_ZOOM.label, exact=True)
    follow(page, zoom, is_phone, f"/zoom/{PLACE_ZOOM.id}")
    expect(page.locator(".zoom-caption")).to_contain_text(PLACE_ZOOM.label)

    region = page.locator(f'svg a.region[data-region="{REGION}"]')
    expect(region).to_have_attribute("href", f"/?r={REGION}#panel-heading")
    show_view_of(page, REGION)  # a phone shows an enlarged part one view at a time
    follow(page, region, is_phone, f"/?r={REGION}")
    expect(page.locator("#panel-heading")).to_have_text(REGION_NAME)

    cause = page.locator("#panel").get_by_role("link", name=CAUSE_NAME, exact=True)
    href = cause.get_attribute("href")
    assert href and href.startswith("/pain-points/"), href
    follow(page, cause, is_phone, href)
    expect(page.locator("#panel-heading")).to_have_text(re.compile("^" + re.escape(CAUSE_NAME)))

    article = page.locator("#panel ul.articles a").first
    expect(article).to_be_visible()
    expect(article).to_have_attribute("href", re.compile(r"^https://[^/\s]+\.[^/\s]+/"))
    booking = page.locator("#panel").get_by_role("link", name="Book an appointment")
    expect(booking.first).to_be_visible()
    expect(booking.first).to_have_attribute("href", re.compile(r"^https://"))
    assert nojs_traffic.problems() == {}
