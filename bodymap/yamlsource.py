"""Safe YAML reading that remembers where every value came from.

PyYAML's composer gives each node a line and column; we build plain Python
data from those nodes ourselves so that duplicate keys, anchors and very deep
nesting are refused, and every problem can point at its place in the file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import yaml

from .problems import ContentError, Problem

MAX_DEPTH = 40
# The sample regions.yaml (150 KB, in two languages) makes about 6,700 parser events: 50,000
# means a generated or hostile file, refused before the slow part (building Python objects)
# starts. The loader raises it with the file size limit (BODYMAP_MAX_BYTES), at one event per
# 10 bytes.
MAX_EVENTS = 50_000
# After this many anchors, aliases or tags, the rest of the file is not searched for more.
MAX_EVENT_PROBLEMS = 20
Path = tuple[str | int, ...]
# libyaml's parser is about 15 times faster than the pure-Python one; both are safe loaders.
SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@dataclass
class Source:
    """Plain data from a YAML file plus the 1-based (line, column) of each value and key."""

    data: object
    problems: list[Problem] = field(default_factory=list)
    values: dict[Path, tuple[int, int]] = field(default_factory=dict)
    keys: dict[Path, tuple[int, int]] = field(default_factory=dict)
    # Lists and sections written on one line, [a, b] or {en: …}: a missing comma reads differently.
    flow: set[Path] = field(default_factory=set)

    def where(self, path: Path, *, key: bool = False) -> tuple[int, int]:
        """The place of `path` (its key when `key`), else of its nearest known parent."""
        table = self.keys if key else self.values
        for end in range(len(path), -1, -1):
            place = table.get(path[:end]) or self.values.get(path[:end])
            if place:
                return place
        return (1, 1)


def _place(mark) -> tuple[int, int]:
    return (mark.line + 1, mark.column + 1)


def _syntax_hint(error: yaml.MarkedYAMLError, text: str) -> str:
    problem = f"{error.problem or ''} {error.context or ''}"
    mark = error.problem_mark
    lines = text.splitlines()
    line = lines[mark.line] if mark and mark.line < len(lines) else ""
    if "\t" in problem or line[: mark.column + 1].lstrip(" ").startswith("\t"):
        return "indent with spaces, not tabs"
    if any(quote in line for quote in CURLY_QUOTES):
        return CURLY_SYNTAX_HINT
    if "mapping values are not allowed" in problem:
        return (
            'put a text that contains ": " in double quotes, or indent this line like the one above'
        )
    if "quoted scalar" in problem:
        return "this quote is never closed: add the closing quote at the end of the text"
    if "flow sequence" in problem:
        return "this list in [brackets] is not closed: add the missing ] (or quote the text)"
    if "flow mapping" in problem:
        return "this {section} is not closed: add the missing } (or quote the text)"
    if "single document" in problem:
        return "the file must be one document: remove the line with ---"
    if "constructor for the tag" in problem:
        return "tags starting with ! are not allowed: remove the tag"
    if "found undefined alias" in problem or "found unhashable key" in problem:
        return "put the text in double quotes"
    if _character_at(text, mark) in ("]", "}"):
        return "this bracket closes nothing: remove it, or put the whole text in double quotes"
    if "cannot start any token" in problem:
        return "a text cannot start with this character: put the whole text in double quotes"
    if "did not find expected key" in problem or "expected '-' indicator" in problem:
        return "check the indentation of this line: it must line up with the keys above it"
    if "could not find expected ':'" in problem or "expected <block end>" in problem:
        return "check the indentation of this line and the lines above it (use spaces only)"
    return "check the indentation and the quotes on this line"


CURLY_QUOTES = "\u201c\u201d\u2018\u2019\u201e\u201a"
CURLY_SYNTAX_HINT = (
    "the quotes \u201c \u201d on this line are curly quotes (Word and e-mail make them), which"
    ' YAML does not read as quotes: type straight quotes " " instead (in Word, turn off'
    " smart quotes, or edit in Notepad or TextEdit)"
)
NBSP_HINT = (
    "they come from copying out of a web page, Word or an e-mail, and YAML does not count"
    " them: delete the indentation and type ordinary spaces"
)


def _quote_problem(error: yaml.MarkedYAMLError, text: str) -> Problem | None:
    """A text in quotes that ended too early: a quote inside it, or a quote never closed.

    PyYAML reports both at the first thing it cannot read after the quoted text ("did not
    find expected key", often lines later); the mistake is the quote itself.
    """
    mark = error.problem_mark
    if mark is None or "quoted scalar" in (error.context or ""):
        return None
    quoted = _quoted_text_ending_at(text, mark.index)
    if quoted is None:
        return None
    start, end = quoted.start_mark, quoted.end_mark
    quote = quoted.style
    lines = text.splitlines()
    end_line = lines[end.line] if end.line < len(lines) else ""
    before_closing = end_line[: end.column - 1]
    if end.line > start.line and re.fullmatch(r"\s*(- +)?[\w-]+: *(- *)?|\s*- *", before_closing):
        # The "closing" quote opens the text of a later line: the first quote never closed.
        return Problem(
            start.line + 1,
            start.column + 1,
            f"this {_QUOTE_NAMES[quote]} quote is never closed: YAML read on to the quote on"
            f" line {end.line + 1}",
            f"add the closing {quote} at the end of the text",
        )
    after = text[end.index : end.index + 1]
    if not after.strip() or after in ",]}:#":
        return None
    shown = quoted.value.rsplit("\n", 1)[-1][-30:]
    whole = end_line[start.column :].strip() if start.line == end.line else ""
    inner = whole[1:-1] if len(whole) > 2 and whole[0] == whole[-1] == quote else ""
    if quote == "'":
        example = f'"{inner}"' if inner and '"' not in inner else '"Don\'t…"'
        hint = (
            "an apostrophe ends a text that starts with ': put the text in double quotes"
            f" instead: {example}"
        )
    else:
        example = '"' + inner.replace('"', "'") + '"' if inner else "\"The 'gentle' plan\""
        hint = f'a " ends a text that starts with ": use single quotes inside it: {example}'
    return Problem(
        end.line + 1,
        end.column,
        f"the {quote} after '{shown}' ends the text early, so YAML cannot read the rest of"
        " the line",
        hint,
    )


_QUOTE_NAMES = {'"': "double", "'": "single"}


def _quoted_text_ending_at(text: str, index: int):
    """The quoted text token that ends right before `index` (spaces apart), if any."""
    last = None
    try:
        for token in yaml.scan(text, Loader=SafeLoader):
            if token.start_mark.index >= index:
                break
            last = token
    except yaml.YAMLError:
        pass
    if not isinstance(last, yaml.ScalarToken) or last.style not in _QUOTE_NAMES:
        return None
    if text[last.end_mark.index : index].strip(" "):
        return None
    return last


EMPTY_HINT = (
    "put the content back from your backup copy (or git), or start again from the sample"
    " regions.yaml that comes with bodymap"
)


def _non_breaking_indent(error: yaml.MarkedYAMLError, text: str) -> Problem | None:
    """Indentation made of non-breaking spaces, on the line of the error or the one above.

    YAML reads them as text, so the line joins the one before and the error comes a line late.
    """
    mark = error.problem_mark
    if mark is None:
        return None
    lines = text.splitlines()
    for number in (mark.line - 1, mark.line):
        line = lines[number] if 0 <= number < len(lines) else ""
        if "\u00a0" in line[: len(line) - len(line.lstrip(" \u00a0"))]:
            return Problem(
                number + 1, 1, "this line is indented with non-breaking spaces", NBSP_HINT
            )
    return None


def _syntax_problem(error: yaml.MarkedYAMLError, text: str) -> Problem:
    if special := _quote_problem(error, text) or _non_breaking_indent(error, text):
        return special
    context = error.context or ""
    # An unclosed quote or bracket is noticed later; point at where it was opened.
    opened = "quoted scalar" in context or "flow" in context
    mark = (error.context_mark if opened else None) or error.problem_mark or error.context_mark
    line, column = _place(mark) if mark else (1, 1)
    message = " ".join(part for part in (error.context, error.problem) if part)
    found = _character_at(text, error.problem_mark)
    if found and f"'{found}'" not in message and "document" not in message:
        message += f" (found '{found}')"
    return Problem(line, column, f"YAML syntax: {message}", _syntax_hint(error, text))


def _character_at(text: str, mark) -> str:
    """The character a syntax error stopped at, when it is a visible one."""
    if mark is None:
        return ""
    lines = text.splitlines()
    line = lines[mark.line] if mark.line < len(lines) else ""
    char = line[mark.column : mark.column + 1]
    return char if char.strip() and not char.isalnum() else ""


class _Builder:
    """Turns a composed node tree into plain data, noting places and refusing traps."""

    def __init__(self, loader):
        self.loader = loader
        self.source = Source(None)
        self.problems = self.source.problems
        # The keys of an item that lost the "- " of its first line, read into the item above:
        # they are made into the next item of the list, as meant.
        self.split_off: list | None = None

    def build(self, node, path: Path = ()):
        self.source.values[path] = _place(node.start_mark)
        if getattr(node, "flow_style", False):
            self.source.flow.add(path)
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node.value, path, node.start_mark.column)
        if isinstance(node, yaml.SequenceNode):
            return self._sequence(node, path)
        return self.loader.construct_object(node)

    def _sequence(self, node, path: Path) -> list:
        items: list = []
        for item in node.value:
            items.append(self.build(item, (*path, len(items))))
            while self.split_off:
                pairs, self.split_off = self.split_off, None
                here = (*path, len(items))
                self.source.values[here] = _place(pairs[0][0].start_mark)
                items.append(self._mapping(pairs, here, pairs[0][0].start_mark.column))
        return items

    def _mapping(self, pairs, path: Path, column: int) -> dict:
        result: dict = {}
        for number, (key_node, value_node) in enumerate(pairs):
            place = _place(key_node.start_mark)
            if key_node.tag.endswith(":merge"):
                self.problems.append(
                    Problem(*place, "merge keys (<<) are not allowed", "write the keys out in full")
                )
                continue
            key = self.loader.construct_object(key_node)
            if not isinstance(key, str):
                self.problems.append(
                    Problem(*place, f"the key {key!r} is not a word", "put the key in quotes")
                )
                continue
            if key in result:
                if key == "id" and path and isinstance(path[-1], int):
                    self.problems.append(_missing_dash(column, place))
                    self.split_off = pairs[number:]
                    break
                first = self.source.keys[(*path, key)][0]
                where = "item" if path and isinstance(path[-1], int) else "section"
                self.problems.append(
                    Problem(
                        *place,
                        f"'{key}' appears twice in the same {where} (first on line {first})",
                        "remove the line that does not belong here (perhaps left over from an"
                        " item you removed): YAML would silently use the last one",
                    )
                )
                continue
            self.source.keys[(*path, key)] = place
            result[key] = self.build(value_node, (*path, key))
        return result


def _missing_dash(column: int, place: tuple[int, int]) -> Problem:
    """A second id in one item: the line starting the next item has lost its "- "."""
    dash = max(column - 2, 0)
    return Problem(
        *place,
        "a new item starts here, but its line has no '- ' in front of id:",
        f"write '- id:' here, the dash lined up with the dashes of the other items ({dash}"
        f" space{'s' if dash != 1 else ''} in)",
    )


def _event_problems(text: str, max_events: int = MAX_EVENTS) -> list[Problem]:
    """Anchors, aliases, tags, runaway nesting and runaway size, found on the event stream.

    Runs before any node is built, so an alias bomb ("billion laughs") is never expanded and a
    document of a million tiny items is refused after reading `max_events` of them.
    """
    problems, depth = [], 0
    for count, event in enumerate(yaml.parse(text, Loader=SafeLoader)):
        if count > max_events:
            problems.append(
                Problem(
                    *_place(event.start_mark),
                    f"the file has more than {max_events:,} values, keys and sections",
                    "regions.yaml needs a few thousand: check that this is the right file",
                )
            )
            break
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            problems.append(
                Problem(
                    *_place(event.start_mark),
                    "anchors and aliases (& and *) are not allowed here",
                    "write the text out in full",
                )
            )
        elif getattr(event, "tag", None) is not None:
            problems.append(
                Problem(
                    *_place(event.start_mark),
                    f"the tag '{event.tag.replace('tag:yaml.org,2002:', '!!')}' is not allowed",
                    "tags starting with ! are not allowed: remove the tag",
                )
            )
        if len(problems) >= MAX_EVENT_PROBLEMS:
            break
        if isinstance(event, yaml.CollectionStartEvent):
            depth += 1
            if depth > MAX_DEPTH:
                problems.append(
                    Problem(
                        *_place(event.start_mark),
                        f"the file is nested more than {MAX_DEPTH} levels deep",
                        "regions.yaml never needs this many levels: check the indentation",
                    )
                )
                break
        elif isinstance(event, yaml.CollectionEndEvent):
            depth -= 1
    return problems


def _reader_problem(error: yaml.reader.ReaderError, text: str) -> Problem:
    """A character YAML refuses anywhere in a file (NUL and other control characters)."""
    position = min(max(error.position, 0), len(text))
    line = text.count("\n", 0, position) + 1
    column = position - (text.rfind("\n", 0, position) + 1) + 1
    character = error.character
    code = (
        f"U+{character:04X}" if isinstance(character, int) else f"U+{ord(character[:1] or '?'):04X}"
    )
    return Problem(
        line,
        column,
        f"the file contains a control character ({code}) that YAML does not allow",
        "remove it: the file was probably damaged, or saved by a program that is not a text editor",
    )


def read_source(text: str, max_events: int = MAX_EVENTS) -> Source:
    """Parse YAML text safely; raise ContentError for syntax errors.

    Anchors, aliases, tags, deep nesting and too many events are refused before any node is
    built. Traps found while building (duplicate keys) are noted in `Source.problems`
    so that they are reported together with every other problem in the file.
    """
    loader = SafeLoader(text)
    try:
        if problems := _event_problems(text, max_events):
            raise ContentError(problems)
        node = loader.get_single_node()
        if node is None:
            raise ContentError([Problem(1, 1, "the file is empty", EMPTY_HINT)])
        builder = _Builder(loader)
        builder.source.data = builder.build(node)
    except yaml.MarkedYAMLError as error:
        raise ContentError([_syntax_problem(error, text)]) from None
    except yaml.reader.ReaderError as error:
        raise ContentError([_reader_problem(error, text)]) from None
    except yaml.YAMLError as error:
        raise ContentError([Problem(1, 1, f"YAML: {error}", "")]) from None
    finally:
        loader.dispose()
    return builder.source
