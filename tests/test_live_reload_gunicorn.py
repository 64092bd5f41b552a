"""Live reload under gunicorn with 2 workers while requests keep coming.

Edits regions.yaml in place three times (valid, invalid, valid) and shows that every
worker serves each valid edit within 1 s, that the invalid edit is never served, and that
no request fails. Bounded: about 6 s of traffic from 4 client threads, then it stops.
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
import urllib.request
from dataclasses import dataclass

from .conftest import SMALL
from .test_serving import Gunicorn

PHASE = 1.5  # seconds between edits
WITHIN = 1.0  # the promise: new content on every worker within this
CLIENTS = 4


@dataclass(frozen=True)
class Reply:
    sent: float
    status: int
    version: str | None
    process: int | None
    pending: bool


def version_of(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()[:12]


def ask(url: str, started: float) -> Reply:
    sent = time.monotonic() - started
    try:
        with urllib.request.urlopen(url, timeout=5) as reply:
            data = json.load(reply)
            return Reply(
                sent, reply.status, data["version"], data["process"], bool(data["pending_error"])
            )
    except OSError:
        return Reply(sent, 0, None, None, False)


def test_every_worker_serves_each_valid_edit_within_a_second(tmp_path):
    content = tmp_path / "regions.yaml"
    first = SMALL.read_text()
    second = first.replace("name: Test Clinic", "name: Second Clinic")
    broken = second.replace("view: front", "view: frnt")
    third = second.replace("name: Second Clinic", "name: Third Clinic")
    content.write_text(first)
    replies: list[Reply] = []
    stop = threading.Event()
    with Gunicorn(content, workers=2) as server:
        url = f"{server.url}/healthz"
        started = time.monotonic()

        def client():
            while not stop.is_set() and time.monotonic() - started < 4 * PHASE + 5:
                replies.append(ask(url, started))

        threads = [threading.Thread(target=client) for _ in range(CLIENTS)]
        for thread in threads:
            thread.start()
        edits = []
        try:
            for text in (second, broken, third):
                time.sleep(PHASE)
                content.write_text(text)  # in place, as an editor saves
                edits.append(time.monotonic() - started)
            time.sleep(PHASE)
        finally:
            stop.set()
            for thread in threads:
                thread.join(timeout=10)
    log = server.log

    assert len(replies) > 100
    assert [r for r in replies if r.status != 200] == [], "failed requests"
    assert version_of(broken) not in {r.version for r in replies}

    def settled(start: float, end: float) -> list[Reply]:
        return [r for r in replies if start + WITHIN <= r.sent < end]

    after_second = settled(edits[0], edits[1])
    during_broken = settled(edits[1], edits[2])
    after_third = settled(edits[2], float("inf"))
    for window, expected in ((after_second, second), (during_broken, second), (after_third, third)):
        assert window and {r.version for r in window} == {version_of(expected)}
        assert len({r.process for r in window}) == 2, "both workers answered"
    assert all(r.pending for r in during_broken)
    assert not any(r.pending for r in after_third)
    # each worker reports the broken edit once, with its line
    assert log.count("not reloaded") == 2 and ":41:11: error: region 'belly', view" in log
