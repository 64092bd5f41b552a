"""Real-browser fixtures: the app on a live loopback server, Debian Chromium, two screens.

Every test runs at a phone size (360 x 740, touch) and a desktop size (1280 x 800).
Playwright waits are capped (`TIMEOUT_MS`), so a broken page fails a test in seconds
instead of hanging the suite.

The shared live server shows the project's sample `regions.yaml` (`BODYMAP_BROWSER_REGIONS=path`
points it at another file). A module that checks behaviour rather than the sample serves a
content file of its own under tests/data with `own_content(path)`.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import BrowserContext, Locator, Page, expect
from werkzeug.serving import make_server

from bodymap import create_app
from bodymap.caching import MissBudget

ROOT = Path(__file__).resolve().parents[2]
CONTENT = Path(os.environ.get("BODYMAP_BROWSER_REGIONS") or ROOT / "regions.yaml")

CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

TIMEOUT_MS = 10_000
EXPECT_TIMEOUT_MS = 5_000

SCREENS = {
    "phone": {
        "viewport": {"width": 360, "height": 740},
        "is_mobile": True,
        "has_touch": True,
        "device_scale_factor": 2,
    },
    "desktop": {"viewport": {"width": 1280, "height": 800}},
}

expect.set_options(timeout=EXPECT_TIMEOUT_MS)


@pytest.fixture(scope="session")
def live_server() -> Iterator[str]:
    """The app on a free loopback port, in a daemon thread, for the whole session."""
    app = create_app(CONTENT)
    # Chromium and the app share a loaded machine: no 503 for being busy with new pages
    # (the budget has tests of its own, tests/test_page_cache.py).
    app.extensions["bodymap.misses"] = MissBudget(share=1.0, burst=3600.0)
    with serving(app) as url:
        yield url


@contextmanager
def serving(app) -> Iterator[str]:
    """Serve `app` on a free loopback port in a daemon thread; yields its base URL."""
    with _in_background(make_server("127.0.0.1", 0, app, threaded=True)) as url:
        yield url


class QuietHandler(SimpleHTTPRequestHandler):
    """Static files from a directory, without a log line per request."""

    def log_message(self, format, *args):
        pass


@contextmanager
def static_server(directory: Path) -> Iterator[str]:
    """Serve the files in `directory` on a free loopback port (a plain static host)."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(QuietHandler, directory=str(directory)))
    server.daemon_threads = True
    with _in_background(server) as url:
        yield url


@contextmanager
def _in_background(server) -> Iterator[str]:
    """Run a server in a daemon thread until the block ends; yields its base URL."""
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)


def own_content(path: Path):
    """Fixtures that serve a module's pages from its own content file, for
    `server, browser_context_args, traffic, nojs_traffic = own_content(PATH)`: `server` is
    its address, relative `page.goto()` goes there, and the traffic watches expect it."""

    @pytest.fixture(scope="module", name="server")
    def server() -> Iterator[str]:
        with serving(create_app(path)) as url:
            yield url

    @pytest.fixture(name="browser_context_args")
    def context_args(browser_context_args: dict, server: str) -> dict:
        return {**browser_context_args, "base_url": server}

    @pytest.fixture(name="traffic")
    def traffic(context: BrowserContext, server: str) -> Traffic:
        return watch(context, server)

    @pytest.fixture(name="nojs_traffic")
    def nojs_traffic(nojs_context: BrowserContext, server: str) -> Traffic:
        return watch(nojs_context, server)

    return server, context_args, traffic, nojs_traffic


@pytest.fixture(scope="session")
def base_url(live_server: str) -> str:
    """pytest-playwright's base URL: relative `page.goto("/")` goes to the live server."""
    return live_server


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args: dict) -> dict:
    return {
        **browser_type_launch_args,
        "executable_path": "/usr/bin/chromium",
        "args": CHROMIUM_ARGS,
        "timeout": 30_000,
    }


@pytest.fixture(params=list(SCREENS), ids=list(SCREENS))
def screen(request: pytest.FixtureRequest) -> str:
    """'phone' or 'desktop': every browser test runs at both sizes."""
    return request.param


@pytest.fixture
def browser_context_args(browser_context_args: dict, screen: str) -> dict:
    return {**browser_context_args, **SCREENS[screen]}


def bounded(context: BrowserContext) -> BrowserContext:
    context.set_default_timeout(TIMEOUT_MS)
    context.set_default_navigation_timeout(TIMEOUT_MS)
    return context


@pytest.fixture
def context(new_context) -> BrowserContext:
    return bounded(new_context())


