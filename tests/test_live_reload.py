"""Live reload: edits are served without a restart; a bad edit never is."""

from __future__ import annotations

import json
import logging
import os
import threading
import time
from pathlib import Path

import pytest

from bodymap import create_app
from bodymap import store as store_module
from bodymap.problems import ContentError
from bodymap.store import ContentStore

from .conftest import SETTLE, SMALL
from .conftest import testing_app as app_on

BROKEN = ("view: front", "view: frnt")  # region 'belly', line 32, column 11


@pytest.fixture(autouse=True)
def look_every_time(monkeypatch):
    """Look at the file on every request, so the tests need not wait for the interval."""
    monkeypatch.setattr(store_module, "CHECK_INTERVAL", 0.0)


def rewrite(path, old: str, new: str) -> None:
    """Edit the file in place, as an editor does, and make it old enough to be read."""
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))
    time.sleep(SETTLE * 1.5)


def page(client, url: str = "/") -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def health(client) -> dict:
    return client.get("/healthz").get_json()


def kept_copies(folder) -> dict[str, bytes]:
    """The files in a last-good folder, by name."""
    return {p.name: p.read_bytes() for p in folder.iterdir()} if folder.exists() else {}


def test_a_valid_edit_is_served_on_the_next_request(client, small_file):
    assert "Test Clinic" in page(client)
    rewrite(small_file, "name: Test Clinic", "name: Renamed Clinic")
    text = page(client)
    assert "Renamed Clinic" in text and "Test Clinic" not in text
    assert health(client)["pending_error"] is None


def test_an_invalid_edit_is_never_served_and_is_reported_once(client, small_file, caplog):
    version = health(client)["version"]
    rewrite(small_file, *BROKEN)
    with caplog.at_level(logging.ERROR, logger="bodymap"):
        for _ in range(5):
            assert client.get("/regions/belly").status_code == 200
        reply = health(client)
    assert reply["ok"] is True and reply["version"] == version
    assert reply["pending_error"]["problems"] == [
        "regions.yaml:32:11: error: region 'belly', view: must be 'front' or 'back'"
        " — did you mean 'front'?"
    ]
    reports = [r for r in caplog.records if "not reloaded" in r.getMessage()]
    assert len(reports) == 1
    assert "view: must be 'front' or 'back'" in reports[0].getMessage()

    rewrite(small_file, "view: frnt", "view: front\n    synonyms: [tummy]")
    reply = health(client)
    assert reply["pending_error"] is None and reply["version"] != version


def test_healthz_names_the_content_file_without_its_folder(client, small_file):
    assert health(client)["content_file"] == "regions.yaml"
    rewrite(small_file, *BROKEN)
    text = client.get("/healthz").get_data(as_text=True)
    assert "regions.yaml:32:11" in text
    assert str(small_file.parent) not in text and str(small_file.parent) not in json.loads(text)


def test_a_missing_file_keeps_the_last_good_content(client, small_file):
    small_file.unlink()
    response = client.get("/regions/belly")
    assert response.status_code == 200
    problems = health(client)["pending_error"]["problems"]
    assert "cannot read the file" in problems[0]


@pytest.mark.parametrize("step", ["load_bytes", "build_content"])
def test_anything_raised_while_reloading_keeps_the_map_up_and_is_reported(
    client, small_file, monkeypatch, caplog, step
):
    """A fault in bodymap itself (not a mistake it knows how to explain) is no 500 either."""
    assert "Test Clinic" in page(client)

    def fault(*args, **kwargs):
        raise KeyError("max_length")

    monkeypatch.setattr(store_module, step, fault)
    rewrite(small_file, "name: Test Clinic", "name: Renamed Clinic")
    with caplog.at_level(logging.ERROR, logger="bodymap"):
        for url in ("/", "/regions/belly", "/", "/fragments/regions/belly.html"):
            assert "Test Clinic" in page(client, url)
        reply = health(client)
    assert reply["ok"] is True
    (problem,) = reply["pending_error"]["problems"]
    assert problem.startswith(
        "regions.yaml:1:1: error: the file could not be checked (bodymap failed: KeyError)"
    )
    assert "tell whoever looks after the map" in problem  # the hint says what to do
    assert len([r for r in caplog.records if "not reloaded" in r.getMessage()]) == 1

    monkeypatch.undo()
    monkeypatch.setattr(store_module, "CHECK_INTERVAL", 0.0)
    rewrite(small_file, "name: Renamed Clinic", "name: Fixed Clinic")
    assert "Fixed Clinic" in page(client) and health(client)["pending_error"] is None


