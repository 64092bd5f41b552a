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


def test_gunicorn_serves_app_py_with_the_configured_content():
    port = free_port()
    env = {**os.environ, "BODYMAP_REGIONS": str(SMALL)}
    server = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "gunicorn",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "1",
            "app:app",
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    try:
        health = wait_for(f"http://127.0.0.1:{port}/healthz", server)
        assert health["ok"] is True and health["regions"] == 3
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/regions/belly", timeout=5) as reply:
            assert "Belly &lt;b&gt;button&lt;/b&gt;" in reply.read().decode()
    finally:
        server.terminate()
        server.wait(timeout=10)
        server.stderr.close()
