"""A bounded load test: wrk against the production command while regions.yaml is edited live.

Run: .venv/bin/python bench/load.py [--duration 60] [--regions FILE]
Needs wrk (scripts/bench.sh installs it). Everything runs on 127.0.0.1 and stops by itself
(wrk -d60s; the whole run takes about 70 s, at most about 90 s).

- The content file (default: $BODYMAP_REGIONS, else the sample regions.yaml) is copied to a
  temporary folder and the app is started on it under the production command
  `gunicorn --workers 2 --threads 1 --bind 127.0.0.1:PORT app:app`.
- `wrk -t2 -c100 -d60s --latency -H 'Accept-Encoding: gzip, br'` spreads its requests over /,
  region pages, their fragments, a pain-point page and its fragment, and /healthz; a Lua script
  counts the responses that are not 2xx/3xx by status (304 is fine) and every /healthz version.
- Every 4 s a thread rewrites the copy in place (truncate and write, as an editor does),
  alternating a valid edit (the clinic tagline with a counter) and an invalid one (`view: frnt`
  in one region), then polls /healthz and the page / in turn until the next edit: a valid edit
  must be served by both workers within the settle time (the SETTLE_SECONDS default, 2 s) plus
  1 s; after an invalid edit, every answer (/healthz's version, the page's ETag and its
  tagline) must carry the last valid version, the invalid file's version (sha256[:12] of its
  bytes) must never be answered, and `pending_error` must report it. The last good copies go
  to the temporary folder.
- Every second: the gunicorn master's worker pids (restarts must be 0) and each worker's RSS
  (VmRSS); flat = a worker grows by less than 10 MB from the start of the load to its end.
Prints one table; exit 0 when every check holds, 1 when one does not, 2 when it could not run.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import re
import shutil
import sys
import tempfile
import threading
import time
from pathlib import Path

from common import ACCEPT_ENCODING, ROOT, BenchError, app_server, fetch, say
from throughput import UNITS, parse_wrk, wrk_output

from bodymap.settings import defaults

DURATION = 60  # seconds of wrk
THREADS = 2
CONNECTIONS = 100
EDIT_EVERY = 4.0  # seconds between edits: a valid edit is served everywhere before the next
SETTLE = defaults()["SETTLE_SECONDS"]  # the production default: nothing written for this long
SERVE_WITHIN = SETTLE + 1.0  # seconds for a valid edit to be served by every worker
POLL_EVERY = 0.05  # seconds between /healthz polls after an edit
RSS_GROWTH_MB = 10.0  # "flat": each worker grows by less than this
# The clinic's tagline, as one text or as its English line under `tagline:`.
TAGLINE = re.compile(rb'^(  tagline:(?: |\n    en: )")([^"\n]*)(")', re.MULTILINE)
ETAG_VERSION = re.compile(r'^(?:W/)?"([0-9a-f]{12})')
VIEW = re.compile(rb"^(    view: )front$", re.MULTILINE)
PATHS = [
    "/",
    "/regions/lower-back-left",
    "/regions/forehead-right",
    "/regions/chest-right",
    "/fragments/regions/lower-back-left.html",
    "/fragments/regions/forehead-right.html",
    "/fragments/regions/chest-right.html",
    "/pain-points/herniated-disc",
    "/fragments/pain-points/herniated-disc.html",
    "/healthz",
]

LUA = r"""
local paths = {%(paths)s}
local threads = {}
local n = 0
bad = {}
versions = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  bad = {}
  versions = {}
end