def test_every_valid_version_is_kept_on_disk_named_for_the_content_file(small_file, tmp_path):
    kept = tmp_path / "kept"  # created when first needed
    client = create_app(small_file, LAST_GOOD_DIR=str(kept), TESTING=True).test_client()
    assert "Test Clinic" in page(client)
    figure = (small_file.parent / "figures" / "adult.yaml").read_bytes()
    (figure_name, saved_figure), (name, saved) = sorted(kept_copies(kept).items())
    assert name.startswith("regions.last-good-") and name.endswith(".yaml")
    assert figure_name == name.replace(".yaml", ".figure-adult.yaml")
    assert (saved, saved_figure) == (small_file.read_bytes(), figure)

    rewrite(small_file, "name: Test Clinic", "name: Renamed Clinic")
    assert "Renamed Clinic" in page(client)
    good = small_file.read_bytes()
    # Replaced, no temporary file left behind.
    assert kept_copies(kept) == {name: good, figure_name: figure}

    rewrite(small_file, *BROKEN)
    assert "Renamed Clinic" in page(client)
    assert kept_copies(kept) == {name: good, figure_name: figure}


def test_the_last_good_copy_goes_to_the_instance_folder_by_default(small_file):
    app = create_app(small_file, LAST_GOOD_DIR="")
    kept = app.extensions["bodymap"].last_good
    try:
        assert os.path.dirname(kept) == app.instance_path
        assert Path(kept).read_bytes() == small_file.read_bytes()
    finally:
        os.remove(kept)


def test_a_worker_that_missed_a_valid_edit_serves_it_once_the_file_breaks(small_file):
    """Two apps on one file and one last-good folder stand for two gunicorn workers."""
    first, second = app_on(small_file).test_client(), app_on(small_file).test_client()
    rewrite(small_file, "name: Test Clinic", "name: Renamed Clinic")
    assert "Renamed Clinic" in page(first)  # the second worker gets no request meanwhile
    rewrite(small_file, *BROKEN)
    for worker in (second, first, second):
        text = page(worker)
        assert "Renamed Clinic" in text and "Test Clinic" not in text
        assert "region 'belly', view" in health(worker)["pending_error"]["problems"][0]


def test_a_broken_file_at_start_up_starts_on_the_last_good_copy(small_file, caplog):
    app_on(small_file)  # a worker that served this version kept it
    small_file.write_text(small_file.read_text().replace(*BROKEN))
    with caplog.at_level(logging.ERROR, logger="bodymap"):
        client = app_on(small_file).test_client()
    assert "Belly &lt;b&gt;button&lt;/b&gt;" in page(client, "/regions/belly")
    reply = health(client)
    assert reply["ok"] is True
    assert reply["pending_error"]["problems"][0].startswith("regions.yaml:32:11: error: region")
    (report,) = [r for r in caplog.records if "last good copy" in r.getMessage()]
    assert report.levelno == logging.ERROR and "region 'belly', view" in report.getMessage()


def test_a_broken_file_with_no_kept_copy_still_refuses_to_start(small_file, tmp_path):
    small_file.write_text(small_file.read_text().replace(*BROKEN))
    with pytest.raises(ContentError, match="region 'belly', view"):
        create_app(small_file, LAST_GOOD_DIR=str(tmp_path / "nothing-kept"))


def test_a_fifo_in_place_of_the_file_blocks_nothing_and_the_restored_file_is_served(
    client, small_file
):
    good = small_file.read_text()
    small_file.unlink()
    os.mkfifo(small_file)
    replies: list = []
    worker = threading.Thread(target=lambda: replies.append(client.get("/regions/belly")))
    worker.start()
    worker.join(timeout=10)
    if worker.is_alive():  # blocked opening the FIFO: let it go, then fail
        os.close(os.open(small_file, os.O_WRONLY | os.O_NONBLOCK))
        worker.join(timeout=10)
        pytest.fail("a request hung on a FIFO in place of the content file")
    assert replies[0].status_code == 200 and "Belly" in replies[0].get_data(as_text=True)
    time.sleep(SETTLE * 1.5)  # the FIFO is new: it is looked at once it has settled
    assert "not a regular file" in health(client)["pending_error"]["problems"][0]

    small_file.unlink()
    small_file.write_text(good.replace("name: Test Clinic", "name: Restored Clinic"))
    time.sleep(SETTLE * 1.5)
    assert "Restored Clinic" in page(client)
    assert health(client)["pending_error"] is None


