"""The map inside a clinic's web page, in a real browser, on a phone and on a desktop screen.

Three loopback origins: the map (the tool, served from a copy of the sample content), a
host page on the port that `clinic.embed.allowed_origins` names, and the very same host
page on another port that it does not name. The host pages carry the snippet exactly as
the tool publishes it on /embed/snippet, so these tests prove the published snippet works:
the frame fits the map as it grows and shrinks, links leave the frame as configured, other
websites get an empty frame, foreign messages cannot resize it, several maps on one page
size themselves, nothing is stored and nothing leaves the machine.
"""

from __future__ import annotations

import html
import json
import re
import time
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import BrowserContext, Frame, FrameLocator, Locator, Page, expect

from bodymap import create_app

from ..conftest import copy_content
from .conftest import ROOT, TIMEOUT_MS, Traffic, press, serving, static_server
from .test_accessibility import AXE_OPTIONS

PLACES = (
    ROOT / "tests" / "data" / "places" / "regions.yaml"
)  # the tests' own content, with embed settings
SMALL = ROOT / "tests" / "data" / "small.yaml"
FRAME = "iframe[data-bodymap-frame]"
REGION = "lower-back-left"
REGION_NAME = re.compile(r"^\s*Lower back, your left side\s*$")
START_HEADING = "Choose a place on the body"
PAIN_POINT_NAME = re.compile(r"^Chronic back pain")
ARTICLE_TITLE = "Chronic Back Pain and Depression: Is There a Link?"
ARTICLE_URL = "https://clinic.example/depression"
ARTICLE_PAGE = "<title>Article</title><h1>Article</h1>"
FIT_PX = 2  # the frame may differ from the map's document by this much
WAIT_S = TIMEOUT_MS / 1000

HOST_PAGE = """<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>{title}</title>
</head>
<body>
  <header><h1>{title}</h1><p id="above">The clinic's own page, above the map.</p></header>
  <main>
{snippet}
  </main>
  <footer><p id="below">The clinic's own page, below the map.</p></footer>
</body>
</html>
"""


# --- servers ---------------------------------------------------------------------------


def content_for(path: Path, allowed_origin: str, open_links: str) -> Path:
    """A copy of the test content that lets `allowed_origin` frame the map."""
    text = PLACES.read_text()
    text, origins = re.subn(
        r"^(\s+allowed_origins:).*$", rf'\1 ["{allowed_origin}"]', text, flags=re.M
    )
    text, links = re.subn(r"^(\s+open_links:).*$", rf"\1 {open_links}", text, flags=re.M)
    assert (origins, links) == (1, 1), "places/regions.yaml no longer has clinic.embed settings"
    return copy_content(path, PLACES, text)


def published_snippet(map_origin: str) -> str:
    """The HTML the tool tells the clinic to paste, from its /embed/snippet page."""
    with urllib.request.urlopen(f"{map_origin}/embed/snippet", timeout=WAIT_S) as response:
        page = response.read().decode()
    found = re.search(r'<code id="snippet">(.*?)</code>', page, re.S)
    assert found, "the snippet page shows no <code id=snippet>"
    snippet = html.unescape(found[1])
    assert snippet.startswith(f'<iframe src="{map_origin}/embed/"'), snippet
    assert snippet.endswith(f'<script src="{map_origin}/static/embed.js" async></script>')
    return snippet


def two_maps(snippet: str) -> str:
    """Two copies of the snippet's frame and its script once, as the snippet page says."""
    found = re.fullmatch(r"(<iframe .*?</iframe>)\s*(<script .*</script>)", snippet, re.S)
    assert found, snippet
    frame, script = found.groups()
    return f'{frame}\n<p id="between">Between the two maps.</p>\n{frame}\n{script}'


@dataclass(frozen=True)
class Sites:
    allowed: str  # the host website that clinic.embed.allowed_origins names
    refused: str  # the same host pages on a port that it does not name
    map: str  # the tool, with open_links: top
    map_new_tab: str  # the tool on a second copy of the content, with open_links: new-tab
    start_height: int  # the height="" the published snippet gives the frame before it fits


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sites]:
    root = tmp_path_factory.mktemp("embed")
    pages = root / "host"
    pages.mkdir()
    with ExitStack() as stack:
        allowed = stack.enter_context(static_server(pages))
        refused = stack.enter_context(static_server(pages))
        maps = {}
        for links in ("top", "new-tab"):
            app = create_app(content_for(root / f"{links}.yaml", allowed, links))
            maps[links] = stack.enter_context(serving(app))
            app.config["PUBLIC_URL"] = maps[links]  # known once the port is chosen
        snippet = published_snippet(maps["top"])
        for name, title, body in (
            ("map.html", "Spine clinic: where does it hurt?", snippet),
            ("two-maps.html", "Spine clinic: two maps", two_maps(snippet)),
            ("new-tab.html", "Spine clinic: new tab", published_snippet(maps["new-tab"])),
        ):
            (pages / name).write_text(HOST_PAGE.format(title=title, snippet=body))
        height = re.search(r'<iframe [^>]*\bheight="(\d+)"', snippet)
        assert height, snippet
        yield Sites(allowed, refused, maps["top"], maps["new-tab"], int(height[1]))


