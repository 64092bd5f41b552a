"""Holds the content being served, reloads it when regions.yaml changes, keeps the last good copy.

Every process (the dev server, each gunicorn worker) looks at the file's stat at most
every CHECK_INTERVAL seconds, on the back of a request. A changed file is read only once
nothing has written to it for the settle time (an upload may still be under way), then
validated and swapped in whole; a request never sleeps waiting for it. An invalid file
never replaces good content: it becomes the pending error, logged once, until it is fixed.

Every valid version is also kept on disk, in the last-good folder shared by every worker
and kept across restarts. A worker that finds the file invalid serves that copy if it is
newer than its own version (another worker saw an edit this one missed), and a start-up on
a broken file starts on it instead of refusing to start.
"""

from __future__ import annotations

import contextlib
import datetime
import hashlib
import logging
import os
import tempfile
import threading
import time
from dataclasses import dataclass

from . import settings
from .content import Content, build_content
from .loader import MAX_FILE_BYTES, fault_problem, load_bytes, read_content_file
from .problems import ContentError, Problem

CHECK_INTERVAL = 0.25  # seconds between looks at the file, per process
START_TRIES = 3  # reads at start-up while the file keeps changing under the reader

log = logging.getLogger("bodymap")

Signature = tuple[int, int, int, int]


def _now() -> datetime.datetime:
    return datetime.datetime.now(datetime.UTC)


@dataclass(frozen=True)
class Live:
    """The content being served and when it was loaded: swapped together, read together."""

    content: Content
    loaded_at: datetime.datetime
    # When this version was saved to the content file (its ctime, in ns): how versions that
    # different workers loaded are put in order. The kept copy carries it as its mtime.
    saved_ns: int = 0


@dataclass(frozen=True)
class PendingError:
    """An edit of the file that cannot be served, and why."""

    problems: tuple[Problem, ...]
    since: datetime.datetime
    digest: str


def _signature(stat: os.stat_result) -> Signature:
    return (stat.st_mtime_ns, stat.st_size, stat.st_ino, stat.st_ctime_ns)


def _digest(raw: bytes) -> str:
    return hashlib.sha256(raw).hexdigest()[:12]


def last_good_path(content_path: str, folder: str) -> str:
    """Where the last good copy of a content file is kept: named for the file and its place.

    regions.yaml becomes regions.last-good-<8 hex digits>.yaml; the digits come from the
    file's absolute path, so two maps sharing a folder never take each other's copy.
    """
    where = hashlib.sha256(os.path.abspath(content_path).encode()).hexdigest()[:8]
    stem, suffix = os.path.splitext(os.path.basename(content_path))
    return os.path.join(folder, f"{stem}.last-good-{where}{suffix}")


