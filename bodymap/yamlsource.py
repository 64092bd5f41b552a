"""Safe YAML reading that remembers where every value came from.

PyYAML's composer gives each node a line and column; we build plain Python
data from those nodes ourselves so that duplicate keys, anchors and very deep
nesting are refused, and every problem can point at its place in the file.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import yaml

from .problems import ContentError, Problem

MAX_DEPTH = 40
Path = tuple[str | int, ...]


@dataclass
class Source:
    """Plain data from a YAML file plus the 1-based (line, column) of each value and key."""

    data: object
    problems: list[Problem] = field(default_factory=list)
    values: dict[Path, tuple[int, int]] = field(default_factory=dict)
    keys: dict[Path, tuple[int, int]] = field(default_factory=dict)

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
    line = text.splitlines()[mark.line] if mark and mark.line < len(text.splitlines()) else ""
    if (
        "\t" in problem
        or "'\\t'" in problem
        or line[: mark.column + 1].lstrip(" ").startswith("\t")
    ):
        return "indent with spaces, not tabs"
    if "mapping values are not allowed" in problem:
        return 'a text that contains ": " must be put in double quotes'
    if "found undefined alias" in problem or "found unhashable key" in problem:
        return "put the text in double quotes"
    if "could not find expected ':'" in problem or "expected <block end>" in problem:
        return "check the indentation of this line and the lines above it (use spaces only)"
    if "found unexpected end of stream" in problem or "found unknown escape" in problem:
        return "a quote is not closed, or a backslash needs doubling: check the quotes on this line"
    return "check the indentation and the quotes on this line"


def _syntax_problem(error: yaml.MarkedYAMLError, text: str) -> Problem:
    mark = error.problem_mark or error.context_mark
    line, column = _place(mark) if mark else (1, 1)
    message = " ".join(part for part in (error.context, error.problem) if part)
    return Problem(line, column, f"YAML syntax: {message}", _syntax_hint(error, text))


class _Builder:
    """Turns a composed node tree into plain data, noting places and refusing traps."""

    def __init__(self, loader: yaml.SafeLoader):
        self.loader = loader
        self.source = Source(None)
        self.problems = self.source.problems

    def build(self, node, path: Path = ()):
        self.source.values[path] = _place(node.start_mark)
        if len(path) > MAX_DEPTH:
            self.problems.append(
                Problem(*_place(node.start_mark), "the file is nested too deeply", "")
            )
            return None
        if isinstance(node, yaml.MappingNode):
            return self._mapping(node, path)
        if isinstance(node, yaml.SequenceNode):
            return [self.build(item, (*path, i)) for i, item in enumerate(node.value)]
        return self.loader.construct_object(node)

    def _mapping(self, node, path: Path) -> dict:
        result: dict = {}
        for key_node, value_node in node.value:
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
                self.problems.append(
                    Problem(
                        *place,
                        f"'{key}' appears twice in the same section",
                        "keep one of them: YAML would silently use the last one",
                    )
                )
                continue
            self.source.keys[(*path, key)] = place
            result[key] = self.build(value_node, (*path, key))
        return result


def _anchor_problems(text: str) -> list[Problem]:
    """Anchors (&) and aliases (*), found on the event stream before any object is built."""
    problems = []
    for event in yaml.parse(text, Loader=yaml.SafeLoader):
        if isinstance(event, yaml.AliasEvent) or getattr(event, "anchor", None):
            problems.append(
                Problem(
                    *_place(event.start_mark),
                    "anchors and aliases (& and *) are not allowed here",
                    "write the text out in full",
                )
            )
    return problems


def read_source(text: str) -> Source:
    """Parse YAML text safely; raise ContentError for syntax errors.

    Traps (duplicate keys, aliases, deep nesting) are noted in `Source.problems`
    so that they are reported together with every other problem in the file.
    """
    loader = yaml.SafeLoader(text)
    try:
        if problems := _anchor_problems(text):
            raise ContentError(problems)
        node = loader.get_single_node()
        if node is None:
            raise ContentError([Problem(1, 1, "the file is empty", "start from the sample")])
        builder = _Builder(loader)
        builder.source.data = builder.build(node)
    except yaml.MarkedYAMLError as error:
        raise ContentError([_syntax_problem(error, text)]) from None
    except yaml.YAMLError as error:
        raise ContentError([Problem(1, 1, f"YAML: {error}", "")]) from None
    finally:
        loader.dispose()
    return builder.source
