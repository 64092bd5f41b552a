"""Load and validate regions.yaml and its figure file: YAML → typed models, with line and column.

Knows nothing of Flask. `load_file` either returns a valid `RegionsFile` and `Figure` with
their version, or raises `ContentError` listing every problem found, in file order.
The figure file (figures/adult.yaml beside regions.yaml unless a folder is given) is
written by tools/make_figure.py; it is read and checked with the same machinery.
"""

from __future__ import annotations

import dataclasses
import datetime
import gc
import hashlib
import math
import os
import re
import stat
import typing
from dataclasses import dataclass, field

from pydantic import BaseModel, ValidationError

from .i18n import ENGLISH_NAMES
from .layout import BACKUP_HINT, Layout, cut_off, layout
from .models import SLUG_PATTERN, VIEWS, Figure, RegionsFile
from .pathdata import polygons
from .problems import ContentError, Problem, counted, did_you_mean
from .references import SECTION_NAMES, reference_problems
from .yamlsource import CURLY_QUOTES, MAX_EVENTS, Path, Source, read_source

# The sample regions.yaml is about 100 KB; the MAX_BYTES setting (BODYMAP_MAX_BYTES) overrides it.
MAX_FILE_BYTES = 512 * 1024
MAX_BYTES_VARIABLE = "BODYMAP_MAX_BYTES"
# A hostile or wrong file can make tens of thousands of problems; list the first ones only.
MAX_SCHEMA_PROBLEMS = 200


# The figure's variant and the folder of figure files beside the content file (by default).
FIGURE_VARIANT = "adult"
FIGURES_FOLDER = "figures"
SHAPE_HINT = "shapes are drawn by tools/make_figure.py: run it again instead of editing by hand"
FIGURE_HINT = (
    "this file is written by tools/make_figure.py, not by hand: ask whoever looks after the"
    " map to run it again (python tools/make_figure.py --write)"
)
MOVED_HINTS = {
    "shape": "shapes are kept in the figure file (figures/adult.yaml) now: remove this line",
    "figure": "the figure is kept in its own file (figures/adult.yaml) now: remove this section",
}
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


# Pydantic's wording replaced by a clinician's; {length} is the text's own length, {value} the
# value itself as the file has it.
_MESSAGES = {
    "string_type": "must be a text",
    "string_too_long": "is {length} characters long, longer than the limit of {max_length}",
    "string_too_short": "is empty",
    "string_pattern_mismatch": "'{value}' is not a valid id",
    "list_type": "must be a list",
    "bool_type": "must be true or false",
}


SAVE_AS_UTF8 = (
    "save it as UTF-8 text: in Notepad, File > Save As, Encoding: UTF-8, Save; in TextEdit,"
    " Format > Make Plain Text, then File > Save As (hold the Option key in the File menu),"
    " Plain Text Encoding: Unicode (UTF-8)"
)
PHONE_FIELDS = ("phone", "emergency_number", "crisis_line")
PHONE_HINT = (
    'write it in double quotes with digits, spaces and + ( ) - . only, e.g. "(609) 371-9100":'
    " no letters and no extension (ext. 2)"
)
CURLY_HINT = (
    "remove the curly quotes \u201c \u201d (Word and e-mail make them): write the value with no"
    ' quotes, or with straight quotes " "'
)

# For a fault in bodymap itself (a bug), reported like a mistake so that nothing else breaks.
FAULT_HINT = (
    "this is not a mistake in your file that bodymap can name: compare this part with the"
    " sample regions.yaml, and tell whoever looks after the map"
)


@dataclass(frozen=True)
class LoadedFile:
    """A valid content file and its figure: the models, where they came from, one version."""

    regions_file: RegionsFile
    path: str
    version: str
    source: Source = field(repr=False, compare=False, default=None)
    figure: Figure = field(repr=False, compare=False, default=None)
    figure_path: str = ""
    figure_source: Source = field(repr=False, compare=False, default=None)


