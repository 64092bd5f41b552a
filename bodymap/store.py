"""Holds the content being served and reloads it when regions.yaml changes on disk.

Every process (the dev server, each gunicorn worker) looks at the file's stat at most
every CHECK_INTERVAL seconds, on the back of a request. A changed file is read only once
it has stopped changing (an editor may still be writing it), validated, and swapped in
whole. An invalid file never replaces good content: it becomes the pending error,
logged once, until the file is fixed.
"""

from __future__ import annotations

import datetime
import hashlib
import logging
import os
import threading
import time
from dataclasses import dataclass

from .content import Content, build_content
from .loader import MAX_FILE_BYTES, UnreadableFile, load_bytes
from .problems import ContentError, Problem

CHECK_INTERVAL = 0.25  # seconds between looks at the file, per process
SETTLE = 0.1  # a file modified more recently than this may still be being written
MAX_SETTLE_TRIES = 5

log = logging.getLogger("bodymap")


def _now() -> datetime.datetime:
    return datetime.datetime.now(datetime.UTC)


@dataclass(frozen=True)
class Live:
    """The content being served and when it was loaded: swapped together, read together."""

    content: Content
    loaded_at: datetime.datetime


@dataclass(frozen=True)
class PendingError:
    """An edit of the file that cannot be served, and why."""

    problems: tuple[Problem, ...]
    since: datetime.datetime
    digest: str


def _signature(path: str) -> tuple[int, int, int]:
    stat = os.stat(path)
    return (stat.st_mtime_ns, stat.st_size, stat.st_ino)


def _read_settled(path: str) -> tuple[bytes, tuple[int, int, int]]:
    """The file's bytes once it has stopped changing (bounded wait), with its signature."""
    for _ in range(MAX_SETTLE_TRIES):
        before = _signature(path)
        age = time.time() - before[0] / 1e9
        if age < SETTLE:
            time.sleep(SETTLE - age)
            continue
        with open(path, "rb") as file:
            raw = file.read()
        if _signature(path) == before:
            return raw, before
    with open(path, "rb") as file:
        return file.read(), _signature(path)


class ContentStore:
    """The live content of one regions.yaml file (raises ContentError if it starts invalid)."""

    def __init__(self, path: str, max_bytes: int = MAX_FILE_BYTES):
        self.path = path
        self.max_bytes = max_bytes
        try:
            raw, self._signature = _read_settled(path)
        except OSError as error:
            raise UnreadableFile(path, error.strerror or str(error)) from None
        self.live = Live(build_content(load_bytes(raw, path, max_bytes)), _now())
        self.pending: PendingError | None = None
        self._next_check = time.monotonic() + CHECK_INTERVAL
        self._lock = threading.Lock()

    @property
    def current(self) -> Content:
        return self.snapshot().content

    def snapshot(self) -> Live:
        """The live content, after a look at the file if it is time for one."""
        if time.monotonic() >= self._next_check and self._lock.acquire(blocking=False):
            try:
                self._next_check = time.monotonic() + CHECK_INTERVAL
                self.refresh()
            finally:
                self._lock.release()
        return self.live

    def refresh(self) -> None:
        """Reload the file if it changed; keep the current content if the change is invalid."""
        try:
            if _signature(self.path) == self._signature:
                return
            raw, signature = _read_settled(self.path)
        except OSError as error:
            self._refuse(
                (Problem(0, 0, f"cannot read the file: {error.strerror}", "", self.path),),
                f"unreadable:{error.strerror}",
            )
            return
        self._signature = signature
        digest = hashlib.sha256(raw).hexdigest()[:12]
        if digest == self.live.content.version:
            self.pending = None
            return
        if self.pending and self.pending.digest == digest:
            return
        try:
            loaded = load_bytes(raw, self.path, self.max_bytes)
        except ContentError as error:
            self._refuse(tuple(error.problems), digest)
            return
        self.live = Live(build_content(loaded), _now())
        self.pending = None
        log.info("%s: loaded version %s", self.path, loaded.version)

    def _refuse(self, problems: tuple[Problem, ...], digest: str) -> None:
        """Keep serving the last good content; report the new problems once."""
        if self.pending and self.pending.digest == digest:
            return
        self.pending = PendingError(problems, _now(), digest)
        log.error(
            "%s: not reloaded, still serving version %s:\n%s",
            self.path,
            self.live.content.version,
            "\n".join(str(p) for p in problems),
        )
