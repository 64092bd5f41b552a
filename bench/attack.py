"""Cache-busting attacks: legitimate throughput on / and worker memory while unique pages flood in.

Run: .venv/bin/python bench/attack.py [--rounds 2] [--duration 8] [--baseline REF] [--cache-mb 8]
Needs wrk (scripts/bench.sh installs it) and, for the baseline, git. Everything runs on
127.0.0.1 and stops by itself (each wrk is bounded by -d; about 2 x 3 x rounds x duration s).

Two servers, each under the production command
`gunicorn --workers 2 --threads 1 --bind 127.0.0.1:PORT app:app`, one at a time:
  this      the working tree
  baseline  REF (default: main) checked out with `git worktree add --detach` in a temporary
            folder, run with this tree's .venv and node_modules (skipped when REF is this
            tree's commit or git cannot check it out)
both with BODYMAP_CACHE_MB=--cache-mb (small, so that the attacks reach the bound within the
run; a server that has no such setting ignores it). For each round and server (the order
rotates every round), three phases of --duration seconds:
  quiet     `wrk -t2 -c50 --latency -H 'Accept-Encoding: gzip, br'` on the cached /
  search    the same, while `wrk -t1 -c4` sends / with a unique ?q= on every request (with
            `Accept-Encoding: gzip, br`: a miss is compressed)
  places    the same, while `wrk -t1 -c4` sends / with every region in a new random order
            (?r=…&r=…, all of them: a page no one has asked for), half of them with
            `Accept-Encoding: gzip, br` and half without (uncompressed bodies are the largest)
The attackers start first and stop last. Legitimate throughput under attack is reported as a
ratio of the same round's quiet phase (target >= 0.5); worker memory (VmRSS of each of the
master's workers) after the attacks, as growth over the RSS after warming up, against the
configured cache size (target: at most the cache size + 8 MB).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path

from common import (
    ACCEPT_ENCODING,
    BASELINE,
    ROOT,
    BenchError,
    Server,
    baseline_tree,
    free_port,
    git,
    gunicorn_command,
    run_and_report,
    say,
)
from load import rss_mb, workers_of
from throughput import check_tools, parse_wrk, wrk_output

from bodymap.content import build_content
from bodymap.loader import load_file

ROUNDS = 2
DURATION = 8  # seconds of each phase's legitimate wrk
CACHE_MB = 8
RSS_SLACK_MB = 8.0  # "bounded": growth at most the cache size plus this
TARGET_RATIO = 0.5
ATTACK_CONNECTIONS = 4
LEAD = 1.0  # seconds the attackers run before and after the legitimate wrk
PHASES = ("quiet", "search", "places")
SERVERS = ("this", "baseline")

SEARCH_SCRIPT = """
local n = 0
request = function()
  n = n + 1
  return wrk.format("GET", "/?q=attack" .. math.random(1, 1e9) .. "x" .. n)
end
"""

PLACES_SCRIPT = """
local ids = {%s}
local n = 0
request = function()
  n = n + 1
  for i = #ids, 2, -1 do
    local j = math.random(1, i)
    ids[i], ids[j] = ids[j], ids[i]
  end
  local headers = {}
  if n %% 2 == 0 then headers["Accept-Encoding"] = "%s" end
  return wrk.format("GET", "/?r=" .. table.concat(ids, "&r="), headers)
end
"""


def expected_seconds(rounds: int, duration: float) -> float:
    return rounds * len(SERVERS) * (len(PHASES) * (duration + 2 * LEAD + 1) + 3) + 15


def region_ids(regions: str | None) -> list[str]:
    path = Path(regions or os.environ.get("BODYMAP_REGIONS") or ROOT / "regions.yaml")
    return list(build_content(load_file(path)).regions)


def scripts(folder: Path, ids: list[str]) -> dict[str, Path]:
    quoted = ", ".join(f'"{i}"' for i in ids)
    texts = {"search": SEARCH_SCRIPT, "places": PLACES_SCRIPT % (quoted, ACCEPT_ENCODING)}
    paths = {}
    for phase, text in texts.items():
        paths[phase] = folder / f"{phase}.lua"
        paths[phase].write_text(text)
    return paths


def server(name: str, tree: Path, folder: Path, cache_mb: int, regions: str | None) -> Server:
    port = free_port()
    env = {
        "BODYMAP_CACHE_MB": str(cache_mb),
        "BODYMAP_LAST_GOOD_DIR": str(folder / f"last-good-{name}"),
        # The checkout's own package, not the one this .venv was installed from.
        "PYTHONPATH": str(tree),
    }
    if regions:
        env["BODYMAP_REGIONS"] = str(Path(regions).resolve())
    return Server(
        f"{name} (gunicorn)",
        gunicorn_command(port, "app:app"),
        port=port,
        log=folder / f"{name}.log",
        cwd=tree,
        env=env,
        ready_path="/healthz",
    )


def worker_rss(app: Server) -> list[float]:
    return [rss or 0.0 for rss in map(rss_mb, workers_of(app.proc.pid))]


def attack(url: str, script: Path, duration: float, out: dict) -> None:
    """Run one attacker's wrk; what it did goes into `out`."""
    extra = ("-s", str(script))
    try:
        text = wrk_output(url, duration, ATTACK_CONNECTIONS, extra=extra, slack=60)
        out.update(parse_wrk(text))
    except BenchError as error:
        out["error"] = str(error)