# --- the network and the console -------------------------------------------------------


def watch_embed(context: BrowserContext) -> Traffic:
    """Record requests, failures and console errors; only 127.0.0.1 is reachable.

    Anything else is aborted and recorded, except the article's address, which is
    answered with a stand-in page (and recorded in `requests` like every request).
    """
    seen = Traffic(origin="http://127.0.0.1")

    def route(route):
        parts = urlsplit(route.request.url)
        if parts.scheme in ("data", "blob") or parts.hostname == "127.0.0.1":
            route.continue_()
        else:
            seen.foreign.append(route.request.url)
            route.abort()

    def console(message):
        if message.type == "error":
            seen.console_errors.append(f"{message.text} @ {message.location.get('url')}")

    def response(response):
        if response.status >= 400:
            seen.bad_status.append(f"{response.status} {response.url}")

    context.route("**/*", route)
    # Registered last, so it wins for the article: the one address outside that may load.
    context.route(
        "https://clinic.example/**",
        lambda r: r.fulfill(status=200, content_type="text/html", body=ARTICLE_PAGE),
    )
    context.on("request", lambda request: seen.requests.append(request.url))
    context.on("requestfailed", lambda r: seen.failed.append(f"{r.url}: {r.failure}"))
    context.on("response", response)
    context.on("console", console)
    context.on("weberror", lambda error: seen.page_errors.append(str(error.error)))
    return seen


@pytest.fixture
def traffic(context: BrowserContext) -> Traffic:
    return watch_embed(context)


def expect_private(traffic: Traffic, context: BrowserContext) -> None:
    """No cookies, nothing off the machine but the article, no errors on the way."""
    assert traffic.requests, "the watch saw no requests at all: it is not attached"
    assert traffic.problems() == {}
    assert context.cookies() == []
    outside = {r for r in traffic.requests if urlsplit(r).hostname not in ("127.0.0.1", None)}
    assert outside <= {ARTICLE_URL}, outside


# --- the frame and its size --------------------------------------------------------------


@dataclass(frozen=True)
class Fit:
    frame: float  # the iframe's height on the host page
    document: float  # the height of the map's document inside the frame
    scroll_height: int
    client_height: int
    scroll_width: int
    client_width: int

    def problems(self) -> list[str]:
        """What a patient would see wrong with the frame; empty when it fits."""
        found = []
        if abs(self.frame - self.document) > FIT_PX:
            found.append(f"the frame is {self.frame}px tall, the map {self.document:.1f}px")
        if self.scroll_height > self.client_height + 1:
            found.append(
                f"the map scrolls inside the frame: {self.scroll_height}px of content"
                f" in {self.client_height}px"
            )
        if self.scroll_width > self.client_width + 1:
            found.append(f"the map is {self.scroll_width}px wide in {self.client_width}px")
        return found


INSIDE = """() => {
  const root = document.documentElement;
  return {
    document: root.getBoundingClientRect().height,
    scroll_height: root.scrollHeight, client_height: root.clientHeight,
    scroll_width: root.scrollWidth, client_width: root.clientWidth,
  };
}"""


def content_frame(iframe: Locator) -> Frame:
    frame = iframe.element_handle().content_frame()
    assert frame is not None, "the iframe has no document"
    return frame


def measure(iframe: Locator) -> Fit:
    height = iframe.evaluate("(frame) => frame.getBoundingClientRect().height")
    return Fit(frame=height, **content_frame(iframe).evaluate(INSIDE))


def settled_fit(
    iframe: Locator, until: Callable[[Fit], bool] = lambda fit: True, *, what: str
) -> Fit:
    """Wait (bounded) until the frame fits its map and `until` holds, twice in a row."""
    deadline = time.monotonic() + WAIT_S
    last = None
    while True:
        fit = measure(iframe)
        if not fit.problems() and until(fit) and fit == last:
            return fit
        last = fit
        if time.monotonic() > deadline:
            found = "; ".join(fit.problems()) or "it never changed as expected"
            raise AssertionError(f"{what}: {found} ({fit})")
        time.sleep(0.15)