def figure_path(content_path: str | os.PathLike, figures_dir: str | os.PathLike = "") -> str:
    """A content file's figure file: adult.yaml in `figures_dir`, else in figures/ beside it."""
    folder = str(figures_dir) or os.path.join(os.path.dirname(str(content_path)), FIGURES_FOLDER)
    return os.path.join(folder, f"{FIGURE_VARIANT}.yaml")


def content_version(raw: bytes, figure: bytes) -> str:
    """The version of a content file with its figure: changes when either file does."""
    digest = hashlib.sha256(raw)
    digest.update(hashlib.sha256(figure).digest())
    return digest.hexdigest()[:12]


def load_file(
    path: str | os.PathLike, max_bytes: int = MAX_FILE_BYTES, figures_dir: str | os.PathLike = ""
) -> LoadedFile:
    """Read and validate a regions.yaml file and its figure, raising ContentError if invalid."""
    raw, _ = read_content_file(path, max_bytes)
    figure, figure_name, _ = read_figure_file(path, max_bytes, figures_dir)
    return load_bytes(raw, str(path), max_bytes, figure=figure, figure_name=figure_name)


def read_figure_file(
    content_path: str | os.PathLike, max_bytes: int = MAX_FILE_BYTES, figures_dir=""
) -> tuple[bytes, str, os.stat_result]:
    """A content file's figure file: bytes, name, stat; UnreadableFile if it cannot be read."""
    name = figure_path(content_path, figures_dir)
    try:
        raw, stat = read_content_file(name, max_bytes)
    except UnreadableFile as error:
        raise UnreadableFile(name, error.reason, FIGURE_MISSING_HINT) from None
    return raw, name, stat


FIGURE_MISSING_HINT = (
    "the figure file is made by tools/make_figure.py and belongs in figures/ beside the content"
    " file (or in the folder BODYMAP_FIGURES names): put it back from the project or a backup"
)


_NOT_FILES = {
    stat.S_IFDIR: "a folder",
    stat.S_IFIFO: "a named pipe",
    stat.S_IFSOCK: "a socket",
    stat.S_IFCHR: "a device",
    stat.S_IFBLK: "a device",
}


def read_content_file(
    path: str | os.PathLike, max_bytes: int = MAX_FILE_BYTES
) -> tuple[bytes, os.stat_result]:
    """The bytes of a content file and its stat after reading; ContentError if it is no file.

    Never waits on something that is not a regular file (a named pipe would block a plain
    open() until a writer comes) and never reads more than max_bytes + 1 bytes, however big
    the file is or grows while it is read.
    """
    name = str(path)
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC)
    except (OSError, ValueError) as error:  # ValueError: a path with a NUL character
        raise UnreadableFile(name, getattr(error, "strerror", None) or str(error)) from None
    try:
        before = os.fstat(descriptor)
        if not stat.S_ISREG(before.st_mode):
            kind = _NOT_FILES.get(stat.S_IFMT(before.st_mode), "not a file")
            raise UnreadableFile(name, f"it is not a regular file ({kind})")
        if before.st_size > max_bytes:
            raise too_large(before.st_size, max_bytes, name)
        chunks, size = [], 0
        while size <= max_bytes and (chunk := os.read(descriptor, max_bytes + 1 - size)):
            chunks.append(chunk)
            size += len(chunk)
        after = os.fstat(descriptor)
    except OSError as error:
        raise UnreadableFile(name, error.strerror or str(error)) from None
    finally:
        os.close(descriptor)
    if size > max_bytes:
        raise too_large(max(after.st_size, size), max_bytes, name)
    return b"".join(chunks), after


def too_large(size: int, limit: int, name: str = "") -> ContentError:
    """The file is bigger than the MAX_BYTES setting allows."""
    return ContentError(
        [
            Problem(
                1,
                1,
                f"the file is {size:,} bytes, larger than the limit of {limit:,} bytes",
                "check that this is the right file; to allow bigger files, set"
                f" {MAX_BYTES_VARIABLE} to a larger number of bytes (docs/deploy.md)",
                name,
            )
        ]
    )


