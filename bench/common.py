"""What the benchmarks share: loopback ports, the production gunicorn command, servers that stop.

Every server here listens on 127.0.0.1 only, runs in a process group of its own and is stopped
by `Server.stop()` (SIGTERM, then SIGKILL of the whole group after a grace period).
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
VENV_BIN = ROOT / ".venv" / "bin"
HOST = "127.0.0.1"
# What a browser sends; wrk and the byte counts send it too, so compression (if any) counts.
ACCEPT_ENCODING = "gzip, br"
START_TIMEOUT = 30  # seconds for a server to answer
STOP_TIMEOUT = 10  # seconds for a server to stop after SIGTERM


class BenchError(Exception):
    """A benchmark could not run (a tool is missing, a server did not start)."""


# The revision "before" figures are measured on (bench/run.py --baseline): main by default.
BASELINE = os.environ.get("BODYMAP_BENCH_BASELINE", "main")


def git(*args: str, check: bool = True) -> str:
    """git in this tree: its output, or "" when it fails and `check` is off."""
    done = subprocess.run(
        ["git", *args], cwd=ROOT, capture_output=True, text=True, timeout=120, check=False
    )
    if check and done.returncode != 0:
        raise BenchError(f"git {' '.join(args)}: {done.stderr.strip()}")
    return done.stdout.strip() if done.returncode == 0 else ""


@contextlib.contextmanager
def baseline_tree(ref: str, folder: Path):
    """(a detached checkout of `ref` with this tree's node_modules, its short commit), or None
    when `ref` is this tree's commit or unknown: there is nothing to compare with."""
    here = git("rev-parse", "HEAD")
    there = git("rev-parse", ref, check=False)
    if not there or there == here:
        say(f"no baseline: {ref} is this commit or unknown")
        yield None
        return
    tree = folder / "baseline"
    git("worktree", "add", "--detach", str(tree), there)
    try:
        modules = ROOT / "node_modules"
        if modules.exists():
            (tree / "node_modules").symlink_to(modules)
        yield tree, there[:10]
    finally:
        git("worktree", "remove", "--force", str(tree), check=False)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def gunicorn_command(port: int, spec: str) -> list[str]:
    """The documented production command: two sync workers (one per core), one thread each."""
    return [
        str(VENV_BIN / "gunicorn"),
        "--workers",
        "2",
        "--threads",
        "1",
        "--bind",
        f"{HOST}:{port}",
        spec,
    ]


def fetch(url: str, headers: dict[str, str] | None = None, timeout: float = 10):
    """(status, headers, raw body bytes as sent: not decompressed)."""
    request = urllib.request.Request(url, headers=headers or {})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


class Server:
    """A server subprocess in its own process group, logging to a file."""

    def __init__(
        self,
        name: str,
        command: list[str],
        *,
        port: int,
        log: Path,
        cwd: Path = ROOT,
        env: dict[str, str] | None = None,
        ready_path: str = "/",
    ):
        self.name, self.command, self.port, self.log = name, command, port, log
        self.cwd, self.env, self.ready_path = cwd, env, ready_path
        self.proc: subprocess.Popen | None = None

    @property
    def base(self) -> str:
        return f"http://{HOST}:{self.port}"

    def start(self) -> Server:
        with open(self.log, "ab") as log:
            self.proc = subprocess.Popen(
                self.command,
                cwd=self.cwd,
                env={**os.environ, **(self.env or {})},
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        self._wait_ready()
        return self

    def _wait_ready(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise BenchError(
                    f"{self.name} exited with {self.proc.returncode}:\n{self.log_tail()}"
                )
            try:
                status, _, _ = fetch(self.base + self.ready_path, timeout=2)
                if status == 200:
                    return
            except OSError:
                pass
            time.sleep(0.2)
        raise BenchError(f"{self.name}: no answer within {START_TIMEOUT} s:\n{self.log_tail()}")

    def log_tail(self, chars: int = 2000) -> str:
        try:
            return self.log.read_text(errors="replace")[-chars:]
        except OSError:
            return ""

    def stop(self) -> None:
        proc, self.proc = self.proc, None
        if proc is None or proc.poll() is not None:
            return
        proc.terminate()
        try:
            proc.wait(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            # Workers share the group: end the whole group, not only the master.
            with contextlib.suppress(ProcessLookupError):
                os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()

    def __enter__(self) -> Server:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()


def app_server(log: Path, regions: str | None = None) -> Server:
    """The app under the production command; content from --regions or $BODYMAP_REGIONS."""
    port = free_port()
    env = {"BODYMAP_REGIONS": regions} if regions else None
    return Server(
        "app (gunicorn)",
        gunicorn_command(port, "app:app"),
        port=port,
        log=log,
        env=env,
        ready_path="/healthz",
    )


_VIEW_OF_HIDDEN_PLACE = """id => {
  const a = document.querySelector(`svg a.region[data-region="${id}"]`);
  if (!a || a.checkVisibility()) return '';
  const view = a.closest('figure.view');
  return view ? (view.classList.contains('view-back') ? 'back' : 'front') : '';
}"""


def show_view(page, view: str) -> None:
    """On the phone figure, choose the view with the Front/Back switch, as a patient would.
    A desktop, or a tree without the switch (an older baseline), shows every view."""
    label = page.locator(f'label[for="view-{view}"]')
    if label.count() and label.is_visible():
        label.click()


def turn_to_place(page, region_id: str) -> None:
    """On the phone figure, turn to the view that holds the place (if it is hidden)."""
    view = page.evaluate(_VIEW_OF_HIDDEN_PLACE, region_id)
    if view:
        show_view(page, view)


def say(*args, **kwargs) -> None:
    """Progress lines go to stderr, so stdout holds only the results."""
    print(*args, file=sys.stderr, flush=True, **kwargs)


def run_and_report(measure, report, *args) -> int:
    """A benchmark's command line: measure, print the report, or one error line (exit 2)."""
    try:
        result = measure(*args)
    except BenchError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    print(report(result))
    return 0
