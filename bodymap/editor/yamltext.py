"""Write a change into regions.yaml text, touching only the lines of what changed.

A save is worked out on plain data (what PyYAML reads); this module compares the old
and new data and rewrites only the items and keys that differ. Everything else —
comments, order, quotes, line breaks — stays byte for byte as it was (the figure is
in a file of its own, which the editor never writes). Where things are comes from
PyYAML's composer (reading); each changed piece is written by ruamel.yaml (writing),
which quotes and wraps texts correctly. The result is read back and must give exactly
the new data, or nothing is written.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass

import yaml
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.scalarstring import DoubleQuotedScalarString

from ..yamlsource import SafeLoader, read_source

WIDTH = 90  # ruamel may run a few characters over: the sample wraps at about 96
# Keys whose words are ids or fixed words, written plainly ([a, b]); every other text is
# written in double quotes, as the guide asks people to.
PLAIN_KEYS = {
    "id",
    "area",
    "level",
    "view",
    "side",
    "articles",
    "tags",
    "red_flags",
    "pain_points",
    "font",
    "open_links",
}
# The order of keys in each kind of item (models.py): a new key goes after the ones
# that come before it here, not at the end of the item.
KEY_ORDER = {
    "clinic": [
        "name",
        "tagline",
        "phone",
        "booking_url",
        "site_url",
        "emergency_number",
        "crisis_line",
        "disclaimer",
        "embed",
        "theme",
    ],
    "areas": ["id", "label", "red_flags"],
    "regions": [
        "id",
        "label",
        "view",
        "side",
        "area",
        "synonyms",
        "pain_points",
        "red_flags",
        "codes",
    ],
    "pain_points": [
        "id",
        "label",
        "summary",
        "synonyms",
        "articles",
        "tags",
        "red_flags",
        "crisis_line",
    ],
    "articles": ["id", "title", "url", "summary", "tags"],
    "red_flags": ["id", "level", "text", "phrases", "crisis_line"],
}
_SLUG = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


class CannotWrite(Exception):
    """The change could not be written without disturbing the rest of the file."""


@dataclass(frozen=True)
class Span:
    """Lines first..last (0-based, inclusive) of a key and its value, or of a list item."""

    first: int
    last: int
    column: int  # of the key, or of the first key of a list item


@dataclass
class Node:
    """A composed YAML node with the spans of its children (keys or list items)."""

    node: yaml.Node
    children: dict  # key or index → (Span, Node)


def _end_line(node: yaml.Node) -> int:
    """The last line holding this node's own text (not the comments after it)."""
    if isinstance(node, yaml.MappingNode | yaml.SequenceNode) and not node.flow_style:
        items = node.value
        if not items:
            return node.start_mark.line
        last = items[-1][1] if isinstance(node, yaml.MappingNode) else items[-1]
        return _end_line(last)
    end = node.end_mark
    # A mark at column 0 is just after a line break: the text ended on the line before.
    return end.line - 1 if end.column == 0 and end.line > node.start_mark.line else end.line


def _tree(node: yaml.Node) -> Node:
    children = {}
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            span = Span(key.start_mark.line, _end_line(value), key.start_mark.column)
            children[key.value] = (span, _tree(value))
    elif isinstance(node, yaml.SequenceNode):
        for i, item in enumerate(node.value):
            span = Span(item.start_mark.line, _end_line(item), item.start_mark.column)
            children[i] = (span, _tree(item))
    return Node(node, children)


def compose(text: str) -> Node:
    """The node tree of a text the loader has already accepted."""
    return _tree(yaml.compose(text, Loader=SafeLoader))


def spans(text: str) -> dict[tuple, Span]:
    """Path → Span for every key and list item (to put problems beside form fields)."""
    found = {}

    def walk(tree: Node, path: tuple):
        for key, (span, child) in tree.children.items():
            found[(*path, key)] = span
            walk(child, (*path, key))

    walk(compose(text), ())
    return found


# ---- writing pieces with ruamel.yaml


def _writer(width: int) -> YAML:
    writer = YAML(typ="rt")
    writer.width = max(40, width)
    writer.indent(mapping=2, sequence=4, offset=2)
    return writer


def _plain(text: str) -> bool:
    """A word PyYAML reads back as the same text when written without quotes."""
    if not _SLUG.match(text):
        return False
    try:
        return yaml.load(text, Loader=SafeLoader) == text
    except yaml.YAMLError:
        return False


