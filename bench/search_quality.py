"""Search quality over the judged query table, before and after, and the time a query takes.

Run: .venv/bin/python bench/search_quality.py [--baseline REV] [--check]

For each content file (the shipped sample regions.yaml, and the search tests' own
tests/data/search/regions.yaml) and each engine (the one in this tree, and bodymap/search.py
as it was at --baseline, loaded from git), over tests/data/search/queries.tsv:

- precision at 1 and at 3: the share of judged answers (the warning sign that must lead the
  warning block, or the cause, place or article that must lead its group) found first, or
  among the first three;
- emergencies warned: warning rows whose sign leads the block within the row's rank;
- false alarms: ordinary rows (no warning expected) that show a warning block;
- query time: median and maximum of one search over the table's queries (warm index), and
  the time to build the index.

The old engine knows no warning signs, so it warns for nothing. Targets: every emergency
warned, no false alarm, P@3 >= 0.9, P@1 >= 0.8, median query < 5 ms at the sample's size.
"""

from __future__ import annotations

import argparse
import importlib.util
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bodymap.content import SEARCH_LIMIT, build_content  # noqa: E402
from bodymap.loader import load_file  # noqa: E402
from bodymap.search import SearchIndex  # noqa: E402
from tests.search_table import CONTENT, judge, precision, read_table, shown_by  # noqa: E402

# The last commit of main before issue 14 (search that never misses an emergency).
BASELINE = "b5e2302"
CONTENTS = {"sample regions.yaml": ROOT / "regions.yaml", "tests/data/search": CONTENT}
TARGET_P1, TARGET_P3, TARGET_MEDIAN_MS = 0.8, 0.9, 5.0
TIMING_ROUNDS = 5  # each query is timed this many times; the median of all is reported


def baseline_engine(revision: str):
    """bodymap/search.py as it was at `revision`, as a module of its own."""
    try:
        source = subprocess.run(
            ["git", "-C", str(ROOT), "show", f"{revision}:bodymap/search.py"],
            capture_output=True,
            text=True,
            timeout=30,
            check=True,
        ).stdout
    except (OSError, subprocess.SubprocessError) as error:
        raise SystemExit(f"cannot read bodymap/search.py at {revision}: {error}") from None
    spec = importlib.util.spec_from_loader("bodymap_search_baseline", loader=None)
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up there
    # This project's own earlier code, from its own git history.
    exec(compile(source, f"{revision}:bodymap/search.py", "exec"), module.__dict__)
    return module


def old_shown_by(engine, content):
    """What the old engine showed: one list of hits, grouped by kind; no warning signs."""
    index = engine.SearchIndex.build(content)

    def search(language: str, query: str) -> dict[str, list[str]]:
        shown = {"red_flag": [], "pain_point": [], "region": [], "article": []}
        for hit in index.search(query, limit=SEARCH_LIMIT):
            shown[hit.kind].append(hit.id)
        return shown

    return search, lambda query: index.search(query, limit=SEARCH_LIMIT)


def new_shown_by(content):
    index = SearchIndex.build(content)
    from bodymap.content import SEARCH_LIMITS

    return shown_by(content), lambda query: index.find(query, SEARCH_LIMITS, SEARCH_LIMIT)


def timings(search, queries) -> tuple[float, float, float]:
    """(median, 95th percentile, max) milliseconds of one search over the queries, warm."""
    times = []
    for _ in range(TIMING_ROUNDS):
        for query in queries:
            start = time.perf_counter()
            search(query)
            times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), statistics.quantiles(times, n=20)[-1], max(times)


def build_ms(build, content) -> float:
    times = []
    for _ in range(3):
        start = time.perf_counter()
        build(content)
        times.append((time.perf_counter() - start) * 1000)
    return min(times)


