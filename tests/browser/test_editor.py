"""The office manager's seven tasks, done in the editor in a real browser.

Each task runs against a copy of the tests' own content file, while a separate map app
serves the same file: after each save the file must pass `bodymap check --strict`,
keep every comment, and the running map must show the change (it reloads by itself).
Each task is timed; the times are printed (pytest -s) for the report, never asserted.
axe-core checks every kind of editor page.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from bodymap import create_app
from bodymap.lint import inspect_file

from ..conftest import copy_content
from .conftest import serving
from .test_accessibility import expect_no_violations

CLINIC = Path(__file__).resolve().parents[1] / "data" / "editor" / "clinic.yaml"
TOKEN = "browser-test-token-0123456789"
RELOAD_TRIES = 40  # x 0.25 s: the map looks at the file every 0.25 s, after a settle time
TIMES: dict[str, list[float]] = {}


def comments(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.lstrip().startswith("#")]


@pytest.fixture
def office(tmp_path):
    """(editor's address with the token, the map's address, the content file)."""
    path = tmp_path / "regions.yaml"
    copy_content(path, CLINIC)
    editor = create_app(path, EDITOR_TOKEN=TOKEN)
    live_map = create_app(path)
    with serving(editor) as editor_url, serving(live_map) as map_url:
        yield f"{editor_url}/edit/?token={TOKEN}", map_url, path


class Office:
    def __init__(self, page: Page, office):
        self.page, (self.start, self.map_url, self.path) = page, office
        self.comments = comments(self.path.read_text())

    def done(self, task: str, started: float, map_path: str, shows: str, hidden: str = ""):
        """The task's save is checked like `bodymap check --strict`, and the map shows it."""
        TIMES.setdefault(task, []).append(time.perf_counter() - started)
        expect(self.page.get_by_role("status").first).to_contain_text(
            "Saved" if not hidden else "Removed"
        )
        report = inspect_file(str(self.path))
        assert not report.errors and not report.warnings, [*report.errors, *report.warnings]
        assert comments(self.path.read_text()) == self.comments
        seen = ""
        for _ in range(RELOAD_TRIES):
            response = self.page.request.get(self.map_url + map_path)
            seen = response.text()
            if shows in seen and (not hidden or hidden not in seen):
                return
            time.sleep(0.25)
        pytest.fail(f"the map at {map_path} does not show {shows!r}:\n{seen[:2000]}")

    def home(self):
        self.page.get_by_role("link", name="Everything").click()


