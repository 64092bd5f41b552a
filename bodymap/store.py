"""Holds the content being served, reloads it when regions.yaml changes, keeps the last good copy.

The content is two files: regions.yaml and its figure file (figures/adult.yaml), watched
and kept together. Every process (the dev server, each gunicorn worker) looks at their stat
at most every CHECK_INTERVAL seconds, on the back of a request. A changed file is read only
once nothing has written to either for the settle time (an upload may still be under way),
then both are validated and swapped in whole; a request never sleeps waiting for it. An
invalid pair never replaces good content: it becomes the pending error, logged once, until
it is fixed.

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
from .loader import (
    FIGURE_VARIANT,
    MAX_FILE_BYTES,
    content_version,
    fault_problem,
    figure_path,
    load_bytes,
    read_content_file,
    read_figure_file,
)
from .problems import ContentError, Problem

CHECK_INTERVAL = 0.25  # seconds between looks at the file, per process
START_TRIES = 3  # reads at start-up while the file keeps changing under the reader

log = logging.getLogger("bodymap")

Signature = tuple[tuple[int, int, int, int], ...]  # of the content file and of its figure file


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


def _signature(*stats: os.stat_result) -> Signature:
    return tuple((s.st_mtime_ns, s.st_size, s.st_ino, s.st_ctime_ns) for s in stats)


@dataclass(frozen=True)
class _Files:
    """The bytes of the content file and its figure file, read together."""

    raw: bytes
    figure: bytes
    signature: Signature  # both files' stat after reading
    saved_ns: int  # when the newer of the two was saved (its ctime)

    @property
    def digest(self) -> str:
        return content_version(self.raw, self.figure)


def last_good_path(content_path: str, folder: str) -> str:
    """Where the last good copy of a content file is kept: named for the file and its place.

    regions.yaml becomes regions.last-good-<8 hex digits>.yaml; the digits come from the
    file's absolute path, so two maps sharing a folder never take each other's copy.
    """
    where = hashlib.sha256(os.path.abspath(content_path).encode()).hexdigest()[:8]
    stem, suffix = os.path.splitext(os.path.basename(content_path))
    return os.path.join(folder, f"{stem}.last-good-{where}{suffix}")


def kept_figure_path(last_good: str) -> str:
    """Where the figure of a last good copy is kept: beside it, named for the figure."""
    stem, suffix = os.path.splitext(last_good)
    return f"{stem}.figure-{FIGURE_VARIANT}{suffix}"


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
        figures_dir: str = "",
    ):
        self.path = path
        self.name = os.path.basename(path)
        self.figures_dir = figures_dir
        self.figure_path = figure_path(path, figures_dir)
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
            files = self._read_at_start()
            self._signature, digest = files.signature, files.digest
            self.live = Live(self._build(files), _now(), files.saved_ns)
        except ContentError as error:
            copy = self._copy()
            if copy is None:
                raise
            self.live = copy
            if self._signature is None and (stats := self._stats_or_none()) is not None:
                self._signature = _signature(*stats)  # not a file: not looked at again unchanged
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
        self._keep(files)

    def _read_at_start(self) -> _Files:
        """Both files, read again (a few times at most) while they change under the reader."""
        for _ in range(START_TRIES):
            before = self._stats_or_none()
            files = self._read()
            if before is not None and _signature(*before) == files.signature:
                break
        return files

    def _read(self) -> _Files:
        """The content file and its figure file; ContentError if either cannot be read."""
        raw, stat = read_content_file(self.path, self.max_bytes)
        figure, _, figure_stat = read_figure_file(self.path, self.max_bytes, self.figures_dir)
        saved = max(stat.st_ctime_ns, figure_stat.st_ctime_ns)
        return _Files(raw, figure, _signature(stat, figure_stat), saved)

    def _stats_or_none(self) -> tuple[os.stat_result, os.stat_result] | None:
        try:
            return os.stat(self.path), os.stat(self.figure_path)
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
        stats = []
        for path in (self.path, self.figure_path):
            try:
                stats.append(os.stat(path))
            except OSError as error:
                reason = error.strerror or str(error)
                self._refuse(
                    (Problem(0, 0, f"cannot read the file: {reason}", "", path),),
                    f"unreadable:{path}:{reason}",
                )
                return
        signature = _signature(*stats)
        if signature == self._signature:
            if self.pending:
                self._take_newer_copy()
            return
        if not self._settled(signature, max(s.st_mtime_ns for s in stats)):
            return
        try:
            files = self._read()
        except ContentError as error:  # not a regular file, too big, no permission
            self._signature = signature
            self._refuse(tuple(error.problems), f"unreadable:{signature}")
            return
        if files.signature != signature:
            return  # written to while being read: look again next time
        self._signature = signature
        digest = files.digest
        if digest == self.live.content.version:
            self.pending = None
            return
        if self.pending and self.pending.digest == digest:
            return
        try:
            content = self._build(files)
        except ContentError as error:
            self._refuse(tuple(error.problems), digest)
            return
        self.live = Live(content, _now(), files.saved_ns)
        self.pending = None
        log.info("%s: loaded version %s", self.path, content.version)
        self._keep(files)

    def _settled(self, signature: Signature, mtime_ns: int) -> bool:
        """Nothing has written to the files for the settle time (an upload may be under way)."""
        if time.time_ns() - mtime_ns >= self.settle * 1e9:
            return True
        # Also when this process has seen it unchanged that long: a file share's clock may
        # put the modification time in the future.
        seen, since = self._candidate
        if seen != signature:
            self._candidate = (signature, time.monotonic())
            return False
        return time.monotonic() - since >= self.settle

    def _build(self, files: _Files, name: str | None = None, figure_name: str = "") -> Content:
        """Validated content from the bytes; ContentError for any failure, faults included."""
        name = name or self.path
        figure_name = figure_name or self.figure_path
        try:
            loaded = load_bytes(
                files.raw, name, self.max_bytes, figure=files.figure, figure_name=figure_name
            )
            return build_content(loaded)
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
        """The kept last good copy as live content, or None when there is none to use.

        Both kept files carry the time their version was saved: a copy whose two files
        differ in it is half written by another worker, and not used.
        """
        if not self.last_good or not os.path.exists(self.last_good):
            return None
        kept_figure = kept_figure_path(self.last_good)
        try:
            raw, stat = read_content_file(self.last_good, self.max_bytes)
            figure, figure_stat = read_content_file(kept_figure, self.max_bytes)
            if stat.st_mtime_ns != figure_stat.st_mtime_ns:
                log.warning("%s: the last good copy is being written: not used now", kept_figure)
                return None
            files = _Files(raw, figure, (), stat.st_mtime_ns)
            content = self._build(files, self.last_good, kept_figure)
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

    def _keep(self, files: _Files) -> None:
        """Keep these valid files as the last good copy, atomically, unless a newer one is kept.

        Each is written to a temporary file in the same folder, flushed to disk, then renamed
        over its copy, the figure first: a reader (another worker, a restart after a power
        cut) sees the old copy or the new one of each file, never part of one, and tells a
        pair from two versions by their times (see _copy).
        """
        if not self.last_good:
            return
        saved_ns = files.saved_ns
        try:
            with contextlib.suppress(FileNotFoundError):
                if os.stat(self.last_good).st_mtime_ns >= saved_ns:
                    return  # this version, or a newer one, is already kept
            folder = os.path.dirname(self.last_good)
            os.makedirs(folder, exist_ok=True)
            _write_kept(kept_figure_path(self.last_good), files.figure, saved_ns)
            _write_kept(self.last_good, files.raw, saved_ns)
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


def _write_kept(path: str, data: bytes, saved_ns: int) -> None:
    """Write a kept file atomically (temporary file, fsync, rename), dated `saved_ns`."""
    descriptor, temporary = tempfile.mkstemp(dir=os.path.dirname(path), prefix=".", suffix=".tmp")
    try:
        with os.fdopen(descriptor, "wb") as file:
            file.write(data)
            file.flush()
            os.fsync(file.fileno())
        os.utime(temporary, ns=(saved_ns, saved_ns))
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.remove(temporary)
        raise