def measure(revision: str = BASELINE) -> dict:
    rows = read_table()
    queries = list(dict.fromkeys(row.query for row in rows))
    old = baseline_engine(revision)
    result = {"baseline": revision, "rows": len(rows), "runs": []}
    for name, path in CONTENTS.items():
        content = build_content(load_file(path))
        for engine, (shown, search), build in (
            ("before", old_shown_by(old, content), old.SearchIndex.build),
            ("after", new_shown_by(content), SearchIndex.build),
        ):
            judged = judge(rows, shown)
            warnings = [j for j in judged if j.what == "warning"]
            ordinary = [j for j in judged if j.what == "no warning"]
            median, p95, worst = timings(search, queries)
            ranked = [j for j in judged if j.what == "expect"]
            result["runs"].append(
                {
                    "content": name,
                    "regions": len(content.regions),
                    "engine": engine,
                    "p1": precision(judged, 1),
                    "p3": precision(judged, 3),
                    "ranked_p1": precision(ranked, 1),
                    "ranked_p3": precision(ranked, 3),
                    "warned": sum(j.passed for j in warnings),
                    "warning_rows": len(warnings),
                    "false_alarms": sum(not j.passed for j in ordinary),
                    "ordinary_rows": len(ordinary),
                    "median_ms": median,
                    "p95_ms": p95,
                    "max_ms": worst,
                    "build_ms": build_ms(build, content),
                    "misses": [
                        f"{j.row.line}: {j.row.query} ({j.what}, rank {j.rank or '-'})"
                        for j in judged
                        if not j.passed
                    ],
                }
            )
    after = [r for r in result["runs"] if r["engine"] == "after"]
    sample = next(r for r in after if r["content"] == "sample regions.yaml")
    result["met"] = {
        "warned": all(r["warned"] == r["warning_rows"] for r in after),
        "false_alarms": all(r["false_alarms"] == 0 for r in after),
        "p1": all(r["p1"] >= TARGET_P1 for r in after),
        "p3": all(r["p3"] >= TARGET_P3 for r in after),
        "median": sample["median_ms"] < TARGET_MEDIAN_MS,
    }
    return result


def report(result: dict) -> str:
    lines = [
        f"{result['rows']} judged rows (tests/data/search/queries.tsv); before = bodymap/search.py"
        f" at {result['baseline']}, after = this tree; same run",
        "",
        f"{'content':<22}{'engine':<8}{'P@1':>6}{'P@3':>6}{'ranked P@1/P@3':>16}{'warned':>9}"
        f"{'false alarms':>14}{'query p50/p95/max':>21}{'index':>8}",
    ]
    for r in result["runs"]:
        lines.append(
            f"{r['content']:<22}{r['engine']:<8}{r['p1']:>6.2f}{r['p3']:>6.2f}"
            f"{r['ranked_p1']:>11.2f}/{r['ranked_p3']:.2f}"
            f"{r['warned']:>5}/{r['warning_rows']:<3}{r['false_alarms']:>7}/{r['ordinary_rows']:<6}"
            f"{r['median_ms']:>7.2f}/{r['p95_ms']:.2f}/{r['max_ms']:.1f}ms{r['build_ms']:>6.0f}ms"
        )
    lines += [
        "",
        "P@k: share of judged answers (warning or result) among the first k of their group;"
        " ranked: the causes, places and articles only (no warning judgements); warned:"
        " warning rows whose sign leads the block; query: one search, warm, ms; index: build.",
    ]
    for r in result["runs"]:
        if r["engine"] == "after" and r["misses"]:
            lines += ["", f"Not right, {r['content']} (after):", *("  " + m for m in r["misses"])]
    return "\n".join(lines)


def targets(result: dict | None) -> list[tuple[str, str, bool | None]]:
    """Rows for bench/run.py's table of targets."""
    names = [
        ("warned", "search: every emergency and crisis query in the table warns first"),
        ("false_alarms", "search: no ordinary query in the table shows a warning"),
        ("p3", f"search: precision at 3 >= {TARGET_P3}"),
        ("p1", f"search: precision at 1 >= {TARGET_P1}"),
        ("median", f"search: query median < {TARGET_MEDIAN_MS:g} ms (sample)"),
    ]
    if not result:
        return [(name, "did not run", None) for _, name in names]
    after = {r["content"]: r for r in result["runs"] if r["engine"] == "after"}
    before = {r["content"]: r for r in result["runs"] if r["engine"] == "before"}
    sample, tests = "sample regions.yaml", "tests/data/search"

    def both(key: str, fmt: str) -> str:
        return " / ".join(
            f"{fmt.format(after[c][key])} (before {fmt.format(before[c][key])})"
            for c in (sample, tests)
        )

    measured = {
        "warned": " / ".join(
            f"{after[c]['warned']}/{after[c]['warning_rows']} (before {before[c]['warned']})"
            for c in (sample, tests)
        ),
        "false_alarms": " / ".join(
            f"{after[c]['false_alarms']}/{after[c]['ordinary_rows']}" for c in (sample, tests)
        ),
        "p3": both("p3", "{:.2f}"),
        "p1": both("p1", "{:.2f}"),
        "median": f"{after[sample]['median_ms']:.2f} ms"
        f" (before {before[sample]['median_ms']:.2f} ms)",
    }
    return [
        (name if key == "median" else name + " (sample / tests)", measured[key], result["met"][key])
        for key, name in names
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", default=BASELINE, help="the revision to compare with")
    parser.add_argument("--check", action="store_true", help="exit 1 when a target is not met")
    args = parser.parse_args()
    result = measure(args.baseline)
    print(report(result))
    for name, measured, met in targets(result):
        print(f"{'met' if met else 'NOT MET':<8} {name}: {measured}")
    return 1 if args.check and not all(result["met"].values()) else 0


if __name__ == "__main__":
    sys.exit(main())
