"""A finger on the phone's figure: how often a tap aimed at a region hits it, before and after.

Run: .venv/bin/python bench/finger.py [--baseline REV] [--regions FILE]
Serves this tree and a worktree of --baseline (default: main) side by side under gunicorn on
127.0.0.1 and drives Debian's Chromium at 360 x 740 (touch, scale 2). For every region on the
map, and on every enlarged view (one tap away), 200 taps are aimed at the region's deepest
interior point (the one farthest from its edge on a 1 px grid) with a Gaussian error of
sigma = 8 CSS px (seeded), and document.elementFromPoint tells which region was hit.
Reported: the median region's hit rate, the regions below 90 % on both the figure and the
best enlarged view, and the smallest tap area (bounding box of a region's link), in CSS px.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import statistics
import sys
import tempfile
from pathlib import Path

from common import BASELINE, ROOT, BenchError, baseline_tree, run_and_report, say, show_view
from first_screen import SCREEN, TIMEOUT_MS, serve

sys.path.insert(0, str(ROOT))

from tests.browser.conftest import CHROMIUM_ARGS

TAPS = 200
SIGMA = 8
SEED = 15

# In the page: for each visible region link, its box, its deepest point and the hit rate.
AIM = """([taps, sigma, seed]) => {
  let state = seed >>> 0;
  const random = () => {  // mulberry32: the same taps in every run
    state = (state + 0x6D2B79F5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const gauss = () => {
    const u = 1 - random(), v = random();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  };
  const hit = (x, y) => {
    const el = document.elementFromPoint(x, y);
    const a = el && el.closest("a.region");
    return a ? a.dataset.region : null;
  };
  const out = {};
  const links = [...document.querySelectorAll("svg a.region")].filter(a => {
    const r = a.getBoundingClientRect();
    return r.width > 0 && r.height > 0;
  });
  for (const a of links.slice(0, 500)) {
    const id = a.dataset.region;
    a.scrollIntoView({block: "center", inline: "center"});
    const box = a.getBoundingClientRect();
    // The region's pixels on a 1 px grid, then a two-pass chamfer distance to its edge.
    const x0 = Math.floor(box.left), y0 = Math.floor(box.top);
    const w = Math.min(Math.ceil(box.width) + 2, 400), h = Math.min(Math.ceil(box.height) + 2, 800);
    const dist = new Float32Array(w * h);
    let any = false;
    for (let j = 0; j < h; j++)
      for (let i = 0; i < w; i++) {
        const on = hit(x0 + i + 0.5, y0 + j + 0.5) === id;
        dist[j * w + i] = on ? 1e6 : 0;
        any = any || on;
      }
    if (!any) continue;
    const at = (i, j) => (i < 0 || j < 0 || i >= w || j >= h) ? 0 : dist[j * w + i];
    for (let j = 0; j < h; j++)
      for (let i = 0; i < w; i++)
        if (dist[j * w + i]) dist[j * w + i] = Math.min(dist[j * w + i], at(i - 1, j) + 1,
          at(i, j - 1) + 1, at(i - 1, j - 1) + 1.4, at(i + 1, j - 1) + 1.4);
    let best = [0, 0], depth = -1;
    for (let j = h - 1; j >= 0; j--)
      for (let i = w - 1; i >= 0; i--) {
        if (dist[j * w + i]) dist[j * w + i] = Math.min(dist[j * w + i], at(i + 1, j) + 1,
          at(i, j + 1) + 1, at(i + 1, j + 1) + 1.4, at(i - 1, j + 1) + 1.4);
        if (dist[j * w + i] > depth) {
          depth = dist[j * w + i];
          best = [x0 + i + 0.5, y0 + j + 0.5];
        }
      }
    let hits = 0;
    for (let i = 0; i < taps; i++)
      if (hit(best[0] + sigma * gauss(), best[1] + sigma * gauss()) === id) hits++;
    const rate = hits / taps;
    const previous = out[id];
    const size = [Math.round(box.width), Math.round(box.height)];
    if (!previous || rate > previous.rate) out[id] = {rate, size};
  }
  return out;
}"""


def aim_at(page) -> dict:
    return page.evaluate(AIM, [TAPS, SIGMA, SEED])


def measure_tree(browser, base: str) -> dict:
    """Per region: hit rate and tap area on the phone figure, best hit rate on an enlarged view."""
    context = browser.new_context(**SCREEN)
    context.set_default_timeout(TIMEOUT_MS)
    try:
        page = context.new_page()
        page.goto(base + "/")
        zooms = page.eval_on_selector_all(
            'nav.zooms a[href*="/zoom/"]', "links => links.map(a => a.getAttribute('href'))"
        )[:50]
        figure = {}
        for view in ("front", "back"):
            show_view(page, view)
            figure.update(aim_at(page))
        enlarged: dict[str, float] = {}
        for href in zooms:
            page.goto(base + href)
            for view in ("front", "back"):  # a phone shows an enlarged part one view at a time
                show_view(page, view)
                for region, found in aim_at(page).items():
                    enlarged[region] = max(enlarged.get(region, 0.0), found["rate"])
    finally:
        context.close()
    return {
        region: {
            "figure": found["rate"],
            "size": found["size"],
            "enlarged": enlarged.get(region),
        }
        for region, found in sorted(figure.items())
    }


def measure(revision: str, regions: str | None) -> dict:
    from playwright.sync_api import sync_playwright

    result = {"baseline": revision, "trees": {}}
    with (
        tempfile.TemporaryDirectory(prefix="bodymap-finger-") as logs,
        baseline_tree(revision, Path(logs)) as baseline,
        contextlib.ExitStack() as stack,
    ):
        if baseline is None:
            raise BenchError(f"finger: no baseline to compare with ({revision})")
        old_tree, result["baseline"] = baseline
        servers = {}
        for name, tree in (("before", old_tree), ("after", ROOT)):
            server = serve(name, tree, Path(logs) / f"{name}.log", regions)
            stack.callback(server.stop)
            servers[name] = server.start()
        say(f"finger: {TAPS} taps per region, sigma {SIGMA} px, 2 trees")
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS)
            try:
                for name, server in servers.items():
                    result["trees"][name] = measure_tree(browser, server.base)
            finally:
                browser.close()
    return result


def summary(regions: dict) -> dict:
    """The median hit rate, regions under 90 % everywhere, the smallest tap area."""
    rates = [r["figure"] for r in regions.values()]
    best = {k: max(r["figure"], r["enlarged"] or 0.0) for k, r in regions.items()}
    smallest = min(regions.items(), key=lambda item: min(item[1]["size"]))
    return {
        "median": statistics.median(rates) if rates else 0.0,
        "short": sorted(k for k, rate in best.items() if rate < 0.9),
        "smallest": (smallest[0], smallest[1]["size"]),
        "under24": sorted(k for k, r in regions.items() if min(r["size"]) < 24),
    }


def targets(result: dict | None) -> list[tuple[str, str, bool | None]]:
    """Rows for bench/run.py's table of targets."""
    names = (
        "median region hit on the phone figure (sigma 8 px) >= 95 %",
        "every region >= 90 % on the phone figure or its enlarged view",
        "every region's tap area on the phone figure >= 24 x 24 px",
    )
    if not result:
        return [(name, "did not run", None) for name in names]
    after, before = (summary(result["trees"][t]) for t in ("after", "before"))
    count = len(result["trees"]["after"])
    return [
        (
            names[0],
            f"{after['median']:.0%} (main: {before['median']:.0%})",
            after["median"] >= 0.95,
        ),
        (
            names[1],
            f"{len(after['short'])} short (main: {len(before['short'])})",
            not after["short"],
        ),
        (
            names[2],
            f"{count - len(after['under24'])}/{count} (main: "
            f"{count - len(before['under24'])}/{len(result['trees']['before'])})",
            not after["under24"],
        ),
    ]


def _pct(rate) -> str:
    return "—" if rate is None else f"{rate:.0%}"


def report(result: dict) -> str:
    """A summary and one row per region: before and after side by side."""
    before, after = result["trees"]["before"], result["trees"]["after"]
    sb, sa = summary(before), summary(after)
    lines = [
        f"Phone 360 x 740 (touch, scale 2), {TAPS} taps per region aimed at its deepest point,"
        f" sigma {SIGMA} CSS px, seed {SEED}; before = {result['baseline']}, after = this tree;"
        " same run.",
        "",
        "| | before | after |",
        "|---|---|---|",
        f"| median region hit rate (phone figure) | {_pct(sb['median'])} | {_pct(sa['median'])} |",
        f"| regions under 90 % on figure and enlarged view | {len(sb['short'])} |"
        f" {len(sa['short'])} |",
        f"| regions under 24 px on a side | {len(sb['under24'])} | {len(sa['under24'])} |",
        f"| smallest tap area (px) | {sb['smallest'][0]} {sb['smallest'][1][0]}x"
        f"{sb['smallest'][1][1]} | {sa['smallest'][0]} {sa['smallest'][1][0]}x"
        f"{sa['smallest'][1][1]} |",
        "",
        "| region | figure before | figure after | enlarged before | enlarged after |"
        " tap area before | tap area after |",
        "|---|---|---|---|---|---|---|",
    ]
    for region in sorted(set(before) | set(after)):
        b, a = before.get(region, {}), after.get(region, {})
        size = lambda r: "x".join(map(str, r["size"])) if r else "—"  # noqa: E731
        lines.append(
            f"| {region} | {_pct(b.get('figure'))} | {_pct(a.get('figure'))} |"
            f" {_pct(b.get('enlarged'))} | {_pct(a.get('enlarged'))} | {size(b)} | {size(a)} |"
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
