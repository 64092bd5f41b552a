"""A strict checker for SVG path data (the `shape` of a region)."""

from __future__ import annotations

import re

# How many numbers each path command takes per repetition.
_ARITY = {"M": 2, "L": 2, "H": 1, "V": 1, "C": 6, "S": 4, "Q": 4, "T": 2, "A": 7, "Z": 0}
_SEPARATOR = re.compile(r"\s*,?\s*")
_TOKEN = re.compile(
    r"(?P<cmd>[MmLlHhVvCcSsQqTtAaZz])|(?P<num>[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)"
)


def check_path_data(data: str) -> None:
    """Raise ValueError naming the first character where `data` stops being SVG path data."""
    pos, command, numbers, first = 0, None, 0, True
    data = data.rstrip()
    while (pos := _SEPARATOR.match(data, pos).end()) < len(data):
        match = _TOKEN.match(data, pos)
        if not match:
            raise ValueError(
                f"is not SVG path data: unexpected {data[pos]!r} at character {pos + 1}"
            )
        if match["cmd"]:
            if command and numbers and numbers % _ARITY[command.upper()]:
                raise ValueError(
                    f"is not SVG path data: '{command}' at character {pos + 1} "
                    f"needs numbers in groups of {_ARITY[command.upper()]}"
                )
            command, numbers = match["cmd"], 0
            if first and command not in "Mm":
                raise ValueError("is not SVG path data: it must start with M (move to)")
            first = False
        else:
            if command is None:
                raise ValueError("is not SVG path data: it must start with M (move to)")
            if command in "Zz":
                raise ValueError(f"is not SVG path data: a number follows Z at character {pos + 1}")
            numbers += 1
        pos = match.end()
    if command is None:
        raise ValueError("is empty: it needs SVG path data starting with M")
    if command not in "Zz" and (numbers == 0 or numbers % _ARITY[command.upper()]):
        raise ValueError(
            f"is not SVG path data: the last '{command}' needs numbers in groups of "
            f"{_ARITY[command.upper()]}"
        )
