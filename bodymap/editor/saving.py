"""Reading the file for the editor, and saving a change: checked, shown, backed up, atomic.

A save is refused (and the file not touched) when `bodymap check` would find an error
in the new bytes. Otherwise the old file is copied to a dated backup, the new bytes go
to a temporary file in the same folder and replace the file in one step (os.replace),
so the running map never reads half a file and reloads the new one by itself.
"""

from __future__ import annotations

import datetime
import difflib
import fcntl
import hashlib
import logging
import os
import re
import tempfile
import threading
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from ..content import Content, build_content
from ..lint import Report, inspect_bytes
from ..problems import ContentError
from ..yamlsource import read_source
from .yamltext import CannotWrite, patch_text

MAX_BACKUPS = 200  # the oldest go once there are more
BACKUP_NAME = re.compile(r"^[\w.-]+-\d{8}-\d{6}-\d{6}\.yaml$")
log = logging.getLogger("bodymap.editor")
_lock = threading.Lock()


@dataclass
class Document:
    """The file as it is on disk now: bytes, text, data and (when valid) its content."""

    path: str
    raw: bytes
    report: Report
    text: str = ""
    data: dict | None = None
    content: Content | None = None
    figures_dir: str = ""  # where its figure file is ("": figures/ beside it)

    @property
    def digest(self) -> str:
        return hashlib.sha256(self.raw).hexdigest()[:12]


_cache: dict[str, tuple[bytes, Document]] = {}


def open_document(path: str, max_bytes: int, figures_dir: str = "") -> Document:
    """Read and check the file with its figure (kept while its bytes are the same)."""
    raw = Path(path).read_bytes()
    cached = _cache.get(path)
    if cached and cached[0] == raw and cached[1].figures_dir == figures_dir:
        return cached[1]
    report = inspect_bytes(raw, path, max_bytes, figures_dir)
    document = Document(path, raw, report, figures_dir=figures_dir)
    if report.loaded is not None:
        document.text = raw.decode("utf-8-sig")
        document.data = read_source(document.text).data
        document.content = build_content(report.loaded)
    else:
        document.text = raw.decode("utf-8", errors="replace")
    _cache.clear()  # one file, one version: no growth
    _cache[path] = (raw, document)
    return document


@dataclass(frozen=True)
class DiffLine:
    kind: str  # "add", "remove", "hunk", "same"
    text: str


def diff(old: str, new: str, name: str) -> list[DiffLine]:
    lines = difflib.unified_diff(
        old.splitlines(), new.splitlines(), f"{name} (before)", f"{name} (after)", n=2, lineterm=""
    )
    kinds = {"+": "add", "-": "remove", "@": "hunk", " ": "same"}
    return [DiffLine(kinds.get(line[:1], "same"), line) for line in list(lines)[2:]]


@dataclass
class Outcome:
    """What a save did, or why it did not."""

    saved: bool
    text: str = ""
    report: Report | None = None
    changes: list[DiffLine] = field(default_factory=list)
    backup: str = ""
    refusal: str = ""  # why nothing was written, in the user's words


def backups_folder(path: str) -> Path:
    target = Path(path)
    return target.parent / f"{target.stem}-backups"


@contextmanager
def _file_lock(folder: Path):
    """One save at a time, in this process and across processes (gunicorn workers)."""
    with _lock, open(folder / ".lock", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def save(
    document: Document,
    *,
    what: str,
    who: str,
    max_bytes: int,
    data: dict | None = None,
    text: str | None = None,
    dry_run: bool = False,
) -> Outcome:
    """Write new data (or a whole new text) if it passes the checks; never half a file."""
    if text is None:
        try:
            text = patch_text(document.text, document.data, data)
        except (CannotWrite, ContentError) as error:
            return Outcome(
                False, refusal=f"the editor could not write this change safely ({error})"
            )
    raw = text.encode("utf-8")
    report = inspect_bytes(raw, document.path, max_bytes, document.figures_dir)
    outcome = Outcome(False, text, report, diff(document.text, text, Path(document.path).name))
    if report.errors:
        outcome.refusal = "fix the problems below and save again"
        return outcome
    if raw == document.raw:
        outcome.refusal = "nothing changed"
        return outcome
    if dry_run:
        return outcome
    folder = backups_folder(document.path)
    folder.mkdir(exist_ok=True)
    with _file_lock(folder):
        if Path(document.path).read_bytes() != document.raw:
            outcome.refusal = (
                "the file was changed by someone else since this page was opened: your change"
                " was not saved. Open the page again and redo it."
            )
            return outcome
        backup = _backup(document, folder)
        _write_atomically(document.path, raw)
    outcome.saved, outcome.backup = True, backup.name
    _log(document.path, folder, what, who, outcome)
    return outcome


def _backup(document: Document, folder: Path) -> Path:
    now = datetime.datetime.now()
    name = f"{Path(document.path).stem}-{now:%Y%m%d-%H%M%S-%f}.yaml"
    backup = folder / name
    backup.write_bytes(document.raw)
    old = sorted(p for p in folder.iterdir() if BACKUP_NAME.match(p.name))
    for extra in old[: max(0, len(old) - MAX_BACKUPS)]:
        extra.unlink(missing_ok=True)
    return backup


def _write_atomically(path: str, raw: bytes) -> None:
    """A temporary file in the same folder, flushed to disk, then renamed over the file."""
    target = Path(path)
    mode = target.stat().st_mode & 0o777
    handle, temporary = tempfile.mkstemp(
        dir=target.parent, prefix=f".{target.name}.", suffix=".tmp"
    )
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(raw)
            file.flush()
            os.fsync(file.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _log(path: str, folder: Path, what: str, who: str, outcome: Outcome) -> None:
    added = sum(1 for line in outcome.changes if line.kind == "add")
    removed = sum(1 for line in outcome.changes if line.kind == "remove")
    when = datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds")
    line = (
        f"{when} {Path(path).name}: {what} (+{added} -{removed} lines) by {who};"
        f" backup {outcome.backup}"
    )
    log.info("%s", line)
    with open(folder / "changes.log", "a", encoding="utf-8") as changes:
        changes.write(line + "\n")


def backup_text(path: str, name: str) -> str | None:
    """The text of one backup of this file, by its name (None if no such backup)."""
    if not BACKUP_NAME.match(name):
        return None
    backup = backups_folder(path) / name
    try:
        return backup.read_bytes().decode("utf-8-sig", errors="replace")
    except OSError:
        return None
