"""Live reload under gunicorn with 2 workers: what every worker serves after each edit.

The first test edits regions.yaml in place three times (valid, invalid, valid) while
requests keep coming, and shows that every worker serves each valid edit within 1 s (with
a settle time of 0.3 s: the default is for slow uploads), that the invalid edit is never served,
and that no request fails. Bounded: about 6 s of traffic from 4 client threads. The others
show that the workers share one last good version, across a restart too. Loopback only.
"""

from __future__ import annotations

import json
import threading
import time
import urllib.request
from dataclasses import dataclass

from bodymap.loader import content_version

from .conftest import SETTLE, SMALL, SMALL_FIGURE, copy_content
from .test_serving import Gunicorn, wait_for

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
    """The version of the content `text` with the small figure beside it."""
    return content_version(text.encode(), SMALL_FIGURE.read_bytes())


def text_of(url: str) -> str:
    with urllib.request.urlopen(url, timeout=5) as reply:
        return reply.read().decode()


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
    content = copy_content(tmp_path / "regions.yaml")
    first = SMALL.read_text()
    second = first.replace("name: Test Clinic", "name: Second Clinic")
    broken = second.replace("view: front", "view: frnt")
    third = second.replace("name: Second Clinic", "name: Third Clinic")
    content.write_text(first)
    replies: list[Reply] = []
    stop = threading.Event()
    # A settle time well above a stall of this process between truncating and writing.
    with Gunicorn(content, workers=2, BODYMAP_SETTLE_SECONDS="0.3") as server:
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
    assert log.count("not reloaded") == 2 and ":32:11: error: region 'belly', view" in log


def together(function, urls: list[str]) -> list:
    """`function(url)` for every url, at the same time: a busy worker leaves one to the other."""
    results: list = [None] * len(urls)

    def run(number: int) -> None:
        results[number] = function(urls[number])

    threads = [threading.Thread(target=run, args=(n,)) for n in range(len(urls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=10)
    return results


def health_of(url: str) -> dict:
    with urllib.request.urlopen(url, timeout=5) as reply:
        return json.load(reply)


def both_workers_answer(url: str, rounds: int = 100) -> set[int]:
    """The workers' pids once both have answered /healthz (bounded)."""
    pids: set[int] = set()
    for _ in range(rounds):
        pids |= {reply["process"] for reply in together(health_of, [f"{url}/healthz"] * 4)}
        if len(pids) == 2:
            return pids
    raise AssertionError(f"only {pids} answered in {rounds} rounds")


def test_after_an_invalid_edit_every_worker_serves_the_last_valid_edit(tmp_path):
    content = copy_content(tmp_path / "regions.yaml")
    first = SMALL.read_text()
    valid = first.replace("name: Test Clinic", "name: Second Clinic")
    broken = valid.replace("view: front", "view: frnt")
    content.write_text(first)
    kept = str(tmp_path / "kept")
    with Gunicorn(content, workers=2, BODYMAP_LAST_GOOD_DIR=kept) as server:
        both_workers_answer(server.url)  # both started on the first version
        content.write_text(valid)
        time.sleep(SETTLE + 0.5)
        for _ in range(20):  # one at a time until a worker serves it: usually the first ask
            served = health_of(f"{server.url}/healthz")
            if served["version"] == version_of(valid):
                break
            time.sleep(0.1)
        else:
            raise AssertionError("no worker served the valid edit")
        content.write_text(broken)
        time.sleep(SETTLE + 0.5)
        pages = [p for _ in range(10) for p in together(text_of, [f"{server.url}/"] * 3)]
        answers = [a for _ in range(5) for a in together(health_of, [f"{server.url}/healthz"] * 4)]
    old = [text for text in pages if "Second Clinic" not in text]
    assert not old, f"{len(old)} of 30 pages showed the version before the valid edit"
    assert {a["version"] for a in answers} == {version_of(valid)}
    assert len({a["process"] for a in answers}) == 2, "both workers answered"
    assert all(a["pending_error"] for a in answers)


def test_a_restart_with_a_broken_file_starts_on_the_last_good_copy(tmp_path):
    content = copy_content(tmp_path / "regions.yaml")
    good = SMALL.read_text().replace("name: Test Clinic", "name: Good Clinic")
    content.write_text(good)
    kept = str(tmp_path / "kept")
    with Gunicorn(content, workers=1, BODYMAP_LAST_GOOD_DIR=kept) as server:
        assert "Good Clinic" in text_of(f"{server.url}/")
    content.write_text(good.replace("view: front", "view: frnt"))
    with Gunicorn(content, workers=2, BODYMAP_LAST_GOOD_DIR=kept) as server:
        pages = [text_of(f"{server.url}/") for _ in range(6)]
        health = wait_for(f"{server.url}/healthz", server.process)
    assert all("Good Clinic" in text for text in pages)
    assert health["ok"] is True and health["version"] == version_of(good)
    assert ":32:11: error: region 'belly', view" in health["pending_error"]["problems"][0]
    assert "error: the file cannot be served" in server.log
    assert "starting on the last good copy" in server.log