def _styled(value, key: str | None, short: bool = True):
    """Plain data → ruamel objects in the file's style: texts quoted, ids plain, short flow."""
    if isinstance(value, str):
        return value if key in PLAIN_KEYS and _plain(value) else DoubleQuotedScalarString(value)
    if isinstance(value, list):
        items = CommentedSeq([_styled(v, key) for v in value])
        if all(isinstance(v, str) for v in value):
            items.fa.set_flow_style()
        return items
    if isinstance(value, dict):
        mapping = CommentedMap()
        for k, v in value.items():
            # A text per language ({en:, es:}) keeps the key's own rule for its texts.
            inner = key if key and set(value) <= {"en", "es"} else k
            mapping[k] = _styled(v, inner, short)
        scalars = all(not isinstance(v, dict | list) for v in value.values())
        if scalars and short and len(repr(value)) < 70:
            mapping.fa.set_flow_style()
        return mapping
    return value


def _dump(value, column: int) -> list[str]:
    out = io.StringIO()
    _writer(WIDTH - column).dump(value, out)
    return [line.rstrip() for line in out.getvalue().splitlines()]


def key_lines(key: str, value, column: int) -> list[str]:
    """`key: value` as lines, indented to `column`."""
    mapping = CommentedMap()
    mapping[key] = _styled(value, key)
    lines = _dump(mapping, column)
    if isinstance(value, list) and len(lines) > 1 and lines[0].endswith(","):
        # A [list] wrapped over lines: its next lines two spaces in, as in the sample (ruamel
        # drifts further right; spaces between the items of a [list] do not matter).
        lines = lines[:1] + ["  " + line.lstrip() for line in lines[1:]]
    return [" " * column + line if line else line for line in lines]


def item_lines(item: dict, dash_column: int, section: str) -> list[str]:
    """A new list item (`- id: …`) as lines, its dash at `dash_column`."""
    mapping = CommentedMap()
    order = KEY_ORDER.get(section, [])
    for key in sorted(item, key=lambda k: order.index(k) if k in order else len(order)):
        mapping[key] = _styled(item[key], key)
    # ruamel indents the dash by the sequence offset (2): move it to the file's column.
    shift = dash_column - 2
    lines = _dump(CommentedSeq([mapping]), max(shift, 0))
    return [
        (" " * shift + line if shift >= 0 else line[-shift:]) if line else line for line in lines
    ]


# ---- the patch


class _Patch:
    """Replacements of whole lines, applied bottom to top so that line numbers hold."""

    def __init__(self, lines: list[str]):
        self.lines = lines
        self.edits: list[tuple[int, int, list[str]]] = []  # (first, end exclusive, new lines)
        self.inserts: dict[int, list[str]] = {}  # before line → new lines, in the order added

    def replace(self, first: int, last: int, new: list[str]) -> None:
        self.edits.append((first, last + 1, new))

    def insert_after(self, line: int, new: list[str]) -> None:
        self.inserts.setdefault(line + 1, []).extend(new)

    def apply(self) -> list[str]:
        lines = list(self.lines)
        edits = self.edits + [(at, at, new) for at, new in self.inserts.items()]
        ordered = sorted(edits, key=lambda e: (e[0], e[1]), reverse=True)
        for (_first, end, _), (next_first, _, _) in zip(ordered[1:], ordered, strict=False):
            if end > next_first:
                raise CannotWrite("two changes touch the same lines")
        for first, end, new in ordered:
            lines[first:end] = new
        return lines


def _tail(line: str, column_after: int) -> str:
    """A comment after the value on its last line (kept when the value is rewritten)."""
    rest = line[column_after:]
    return rest if rest.strip().startswith("#") else ""


def _prefix(line: str, column: int) -> str:
    """What stands before a key on its line: spaces, or a list's dash ('  - ')."""
    return line[:column]


def _replace_key(patch, tree_span: Span, key: str, value, node: Node) -> None:
    lines = patch.lines
    new = key_lines(key, value, tree_span.column)
    first_line = lines[tree_span.first]
    prefix = _prefix(first_line, tree_span.column)
    new[0] = prefix + new[0][tree_span.column :]
    end = node.node.end_mark
    if end.line == tree_span.last and not isinstance(node.node, yaml.MappingNode):
        new[-1] += _tail(lines[tree_span.last], end.column)
    patch.replace(tree_span.first, tree_span.last, new)


def _mapping(patch, tree: Node, old: dict, new: dict, order: list[str]) -> None:
    """Rewrite the keys of one block mapping that changed; add and remove keys."""
    if tree.node.flow_style or not tree.children:
        raise CannotWrite("not a block of 'key: value' lines")
    column = next(iter(tree.children.values()))[0].column
    for key in old:
        span, node = tree.children[key]
        if key not in new:
            if span.first == tree.children[next(iter(tree.children))][0].first:
                raise CannotWrite("the first key of an item cannot be removed here")
            patch.replace(span.first, span.last, [])
        elif new[key] != old[key] and not _nested(patch, node, old[key], new[key]):
            _replace_key(patch, span, key, new[key], node)
    for key in new:
        if key in old:
            continue
        position = order.index(key) if key in order else len(order)
        before = [k for k in old if (order.index(k) if k in order else len(order)) <= position]
        after_span = tree.children[before[-1] if before else list(old)[-1]][0]
        patch.insert_after(after_span.last, key_lines(key, new[key], column))


