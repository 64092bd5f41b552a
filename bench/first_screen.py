"""The first screen after a tap on a phone, before (a git revision) and after (this tree).

Run: .venv/bin/python bench/first_screen.py [--baseline REV] [--regions FILE]
Serves this tree and a worktree of --baseline (default: main) side by side, each with the
production command (gunicorn) on a free 127.0.0.1 port, and drives Debian's Chromium at the
browser suite's phone size (360 x 740, touch, device scale 2). For each case the places are
tapped on the figure (JavaScript on: htmx swaps the panel), then the page is measured as the
patient sees it right after the last tap:

  heading      where the panel's heading lands (px from the top of the screen)
  call 911     whether the emergency Call button is on the first screen
  first cause  how far the first cause is below the top of the screen, in screens
  book         how far the first "Book an appointment" is, in screens (0: on the first screen)
  length       the page's length, in screens

The same with JavaScript off (the tap is the link's own page) is measured too.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import sys
import tempfile
from pathlib import Path

from common import (
    BASELINE,
    ROOT,
    BenchError,
    Server,
    baseline_tree,
    free_port,
    gunicorn_command,
    run_and_report,
    say,
    turn_to_place,
)

sys.path.insert(0, str(ROOT))

from tests.browser.conftest import CHROMIUM_ARGS, SCREENS

SCREEN = SCREENS["phone"]
HEIGHT = SCREEN["viewport"]["height"]
# Region ids of the sample regions.yaml.
CASES = {
    "lower back": ["lower-back-left"],
    "chest": ["chest-left"],
    "lower back + back of the thigh": ["lower-back-left", "thigh-back-left"],
}
TIMEOUT_MS = 15_000

MEASURE = """() => {
  const screen = window.innerHeight;
  const top = (el) => el ? el.getBoundingClientRect().top : null;
  const panel = document.getElementById("panel");
  const visible = (el) => {
    const r = el.getBoundingClientRect();
    return r.width > 0 && r.height > 0;
  };
  const call = [...panel.querySelectorAll("a.button-emergency[href^='tel:']")].find(visible);
  const book = [...panel.querySelectorAll("a")]
    .find(a => /Book an appointment/.test(a.textContent) && visible(a));
  const cause = panel.querySelector("article.pain-point");
  const r = call ? call.getBoundingClientRect() : null;
  return {
    heading: top(document.getElementById("panel-heading")),
    call: r ? r.top >= 0 && r.bottom <= screen : false,
    cause: top(cause),
    book: top(book) === null ? null : Math.max(0, book.getBoundingClientRect().bottom - screen),
    length: document.documentElement.scrollHeight,
    screen,
  };
}"""


def serve(name: str, tree: Path, log: Path, regions: str | None) -> Server:
    """The app of `tree` (its own package first on the path) under gunicorn."""
    env = {"PYTHONPATH": str(tree), "BODYMAP_REGIONS": regions or str(tree / "regions.yaml")}
    port = free_port()
    command = gunicorn_command(port, "app:app")
    return Server(name, command, port=port, log=log, cwd=tree, env=env, ready_path="/healthz")


def tap_places(page, base: str, ids: list[str]) -> None:
    """Tap each place on the figure, waiting for the panel to show it."""
    page.goto(base + "/")
    for region_id in ids:
        turn_to_place(page, region_id)
        page.locator(f'svg a.region[data-region="{region_id}"]').first.tap()
        page.wait_for_function(
            "id => (document.querySelector('#panel-heading') || {}).dataset?.selection?.split(' ')"
            ".includes(id)",
            arg=region_id,
        )
    page.wait_for_timeout(300)  # scrolling settles


def screens(px: float | None, height: int) -> float | None:
    return None if px is None else round(px / height, 2)


def measure_one(browser, base: str, ids: list[str], javascript: bool) -> dict:
    context = browser.new_context(**SCREEN, java_script_enabled=javascript)
    context.set_default_timeout(TIMEOUT_MS)
    try:
        page = context.new_page()
        if javascript:
            tap_places(page, base, ids)
        else:
            # What the figure's link opens; the baseline's links have no #panel-heading.
            page.goto(base + "/")
            href = None
            for region_id in ids:
                link = page.locator(f'svg a.region[data-region="{region_id}"]').first
                href = link.get_attribute("href")
                page.goto(base + href)
        found = page.evaluate(MEASURE)
    finally:
        context.close()
    height = found["screen"]
    return {
        "heading": None if found["heading"] is None else round(found["heading"]),
        "call": found["call"],
        "cause": screens(found["cause"], height),
        "book": screens(found["book"], height),
        "length": screens(found["length"], height),
    }


def measure(revision: str, regions: str | None) -> dict:
    from playwright.sync_api import sync_playwright

    result = {"baseline": revision, "rows": []}
    with (
        tempfile.TemporaryDirectory(prefix="bodymap-first-screen-") as logs,
        baseline_tree(revision, Path(logs)) as baseline,
        contextlib.ExitStack() as stack,
    ):
        if baseline is None:
            raise BenchError(f"first_screen: no baseline to compare with ({revision})")
        old_tree, result["baseline"] = baseline
        servers = {}
        for name, tree in (("before", old_tree), ("after", ROOT)):
            server = serve(name, tree, Path(logs) / f"{name}.log", regions)
            stack.callback(server.stop)
            servers[name] = server.start()
        say(f"first_screen: {len(CASES)} cases x 2 trees x JavaScript on/off")
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
            try:
                for case, ids in CASES.items():
                    for javascript in (True, False):
                        for name, server in servers.items():
                            row = measure_one(browser, server.base, ids, javascript)
                            result["rows"].append(
                                {"case": case, "js": javascript, "tree": name, **row}
                            )
            finally:
                browser.close()
    return result


def targets(result: dict | None) -> list[tuple[str, str, bool | None]]:
    """Rows for bench/run.py's table of targets (this tree's rows only)."""
    names = (
        ("call", "Call 911 on the phone's first screen after a tap (every case, JS on and off)"),
        ("heading", "panel heading at the top of the phone's screen (<= 40 px) after a tap"),
        ("book", "Book an appointment on the phone's first screen after a tap"),
    )
    if not result:
        return [(name, "did not run", None) for _, name in names]
    after = [row for row in result["rows"] if row["tree"] == "after"]
    before = [row for row in result["rows"] if row["tree"] == "before"]
    checks = {
        "call": lambda row: row["call"],
        "heading": lambda row: row["heading"] is not None and 0 <= row["heading"] <= 40,
        "book": lambda row: row["book"] == 0,
    }
    rows = []
    for key, name in names:
        met = sum(1 for row in after if checks[key](row))
        was = sum(1 for row in before if checks[key](row))
        rows.append((name, f"{met}/{len(after)} (main: {was}/{len(before)})", met == len(after)))
    return rows


def _cell(value) -> str:
    if value is None:
        return "—"
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def report(result: dict) -> str:
    """One markdown table: each case, JavaScript on and off, before and after."""
    lines = [
        f"Phone 360 x 740 (touch, scale 2); before = {result['baseline']}, after = this tree;"
        " same run. Distances in screens of 740 px from the top of the screen after the tap.",
        "",
        "| places | JS | tree | heading at (px) | Call 911 on 1st screen | first cause"
        " (screens) | Book (screens below the 1st) | page (screens) |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for row in result["rows"]:
        lines.append(
            f"| {row['case']} | {'on' if row['js'] else 'off'} | {row['tree']} | "
            + " | ".join(_cell(row[key]) for key in ("heading", "call", "cause", "book", "length"))
            + " |"
        )
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", default=BASELINE, help="the revision to compare with")
    parser.add_argument("--regions", default=os.environ.get("BODYMAP_REGIONS"))
    args = parser.parse_args()
    return run_and_report(measure, report, args.baseline, args.regions)


if __name__ == "__main__":
    sys.exit(main())
