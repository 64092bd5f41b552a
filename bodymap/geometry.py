"""Rough plane geometry of region shapes, by horizontal scan lines one unit apart.

Good enough to tell a clinician that two shapes overlap, and to find a point inside a
shape for a label; exact geometry is the figure generator's job (tools/, with shapely).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from .pathdata import Point, polygons

STEP = 1.0  # figure units between scan lines


@dataclass(frozen=True)
class Scan:
    """A shape as the spans it covers on each scan line: {row: ((x0, x1), …)}."""

    rows: dict[int, tuple[tuple[float, float], ...]]

    @property
    def box(self) -> tuple[float, float, float, float]:
        """The bounding box: x, y, width, height."""
        xs = [x for spans in self.rows.values() for span in spans for x in span]
        top, bottom = min(self.rows) * STEP, (max(self.rows) + 1) * STEP
        return (min(xs), top, max(xs) - min(xs), bottom - top)

    @property
    def area(self) -> float:
        return sum(b - a for spans in self.rows.values() for a, b in spans) * STEP

    def overlap(self, other: Scan) -> float:
        """The area both shapes cover."""
        total = 0.0
        for row in self.rows.keys() & other.rows.keys():
            for a0, a1 in self.rows[row]:
                for b0, b1 in other.rows[row]:
                    total += max(0.0, min(a1, b1) - max(a0, b0))
        return total * STEP

    def label_point(self) -> Point:
        """A point well inside the shape: the middle of the widest span near its middle row."""
        rows = sorted(self.rows)
        middle = rows[len(rows) // 2]
        near = [r for r in rows if abs(r - middle) <= max(2, len(rows) // 6)]
        row, (a, b) = max(
            ((r, span) for r in near for span in self.rows[r]),
            key=lambda item: item[1][1] - item[1][0],
        )
        return ((a + b) / 2, (row + 0.5) * STEP)


def scan(path_data: str) -> Scan:
    """Scan a shape with the even-odd rule, as SVG fills it."""
    edges = [
        (p, q)
        for outline in polygons(path_data)
        for p, q in zip(outline, outline[1:] + outline[:1], strict=True)
        if p[1] != q[1]
    ]
    if not edges:
        return Scan({})
    low = math.floor(min(min(p[1], q[1]) for p, q in edges) / STEP)
    high = math.ceil(max(max(p[1], q[1]) for p, q in edges) / STEP)
    rows = {}
    for row in range(low, high):
        y = (row + 0.5) * STEP
        xs = sorted(
            p[0] + (y - p[1]) * (q[0] - p[0]) / (q[1] - p[1])
            for p, q in edges
            if min(p[1], q[1]) <= y < max(p[1], q[1])
        )
        if xs:
            rows[row] = tuple(zip(xs[::2], xs[1::2], strict=False))
    return Scan(rows)


def union(boxes, pad: float = 0.0) -> tuple[float, float, float, float]:
    """The smallest box holding all `boxes` (x, y, width, height), grown by `pad` on each side."""
    left = min(b[0] for b in boxes) - pad
    top = min(b[1] for b in boxes) - pad
    right = max(b[0] + b[2] for b in boxes) + pad
    bottom = max(b[1] + b[3] for b in boxes) + pad
    return (left, top, right - left, bottom - top)