def _nested(patch, node: Node, old, new) -> bool:
    """Rewrite only what changed inside a block of keys (one language of a text), if it is one."""
    if not (isinstance(old, dict) and isinstance(new, dict) and old and new):
        return False
    if not isinstance(node.node, yaml.MappingNode) or node.node.flow_style:
        return False
    trial = _Patch(patch.lines)
    try:
        _mapping(trial, node, old, new, [])
    except CannotWrite:
        return False
    patch.edits += trial.edits
    for at, lines in trial.inserts.items():
        patch.inserts.setdefault(at, []).extend(lines)
    return True


def _items(patch, section: str, tree: Node, old: list, new: list) -> None:
    """Rewrite the list items (by id) that changed; add new items, remove gone ones."""
    if tree.node.flow_style or not all(isinstance(i, dict) and "id" in i for i in old + new):
        raise CannotWrite("not a list of items with ids")
    old_ids = [i["id"] for i in old]
    new_ids = [i["id"] for i in new]
    kept_old = [i for i in old_ids if i in new_ids]
    kept_new = [i for i in new_ids if i in old_ids]
    if kept_old != kept_new or len(set(old_ids)) != len(old_ids):
        raise CannotWrite("items were moved")
    old_by_id = {i["id"]: (n, i) for n, i in enumerate(old)}
    order = KEY_ORDER.get(section, [])
    for n, item in enumerate(old):
        span, _node = tree.children[n]
        if item["id"] not in new_ids:
            patch.replace(span.first, span.last, [])
    dash = _dash_column(patch.lines, tree)
    previous = None  # the last old item seen, to insert new ones after
    pending: list[str] = []
    for item in new:
        if item["id"] in old_by_id:
            n, old_item = old_by_id[item["id"]]
            if pending:
                # new items before this old one: insert before it
                patch.insert_after(tree.children[n][0].first - 1, pending)
                pending = []
            if item != old_item:
                _mapping(patch, tree.children[n][1], old_item, item, order)
            previous = n
        else:
            new_lines = item_lines(item, dash, section)
            if previous is None:
                pending += new_lines
            else:
                patch.insert_after(tree.children[previous][0].last, new_lines)
    if pending:
        raise CannotWrite("no item to place the new one after")


def _dash_column(lines: list[str], tree: Node) -> int:
    span = tree.children[0][0]
    line = lines[span.first]
    dash = line.rfind("-", 0, span.column)
    if dash < 0:
        raise CannotWrite("the list's dash was not found")
    return dash


def patch_text(text: str, old: dict, new: dict) -> str:
    """The text with `new` written where it differs from `old` (the data of `text`)."""
    newline = "\r\n" if "\r\n" in text else "\n"
    bom = "\ufeff" if text.startswith("\ufeff") else ""
    body = text[len(bom) :]
    lines = body.replace("\r\n", "\n").split("\n")
    tree = compose(body)
    patch = _Patch(lines)
    for key in old:
        if key not in new:
            span = tree.children[key][0]
            patch.replace(span.first, span.last, [])
    for key, value in new.items():
        if key not in old:
            last = max(span.last for span, _ in tree.children.values())
            patch.insert_after(last, key_lines(key, value, 0))
            continue
        if value == old[key]:
            continue
        span, node = tree.children[key]
        try:
            if isinstance(value, dict) and isinstance(old[key], dict) and old[key]:
                _mapping(patch, node, old[key], value, KEY_ORDER.get(key, []))
            elif isinstance(value, list) and isinstance(old[key], list) and old[key] and value:
                _items(patch, key, node, old[key], value)
            else:
                raise CannotWrite("a whole section changed")
        except CannotWrite:
            # Write this one section anew: the rest of the file is still untouched.
            _replace_key(patch, span, key, value, node)
    result = bom + newline.join(patch.apply())
    check_written(result, new)
    return result


def check_written(text: str, expected: dict) -> None:
    """Read the new text back: it must give exactly the data meant, or nothing is written."""
    try:
        found = read_source(text.removeprefix("\ufeff")).data
    except Exception as error:  # any failure to read back means: do not write
        raise CannotWrite(f"the new text could not be read back: {error}") from None
    if found != expected:
        raise CannotWrite("the new text does not say what was meant")