@pytest.fixture
def nojs_context(new_context) -> BrowserContext:
    """A context with JavaScript switched off: every link is a full page load."""
    return bounded(new_context(java_script_enabled=False))


@pytest.fixture
def nojs_page(nojs_context: BrowserContext) -> Page:
    return nojs_context.new_page()


@pytest.fixture
def is_phone(screen: str) -> bool:
    return screen == "phone"


@dataclass
class Traffic:
    """What a browser context did on the network and in the console."""

    origin: str
    requests: list[str] = field(default_factory=list)
    foreign: list[str] = field(default_factory=list)
    failed: list[str] = field(default_factory=list)
    bad_status: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)

    def problems(self, *, expected_404: str | None = None) -> dict[str, list[str]]:
        """Every problem seen so far, by kind; empty when the journey was clean.

        `expected_404` is a page address whose 404 the test asked for: its response and
        the console line Chromium writes for it are not problems.
        """
        allowed = set()
        if expected_404:
            allowed = {
                f"404 {expected_404}",
                "Failed to load resource: the server responded with a status of 404 (NOT FOUND)"
                f" @ {expected_404}",
            }
        found = {
            "requests that left 127.0.0.1": self.foreign,
            "failed requests": self.failed,
            "HTTP errors": [r for r in self.bad_status if r not in allowed],
            "console errors": [m for m in self.console_errors if m not in allowed],
            "uncaught page errors": self.page_errors,
        }
        return {kind: items for kind, items in found.items() if items}


def watch(context: BrowserContext, live_server: str) -> Traffic:
    """Record a context's requests, failures and console errors.

    Requests to any other origin are aborted (nothing leaves the machine) and recorded.
    """
    seen = Traffic(origin=live_server)
    own = urlsplit(live_server)

    def route(route):
        url = route.request.url
        parts = urlsplit(url)
        if parts.scheme in ("data", "blob") or (parts.hostname, parts.port) == (
            own.hostname,
            own.port,
        ):
            route.continue_()
        else:
            seen.foreign.append(url)
            route.abort()

    def response(response):
        if response.status >= 400:
            seen.bad_status.append(f"{response.status} {response.url}")

    def console(message):
        if message.type == "error":
            seen.console_errors.append(f"{message.text} @ {message.location.get('url')}")

    context.route("**/*", route)
    context.on("request", lambda request: seen.requests.append(request.url))

    def failed(request):
        # ERR_ABORTED is the browser cancelling a load because the page moved on (a quick
        # tap after a page load can cancel the favicon): not a failure of the app. Foreign
        # requests are aborted by the route above and recorded there.
        if request.failure != "net::ERR_ABORTED":
            seen.failed.append(f"{request.url}: {request.failure}")

    context.on("requestfailed", failed)
    context.on("response", response)
    context.on("console", console)
    context.on("weberror", lambda error: seen.page_errors.append(str(error.error)))
    return seen


@pytest.fixture
def traffic(context: BrowserContext, live_server: str) -> Traffic:
    """What the (JavaScript) context did: see `watch`."""
    return watch(context, live_server)


@pytest.fixture
def nojs_traffic(nojs_context: BrowserContext, live_server: str) -> Traffic:
    """What the no-JavaScript context did: see `watch`."""
    return watch(nojs_context, live_server)


def press(locator: Locator, is_phone: bool) -> None:
    """What the user does to follow a link: a tap on the phone, a click on the desktop.
    A place on the phone's hidden view is tapped as a patient would: Front/Back first."""
    if not is_phone:
        locator.click()
        return
    if not locator.is_visible():
        view = locator.evaluate(
            "a => { const v = a.closest('figure.view');"
            " return v ? (v.classList.contains('view-back') ? 'back' : 'front') : ''; }"
        )
        if view:  # the switch of the same document (the page, or the frame the place is in)
            locator.locator(f"xpath=ancestor::body//label[@for='view-{view}']").click()
    locator.tap()


def show_view_of(page: Page, region_id: str) -> None:
    """On a phone, turn the Front/Back switch to the view that holds the region."""
    figure = page.locator(f'figure.view:has(a.region[data-region="{region_id}"])').first
    show_view(page, "back" if "view-back" in (figure.get_attribute("class") or "") else "front")


def show_view(page: Page, view: str) -> None:
    """On a phone, tap "Front" or "Back" on the switch (a desktop shows both views)."""
    label = page.locator(f'label[for="view-{view}"]')
    if label.is_visible():
        label.click()
