"""Reading regions.yaml, for `bodymap check` and the running map alike: only a regular file,
never more than the size limit (plus one byte), and never waiting on something that is not a file.
"""

from __future__ import annotations

import os
import threading
import tracemalloc

import pytest

from bodymap.loader import MAX_FILE_BYTES, load_file
from bodymap.problems import ContentError

from .conftest import SMALL


def bounded(function, *args, unblock=None, seconds: float = 10):
    """`function(*args)` in a thread; fails the test if it is still waiting after `seconds`."""
    outcome: dict = {}

    def run():
        try:
            outcome["value"] = function(*args)
        except BaseException as error:  # handed to the test below
            outcome["error"] = error

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(seconds)
    if thread.is_alive():
        if unblock:
            unblock()
            thread.join(seconds)
        pytest.fail(f"{function.__name__} was still waiting after {seconds} s")
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


def release(fifo):
    """Let a reader blocked opening `fifo` go on (it then reads an empty file)."""
    return lambda: os.close(os.open(fifo, os.O_WRONLY | os.O_NONBLOCK))


def test_check_refuses_a_fifo_at_once(runner, tmp_path):
    fifo = tmp_path / "regions.yaml"
    os.mkfifo(fifo)
    code, _, err = bounded(runner, "check", str(fifo), unblock=release(fifo))
    assert code == 2
    assert "cannot read the file: it is not a regular file (a named pipe)" in err


def test_a_folder_is_refused_as_not_a_file(runner, tmp_path):
    code, _, err = runner("check", str(tmp_path))
    assert code == 2 and "it is not a regular file (a folder)" in err


def test_a_huge_file_is_refused_without_being_read_whole(tmp_path):
    huge = tmp_path / "regions.yaml"
    with huge.open("wb") as file:
        file.truncate(400 * 1024 * 1024)  # sparse: no disk used
    tracemalloc.start()
    try:
        with pytest.raises(ContentError) as caught:
            load_file(huge)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert "the file is 419,430,400 bytes, larger than the limit of 524,288 bytes" in str(
        caught.value
    )
    assert peak < 2 * MAX_FILE_BYTES


def test_a_file_is_read_up_to_the_limit():
    """A limit exactly at the file's size still loads it."""
    size = SMALL.stat().st_size
    assert load_file(SMALL, max_bytes=size).version
    with pytest.raises(ContentError, match=f"larger than the limit of {size - 1:,} bytes"):
        load_file(SMALL, max_bytes=size - 1)