def phase(app: Server, name: str, duration: float, attack_scripts: dict) -> dict:
    attacker: threading.Thread | None = None
    attacked: dict = {}
    if name != "quiet":
        attacker = threading.Thread(
            target=attack,
            args=(app.base + "/", attack_scripts[name], duration + 2 * LEAD, attacked),
        )
        attacker.start()
        time.sleep(LEAD)
    try:
        legit = parse_wrk(wrk_output(app.base + "/", duration))
    finally:
        if attacker:
            attacker.join(timeout=duration + 90)
    return {"legit": legit, "attack": attacked, "rss": worker_rss(app)}


def warm(app: Server) -> list[float]:
    wrk_output(app.base + "/", 1)
    return worker_rss(app)


def measure(
    rounds: int = ROUNDS,
    duration: float = DURATION,
    baseline: str = BASELINE,
    cache_mb: int = CACHE_MB,
    regions: str | None = None,
) -> dict:
    check_tools()
    ids = region_ids(regions)
    say(
        f"attack: {rounds} rounds x up to {len(SERVERS)} servers x {len(PHASES)} phases x"
        f" {duration:g} s; expected about {expected_seconds(rounds, duration):.0f} s"
    )
    runs = {s: {p: [] for p in PHASES} for s in SERVERS}
    rss: dict[str, dict] = {}
    with tempfile.TemporaryDirectory(prefix="bodymap-attack-") as name:
        folder = Path(name)
        attack_scripts = scripts(folder, ids)
        with baseline_tree(baseline, folder) as base:
            trees = {"this": (ROOT, git("rev-parse", "--short=10", "HEAD") or "?")}
            if base:
                trees["baseline"] = base
            for number in range(rounds):
                order = list(trees)[number % len(trees) :] + list(trees)[: number % len(trees)]
                for who in order:
                    app = server(who, trees[who][0], folder, cache_mb, regions)
                    with app:
                        start = warm(app)
                        peak = list(start)
                        for name_ in PHASES:
                            result = phase(app, name_, duration, attack_scripts)
                            runs[who][name_].append(result)
                            peak = [max(a, b) for a, b in zip(peak, result["rss"], strict=False)]
                            say(
                                f"  round {number + 1} {who:<9}{name_:<7}"
                                f"{result['legit']['rps']:>9.0f} req/s legit,"
                                f" {result['attack'].get('rps', 0):>7.1f} req/s attack,"
                                f" RSS {', '.join(f'{r:.0f}' for r in result['rss'])} MB"
                            )
                    growth = max(p - s for p, s in zip(peak, start, strict=False))
                    rss.setdefault(who, []).append({"start": start, "peak": peak, "growth": growth})
    return summarise(runs, rss, trees_names(trees), cache_mb, duration, rounds)


def trees_names(trees: dict) -> dict[str, str]:
    return {who: commit for who, (_, commit) in trees.items()}


def summarise(runs, rss, commits, cache_mb, duration, rounds) -> dict:
    rows = {}
    for who in commits:
        row = {"commit": commits[who]}
        quiet = [r["legit"]["rps"] for r in runs[who]["quiet"]]
        row["quiet_rps"] = statistics.median(quiet)
        for name in ("search", "places"):
            ratios = [
                r["legit"]["rps"] / q for r, q in zip(runs[who][name], quiet, strict=False) if q
            ]
            row[name] = {
                "rps": statistics.median(r["legit"]["rps"] for r in runs[who][name]),
                "p99_ms": statistics.median(r["legit"]["p99_ms"] for r in runs[who][name]),
                "ratio": statistics.median(ratios) if ratios else None,
                "ratios": ratios,
                "attack_rps": statistics.median(
                    r["attack"].get("rps", 0.0) for r in runs[who][name]
                ),
                # Answered 503 (busy) or anything but 2xx/3xx, as a share of the attack.
                "refused": sum(r["attack"].get("non_2xx", 0) for r in runs[who][name])
                / max(1, sum(r["attack"].get("requests", 0) for r in runs[who][name])),
                "errors": sum(
                    r["legit"]["non_2xx"] + r["legit"]["socket_errors"] for r in runs[who][name]
                ),
            }
        row["rss_start"] = max(max(x["start"]) for x in rss[who])
        row["rss_growth"] = max(x["growth"] for x in rss[who])
        rows[who] = row
    return {"rows": rows, "cache_mb": cache_mb, "duration": duration, "rounds": rounds}


