"""Load and validate regions.yaml: YAML → typed models, every problem with line and column.

Knows nothing of Flask. `load_file` either returns a valid `RegionsFile` with its
version, or raises `ContentError` listing every problem found, in file order.
"""

from __future__ import annotations

import dataclasses
import datetime
import gc
import hashlib
import os
import typing
from dataclasses import dataclass, field
from pathlib import Path as FilePath

from pydantic import BaseModel, ValidationError

from .models import RegionsFile
from .problems import ContentError, Problem, did_you_mean
from .references import SECTION_NAMES, reference_problems
from .yamlsource import MAX_EVENTS, Path, Source, read_source

# The sample regions.yaml is about 100 KB; the MAX_BYTES setting (BODYMAP_MAX_BYTES) overrides it.
MAX_FILE_BYTES = 512 * 1024
MAX_BYTES_VARIABLE = "BODYMAP_MAX_BYTES"
# A hostile or wrong file can make tens of thousands of problems; list the first ones only.
MAX_SCHEMA_PROBLEMS = 200


_HINTS = {
    "missing": "add it on its own line, indented like the other keys here",
    "string_pattern_mismatch": (
        "use lowercase letters, digits and single hyphens, e.g. 'lower-back-left'"
    ),
    "string_too_long": "shorten the text",
    "string_too_short": "write a text here",
    "list_type": "write a list: one '- item' per line, or [first, second]",
    "model_type": "this should be a section of 'key: value' lines",
    "model_attributes_type": "this should be a section of 'key: value' lines",
    "dict_type": "this should be a section of 'key: value' lines",
    "literal_error": "use one of the words listed",
    "too_short": "add at least one item",
    "bool_type": "write true or false",
    "float_type": "write a number",
    "float_parsing": "write a number",
    "invisible_character": "retype the text; it was probably copied from a web page or e-mail",
    "control_character": "retype the text; it was probably copied from a web page or e-mail",
}


_MESSAGES = {
    "string_type": "must be a text",
    "string_too_long": "is longer than {max_length} characters",
    "string_pattern_mismatch": "is not a valid id",
    "list_type": "must be a list",
    "bool_type": "must be true or false",
}


@dataclass(frozen=True)
class LoadedFile:
    """A valid content file: the models, where it came from and a version for caching."""

    regions_file: RegionsFile
    path: str
    version: str
    source: Source = field(repr=False, compare=False, default=None)


def load_file(path: str | os.PathLike, max_bytes: int = MAX_FILE_BYTES) -> LoadedFile:
    """Read and validate a regions.yaml file, raising ContentError with every problem."""
    name = str(path)
    try:
        raw = FilePath(path).read_bytes()
    except OSError as error:
        raise UnreadableFile(name, error.strerror or str(error)) from None
    return load_bytes(raw, name, max_bytes)


def load_bytes(
    raw: bytes, name: str = "regions.yaml", max_bytes: int = MAX_FILE_BYTES
) -> LoadedFile:
    """Validate the bytes of a regions.yaml file (see load_file)."""
    return _without_gc(_load_bytes, raw, name, max_bytes)