function request()
  n = n + 1
  return wrk.format("GET", paths[(n %% #paths) + 1])
end

function response(status, headers, body)
  if status < 200 or status >= 400 then
    bad[status] = (bad[status] or 0) + 1
  end
  if body then
    local version = string.match(body, '"version":%%s*"(%%x+)"')
    if version then
      versions[version] = true
    end
  end
end

function done(summary, latency, requests)
  local statuses = {}
  local seen = {}
  for _, thread in ipairs(threads) do
    for status, count in pairs(thread:get("bad")) do
      statuses[status] = (statuses[status] or 0) + count
    end
    for version, _ in pairs(thread:get("versions")) do
      seen[version] = true
    end
  end
  local line = "LUA-BAD"
  for status, count in pairs(statuses) do
    line = line .. " " .. status .. "=" .. count
  end
  io.write(line .. "\n")
  line = "LUA-VERSIONS"
  for version, _ in pairs(seen) do
    line = line .. " " .. version
  end
  io.write(line .. "\n")
end
"""


def digest(raw: bytes) -> str:
    """The content version the app reports for these bytes (bodymap.store)."""
    return hashlib.sha256(raw).hexdigest()[:12]


def write_in_place(path: Path, raw: bytes) -> None:
    """Truncate and rewrite the same file (same inode), as most editors save."""
    with open(path, "r+b") as file:
        file.truncate(0)
        file.write(raw)
        file.flush()
        os.fsync(file.fileno())


def tagline(raw: bytes) -> str:
    """The clinic tagline in these bytes of the content file (the valid edits change it)."""
    found = TAGLINE.search(raw)
    return found.group(2).decode() if found else ""


def home_page(base: str) -> tuple[str | None, str] | None:
    """(the version in /'s ETag, the page's text) or None when it did not answer 200."""
    try:
        status, headers, body = fetch(base + "/", timeout=2)
    except OSError:
        return None
    if status != 200:
        return None
    found = ETAG_VERSION.match(headers.get("ETag", ""))
    return (found.group(1) if found else None), body.decode("utf-8", "replace")


def healthz(base: str) -> dict | None:
    try:
        status, _, body = fetch(base + "/healthz", timeout=2)
    except OSError:
        return None
    if status != 200:
        return None
    try:
        return json.loads(body)
    except ValueError:
        return None


def workers_of(master: int) -> list[int]:
    """The pids whose parent is `master` (gunicorn's workers)."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
        except OSError:
            continue
        # pid (comm) state ppid ...: comm may hold spaces, so split after the last ")".
        if int(stat.rsplit(")", 1)[1].split()[1]) == master:
            found.append(int(entry))
    return sorted(found)


def rss_mb(pid: int) -> float | None:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return None


class Sampler(threading.Thread):
    """Every second: the master's workers and their RSS."""

    def __init__(self, master: int, stop: threading.Event):
        super().__init__(daemon=True)
        self.master, self.stop = master, stop
        self.samples: list[tuple[float, dict[int, float | None]]] = []
        self.pids: set[int] = set()

    def sample(self) -> None:
        pids = workers_of(self.master)
        self.pids.update(pids)
        self.samples.append((time.monotonic(), {pid: rss_mb(pid) for pid in pids}))

    def run(self) -> None:
        while not self.stop.is_set():
            self.sample()
            self.stop.wait(1.0)


class Editor(threading.Thread):
    """Every EDIT_EVERY s: a valid, then an invalid edit, each followed by /healthz polls."""

    def __init__(self, path: Path, base: str, stop: threading.Event, first: float, last: float):
        super().__init__(daemon=True)
        self.path, self.base, self.stop, self.first, self.last = path, base, stop, first, last
        self.good = path.read_bytes()
        self.edits: list[dict] = []
        self.error: str | None = None

    def edit(self, number: int) -> tuple[bytes, bool]:
        if number % 2 == 0:  # valid: the tagline with a counter
            raw, count = TAGLINE.subn(
                lambda m: m.group(1) + b"Live edit %d" % (number // 2 + 1) + m.group(3),
                self.good,
                count=1,
            )
            valid = True
        else:  # invalid: one region seen from a view that does not exist
            raw, count = VIEW.subn(rb"\1frnt", self.good, count=1)
            valid = False
        if count != 1:
            raise BenchError(
                'the content file has no `  tagline: "…"` (or its `en:`) or `    view: front`'
            )
        return raw, valid

    def run(self) -> None:
        try:
            number = 0
            next_edit = time.monotonic() + self.first
            # No edit later than `last` (monotonic): every edit gets its full poll under load.
            while next_edit <= self.last and not self.stop.wait(
                max(0.0, next_edit - time.monotonic())
            ):
                raw, valid = self.edit(number)
                old = digest(self.good)
                written = time.monotonic()
                write_in_place(self.path, raw)
                next_edit = written + EDIT_EVERY
                answers, pages = self.poll(written, min(next_edit - 0.1, written + EDIT_EVERY))
                self.edits.append(
                    {
                        "valid": valid,
                        "old": old,
                        "old_tagline": tagline(self.good),
                        "new": digest(raw),
                        "answers": answers,
                        "pages": pages,
                    }
                )
                if valid:
                    self.good = raw
                number += 1
        except Exception as error:  # reported as a failed check
            self.error = f"{type(error).__name__}: {error}"

    def poll(self, since: float, until: float) -> tuple[list, list]:
        """/healthz and / in turn until `until`.

        /healthz: (seconds after the write, worker pid, version, pending_error set);
        /: (seconds after the write, the ETag's version, the page's text).
        """
        answers, pages = [], []
        while time.monotonic() < until and not self.stop.is_set():
            reply = healthz(self.base)
            if reply is not None:
                answers.append(
                    (
                        time.monotonic() - since,
                        reply.get("process"),
                        reply.get("version"),
                        bool(reply.get("pending_error")),
                    )
                )
            page = home_page(self.base)
            if page is not None:
                pages.append((time.monotonic() - since, *page))
            time.sleep(POLL_EVERY)
        return answers, pages


def judge_edit(edit: dict, workers: set[int]) -> dict:
    """How one edit was served, from the /healthz answers that followed it."""
    answers = edit["answers"]
    if edit["valid"]:
        old = [t for t, _, version, _ in answers if version != edit["new"]]
        new_from = {pid for _, pid, version, _ in answers if version == edit["new"]}
        # Served in time: no worker answered another version later than SERVE_WITHIN after
        # the write, and every worker was seen answering the new one.
        last_old = max(old, default=0.0)
        return {"ok": last_old <= SERVE_WITHIN and new_from >= workers, "last_old_s": last_old}
    seen_invalid = any(version == edit["new"] for _, _, version, _ in answers)
    reported = {pid for _, pid, version, pending in answers if pending}
    # Every answer after an invalid edit carries the last valid version: /healthz's version,
    # the page's ETag and the page's text (the tagline of the last valid edit).
    not_last_valid = [a for a in answers if a[2] != edit["old"]] + [
        p for p in edit["pages"] if p[1] != edit["old"] or edit["old_tagline"] not in p[2]
    ]
    return {
        "ok": not seen_invalid and reported >= workers and not not_last_valid,
        "seen_invalid": seen_invalid,
        "reported": reported >= workers,
        "not_last_valid": len(not_last_valid),
        "answered": len(answers) + len(edit["pages"]),
    }


def parse_p50(output: str) -> float:
    found = re.search(r"^\s+50%\s+([\d.]+)(us|ms|s|m|h)\s*$", output, re.MULTILINE)
    if not found:
        raise BenchError(f"wrk output without a 50% latency:\n{output}")
    return float(found.group(1)) * UNITS[found.group(2)]


def run_wrk(base: str, script: Path, duration: int) -> tuple[dict, dict[int, int], set[str]]:
    output = wrk_output(
        base + "/", duration, connections=CONNECTIONS, extra=("-s", str(script)), slack=15
    )
    result = parse_wrk(output)
    result["p50_ms"] = parse_p50(output)
    bad: dict[int, int] = {}
    versions: set[str] = set()
    for line in output.splitlines():
        if line.startswith("LUA-BAD"):
            for item in line.split()[1:]:
                status, count = item.split("=")
                bad[int(status)] = int(count)
        elif line.startswith("LUA-VERSIONS"):
            versions.update(line.split()[1:])
    return result, bad, versions


def measure(regions: Path, duration: int) -> dict:
    if not shutil.which("wrk"):
        raise BenchError("missing wrk: run `bash scripts/bench.sh` or apt-get install wrk")
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="bodymap-load-") as tmp:
        tmp = Path(tmp)
        copy = tmp / "regions.yaml"
        shutil.copyfile(regions, copy)
        shutil.copytree(regions.parent / "figures", tmp / "figures")  # its figure file
        script = tmp / "load.lua"
        script.write_text(LUA % {"paths": ", ".join(json.dumps(p) for p in PATHS)})
        server = app_server(tmp / "app.log", str(copy))
        # The last good copies stay in the temporary folder, not in instance/.
        server.env = {**(server.env or {}), "BODYMAP_LAST_GOOD_DIR": str(tmp / "last-good")}
        stop = threading.Event()
        sampler = editor = None
        try:
            server.start()
            for path in PATHS:
                status, _, _ = fetch(server.base + path, {"Accept-Encoding": ACCEPT_ENCODING})
                if status != 200:
                    raise BenchError(f"the app answered {status} to {path} before the load")
            first = healthz(server.base) or {}
            sampler = Sampler(server.proc.pid, stop)
            sampler.sample()
            workers = set(sampler.samples[0][1])
            if len(workers) != 2:
                raise BenchError(f"expected 2 workers, found {sorted(workers)}")
            sampler.start()
            last = time.monotonic() + duration - EDIT_EVERY
            editor = Editor(copy, server.base, stop, first=1.0, last=last)
            editor.start()
            say(f"load: wrk -c{CONNECTIONS} -d{duration}s, an edit every {EDIT_EVERY:g} s")
            load_before = os.getloadavg()
            wrk_result, bad, lua_versions = run_wrk(server.base, script, duration)
            load_after = os.getloadavg()
        finally:
            stop.set()
            for thread in (editor, sampler):
                if thread is not None and thread.is_alive():
                    thread.join(timeout=EDIT_EVERY + 3)
            if sampler is not None:
                sampler.sample()
            server.stop()
    return {
        "duration": duration,
        "elapsed_s": time.monotonic() - started,
        "first_version": first.get("version"),
        "wrk": wrk_result,
        "bad": bad,
        "lua_versions": lua_versions,
        "editor_error": editor.error,
        "edits": [{**edit, **judge_edit(edit, workers)} for edit in editor.edits],
        "workers": sorted(workers),
        "all_pids": sorted(sampler.pids),
        "samples": sampler.samples,
        "load": (load_before, load_after),
    }


def rss_table(result: dict) -> list[tuple[int, float, float, float]]:
    """(pid, start, middle, end) RSS in MB per initial worker."""
    rows = []
    for pid in result["workers"]:
        values = [rss for _, sample in result["samples"] if (rss := sample.get(pid)) is not None]
        if values:
            rows.append((pid, values[0], values[len(values) // 2], values[-1]))
    return rows


def checks(result: dict) -> list[tuple[str, str, bool]]:
    wrk = result["wrk"]
    edits = result["edits"]
    valid = [e for e in edits if e["valid"]]
    invalid = [e for e in edits if not e["valid"]]
    invalid_versions = {e["new"] for e in invalid}
    seen_by_wrk = invalid_versions & result["lua_versions"]
    last_old = max((e["last_old_s"] for e in valid), default=0.0)
    slow = [e for e in valid if not e["ok"]]
    bad_invalid = [e for e in invalid if e["seen_invalid"] or not e["reported"]]
    answered = sum(e["answered"] for e in invalid)
    not_last_valid = sum(e["not_last_valid"] for e in invalid)
    restarts = len(set(result["all_pids"]) - set(result["workers"]))
    rss = rss_table(result)
    growth = max((end - start for _, start, _, end in rss), default=float("inf"))
    bad = sum(result["bad"].values())
    statuses = ", ".join(f"{s}: {n}" for s, n in sorted(result["bad"].items())) or "none"
    return [
        (
            "non-2xx/3xx responses (Lua, by status)",
            f"{bad} ({statuses}); wrk says {wrk['non_2xx']}",
            bad == 0 and wrk["non_2xx"] == 0,
        ),
        ("socket errors", str(wrk["socket_errors"]), wrk["socket_errors"] == 0),
        (
            "edits (valid / invalid)",
            f"{len(valid)} / {len(invalid)}"
            + (f"; editor: {result['editor_error']}" if result["editor_error"] else ""),
            bool(valid) and bool(invalid) and not result["editor_error"],
        ),
        (
            f"valid edits served by both workers within {SERVE_WITHIN:g} s",
            f"{len(valid) - len(slow)}/{len(valid)}"
            + f"; last old answer {last_old:.2f} s after a write",
            not slow,
        ),
        (
            "invalid versions never served, pending_error set",
            f"{len(invalid) - len(bad_invalid)}/{len(invalid)} (polls); "
            f"wrk saw {len(result['lua_versions'])} versions, {len(seen_by_wrk)} invalid",
            not bad_invalid and not seen_by_wrk,
        ),
        (
            "after an invalid edit, answers with the last valid version",
            f"{answered - not_last_valid:,} of {answered:,} (/healthz and / polls)",
            answered > 0 and not_last_valid == 0,
        ),
        ("worker restarts", str(restarts), restarts == 0),
        (
            f"RSS growth per worker (< {RSS_GROWTH_MB:g} MB)",
            f"max {growth:+.1f} MB",
            growth < RSS_GROWTH_MB,
        ),
    ]


def report(result: dict) -> str:
    wrk = result["wrk"]
    (before, after) = result["load"]
    lines = [
        f"wrk -t{THREADS} -c{CONNECTIONS} -d{result['duration']}s --latency "
        f"-H 'Accept-Encoding: {ACCEPT_ENCODING}' over {len(PATHS)} URLs, "
        f"edits every {EDIT_EVERY:g} s; run took {result['elapsed_s']:.0f} s",
        f"load average before/after: {before[0]:.2f} / {after[0]:.2f} (1 min), "
        f"{os.cpu_count()} cores",
        "",
        f"  requests        {wrk['requests']:>10,}",
        f"  req/s           {wrk['rps']:>10,.1f}",
        f"  latency p50     {wrk['p50_ms']:>10.2f} ms",
        f"  latency p99     {wrk['p99_ms']:>10.2f} ms",
        "",
        "  worker    RSS start    middle       end  (MB)",
    ]
    for pid, start, middle, end in rss_table(result):
        lines.append(f"  {pid:>6} {start:>12.1f} {middle:>9.1f} {end:>9.1f}")
    lines.append("")
    rows = checks(result)
    width = max(len(name) for name, _, _ in rows)
    for name, value, ok in rows:
        lines.append(f"  {'ok  ' if ok else 'FAIL'}  {name:<{width}}  {value}")
    for number, edit in enumerate(result["edits"], 1):
        if not edit["ok"]:
            seen = sorted({(pid, version) for _, pid, version, _ in edit["answers"]})
            kind = "valid" if edit["valid"] else "invalid"
            lines.append(f"  edit {number} ({kind}, {edit['new']}) failed; answers: {seen}")
    return "\n".join(lines)


def passed(result: dict) -> bool:
    return all(ok for _, _, ok in checks(result))


def content_file(regions: str | None) -> Path:
    """--regions, else $BODYMAP_REGIONS, else the sample regions.yaml."""
    return Path(regions or os.environ.get("BODYMAP_REGIONS") or ROOT / "regions.yaml")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duration", type=int, default=DURATION, help="seconds of wrk (max 60)")
    parser.add_argument("--regions", help="content file (default: $BODYMAP_REGIONS)")
    args = parser.parse_args()
    duration = max(5, min(args.duration, DURATION))
    try:
        result = measure(content_file(args.regions), duration)
    except BenchError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print(report(result))
    return 0 if passed(result) else 1


if __name__ == "__main__":
    sys.exit(main())
