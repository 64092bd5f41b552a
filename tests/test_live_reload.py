"""Live reload: edits are served without a restart; a bad edit never is."""

from __future__ import annotations

import logging
import threading
import time

import pytest

from bodymap import store as store_module
from bodymap.store import ContentStore


@pytest.fixture(autouse=True)
def look_every_time(monkeypatch):
    """Look at the file on every request, so the tests need not wait for the interval."""
    monkeypatch.setattr(store_module, "CHECK_INTERVAL", 0.0)


def rewrite(path, old: str, new: str) -> None:
    """Edit the file in place, as an editor does, and make it old enough to be read."""
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))
    time.sleep(store_module.SETTLE)


def test_a_valid_edit_is_served_on_the_next_request(client, small_file):
    assert "Test Clinic" in client.get("/").get_data(as_text=True)
    rewrite(small_file, "name: Test Clinic", "name: Renamed Clinic")
    page = client.get("/").get_data(as_text=True)
    assert "Renamed Clinic" in page and "Test Clinic" not in page
    assert client.get("/healthz").get_json()["pending_error"] is None


def test_an_invalid_edit_is_never_served_and_is_reported_once(client, small_file, caplog):
    version = client.get("/healthz").get_json()["version"]
    rewrite(small_file, "view: front", "view: frnt")
    with caplog.at_level(logging.ERROR, logger="bodymap"):
        for _ in range(5):
            assert client.get("/regions/belly").status_code == 200
        health = client.get("/healthz").get_json()
    assert health["version"] == version
    assert health["pending_error"]["problems"] == [
        f"{small_file}:41:11: error: region 'belly', view: must be 'front' or 'back'"
        " — did you mean 'front'?"
    ]
    reports = [r for r in caplog.records if "not reloaded" in r.getMessage()]
    assert len(reports) == 1
    assert "view: must be 'front' or 'back'" in reports[0].getMessage()

    rewrite(small_file, "view: frnt", "view: front\n    synonyms: [tummy]")
    health = client.get("/healthz").get_json()
    assert health["pending_error"] is None and health["version"] != version


def test_a_missing_file_keeps_the_last_good_content(client, small_file):
    small_file.unlink()
    response = client.get("/regions/belly")
    assert response.status_code == 200
    problems = client.get("/healthz").get_json()["pending_error"]["problems"]
    assert "cannot read the file" in problems[0]


def test_a_file_being_written_is_never_read_half_way(small_file, caplog):
    store = ContentStore(str(small_file))
    old = store.current.version
    text = small_file.read_text()
    new_text = text.replace("name: Test Clinic", "name: Slowly Written Clinic")
    seen, stop = set(), threading.Event()

    def keep_reading():
        while not stop.is_set():
            seen.add(store.current.version)

    reader = threading.Thread(target=keep_reading)
    with caplog.at_level(logging.ERROR, logger="bodymap"):
        reader.start()
        try:
            with small_file.open("w") as file:  # in place, in pieces, like a slow editor
                for start in range(0, len(new_text), 400):
                    file.write(new_text[start : start + 400])
                    file.flush()
                    time.sleep(store_module.SETTLE / 4)
            time.sleep(store_module.SETTLE * 2)
            final = store.current.version
        finally:
            stop.set()
            reader.join(timeout=10)
    assert final != old and seen <= {old, final}  # never a third, half-written version
    assert store.pending is None
    assert not [r for r in caplog.records if "not reloaded" in r.getMessage()]
