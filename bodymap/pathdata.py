"""SVG path data (the `shape` of a region): a strict checker and a flattener into polygons."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator

# How many numbers each path command takes per repetition.
_ARITY = {"M": 2, "L": 2, "H": 1, "V": 1, "C": 6, "S": 4, "Q": 4, "T": 2, "A": 7, "Z": 0}
_SEPARATOR = re.compile(r"\s*,?\s*")
_TOKEN = re.compile(
    r"(?P<cmd>[MmLlHhVvCcSsQqTtAaZz])|(?P<num>[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)"
)
Point = tuple[float, float]


def _not_path(reason: str) -> ValueError:
    return ValueError(f"is not SVG path data: {reason}")


def commands(data: str) -> Iterator[tuple[str, list[float]]]:
    """(command, numbers) for each repetition of each command; ValueError where it goes wrong."""
    pos, command, numbers, groups = 0, None, [], 0
    data = data.rstrip()
    while (pos := _SEPARATOR.match(data, pos).end()) < len(data):
        match = _TOKEN.match(data, pos)
        if not match:
            raise _not_path(f"unexpected {data[pos]!r} at character {pos + 1}")
        if match["cmd"]:
            if command and command not in "Zz" and (numbers or not groups):
                raise _not_path(
                    f"'{command}' before character {pos + 1} needs numbers in groups of "
                    f"{_ARITY[command.upper()]}"
                )
            if command is None and match["cmd"] not in "Mm":
                raise _not_path("it must start with M (move to)")
            command, groups = match["cmd"], 0
            if command in "Zz":
                yield command, []
        else:
            if command is None:
                raise _not_path("it must start with M (move to)")
            if command in "Zz":
                raise _not_path(f"a number follows Z at character {pos + 1}")
            numbers.append(float(match["num"]))
            if len(numbers) == _ARITY[command.upper()]:
                yield command, numbers
                numbers, groups = [], groups + 1
                # numbers after a move are lines to (SVG's implicit repetition rule)
                command = {"M": "L", "m": "l"}.get(command, command)
        pos = match.end()
    if command is None:
        raise ValueError("is empty: it needs SVG path data starting with M")
    if numbers or (command not in "Zz" and not groups):
        raise _not_path(
            f"the last '{command}' needs numbers in groups of {_ARITY[command.upper()]}"
        )


def check_path_data(data: str) -> None:
    """Raise ValueError naming the first character where `data` stops being SVG path data."""
    for _ in commands(data):
        pass


def polygons(data: str, curve_steps: int = 6) -> list[list[Point]]:
    """The closed outlines a path draws, with curves replaced by short straight lines."""
    shapes: list[list[Point]] = []
    x = y = start_x = start_y = 0.0
    for command, n in commands(data):
        upper, relative = command.upper(), command.islower()
        dx, dy = (x, y) if relative else (0.0, 0.0)
        if upper == "M":
            x, y = start_x, start_y = n[0] + dx, n[1] + dy
            shapes.append([(x, y)])
            continue
        if upper == "Z":
            x, y = start_x, start_y
            continue
        if upper == "H":
            x = n[0] + dx
        elif upper == "V":
            y = n[0] + dy
        elif upper in "CSQT":
            controls = [(n[i] + dx, n[i + 1] + dy) for i in range(0, len(n), 2)]
            shapes[-1].extend(_bezier([(x, y), *controls], curve_steps))
            x, y = controls[-1]
            continue
        else:  # L, and A drawn as a straight line to its end point
            x, y = n[-2] + dx, n[-1] + dy
        shapes[-1].append((x, y))
    return [shape for shape in shapes if len(shape) >= 3]


def _bezier(points: list[Point], steps: int) -> list[Point]:
    """Points along a Bézier curve (its first point excluded)."""
    result = []
    for step in range(1, steps + 1):
        t, level = step / steps, points
        while len(level) > 1:
            level = [
                (a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t)
                for a, b in itertools.pairwise(level)
            ]
        result.append(level[0])
    return result