def met(result: dict, who: str = "this") -> dict[str, bool]:
    row = result["rows"][who]
    bound = result["cache_mb"] + RSS_SLACK_MB
    return {
        "search": row["search"]["ratio"] is not None and row["search"]["ratio"] >= TARGET_RATIO,
        "places": row["places"]["ratio"] is not None and row["places"]["ratio"] >= TARGET_RATIO,
        "memory": row["rss_growth"] <= bound,
    }


def targets(result: dict | None) -> list[tuple[str, str, bool | None]]:
    """bench/run.py's rows: legitimate throughput under each attack, and worker memory."""
    names = [
        f"legit / under unique ?q= >= {TARGET_RATIO:g}x unattacked",
        f"legit / under unique several-place pages >= {TARGET_RATIO:g}x unattacked",
        f"worker RSS growth <= cache + {RSS_SLACK_MB:g} MB",
    ]
    if not result:
        return [(name, "did not run", None) for name in names]
    row, ok = result["rows"]["this"], met(result)
    bound = result["cache_mb"] + RSS_SLACK_MB
    base = result["rows"].get("baseline")

    def was(key: str) -> str:
        ratio = base[key]["ratio"] if base else None
        return f"; main {ratio:.2f}x" if ratio is not None else ""

    growth = f"{row['rss_growth']:.1f} MB (<= {bound:g})"
    if base:
        growth += f"; main {base['rss_growth']:.1f} MB"
    return [
        (names[0], f"{row['search']['ratio']:.2f}x{was('search')}", ok["search"]),
        (names[1], f"{row['places']['ratio']:.2f}x{was('places')}", ok["places"]),
        (names[2], growth, ok["memory"]),
    ]


def report(result: dict) -> str:
    lines = [
        f"legitimate: wrk -t2 -c50 -d{result['duration']:g}s on / (cached);"
        f" attackers: wrk -t1 -c{ATTACK_CONNECTIONS}, unique URLs;"
        f" {result['rounds']} rounds, medians; BODYMAP_CACHE_MB={result['cache_mb']}",
        "",
        f"{'server':<22}{'attack':<8}{'legit req/s':>12}{'x quiet':>9}{'p99 ms':>9}"
        f"{'attack req/s':>14}{'refused':>9}{'err':>5}",
    ]
    for who, row in result["rows"].items():
        label = f"{who} ({row['commit']})"
        lines.append(f"{label:<22}{'none':<8}{row['quiet_rps']:>12.0f}{'1.00':>9}")
        for name in ("search", "places"):
            m = row[name]
            ratio = "n/a" if m["ratio"] is None else f"{m['ratio']:.2f}"
            lines.append(
                f"{'':<22}{name:<8}{m['rps']:>12.0f}{ratio:>9}{m['p99_ms']:>9.1f}"
                f"{m['attack_rps']:>14.1f}{m['refused']:>9.0%}{m['errors']:>5}"
            )
    lines += ["", f"{'server':<22}{'RSS after warm-up':>18}{'growth (max worker)':>21}  target"]
    bound = result["cache_mb"] + RSS_SLACK_MB
    for who, row in result["rows"].items():
        lines.append(
            f"{who + ' (' + row['commit'] + ')':<22}{row['rss_start']:>15.0f} MB"
            f"{row['rss_growth']:>18.1f} MB  <= {bound:g} MB"
        )
    lines.append(
        "search: / with a unique ?q= (a parameter / does not use); places: / with every"
        " region in a new order; refused: attack requests answered 503 (busy) or another"
        " error; err: legitimate requests that were not 2xx/3xx or failed."
    )
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=ROUNDS, choices=range(1, 6))
    parser.add_argument("--duration", type=float, default=DURATION, help="seconds per phase")
    parser.add_argument("--baseline", default=BASELINE, help="git ref to compare with")
    parser.add_argument("--cache-mb", type=int, default=CACHE_MB)
    parser.add_argument("--regions", help="content file (default: $BODYMAP_REGIONS)")
    args = parser.parse_args()
    if not 1 <= args.duration <= 30:
        parser.error("--duration must be between 1 and 30 seconds")
    if not shutil.which("git"):
        parser.error("git is needed for the baseline")
    return run_and_report(
        measure, report, args.rounds, args.duration, args.baseline, args.cache_mb, args.regions
    )


if __name__ == "__main__":
    sys.exit(main())
