"""The WSGI entry point under a real server: `gunicorn app:app`, as a deployment runs it."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request

from .conftest import ROOT, SMALL


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for(url: str, server: subprocess.Popen, seconds: float = 20) -> dict:
    """The JSON at `url` once the server answers (bounded wait)."""
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as reply:
                return json.load(reply)
        except OSError:
            assert server.poll() is None, server.stderr.read().decode()
            assert time.monotonic() < deadline, f"no answer from {url} within {seconds} s"
            time.sleep(0.2)


class Gunicorn:
    """`gunicorn app:app` on a free loopback port, for one content file; stops on exit.

    Keyword arguments are more settings for it, such as BODYMAP_LAST_GOOD_DIR="…".
    """

    def __init__(self, content, workers: int, **settings: str):
        port = free_port()
        self.url = f"http://127.0.0.1:{port}"
        self.log = ""
        command = ["gunicorn", "--bind", f"127.0.0.1:{port}", "--workers", str(workers), "app:app"]
        self.process = subprocess.Popen(
            [sys.executable, "-m", *command],
            cwd=ROOT,
            env={**os.environ, "BODYMAP_REGIONS": str(content), **settings},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )

    def __enter__(self) -> Gunicorn:
        wait_for(f"{self.url}/healthz", self.process)
        return self

    def __exit__(self, *exc) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)
        self.log = self.process.stderr.read().decode()
        self.process.stderr.close()


def test_gunicorn_serves_app_py_with_the_configured_content():
    with Gunicorn(SMALL, workers=1) as server:
        with urllib.request.urlopen(f"{server.url}/healthz", timeout=5) as reply:
            health = json.load(reply)
        assert health["ok"] is True and health["regions"] == 3
        with urllib.request.urlopen(f"{server.url}/regions/belly", timeout=5) as reply:
            assert "Belly &lt;b&gt;button&lt;/b&gt;" in reply.read().decode()