def unchanged_for(iframe: Locator, height: float, seconds: float = 0.5) -> None:
    """The frame keeps `height` for a while (a message that should do nothing did nothing)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        now = measure(iframe).frame
        assert now == height, f"the frame changed from {height}px to {now}px"
        time.sleep(0.1)


def inside(page: Page, index: int = 0) -> FrameLocator:
    return page.frame_locator(FRAME).nth(index)


def open_host(page: Page, url: str) -> Locator:
    page.goto(url)
    expect(page.locator("#above")).to_be_visible()
    iframe = page.locator(FRAME).first
    expect(iframe).to_be_attached()
    return iframe


def expect_start(frame: FrameLocator | Page) -> None:
    expect(frame.locator("#panel-heading")).to_have_text(START_HEADING)


def tap_lower_back(frame: FrameLocator, is_phone: bool) -> None:
    press(frame.locator(f'svg a.region[data-region="{REGION}"]'), is_phone)
    expect(frame.locator("#panel-heading")).to_have_text(REGION_NAME)


def open_article_from_pain_point(frame: FrameLocator, is_phone: bool) -> Locator:
    """Lower back, then Chronic back pain: returns the depression article's link."""
    tap_lower_back(frame, is_phone)
    press(frame.locator("#panel").get_by_role("link", name=PAIN_POINT_NAME).first, is_phone)
    expect(frame.locator("#panel-heading")).to_have_text(PAIN_POINT_NAME)
    link = frame.locator("#panel ul.articles").get_by_role("link", name=ARTICLE_TITLE, exact=True)
    expect(link).to_have_attribute("href", ARTICLE_URL)
    return link


# --- the frame fits the map ------------------------------------------------------------


def test_the_frame_fits_the_map_as_it_grows_and_shrinks(
    page: Page, context: BrowserContext, traffic: Traffic, sites: Sites, is_phone: bool
):
    iframe = open_host(page, f"{sites.allowed}/map.html")
    frame = inside(page)
    expect_start(frame)
    start = settled_fit(iframe, what="after load")
    assert start.frame != sites.start_height, "the frame kept the snippet's height"

    tap_lower_back(frame, is_phone)
    grown = settled_fit(iframe, lambda fit: fit.frame > start.frame + 50, what="after the tap")

    press(frame.get_by_role("link", name="Start over"), is_phone)
    expect_start(frame)
    shrunk = settled_fit(iframe, lambda fit: fit.frame < grown.frame - 50, what="back at start")
    assert abs(shrunk.frame - start.frame) <= FIT_PX, (start, shrunk)

    expect(page.locator("#below")).to_be_attached()
    below = page.locator("#below").bounding_box()
    box = iframe.bounding_box()
    assert below and box and below["y"] >= box["y"] + box["height"], "the page overlaps the map"
    expect_private(traffic, context)


# --- links that leave the frame ------------------------------------------------------------


def test_an_article_opens_in_place_of_the_host_page(
    page: Page, context: BrowserContext, traffic: Traffic, sites: Sites, is_phone: bool
):
    open_host(page, f"{sites.allowed}/map.html")
    link = open_article_from_pain_point(inside(page), is_phone)

    press(link, is_phone)

    expect(page).to_have_url(ARTICLE_URL)
    expect(page.locator("h1")).to_have_text("Article")
    expect(page.locator(FRAME)).to_have_count(0)
    assert len(context.pages) == 1, "the article opened in a new tab, not in place"
    expect_private(traffic, context)


def test_an_article_opens_in_a_new_tab_when_so_configured(
    page: Page, context: BrowserContext, traffic: Traffic, sites: Sites, is_phone: bool
):
    host = f"{sites.allowed}/new-tab.html"
    open_host(page, host)
    frame = inside(page)
    link = open_article_from_pain_point(frame, is_phone)

    with context.expect_page() as opened:
        press(link, is_phone)

    popup = opened.value
    expect(popup).to_have_url(ARTICLE_URL)
    expect(popup.locator("h1")).to_have_text("Article")
    expect(page).to_have_url(host)
    expect(page.locator("#above")).to_be_visible()
    expect(frame.locator("#panel-heading")).to_have_text(PAIN_POINT_NAME)
    expect_private(traffic, context)


# --- who may show the map ------------------------------------------------------------------


