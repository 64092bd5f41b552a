"""Lighthouse scores (mobile preset) for the map and one region page, offline.

Run: .venv/bin/python bench/lighthouse.py [--check]
Needs `npm ci` (the pinned npm devDependency `lighthouse`) and Debian's /usr/bin/chromium
(or CHROME_PATH). Starts `bodymap serve` on a free loopback port, runs Lighthouse once per page
(JSON reports go to a temporary directory), prints page x category scores (0-100) and, for each
category below 100, the audits that fall short. Exit 0; 1 with --check when accessibility,
best-practices or seo is below 100 on a page; 2 when the server or Lighthouse fails to run.
"""

from __future__ import annotations

import argparse
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LIGHTHOUSE = ROOT / "node_modules" / ".bin" / "lighthouse"
BODYMAP = ROOT / ".venv" / "bin" / "bodymap"
PAGES = ["/", "/regions/lower-back-left"]
CATEGORIES = ["performance", "accessibility", "best-practices", "seo"]
CHECKED = ["accessibility", "best-practices", "seo"]
CHROME_FLAGS = (
    "--headless=new --no-sandbox --disable-gpu --disable-quic --no-first-run"
    " --disable-background-networking --disable-component-update --disable-sync"
    " --disable-dev-shm-usage"
)
RUN_TIMEOUT = 180  # seconds per Lighthouse run
START_TIMEOUT = 30  # seconds for the app to answer /healthz
NOT_SCORED = {"notApplicable", "informative", "manual"}


class RunFailed(Exception):
    pass


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_healthy(base: str, server: subprocess.Popen) -> None:
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RunFailed(f"bodymap serve exited with {server.returncode}")
        try:
            with urllib.request.urlopen(f"{base}/healthz", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.2)
    raise RunFailed(f"no answer from {base}/healthz within {START_TIMEOUT} s")


# Trace failures Lighthouse itself asks to run again for ("Please run Lighthouse again").
RETRY_ON = ("NO_NAVSTART", "NO_FCP", "NO_TRACING_STARTED")


def run_lighthouse(url: str, report: Path) -> dict:
    """One Lighthouse run; once more when Chromium's trace failed (a known flake)."""
    try:
        return _run_lighthouse(url, report)
    except RunFailed as error:
        if not any(code in str(error) for code in RETRY_ON):
            raise
        print(f"  Lighthouse asked to be run again ({error}): once more", file=sys.stderr)
        report.unlink(missing_ok=True)
        return _run_lighthouse(url, report)


def _run_lighthouse(url: str, report: Path) -> dict:
    command = [
        str(LIGHTHOUSE),
        url,
        "--output=json",
        f"--output-path={report}",
        "--quiet",
        f"--chrome-flags={CHROME_FLAGS}",
    ]
    env = {**os.environ, "CHROME_PATH": os.environ.get("CHROME_PATH", "/usr/bin/chromium")}
    proc = subprocess.Popen(
        command,
        cwd=report.parent,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    try:
        output, _ = proc.communicate(timeout=RUN_TIMEOUT)
    except subprocess.TimeoutExpired:
        # Lighthouse (chrome-launcher) ends the Chromium it started on SIGINT; Chromium runs
        # in a process group of its own, so killing Lighthouse alone would leave it behind.
        proc.send_signal(signal.SIGINT)
        try:
            proc.communicate(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
        raise RunFailed(f"Lighthouse on {url} took longer than {RUN_TIMEOUT} s") from None
    if proc.returncode != 0 or not report.exists():
        raise RunFailed(f"Lighthouse on {url} exited with {proc.returncode}:\n{output[-2000:]}")
    result = json.loads(report.read_text())
    if result.get("runtimeError"):
        raise RunFailed(f"Lighthouse on {url}: {result['runtimeError']}")
    return result


def score(result: dict, category: str) -> int | None:
    value = result["categories"][category]["score"]
    return None if value is None else round(value * 100)


def failing_audits(result: dict, category: str) -> list[tuple[str, str, str]]:
    """(audit id, weight or 'hint', title and display value) for audits scoring below 1."""
    rows = []
    for ref in result["categories"][category]["auditRefs"]:
        audit = result["audits"][ref["id"]]
        if audit["scoreDisplayMode"] in NOT_SCORED or audit["score"] is None:
            continue
        if audit["score"] < 1:
            title = audit["title"]
            if audit.get("displayValue"):
                title += f" ({audit['displayValue']})"
            weight = f"w{ref['weight']:g}" if ref["weight"] else "hint"
            rows.append((ref["id"], weight, title))
    return rows


def report(results: dict[str, dict]) -> bool:
    """Print the tables; True when a checked category is below 100 on some page."""
    width = max(len(page) for page in results) + 2
    print(f"{'page':<{width}}" + "".join(f"{c:>16}" for c in CATEGORIES))
    short = False
    for page, result in results.items():
        scores = [score(result, c) for c in CATEGORIES]
        print(f"{page:<{width}}" + "".join(f"{'-' if s is None else s:>16}" for s in scores))
        short |= any(s != 100 for c, s in zip(CATEGORIES, scores, strict=True) if c in CHECKED)
    if any(score(r, c) != 100 for r in results.values() for c in CATEGORIES):
        print("\nAudits below full marks (wN: weight in the category score; hint: weight 0)")
    for page, result in results.items():
        for category in CATEGORIES:
            if score(result, category) == 100:
                continue
            print(f"\n{page} {category} {score(result, category)}:")
            for audit_id, weight, title in failing_audits(result, category):
                print(f"  {audit_id:<34}{weight:>6}  {title}")
    return short


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="exit 1 below 100 (a11y, bp, seo)")
    args = parser.parse_args()
    for tool, install in [(LIGHTHOUSE, "npm ci"), (BODYMAP, "bash scripts/install.sh")]:
        if not tool.exists():
            print(f"error: {tool} is missing: run `{install}`", file=sys.stderr)
            return 2
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    with (
        tempfile.TemporaryDirectory(prefix="bodymap-lighthouse-") as tmp,
        open(Path(tmp) / "server.log", "w+") as log,
    ):
        server = subprocess.Popen(
            [str(BODYMAP), "serve", "--port", str(port)], cwd=ROOT, stdout=log, stderr=log
        )
        try:
            wait_healthy(base, server)
            results = {}
            for page in PAGES:
                print(f"lighthouse {base}{page} ...", file=sys.stderr, flush=True)
                name = page.strip("/").replace("/", "_") or "home"
                results[page] = run_lighthouse(base + page, Path(tmp) / f"{name}.json")
        except RunFailed as error:
            log.seek(0)
            print(f"error: {error}\n--- server log (tail) ---", file=sys.stderr)
            print(log.read()[-2000:], file=sys.stderr)
            return 2
        finally:
            server.terminate()
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
                server.wait()
    version = next(iter(results.values()))["lighthouseVersion"]
    print(f"Lighthouse {version}, mobile preset, {base}\n")
    short = report(results)
    return 1 if args.check and short else 0


if __name__ == "__main__":
    sys.exit(main())