def _load_bytes(raw: bytes, name: str, limit: int) -> LoadedFile:
    try:
        if len(raw) > limit:
            raise ContentError(
                [
                    Problem(
                        1,
                        1,
                        f"the file is {len(raw):,} bytes, larger than the limit of {limit:,} bytes",
                        "check that this is the right file; to allow bigger files, set"
                        f" {MAX_BYTES_VARIABLE} to a larger number of bytes (docs/deploy.md)",
                    )
                ]
            )
        try:
            # A byte order mark (as Windows Notepad may write) is accepted and ignored.
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            line = raw[: error.start].count(b"\n") + 1
            raise ContentError(
                [Problem(line, 1, "the file is not UTF-8 text", "save it as UTF-8")]
            ) from None
        source = read_source(text, max(MAX_EVENTS, limit // 10))
        if not isinstance(source.data, dict):
            raise ContentError(
                [
                    Problem(
                        *source.where(()),
                        "the file must be made of sections such as 'clinic:' and 'regions:'",
                        "start from the sample regions.yaml: its first section is 'clinic:'",
                    )
                ]
            )
        regions_file, problems = validate(source)
        problems += source.problems + reference_problems(source)
        if problems:
            raise ContentError(problems)
    except ContentError as error:
        raise ContentError([_named(p, name) for p in error.problems]) from None
    version = hashlib.sha256(raw).hexdigest()[:12]
    return LoadedFile(regions_file, name, version, source)


def _without_gc(function, *args):
    """Run a burst of allocation with the cyclic garbage collector paused.

    Reading and validating YAML makes hundreds of thousands of small objects and no
    cycles; collections triggered during the burst cost more than the work on large files.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        return function(*args)
    finally:
        if enabled:
            gc.enable()


class UnreadableFile(ContentError):
    """The file could not be read at all (missing, no permission)."""

    def __init__(self, name: str, reason: str):
        super().__init__([Problem(0, 0, f"cannot read the file: {reason}", "", name)])


def _named(problem: Problem, name: str) -> Problem:
    return dataclasses.replace(problem, file=name)


def validate(source: Source) -> tuple[RegionsFile | None, list[Problem]]:
    """The models built from the data, or every mismatch between them as problems."""
    try:
        return RegionsFile.model_validate(source.data), []
    except ValidationError as error:
        errors = error.errors(include_url=False)
        shown = errors[:MAX_SCHEMA_PROBLEMS]
        problems = [_schema_problem(source, e) for e in shown if not _misspelt(e, shown)]
        if len(errors) > len(shown):
            problems.append(
                Problem(
                    *source.where(tuple(errors[len(shown)]["loc"])),
                    f"{len(errors) - len(shown):,} more problems like these are not listed",
                    "fix the problems above and check the file again",
                )
            )
        return None, problems


def _misspelt(error, errors) -> bool:
    """A missing key that is there, misspelt: the unknown-key problem already says so."""
    if error["type"] != "missing":
        return False
    parent, name = tuple(error["loc"][:-1]), error["loc"][-1]
    return any(
        other["type"] == "extra_forbidden"
        and tuple(other["loc"][:-1]) == parent
        and did_you_mean(other["loc"][-1], [name])
        for other in errors
    )


def _schema_problem(source: Source, error) -> Problem:
    loc: Path = tuple(error["loc"])
    kind = error["type"]
    message = error["msg"].removeprefix("Value error, ").replace("Input should be", "must be")
    hint = _HINTS.get(kind, "")
    if kind == "extra_forbidden":
        line, column = source.where(loc, key=True)
        allowed = _allowed_keys(loc[:-1])
        hint = did_you_mean(loc[-1], allowed) or "remove it, or use one of: " + ", ".join(allowed)
        return Problem(line, column, f"{describe(source, loc[:-1])}: unknown key '{loc[-1]}'", hint)
    if kind == "missing":
        line, column = source.where(loc[:-1])
        if len(loc) == 1:
            return Problem(
                line,
                column,
                f"the section '{loc[0]}:' is missing",
                "copy it from the sample regions.yaml and fill it in",
            )
        return Problem(line, column, f"{describe(source, loc)} is missing", hint)
    line, column = source.where(loc)
    value = error.get("input")
    message = _MESSAGES.get(kind, message).format(**error.get("ctx", {}))
    if loc[-1] in ("shape", "outline"):
        hint = "shapes are drawn by tools/make_figure.py: run it again instead of editing by hand"
    elif loc[-1] in ("url", "booking_url", "site_url"):
        hint = "for example https://www.example.com/page, or /page on the clinic's own site"
    if kind.endswith("_type") or kind.endswith("_parsing"):
        hint = _type_hint(value, kind) or hint
    if kind == "literal_error":
        hint = (
            did_you_mean(
                value, error.get("ctx", {}).get("expected", "").replace("'", "").split(" or ")
            )
            or hint
        )
    return Problem(line, column, f"{describe(source, loc)}: {message}", hint)


def _type_hint(value, kind: str) -> str:
    if kind != "string_type":
        return ""
    if isinstance(value, bool):
        return "YAML reads yes/no/on/off as true/false: put the text in double quotes"
    if isinstance(value, int | float):
        return 'YAML read this as a number: put it in double quotes, e.g. "(609) 371-9100"'
    if isinstance(value, datetime.date):
        return "YAML read this as a date: put it in double quotes"
    if value is None:
        return "nothing is written here: write a text, or remove the line"
    if isinstance(value, list | dict):
        return "write one text here, not a list or a section"
    return ""


def describe(source: Source, loc: Path) -> str:
    """Name a place for a clinician: "region 'lower-back-left', label"."""
    if len(loc) >= 2 and loc[0] in SECTION_NAMES and isinstance(loc[1], int):
        item = source.data.get(loc[0])[loc[1]] if isinstance(source.data, dict) else None
        ident = item.get("id") if isinstance(item, dict) else None
        who = (
            f"{SECTION_NAMES[loc[0]]} '{ident}'"
            if isinstance(ident, str)
            else (f"{SECTION_NAMES[loc[0]]} number {loc[1] + 1}")
        )
        rest = [str(part) for part in loc[2:] if not isinstance(part, int)]
        return ", ".join([who, ".".join(rest)]) if rest else who
    return ".".join(str(part) for part in loc if not isinstance(part, int)) or "the file"


def _allowed_keys(loc: Path) -> list[str]:
    """The keys allowed at `loc`, found by walking the models."""
    model: object = RegionsFile
    for part in loc:
        if isinstance(part, int):
            continue
        if not (isinstance(model, type) and issubclass(model, BaseModel)):
            return []
        model = _item_model(model.model_fields[part].annotation)
    if isinstance(model, type) and issubclass(model, BaseModel):
        return list(model.model_fields)
    return []


def _item_model(annotation):
    """The model inside `list[X]`, `X | None` or `X`."""
    for arg in typing.get_args(annotation) or (annotation,):
        if isinstance(arg, type) and issubclass(arg, BaseModel):
            return arg
        inner = _item_model(arg) if typing.get_args(arg) else None
        if inner:
            return inner
    return annotation