def test_a_website_that_is_not_allowed_gets_an_empty_frame(page: Page, sites: Sites):
    refusals: list[str] = []
    page.on(
        "console",
        lambda message: "frame-ancestors" in message.text and refusals.append(message.text),
    )
    open_host(page, f"{sites.allowed}/map.html")
    expect(inside(page).locator("svg a.region").first).to_be_visible()
    assert refusals == []

    iframe = open_host(page, f"{sites.refused}/map.html")

    deadline = time.monotonic() + WAIT_S
    while (url := content_frame(iframe).url) in ("", "about:blank"):
        assert time.monotonic() < deadline, "the refused frame never finished loading"
        time.sleep(0.1)
    assert url.startswith("chrome-error://"), f"the frame shows {url}"
    expect(inside(page).locator("svg a.region")).to_have_count(0)
    expect(inside(page).locator("#panel-heading")).to_have_count(0)
    assert refusals and sites.allowed in refusals[0], refusals
    assert iframe.evaluate("(frame) => frame.clientHeight") == sites.start_height


# --- messages ------------------------------------------------------------------------------

FOREIGN_MESSAGES = """() => new Promise((resolve, reject) => {
  const message = "{type: 'bodymap:height', height: 42}";
  let seen = 0;
  addEventListener("message", (event) => {
    if (event.data && event.data.height === 42 && ++seen === 3) resolve(seen);
  });
  // The host page itself.
  window.postMessage({type: "bodymap:height", height: 42}, "*");
  // A frame of the host's own origin, and one that looks like a map's frame.
  for (const marked of [false, true]) {
    const child = document.createElement("iframe");
    child.srcdoc = `<script>parent.postMessage(${message}, "*")<\\/script>`;
    child.height = "300";
    if (marked) child.setAttribute("data-bodymap-frame", "");
    child.className = "foreign";
    document.body.append(child);
  }
  setTimeout(() => reject(new Error(`only ${seen} of 3 messages arrived`)), 5000);
})"""


def test_messages_from_others_than_the_map_do_not_resize_any_frame(
    page: Page, context: BrowserContext, traffic: Traffic, sites: Sites
):
    iframe = open_host(page, f"{sites.allowed}/map.html")
    expect_start(inside(page))
    fitted = settled_fit(iframe, what="after load")

    assert page.evaluate(FOREIGN_MESSAGES) == 3
    page.wait_for_timeout(500)

    unchanged_for(iframe, fitted.frame)
    assert settled_fit(iframe, what="after the messages") == fitted
    for child in page.locator("iframe.foreign").all():
        assert child.evaluate("(frame) => frame.clientHeight") == 300, "a foreign frame resized"
    expect_private(traffic, context)


# --- several maps on one page --------------------------------------------------------------


def test_several_maps_on_one_page_each_fit_their_own_content(
    page: Page, context: BrowserContext, traffic: Traffic, sites: Sites, is_phone: bool
):
    page.goto(f"{sites.allowed}/two-maps.html")
    frames = page.locator(FRAME)
    expect(frames).to_have_count(2)
    first, second = frames.nth(0), frames.nth(1)
    second.scroll_into_view_if_needed()  # the snippet's frames load lazily
    expect_start(inside(page, 1))
    expect_start(inside(page, 0))
    first_fit = settled_fit(first, what="the first map")
    second_fit = settled_fit(second, what="the second map")
    assert sites.start_height not in (first_fit.frame, second_fit.frame)

    tap_lower_back(inside(page, 0), is_phone)

    settled_fit(first, lambda fit: fit.frame > first_fit.frame + 50, what="the tapped map")
    expect_start(inside(page, 1))
    unchanged_for(second, second_fit.frame)
    assert settled_fit(second, what="the other map") == second_fit
    expect_private(traffic, context)


# --- privacy ---------------------------------------------------------------------------------

BLOCK_STORAGE = """(() => {
  // As a browser that blocks storage for third-party frames: any touch throws.
  for (const name of ["localStorage", "sessionStorage"]) {
    Object.defineProperty(window, name, {
      configurable: true,
      get() {
        throw new DOMException(`Access to '${name}' is denied for this document.`, "SecurityError");
      },
    });
  }
})();"""

STORAGE_STATE = """() => ["localStorage", "sessionStorage"].map((name) => {
  try { return typeof window[name].length; } catch (error) { return error.name; }
})"""


def test_the_map_works_in_a_frame_that_may_not_store_anything(
    context: BrowserContext, traffic: Traffic, sites: Sites, is_phone: bool
):
    context.add_init_script(BLOCK_STORAGE)
    page = context.new_page()
    iframe = open_host(page, f"{sites.allowed}/map.html")
    frame = inside(page)
    expect_start(frame)
    assert content_frame(iframe).evaluate(STORAGE_STATE) == ["SecurityError", "SecurityError"]
    start = settled_fit(iframe, what="after load")

    tap_lower_back(frame, is_phone)

    settled_fit(iframe, lambda fit: fit.frame > start.frame + 50, what="after the tap")
    expect(frame.locator(f'svg a.region[data-region="{REGION}"]')).to_have_attribute(
        "aria-current", "true"
    )
    expect_private(traffic, context)