def test_the_seven_office_tasks(page: Page, office):
    me = Office(page, office)
    page.goto(me.start)
    expect(page.get_by_role("heading", level=1)).to_have_text("Edit the map")

    # 1. The phone and the booking address.
    started = time.perf_counter()
    page.get_by_role("link", name="Name, phone, booking address").click()
    page.get_by_label("Phone").fill("(555) 010-0999")
    page.get_by_label("Booking address (https://…)").fill("https://clinic.example/appointments/")
    page.get_by_role("button", name="Save", exact=True).click()
    me.done("1 phone and booking address", started, "/", "(555) 010-0999")
    assert "https://clinic.example/appointments/" in me.path.read_text()

    # 2. A new article, shown under a pain point.
    started = time.perf_counter()
    me.home()
    page.get_by_role("link", name="Add an article").click()
    page.locator("#title-en").fill("Nerve ablation: what to expect")
    page.get_by_label("Address (https://…)").fill("https://clinic.example/ablation/")
    page.locator("#summary-en").fill("Heat on small nerves can ease joint pain in the spine.")
    page.locator("#named_by-back-strain").check()
    page.get_by_role("button", name="Save", exact=True).click()
    me.done(
        "2 article under a pain point",
        started,
        "/pain-points/back-strain",
        "Nerve ablation: what to expect",
    )

    # 3. A warning sign for the lower back.
    started = time.perf_counter()
    me.home()
    page.get_by_role("link", name="Add a warning sign").click()
    page.get_by_label("Urgent: see a doctor today").check()
    page.locator("#text-en").fill("Back pain with a fever or chills.")
    page.locator("#areas-low-back").check()
    page.get_by_role("button", name="Save", exact=True).click()
    me.done(
        "3 warning sign on the lower back",
        started,
        "/regions/low-back-left",
        "Back pain with a fever or chills.",
    )

    # 4. A pain point on both buttocks.
    started = time.perf_counter()
    me.home()
    page.get_by_role("link", name="Add a pain point").click()
    page.locator("#label-en").fill("Deep buttock pain")
    page.locator("#summary-en").fill("A deep ache in one buttock, often worse when sitting.")
    page.locator("#regions-seat-left").check()
    page.locator("#regions-seat-right").check()
    page.get_by_role("button", name="Save", exact=True).click()
    me.done("4 pain point on both buttocks", started, "/regions/seat-right", "Deep buttock pain")

    # 5. Translate a text.
    started = time.perf_counter()
    me.home()
    page.get_by_text("All pain points").click()
    page.get_by_role("link", name="Back strain", exact=True).click()
    page.locator("#summary-es").fill("Un músculo o ligamento estirado en la espalda baja.")
    page.get_by_role("button", name="Save", exact=True).click()
    me.done(
        "5 translate a text",
        started,
        "/pain-points/back-strain?lang=es",
        "Un músculo o ligamento estirado",
    )

    # 6. Remove an article and its references.
    started = time.perf_counter()
    me.home()
    page.get_by_role("link", name="Our old leaflet").click()
    page.get_by_role("link", name="Remove this article").click()
    expect(page.locator("input[name=drop]:checked")).to_have_count(2)
    page.get_by_role("button", name="Remove the article").click()
    me.done(
        "6 remove an article and its references",
        started,
        "/pain-points/back-strain",
        "Back strain",
        hidden="Our old leaflet",
    )
    assert "old-leaflet" not in me.path.read_text()

    # 7. Where does an article appear?
    started = time.perf_counter()
    page.get_by_role("link", name="Where is it shown?").click()
    page.get_by_label("Item").select_option("article/hip-exercises")
    page.get_by_role("button", name="Show").click()
    expect(page.locator(".where")).to_contain_text("On 2 places of the body")
    expect(page.locator(".where")).to_contain_text("Buttock, your left side")
    expect(page.locator(".where")).to_contain_text("tag 'hips'")
    TIMES.setdefault("7 where an article appears", []).append(time.perf_counter() - started)


def test_an_invalid_save_shows_the_problem_beside_the_field(page: Page, office):
    start, _, path = office
    before = path.read_bytes()
    page.goto(start)
    page.get_by_role("link", name="Name, phone, booking address").click()
    page.get_by_label("Phone").fill("call us")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".field.has-problems")).to_contain_text("must be a phone number")
    expect(page.get_by_role("status").first).to_contain_text("Not saved")
    assert path.read_bytes() == before


def test_editor_pages_pass_axe(page: Page, office):
    start, _, _ = office
    page.goto(start)
    expect_no_violations(page, "the editor's start page")
    for url, what in (
        ("/edit/clinic", "the clinic form"),
        ("/edit/articles/stretching-guide", "an article form"),
        ("/edit/new/pain-points", "a new pain point"),
        ("/edit/new/red-flags", "a new warning sign"),
        ("/edit/regions/seat-left", "a region form"),
        ("/edit/articles/old-leaflet/remove", "a removal"),
        ("/edit/where?item=article/hip-exercises", "where"),
        ("/edit/file", "the file as text"),
    ):
        page.goto(start.split("/edit/")[0] + url)
        expect_no_violations(page, what)
    page.goto(start.split("/edit/")[0] + "/edit/clinic")
    page.get_by_label("Phone").fill("call us")
    page.get_by_role("button", name="Save", exact=True).click()
    expect_no_violations(page, "a form with a problem")


def teardown_module():
    for task, seconds in sorted(TIMES.items()):
        print(f"office task {task}: " + ", ".join(f"{s:.2f} s" for s in seconds))