def test_a_slow_upload_is_not_served_until_it_has_settled(small_file):
    """An upload that pauses after a part that is valid on its own: the part is never served."""
    settle = 2.0
    client = create_app(small_file, SETTLE_SECONDS=settle, TESTING=True).test_client()
    url = "/regions/lower-back-right"
    assert "<li>Fever with back pain.</li>" in page(client, url)  # drawn once before the upload
    old = small_file.read_text()
    assert old.endswith("text: Fever with back pain.\n")
    new = old.replace("Fever with back pain.", "Fever with back pain, or pain in the chest.")
    part = new[: new.index(", or pain in the chest")]  # valid YAML and valid content
    texts = []
    with small_file.open("w") as upload:
        upload.write(part)
        upload.flush()
        paused = time.monotonic()
        for _ in range(20):  # requests keep coming while the upload pauses, for half the settle
            if time.monotonic() - paused > settle / 2:
                break
            time.sleep(settle / 20)
            texts.append(page(client, url))
            assert health(client)["pending_error"] is None
        upload.write(new[len(part) :])
    time.sleep(settle * 1.3)
    assert texts and all("<li>Fever with back pain.</li>" in t for t in texts)
    assert "<li>Fever with back pain, or pain in the chest.</li>" in page(client, url)


def test_a_file_being_written_is_never_read_half_way(small_file, caplog):
    store = ContentStore(str(small_file), settle=SETTLE)
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
                    time.sleep(SETTLE / 4)
            time.sleep(SETTLE * 3)
        finally:
            stop.set()
            reader.join(timeout=10)
        final = store.current.version  # the reader may have been loading it a moment ago
    assert final != old and seen <= {old, final}  # never a third, half-written version
    assert store.pending is None
    assert not [r for r in caplog.records if "not reloaded" in r.getMessage()]


def test_the_kept_copy_is_checked_like_the_file(small_file, tmp_path):
    """A damaged kept copy is never served: start-up refuses as if there were none."""
    kept = tmp_path / "kept"
    create_app(small_file, LAST_GOOD_DIR=str(kept))
    _figure, copy = sorted(kept_copies(kept))
    (kept / copy).write_text(SMALL.read_text().replace(*BROKEN))
    small_file.write_text("clinic: [")
    with pytest.raises(ContentError, match=r"regions\.yaml:1:\d+: error: .*looks cut off"):
        create_app(small_file, LAST_GOOD_DIR=str(kept))


def test_the_figure_file_is_watched_too_and_a_broken_one_is_never_served(client, small_file):
    figure = small_file.parent / "figures" / "adult.yaml"
    version = health(client)["version"]
    rewrite(figure, '"M50 10h40v180h-40z"', '"M55 10h35v180h-35z"')
    assert 'd="M55 10h35v180h-35z"' in page(client)
    assert health(client)["version"] != version

    rewrite(figure, '"M55 10h35v180h-35z"', '"M55 10 Q 3"')
    assert 'd="M55 10h35v180h-35z"' in page(client)  # the last good figure, still served
    (problem,) = health(client)["pending_error"]["problems"]
    assert problem.startswith("adult.yaml:") and "is not SVG path data" in problem


def test_a_broken_figure_file_at_start_up_starts_on_the_kept_copy_with_its_figure(small_file):
    app_on(small_file)  # a worker that served this version kept it, with its figure
    figure = small_file.parent / "figures" / "adult.yaml"
    figure.write_text(figure.read_text().replace("  shapes:\n    belly", "  shapes:\n    tummy"))
    client = app_on(small_file).test_client()
    assert 'data-region="belly"' in page(client)
    (problem,) = health(client)["pending_error"]["problems"]
    assert problem.startswith("regions.yaml:") and "region 'belly' has no shape" in problem