# --- accessibility ---------------------------------------------------------------------------


def test_the_embed_page_has_no_accessibility_violations(page: Page, sites: Sites, is_phone: bool):
    axe = Axe()
    page.goto(f"{sites.map}/embed/")
    expect(page.locator("#panel-heading")).to_have_text(START_HEADING)
    for state in ("the /embed page", "the /embed page after a tap on the lower back"):
        result = axe.run(page, options=AXE_OPTIONS)
        assert result.response.get("testEngine", {}).get("name") == "axe-core", result.response
        assert result.violations_count == 0, f"{state}:\n{result.generate_report()}"
        if state == "the /embed page":
            press(page.locator(f'svg a.region[data-region="{REGION}"]'), is_phone)
            expect(page.locator("#panel-heading")).to_have_text(REGION_NAME)


# --- a dead link inside the frame ------------------------------------------------------------


def test_a_dead_link_inside_the_frame_shows_the_friendly_page(page: Page, sites: Sites):
    iframe = open_host(page, f"{sites.allowed}/map.html")
    expect_start(inside(page))
    iframe.evaluate("(frame, url) => { frame.src = url; }", f"{sites.map}/embed/no-such-page")
    frame = inside(page)
    expect(frame.locator("#error-heading")).to_have_text("We could not find that page")
    expect(frame.get_by_role("link", name="Go to the body map")).to_have_attribute(
        "href", "/embed/"
    )
    assert not content_frame(iframe).url.startswith("chrome-error://")


# --- the snippet, whatever the clinic is called ------------------------------------------------

HOSTILE_NAMES = [
    'Valley Spine" onload="window.pwned = document.domain; alert(document.domain)',
    'Dr. "Joe" Smith & <b>Partners</b> </code><script>window.pwned = 1</script>',
]
# On the clinic's page as Chromium parsed it, and again as its HTML parser reads the pasted
# text alone (the live page's frame also gets the style and scrolling that embed.js sets).
PASTED = """(pasted) => {
  const elements = [...document.querySelectorAll("main *")];
  const parsed = [...new DOMParser().parseFromString(pasted, "text/html").querySelectorAll("*")]
    .filter((element) => !["html", "head", "body"].includes(element.localName));
  return {
    tags: elements.map((element) => element.localName),
    parsed: parsed.map((element) => [element.localName, element.getAttributeNames().sort()]),
    title: document.querySelector("iframe") && document.querySelector("iframe").title,
    handlers: [...document.querySelectorAll("*")].flatMap((element) =>
      element.getAttributeNames().filter((name) => name.startsWith("on"))),
    pwned: window.pwned === undefined ? null : String(window.pwned),
  };
}"""


@pytest.mark.parametrize("name", HOSTILE_NAMES, ids=["onload", "quotes-and-tags"])
def test_the_copied_snippet_is_one_frame_and_one_script_on_the_clinics_page(
    page: Page, tmp_path: Path, name: str
):
    """The web person copies the code box and pastes it, as HTML, into the clinic's page."""
    host_files = tmp_path / "host"
    host_files.mkdir()
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))
    with static_server(host_files) as host:
        content = tmp_path / "regions.yaml"
        settings = f'  embed:\n    allowed_origins: ["{host}"]\n  disclaimer:'
        text = SMALL.read_text().replace("name: Test Clinic", f"name: {json.dumps(name)}")
        copy_content(content, SMALL, text.replace("  disclaimer:", settings))
        app = create_app(content)
        with serving(app) as tool:
            app.config["PUBLIC_URL"] = tool
            page.goto(f"{tool}/embed/snippet")
            copied = page.locator("#snippet").inner_text()
            (host_files / "pasted.html").write_text(
                HOST_PAGE.format(title="The clinic's page", snippet=copied)
            )
            iframe = open_host(page, f"{host}/pasted.html")
            expect_start(inside(page))
            found = page.evaluate(PASTED, copied)
            frame_url = content_frame(iframe).url

    assert found["tags"] == ["iframe", "script"], copied
    assert found["parsed"] == [
        ["iframe", ["data-bodymap-frame", "height", "loading", "src", "title", "width"]],
        ["script", ["async", "src"]],
    ], copied
    assert found["title"] == f"Where does it hurt? Body map of {name}"
    assert found["handlers"] == [] and found["pwned"] is None and dialogs == []
    assert frame_url == f"{tool}/embed/"