def load_bytes(
    raw: bytes,
    name: str = "regions.yaml",
    max_bytes: int = MAX_FILE_BYTES,
    *,
    figure: bytes,
    figure_name: str = "",
) -> LoadedFile:
    """Validate the bytes of a regions.yaml file and of its figure file (see load_file).

    Total: returns a LoadedFile or raises ContentError, whatever the bytes. A fault inside
    the checks themselves becomes a problem too, so that a save never takes the map down.
    """
    figure_name = figure_name or figure_path(name)
    try:
        return _without_gc(_load_both, raw, name, max_bytes, figure, figure_name)
    except ContentError:
        raise
    except Exception as error:
        raise ContentError([fault_problem(1, 1, "the file", error, name)]) from error


def fault_problem(line: int, column: int, what: str, error: Exception, name: str = "") -> Problem:
    """A problem for an unexpected failure while checking `what`."""
    return Problem(
        line,
        column,
        f"{what} could not be checked (bodymap failed: {type(error).__name__})",
        FAULT_HINT,
        name,
    )


def _load_both(raw: bytes, name: str, limit: int, figure: bytes, figure_name: str) -> LoadedFile:
    """Both files checked, each problem named for its file; then each region against its shape."""
    problems, loaded = [], None
    try:
        loaded = _load_bytes(raw, name, limit)
    except ContentError as error:
        problems += error.problems
    try:
        drawn, drawn_source = _load_figure(figure, figure_name, limit)
    except ContentError as error:
        problems += error.problems
    if problems:
        raise ContentError(problems)
    if mismatches := [_named(p, name) for p in _unshaped(loaded, drawn, figure_name)]:
        raise ContentError(mismatches)
    return dataclasses.replace(
        loaded,
        version=content_version(raw, figure),
        figure=drawn,
        figure_path=figure_name,
        figure_source=drawn_source,
    )


def _load_figure(raw: bytes, name: str, limit: int) -> tuple[Figure, Source]:
    """The figure file's model and source; ContentError naming the figure file, with its hint."""
    try:
        _, source = _read_yaml(raw, limit)
        if not isinstance(source.data, dict):
            raise ContentError(
                [Problem(*source.where(()), "the figure file must be made of sections", "")]
            )
        figure, problems = validate(source, model=Figure)
        if figure is not None:
            problems += shape_problems(source, figure)
        if problems:
            raise ContentError(problems)
    except ContentError as error:
        problems = [dataclasses.replace(p, hint=FIGURE_HINT) for p in error.problems]
        raise ContentError([_named(p, name) for p in problems]) from None
    return figure, source


def _unshaped(loaded: LoadedFile, figure: Figure, figure_name: str) -> list[Problem]:
    """Regions the figure does not draw, or draws on the other view, at the region."""
    source, problems = loaded.source, []
    shown = os.path.join(
        os.path.basename(os.path.dirname(figure_name)), os.path.basename(figure_name)
    )
    regions = loaded.regions_file.regions
    ids = {r.id for r in regions}
    spare = [rid for v in VIEWS for rid in getattr(figure, v).shapes if rid not in ids]
    for i, region in enumerate(regions):
        view = figure.view_of(region.id)
        if view is None:
            problems.append(
                Problem(
                    *source.where(("regions", i, "id")),
                    f"region '{region.id}' has no shape in the figure ({shown})",
                    did_you_mean(region.id, spare)
                    or "every region needs a shape, drawn by tools/make_figure.py: check the id"
                    " against docs/regions-table.md, or ask whoever looks after the map to draw"
                    " the new region",
                )
            )
        elif view != region.view:
            problems.append(
                Problem(
                    *source.where(("regions", i, "view")),
                    f"region '{region.id}', view: the figure ({shown}) draws it on the {view} view",
                    f"write view: {view}",
                )
            )
    return problems