class ContentStore:
    """The live content of one regions.yaml file.

    Raises ContentError if the file is invalid at start-up and no last good copy is kept.
    """

    def __init__(
        self,
        path: str,
        max_bytes: int = MAX_FILE_BYTES,
        settle: float = settings.defaults()["SETTLE_SECONDS"],
        last_good_dir: str | None = None,
    ):
        self.path = path
        self.name = os.path.basename(path)
        self.max_bytes = max_bytes
        self.settle = settle
        self.last_good = last_good_path(path, last_good_dir) if last_good_dir else None
        self.pending: PendingError | None = None
        self._signature: Signature | None = None
        self._candidate: tuple[Signature | None, float] = (None, 0.0)
        self._copy_seen = 0
        self._cannot_keep = False
        self._start()
        self._next_check = time.monotonic() + CHECK_INTERVAL
        self._lock = threading.Lock()

    def _start(self) -> None:
        digest = "unreadable"
        try:
            raw, stat = self._read_at_start()
            self._signature, digest = _signature(stat), _digest(raw)
            self.live = Live(self._build(raw), _now(), stat.st_ctime_ns)
        except ContentError as error:
            copy = self._copy()
            if copy is None:
                raise
            self.live = copy
            if self._signature is None and (stat := self._stat_or_none()) is not None:
                self._signature = _signature(stat)  # not a file: not looked at again unchanged
            self.pending = PendingError(tuple(error.problems), _now(), digest)
            log.error(
                "%s: error: the file cannot be served; starting on the last good copy %s"
                " (version %s), until the file is fixed:\n%s",
                self.path,
                self.last_good,
                copy.content.version,
                "\n".join(str(p) for p in error.problems),
            )
            return
        self._keep(raw, self.live.saved_ns)

    def _read_at_start(self) -> tuple[bytes, os.stat_result]:
        """The file's bytes, read again (a few times at most) while it changes under the reader."""
        for _ in range(START_TRIES):
            before = self._stat_or_none()
            raw, after = read_content_file(self.path, self.max_bytes)
            if before is not None and _signature(before) == _signature(after):
                break
        return raw, after

    def _stat_or_none(self) -> os.stat_result | None:
        try:
            return os.stat(self.path)
        except OSError:
            return None

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
            self._look()
        except Exception as error:  # a fault in bodymap: patients keep the map all the same
            log.error("%s: unexpected error while looking at the file", self.path, exc_info=True)
            self._refuse((fault_problem(1, 1, "the file", error, self.path),), f"fault:{error!r}")

    def _look(self) -> None:
        try:
            stat = os.stat(self.path)
        except OSError as error:
            reason = error.strerror or str(error)
            self._refuse(
                (Problem(0, 0, f"cannot read the file: {reason}", "", self.path),),
                f"unreadable:{reason}",
            )
            return
        signature = _signature(stat)
        if signature == self._signature:
            if self.pending:
                self._take_newer_copy()
            return
        if not self._settled(signature, stat):
            return
        try:
            raw, after = read_content_file(self.path, self.max_bytes)
        except ContentError as error:  # not a regular file, too big, no permission
            self._signature = signature
            self._refuse(tuple(error.problems), f"unreadable:{signature}")
            return
        if _signature(after) != signature:
            return  # written to while being read: look again next time
        self._signature = signature
        digest = _digest(raw)
        if digest == self.live.content.version:
            self.pending = None
            return
        if self.pending and self.pending.digest == digest:
            return
        try:
            content = self._build(raw)
        except ContentError as error:
            self._refuse(tuple(error.problems), digest)
            return
        self.live = Live(content, _now(), after.st_ctime_ns)
        self.pending = None
        log.info("%s: loaded version %s", self.path, content.version)
        self._keep(raw, after.st_ctime_ns)

    def _settled(self, signature: Signature, stat: os.stat_result) -> bool:
        """Nothing has written to the file for the settle time (an upload may be under way)."""
        if time.time_ns() - stat.st_mtime_ns >= self.settle * 1e9:
            return True
        # Also when this process has seen it unchanged that long: a file share's clock may
        # put the modification time in the future.
        seen, since = self._candidate
        if seen != signature:
            self._candidate = (signature, time.monotonic())
            return False
        return time.monotonic() - since >= self.settle

    def _build(self, raw: bytes, name: str | None = None) -> Content:
        """Validated content from the bytes; ContentError for any failure, faults included."""
        name = name or self.path
        try:
            return build_content(load_bytes(raw, name, self.max_bytes))
        except ContentError:
            raise
        except Exception as error:
            log.error("%s: unexpected error while loading it", name, exc_info=True)
            raise ContentError([fault_problem(1, 1, "the file", error, name)]) from None

    def _refuse(self, problems: tuple[Problem, ...], digest: str) -> None:
        """Keep serving the last good content (the newest any worker kept); report once."""
        self._take_newer_copy()
        if self.pending and self.pending.digest == digest:
            return
        self.pending = PendingError(problems, _now(), digest)
        log.error(
            "%s: not reloaded, still serving version %s:\n%s",
            self.path,
            self.live.content.version,
            "\n".join(str(p) for p in problems),
        )

    def _copy(self) -> Live | None:
        """The kept last good copy as live content, or None when there is none to use."""
        if not self.last_good or not os.path.exists(self.last_good):
            return None
        try:
            raw, stat = read_content_file(self.last_good, self.max_bytes)
            content = self._build(raw, self.last_good)
        except ContentError as error:
            log.error("%s: the last good copy cannot be used:\n%s", self.last_good, error)
            return None
        return Live(content, _now(), stat.st_mtime_ns)

    def _take_newer_copy(self) -> None:
        """Serve the kept copy if another worker kept a newer version than this one serves."""
        if not self.last_good:
            return
        try:
            stamp = os.stat(self.last_good).st_mtime_ns
        except OSError:
            return
        if stamp <= self.live.saved_ns or stamp == self._copy_seen:
            return
        self._copy_seen = stamp
        copy = self._copy()
        if copy is not None and copy.content.version != self.live.content.version:
            self.live = copy
            log.warning(
                "%s: serving version %s, the last good version another worker loaded",
                self.path,
                copy.content.version,
            )

    def _keep(self, raw: bytes, saved_ns: int) -> None:
        """Keep these valid bytes as the last good copy, atomically, unless a newer one is kept.

        Written to a temporary file in the same folder, flushed to disk, then renamed over
        the copy: a reader (another worker, a restart after a power cut) sees the old copy
        or the new one, never part of one.
        """
        if not self.last_good:
            return
        try:
            with contextlib.suppress(FileNotFoundError):
                if os.stat(self.last_good).st_mtime_ns >= saved_ns:
                    return  # this version, or a newer one, is already kept
            folder = os.path.dirname(self.last_good)
            os.makedirs(folder, exist_ok=True)
            descriptor, temporary = tempfile.mkstemp(dir=folder, prefix=".", suffix=".tmp")
            try:
                with os.fdopen(descriptor, "wb") as file:
                    file.write(raw)
                    file.flush()
                    os.fsync(file.fileno())
                os.utime(temporary, ns=(saved_ns, saved_ns))
                os.replace(temporary, self.last_good)
            except BaseException:
                with contextlib.suppress(OSError):
                    os.remove(temporary)
                raise
            folder_descriptor = os.open(folder, os.O_RDONLY)
            try:
                os.fsync(folder_descriptor)  # the rename itself survives a power cut
            finally:
                os.close(folder_descriptor)
            self._copy_seen = saved_ns
        except OSError as error:
            if not self._cannot_keep:
                self._cannot_keep = True
                log.warning(
                    "%s: cannot keep the last good copy (%s): workers may serve different"
                    " versions after an invalid edit, and a restart with a broken file will"
                    " not start; set BODYMAP_LAST_GOOD_DIR to a folder the map can write to",
                    self.last_good,
                    error.strerror or error,
                )
