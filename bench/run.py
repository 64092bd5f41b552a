"""Every benchmark, one table of targets, and bench/RESULTS.md rewritten.

Run: .venv/bin/python bench/run.py [--quick] [--no-write] [--check] [--load]
(from a clean clone: `bash scripts/bench.sh`, which installs what this needs first).

Runs, one after the other so they do not disturb each other: scale.py (loading regions.yaml
at 100 / 1,000 / 10,000 regions), search_quality.py (the judged query table, before and
after), throughput.py (wrk against the app, a minimal Flask app and nginx), attack.py (wrk on
/ under cache-busting floods, this tree and main), weight.py (bytes on the wire in Chromium),
first_screen.py (the phone's first screen after a tap, main and this tree), finger.py (taps
on the phone's figure, main and this tree) and Lighthouse's
mobile preset on / and a region page
(bench/lighthouse.py's functions, the app served by the production gunicorn command, the
median of --lighthouse-runs runs per page). Prints the results and one table of targets, each
met or not met, then rewrites bench/RESULTS.md above its notes (the notes, below
the marker line, are kept). Exit 0 when every benchmark ran (targets are benchmarks, not
tests; --check exits 1 when a target is not met), 2 when one could not run. --load (opt-in,
about 70 s more) also runs bench/load.py last: wrk with live edits of regions.yaml; its table is
printed, not written to RESULTS.md, and --check then also exits 1 when one of its checks fails.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
import traceback
from importlib import metadata
from pathlib import Path

import attack
import finger
import first_screen
import lighthouse
import load
import scale
import search_quality
import throughput
import weight
from common import BASELINE, ROOT, BenchError, app_server, say

RESULTS = ROOT / "bench" / "RESULTS.md"
NOTES_MARKER = "<!-- Everything below this line is written by hand; bench/run.py keeps it. -->"
LIGHTHOUSE_RUNS = 3
LIGHTHOUSE_TARGET = 95


def run_lighthouse(runs: int, regions: str | None) -> dict:
    """Performance (and the other categories) per page: the median over `runs` runs."""
    if not lighthouse.LIGHTHOUSE.exists():
        raise BenchError(f"{lighthouse.LIGHTHOUSE} is missing: run `bash scripts/install.sh test`")
    say(
        f"lighthouse: {runs} run(s) x {len(lighthouse.PAGES)} pages, about {15 * runs * 2} s"
        " (mobile preset, app under gunicorn)"
    )
    pages: dict[str, list[dict]] = {page: [] for page in lighthouse.PAGES}
    with tempfile.TemporaryDirectory(prefix="bodymap-lighthouse-") as tmp:
        server = app_server(Path(tmp) / "app.log", regions)
        try:
            server.start()
            for number in range(runs):
                for page in lighthouse.PAGES:
                    name = page.strip("/").replace("/", "_") or "home"
                    report_path = Path(tmp) / f"{name}-{number}.json"
                    try:
                        pages[page].append(
                            lighthouse.run_lighthouse(server.base + page, report_path)
                        )
                    except lighthouse.RunFailed as error:
                        raise BenchError(str(error)) from None
        finally:
            server.stop()
    result = {"pages": {}, "version": pages[lighthouse.PAGES[0]][0]["lighthouseVersion"]}
    for page, reports in pages.items():
        performance = [lighthouse.score(r, "performance") for r in reports]
        median = statistics.median_low(performance)
        chosen = reports[performance.index(median)]
        result["pages"][page] = {
            "performance_runs": performance,
            "scores": {c: lighthouse.score(chosen, c) for c in lighthouse.CATEGORIES},
            "audits": lighthouse.failing_audits(chosen, "performance"),
            "metrics": {
                key: chosen["audits"][key].get("displayValue", "")
                for key in (
                    "first-contentful-paint",
                    "largest-contentful-paint",
                    "total-blocking-time",
                    "cumulative-layout-shift",
                    "speed-index",
                )
            },
            "met": median >= LIGHTHOUSE_TARGET,
        }
    return result


def lighthouse_report(result: dict) -> str:
    cats = lighthouse.CATEGORIES
    width = max(len(p) for p in result["pages"]) + 2
    lines = [
        f"Lighthouse {result['version']}, mobile preset; the run with the median performance"
        " score is shown",
        "",
        f"{'page':<{width}}" + "".join(f"{c:>16}" for c in cats) + "  performance runs",
    ]
    for page, row in result["pages"].items():
        scores = "".join(
            f"{row['scores'][c] if row['scores'][c] is not None else '-':>16}" for c in cats
        )
        runs = ", ".join(str(s) for s in row["performance_runs"])
        lines.append(f"{page:<{width}}{scores}  {runs}")
    for page, row in result["pages"].items():
        metrics = ", ".join(f"{k.replace('-', ' ')} {v}" for k, v in row["metrics"].items())
        lines += ["", f"{page}: {metrics}"]
        for audit_id, audit_weight, title in row["audits"]:
            lines.append(f"  {audit_id:<34}{audit_weight:>6}  {title}")
    return "\n".join(lines)


def targets(results: dict) -> list[tuple[str, str, bool | None]]:
    """(target, measured, met) rows; met is None when the benchmark did not run."""
    rows: list[tuple[str, str, bool | None]] = []
    tp = results.get("throughput")
    for url in throughput.URLS:
        name = f"app >= {throughput.TARGET_RATIO}x minimal Flask req/s, {url}"
        row = next((r for r in tp["rows"] if r["url"] == url), None) if tp else None
        if row is None or row["app_over_minimal"] is None:
            rows.append((name, "did not run", None))
        else:
            app = row["servers"]["app"]["rps"]
            minimal = row["servers"]["minimal"]["rps"]
            rows.append(
                (name, f"{row['app_over_minimal']:.2f}x ({app:,.0f} / {minimal:,.0f})", row["met"])
            )
    wt = results.get("weight")
    for key, label, limit in (
        ("first_visit", "first visit to /", weight.FIRST_VISIT_TARGET),
        ("tap", "region tap (fragment)", weight.TAP_TARGET),
    ):
        name = f"{label} <= {limit / 1000:g} KB on the wire"
        if not wt:
            rows.append((name, "did not run", None))
            continue
        total = wt[f"{key}_total"]
        measured = f"{total['wire']:,} B wire ({total['body']:,} B bodies)"
        rows.append((name, measured, wt[f"{key}_met"]))
    sc = results.get("scale")
    by_size = {r["regions"]: r for r in sc["rows"]} if sc else {}
    name = f"1,000 regions load + validate < {scale.TARGET_1K:g} s"
    if 1_000 in by_size:
        measured = f"{by_size[1_000]['best']:.3f} s"
        if 1_000 in sc.get("before", {}):
            measured += f" ({sc['baseline']}: {sc['before'][1_000]:.3f} s)"
        rows.append((name, measured, sc["met_1k"]))
    else:
        rows.append((name, "did not run", None))
    name = f"time(10k) / time(1k) <= {scale.TARGET_GROWTH:g} (linear)"
    if sc and sc["growth_10k_over_1k"] is not None:
        t1, t10 = by_size[1_000]["best"], by_size[10_000]["best"]
        rows.append(
            (name, f"{sc['growth_10k_over_1k']:.1f} ({t10:.2f} s / {t1:.3f} s)", sc["met_growth"])
        )
    else:
        rows.append((name, "did not run", None))
    rows += search_quality.targets(results.get("search"))
    rows += attack.targets(results.get("attack"))
    rows += first_screen.targets(results.get("first_screen"))
    rows += finger.targets(results.get("finger"))
    lh = results.get("lighthouse")
    for page in lighthouse.PAGES:
        name = f"Lighthouse mobile performance >= {LIGHTHOUSE_TARGET}, {page}"
        if not lh:
            rows.append((name, "did not run", None))
            continue
        row = lh["pages"][page]
        runs = row["performance_runs"]
        spread = f"{min(runs)}-{max(runs)}" if len(runs) > 1 else ""
        median = statistics.median_low(runs)
        measured = f"{median} (median of {len(runs)}{', ' + spread if spread else ''})"
        rows.append((name, measured, row["met"]))
    return rows


def verdict(met: bool | None) -> str:
    return "did not run" if met is None else "met" if met else "NOT MET"


def targets_table(rows, markdown: bool = False) -> str:
    if markdown:
        lines = ["| target | measured | result |", "|---|---|---|"]
        lines += [f"| {name} | {measured} | {verdict(met)} |" for name, measured, met in rows]
        return "\n".join(lines)
    width = max(len(r[0]) for r in rows) + 2
    mwidth = max(len(r[1]) for r in rows) + 2
    lines = [f"{'target':<{width}}{'measured':<{mwidth}}result"]
    lines += [f"{name:<{width}}{measured:<{mwidth}}{verdict(met)}" for name, measured, met in rows]
    return "\n".join(lines)


def command_output(command: list[str]) -> str:
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=30, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return "not found"
    text = (done.stdout or done.stderr).strip()
    return text.splitlines()[0] if text else ""


def machine() -> list[str]:
    os_name = "Linux"
    release = Path("/etc/os-release")
    if release.exists():
        for line in release.read_text().splitlines():
            if line.startswith("PRETTY_NAME="):
                os_name = line.split("=", 1)[1].strip('"')
    cpu = next(
        (
            line.split(":", 1)[1].strip()
            for line in Path("/proc/cpuinfo").read_text().splitlines()
            if line.startswith("model name")
        ),
        platform.processor() or "unknown",
    )
    memory = next(
        (
            int(line.split()[1]) * 1024
            for line in Path("/proc/meminfo").read_text().splitlines()
            if line.startswith("MemTotal:")
        ),
        0,
    )
    versions = []
    for name in ("Flask", "gunicorn", "pydantic", "PyYAML", "Brotli", "playwright"):
        with contextlib.suppress(metadata.PackageNotFoundError):
            versions.append(f"{name} {metadata.version(name)}")
    packages = ", ".join(versions)
    commit = command_output(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"])
    try:
        status = subprocess.run(
            ["git", "-C", str(ROOT), "status", "--porcelain", "--untracked-files=all"],
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        ).stdout
    except (OSError, subprocess.TimeoutExpired):
        status = ""
    dirty = sorted(line[3:] for line in status.splitlines())
    wrk_version = command_output(["wrk", "-v"]).split(" Copyright")[0]
    return [
        f"- Machine: {os_name}, kernel {platform.release()}, {cpu}, {os.cpu_count()} cores,"
        f" {memory / 2**30:.0f} GiB memory (shared and noisy: compare ratios within one run)",
        f"- Python {platform.python_version()}; {packages}",
        f"- Tools: {wrk_version}; {command_output([throughput.NGINX, '-v'])};"
        f" {command_output([weight.CHROMIUM, '--version'])}",
        f"- Code: commit {commit}"
        + (f", uncommitted: {', '.join(dirty[:12])}" if dirty else " (clean work tree)")
        + (f" and {len(dirty) - 12} more" if len(dirty) > 12 else ""),
    ]


def write_results(results: dict, reports: dict[str, str], rows, started, elapsed) -> None:
    notes = ""
    if RESULTS.exists():
        text = RESULTS.read_text()
        if NOTES_MARKER in text:
            notes = text.split(NOTES_MARKER, 1)[1].lstrip("\n")
    parts = [
        "# Benchmark results",
        "",
        "Written by `bench/run.py`; from a clean clone, `bash scripts/bench.sh` installs what it"
        " needs (the test extras, npm tools, wrk and nginx-light) and runs it. Targets are"
        " benchmarks, not timed tests: a miss is a finding to explain, not a failing build.",
        "",
        "## Run",
        "",
        f"- Date: {started:%Y-%m-%d %H:%M} UTC; the whole run took {elapsed / 60:.1f} min",
        "- Command: `.venv/bin/python bench/run.py` (`bash scripts/bench.sh`)",
        "- Content: the sample `regions.yaml` (80 regions), except the generated scale files",
        *machine(),
        "",
        "## Targets",
        "",
        targets_table(rows, markdown=True),
    ]
    sections = [
        (
            "throughput",
            "Throughput",
            "`.venv/bin/python bench/throughput.py`: the app under the production command"
            " (`gunicorn --workers 2 --threads 1 --bind 127.0.0.1:PORT app:app`), a minimal Flask"
            " app returning the same bytes for each URL under the same command"
            " (`bench/minimal_app.py`) and nginx serving the static export, all on loopback.",
        ),
        (
            "attack",
            "Cache-busting attacks",
            "`.venv/bin/python bench/attack.py`: wrk on the cached / under the production command,"
            " alone and while 4 connections send unique addresses (`/?q=…`, several-place pages),"
            " this tree and main (a `git worktree` of it) one after the other in each round.",
        ),
        (
            "weight",
            "Bytes on the wire (Chromium)",
            "`.venv/bin/python bench/weight.py`: Debian's Chromium at phone size with an empty"
            " cache, the app under the production gunicorn command, counted with the DevTools"
            " protocol.",
        ),
        (
            "scale",
            "Scale: loading regions.yaml",
            "`.venv/bin/python bench/scale.py`: generated files, each size measured in a fresh"
            " Python process, then loaded by a git worktree of the baseline (before).",
        ),
        (
            "search",
            "Search quality",
            "`.venv/bin/python bench/search_quality.py`: the judged query table"
            " (tests/data/search/queries.tsv) against the sample and the search tests' own"
            " content, the engine before issue 14 (from git) and this one, in one run.",
        ),
        (
            "first_screen",
            "The first screen after a tap (phone)",
            "`.venv/bin/python bench/first_screen.py`: Chromium at 360 x 740 (touch, scale 2),"
            " this tree and a git worktree of main, each under the production gunicorn command,"
            " in one run.",
        ),
        (
            "finger",
            "A finger on the phone's figure",
            "`.venv/bin/python bench/finger.py`: Chromium at 360 x 740 (touch, scale 2), 200"
            " simulated taps per region (sigma 8 CSS px, seeded) on the figure and its enlarged"
            " views, this tree and a git worktree of main, in one run.",
        ),
        (
            "lighthouse",
            "Lighthouse (mobile preset)",
            "Measured by `bench/run.py` with `bench/lighthouse.py`'s functions against the app"
            " under the production gunicorn command (`bench/lighthouse.py --check` alone serves"
            " it with `bodymap serve`).",
        ),
    ]
    for key, title, intro in sections:
        parts += ["", f"## {title}", "", intro, ""]
        if key in reports:
            parts += ["```", reports[key], "```"]
        else:
            parts.append(f"Did not run: {results.get(key + '_error', 'skipped')}")
    parts += ["", NOTES_MARKER, ""]
    RESULTS.write_text("\n".join(parts) + ("\n" + notes if notes else ""))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="1 short round, 1 Lighthouse run")
    parser.add_argument("--no-write", action="store_true", help="leave bench/RESULTS.md alone")
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is not met")
    parser.add_argument("--lighthouse-runs", type=int, default=LIGHTHOUSE_RUNS, choices=range(1, 6))
    parser.add_argument("--regions", help="content file (default: $BODYMAP_REGIONS)")
    parser.add_argument(
        "--baseline", default=BASELINE, help="the revision 'before' figures are measured on"
    )
    parser.add_argument("--load", action="store_true", help="also bench/load.py (about 70 s)")
    args = parser.parse_args()
    rounds, duration = (1, 2) if args.quick else (throughput.ROUNDS, throughput.DURATION)
    runs = 1 if args.quick else args.lighthouse_runs
    attack_args = (1, 3) if args.quick else (attack.ROUNDS, attack.DURATION)
    expected = 60 + throughput.expected_seconds(rounds, duration) + 15 + 30 + 15 * runs * 2
    expected += attack.expected_seconds(*attack_args)
    expected += 75 if args.load else 0
    say(
        "bench/run.py: scale, search, throughput, attack, weight, first screen, lighthouse"
        + (", load" if args.load else "")
        + ";"
        f" expected about {expected / 60:.0f} min"
    )
    started = datetime.datetime.now(datetime.UTC)
    clock = time.monotonic()
    results: dict = {}
    reports: dict[str, str] = {}
    steps = [
        ("scale", lambda: scale.measure(baseline=args.baseline), scale.report),
        ("search", lambda: search_quality.measure(), search_quality.report),
        (
            "throughput",
            lambda: throughput.measure(rounds, duration, args.regions),
            throughput.report,
        ),
        (
            "attack",
            lambda: attack.measure(*attack_args, baseline=args.baseline, regions=args.regions),
            attack.report,
        ),
        ("weight", lambda: weight.measure(args.regions), weight.report),
        (
            "first_screen",
            lambda: first_screen.measure(args.baseline, args.regions),
            first_screen.report,
        ),
        ("finger", lambda: finger.measure(args.baseline, args.regions), finger.report),
        ("lighthouse", lambda: run_lighthouse(runs, args.regions), lighthouse_report),
    ]
    if args.load:
        steps.append(
            (
                "load",
                lambda: load.measure(load.content_file(args.regions), load.DURATION),
                load.report,
            )
        )
    failed = False
    for key, run, report in steps:
        try:
            results[key] = run()
            reports[key] = report(results[key])
        except BenchError as error:
            failed = True
            results[key + "_error"] = str(error).splitlines()[0]
            say(f"error: {key}: {error}")
        except Exception:  # one broken benchmark must not hide the others' results
            failed = True
            results[key + "_error"] = traceback.format_exc().strip().splitlines()[-1]
            say(f"error: {key}:\n{traceback.format_exc()}")
    elapsed = time.monotonic() - clock
    for key, _, _ in steps:
        if key in reports:
            print(f"\n== {key} ==\n{reports[key]}")
    rows = targets(results)
    print(f"\n== targets ==\n{targets_table(rows)}")
    print(f"\n(whole run: {elapsed:.0f} s)")
    if not args.no_write:
        write_results(results, reports, rows, started, elapsed)
        say(f"wrote {RESULTS.relative_to(ROOT)}")
    if failed:
        return 2
    load_failed = "load" in results and not load.passed(results["load"])
    return 1 if args.check and (load_failed or any(met is False for _, _, met in rows)) else 0


if __name__ == "__main__":
    sys.exit(main())