def _read_yaml(raw: bytes, limit: int, explain=None) -> tuple[str, Source]:
    """Plain text YAML of at most `limit` bytes, read safely (ContentError otherwise).

    `explain(text)` may give a better problem than a syntax error (a file cut off).
    """
    if len(raw) > limit:
        raise too_large(len(raw), limit)
    if not_text := _not_plain_text(raw):
        raise ContentError([not_text])
    try:
        # A byte order mark (as Windows Notepad may write) is accepted and ignored.
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ContentError([_encoding_problem(raw, error)]) from None
    try:
        return text, read_source(text, max(MAX_EVENTS, limit // 10))
    except ContentError:
        if explain and (better := explain(text)):
            raise ContentError([better]) from None
        raise


def _load_bytes(raw: bytes, name: str, limit: int) -> LoadedFile:
    try:
        text, source = _read_yaml(raw, limit, cut_off)
        if not isinstance(source.data, dict):
            raise ContentError(
                [
                    Problem(
                        *source.where(()),
                        "the file must be made of sections such as 'clinic:' and 'regions:'",
                        "put the file back from your backup copy (or git), or start again from"
                        " the sample regions.yaml that comes with bodymap: its first section is"
                        " 'clinic:'",
                    )
                ]
            )
        found = layout(source)
        regions_file, problems = validate(source, found)
        problems += found.problems + source.problems + reference_problems(source, found)
        if problems:
            raise ContentError([cut] if (cut := cut_off(text)) else problems)
    except ContentError as error:
        raise ContentError([_named(p, name) for p in error.problems]) from None
    version = hashlib.sha256(raw).hexdigest()[:12]
    return LoadedFile(regions_file, name, version, source)


def _not_plain_text(raw: bytes) -> Problem | None:
    """A Word document, a rich-text file or UTF-16 text: not a file any check could read."""
    if raw.startswith(b"PK\x03\x04"):
        if b"word/" in raw:
            what = "a Word document (.docx)"
        elif b"content.xml" in raw:
            what = "a word-processor document (.odt)"
        else:
            what = "a zip archive"
        return Problem(
            1,
            1,
            f"this is {what}, not a plain text file",
            "in Word, use File > Save As, type 'Plain Text (*.txt)', encoding 'Unicode (UTF-8)',"
            " and name it regions.yaml; next time, edit the file in Notepad (Windows) or"
            " TextEdit (Mac), not in Word",
        )
    if raw.lstrip()[:5] == b"{\\rtf":
        return Problem(
            1,
            1,
            "this is a rich-text (RTF) file, as WordPad and TextEdit save by default, not a plain"
            " text file",
            "in TextEdit, Format > Make Plain Text, then save as Unicode (UTF-8); on Windows,"
            " make the change again in Notepad, which saves plain text",
        )
    if raw[:2] in (b"\xff\xfe", b"\xfe\xff") or raw[:200].count(b"\x00") > len(raw[:200]) // 4:
        message = "the file is saved as UTF-16 ('Unicode' in Notepad), not UTF-8"
        return Problem(1, 1, message, SAVE_AS_UTF8)
    return None


def _encoding_problem(raw: bytes, error: UnicodeDecodeError) -> Problem:
    """The first character saved in another encoding (Windows-1252 or Latin-1), named."""
    start = raw.rfind(b"\n", 0, error.start) + 1
    line = raw[: error.start].count(b"\n") + 1
    column = len(raw[start : error.start].decode("utf-8", "replace")) + 1
    character = raw[error.start : error.start + 1].decode("cp1252", "replace")
    named = f" ('{character}')" if character.isprintable() and character != "\ufffd" else ""
    return Problem(
        line,
        column,
        f"the file is not UTF-8 text: the character here{named} was saved in another encoding"
        " (probably Windows-1252 or Latin-1)",
        SAVE_AS_UTF8,
    )


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

    def __init__(self, name: str, reason: str, hint: str = ""):
        self.reason = reason
        super().__init__([Problem(0, 0, f"cannot read the file: {reason}", hint, name)])


def _named(problem: Problem, name: str) -> Problem:
    return dataclasses.replace(
        problem, file=name, message=printable(problem.message), hint=printable(problem.hint)
    )


def printable(text: str) -> str:
    """Text from the file as a message shows it: control characters as codes, on one line.

    Keys, ids and values are quoted in messages; a colour code or line break among them
    would recolour the terminal or split the message.
    """
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() else f"\\u{ord(c):04x}" for c in text)


def validate(source: Source, found: Layout | None = None, model: type[BaseModel] = RegionsFile):
    """The models built from the data, or None and every mismatch between them as problems.

    Mismatches that a layout problem in `found` explains are left out.
    """
    try:
        return model.model_validate(source.data), []
    except ValidationError as error:
        errors = error.errors(include_url=False)
        if found is not None:
            errors = [e for e in errors if not found.explains(tuple(e.get("loc", ())))]
        shown = errors[:MAX_SCHEMA_PROBLEMS]
        problems = [_checked_problem(source, e, model) for e in shown if not _misspelt(e, shown)]
        if len(errors) > len(shown):
            problems.append(
                Problem(
                    *source.where(tuple(errors[len(shown)]["loc"])),
                    f"{counted(len(errors) - len(shown), 'more problem', 'more problems')} like"
                    f" these {'is' if len(errors) - len(shown) == 1 else 'are'} not listed",
                    "fix the problems above and check the file again",
                )
            )
        return None, problems


def shape_problems(source: Source, figure: Figure) -> list[Problem]:
    """Region shapes that are path data but draw nothing, or reach far outside the figure.

    Either would break working out the regions' boxes (and a shape thousands of units
    away would take minutes to scan); neither can be tapped by a patient.
    """
    problems = []
    for view in VIEWS:
        for region_id, shape in getattr(figure, view).shapes.items():
            path = (view, "shapes", region_id)
            try:
                message = _shape_mistake(shape, figure.width, figure.height)
            except Exception as error:
                problems.append(fault_problem(*source.where(path), describe(source, path), error))
                continue
            if message:
                problems.append(
                    Problem(*source.where(path), f"{describe(source, path)}: {message}", SHAPE_HINT)
                )
    return problems


def _shape_mistake(shape: str, width: float, height: float) -> str:
    outlines = polygons(shape)
    points = [point for outline in outlines for point in outline]
    if not all(math.isfinite(x) and math.isfinite(y) for x, y in points):
        return "a number in it is too large: it goes far outside the figure"
    # One figure's size of room on every side: generated shapes stay inside the figure.
    if any(not (-width <= x <= 2 * width and -height <= y <= 2 * height) for x, y in points):
        return (
            f"it goes far outside the figure, which is {width:g} units wide and "
            f"{height:g} units high"
        )
    if not any(_extent(outline, 0) >= 1 and _extent(outline, 1) >= 1 for outline in outlines):
        return "it draws nothing a patient could tap: no part of it is 1 unit wide and high"
    return ""


def _extent(outline, axis: int) -> float:
    values = [point[axis] for point in outline]
    return max(values) - min(values)


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


def _checked_problem(source: Source, error, model=RegionsFile) -> Problem:
    """The problem for one validation error; pydantic's own words if wording it fails."""
    try:
        return _schema_problem(source, error, model)
    except Exception:
        loc = tuple(error.get("loc", ()))
        try:
            line, column = source.where(loc)
            what = describe(source, loc)
        except Exception:
            (line, column), what = (1, 1), "the file"
        return Problem(line, column, f"{what}: {_pydantic_words(error['msg'])}", FAULT_HINT)


def _pydantic_words(message: str) -> str:
    return message.removeprefix("Value error, ").replace("Input should be", "must be")


def _schema_problem(source: Source, error, model=RegionsFile) -> Problem:
    loc: Path = tuple(error["loc"])
    kind = error["type"]
    ctx = error.get("ctx") or {}
    if "within" in ctx:
        return _language_problem(source, error, loc, ctx)
    message = _pydantic_words(error["msg"])
    hint = _HINTS.get(kind, "")
    if kind == "extra_forbidden":
        line, column = source.where(loc, key=True)
        allowed = _allowed_keys(loc[:-1], model)
        hint = did_you_mean(loc[-1], allowed) or "remove it, or use one of: " + ", ".join(allowed)
        if model is RegionsFile and loc in (("figure",), ("regions", *loc[1:2], "shape")):
            hint = MOVED_HINTS[loc[-1]]
        return Problem(line, column, f"{describe(source, loc[:-1])}: unknown key '{loc[-1]}'", hint)
    if kind == "missing":
        line, column = source.where(loc[:-1])
        if len(loc) == 1:
            return Problem(
                line,
                column,
                f"the section '{loc[0]}:' is missing",
                BACKUP_HINT,
            )
        return Problem(line, column, f"{describe(source, loc)} is missing", hint)
    line, column = source.where(loc)
    value = error.get("input")
    message = _message(kind, ctx, value, message)
    if loc and loc[-1] in ("shape", "outline"):
        hint = SHAPE_HINT
    elif loc and loc[-1] in ("url", "booking_url", "site_url"):
        hint = "for example https://www.example.com/page, or /page on the clinic's own site"
    if loc and loc[-1] in PHONE_FIELDS:
        hint = PHONE_HINT
    if kind == "string_pattern_mismatch" and isinstance(value, str):
        hint = _id_hint(source, loc, value) or hint
    if isinstance(value, str) and any(quote in value for quote in CURLY_QUOTES):
        hint = CURLY_HINT
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


def _language_problem(source: Source, error, loc: Path, ctx: dict) -> Problem:
    """A mistake in one language's text (`label: {en: …, es: …}`), at that text."""
    kind, language, text = error["type"], ctx["language"], ctx.get("text")
    line, column = source.where((*loc, *ctx["within"]))
    what = f"{describe(source, loc)} in {ENGLISH_NAMES.get(language, language)} ({language}:)"
    message = _message(kind, ctx, text, _pydantic_words(str(ctx.get("message", error["msg"]))))
    hint = _HINTS.get(kind, "")
    if kind.endswith("_type"):
        hint = _type_hint(text, kind) or hint
    return Problem(line, column, f"{what}: {message}", hint)


def _message(kind: str, ctx: dict, value, fallback: str) -> str:
    """The clinician's wording of a pydantic error, with its limits and the text's length."""
    template = _MESSAGES.get(kind)
    if template is None:
        return fallback
    if not isinstance(value, str):
        template = template.replace("is {length} characters long, longer", "is longer")
        return template.replace("'{value}' ", "").format_map(ctx)
    shown = value if len(value) <= 60 else value[:59] + "…"
    return template.format_map({**ctx, "length": len(value.strip()), "value": shown})


def _id_hint(source: Source, loc: Path, value: str) -> str:
    """Two ids with no comma between them, or an id to write instead of a title or label."""
    words = value.split()
    if len(words) >= 2 and all(re.fullmatch(SLUG_PATTERN, word) for word in words):
        several = (
            f"add a comma between them: {', '.join(words)}"
            if loc[:-1] in source.flow
            else "write each on its own line, starting with '- '"
        )
        return (
            f"if these are {len(words)} ids, {several}; if it is one, use single hyphens"
            f" instead of spaces: {'-'.join(words)}"
        )
    example = re.sub(r"[^a-z0-9]+", "-", value.casefold()).strip("-")
    if not example or not re.fullmatch(SLUG_PATTERN, example):
        return ""
    title = " (an id is a short name, not a title or a label)" if " " in value.strip() else ""
    return f"use lowercase letters, digits and single hyphens{title}, e.g. '{example}'"


def _type_hint(value, kind: str) -> str:
    if kind == "list_type":
        return _list_hint(value)
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


def _list_hint(value) -> str:
    if value is None:
        return "nothing is written here: write a list ([first, second]), or remove the line"
    return ""


def describe(source: Source, loc: Path) -> str:
    """Name a place for a clinician: "region 'lower-back-left', label"."""
    if len(loc) >= 3 and loc[0] in VIEWS and loc[1] == "shapes":
        return f"the shape of '{loc[2]}' ({loc[0]} view)"
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


def _allowed_keys(loc: Path, model: object = RegionsFile) -> list[str]:
    """The keys allowed at `loc`, found by walking the models."""
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
