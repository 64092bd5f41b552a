"""The body silhouette, built from smooth curves with shapely (see make_figure.py)."""

from __future__ import annotations

import math
from itertools import pairwise

import shapely
from shapely import affinity
from shapely.geometry import LineString, Point, Polygon
from shapely.ops import unary_union

WIDTH, HEIGHT = 300, 660
CX = WIDTH / 2  # the body's midline
GRID = 0.1  # every output coordinate lies on this grid
FILLET = 4.5  # radius of the morphological closing that softens the joins
ROUND = 1.5  # radius of the opening that softens any sharp outer corner
SIMPLIFY = 0.12  # tolerance for dropping vertices after smoothing

# fmt: off
# Half-outlines (the viewer's right half, x >= CX), from the midline round to the midline.
HEAD = [(150, 34), (163.3, 35.9), (173.3, 42.5), (178, 54), (179, 68.2), (176.1, 81.5),
        (172.3, 92.9), (166.2, 102.4), (158.6, 109.5), (150, 112.4)]
EAR = ((177.2, 77.5), 3.6, 9.5, 12)  # an ellipse: centre, half-width, half-height, tilt
NECK = [(150, 95), (165.5, 95), (165, 108), (166, 118), (169, 126), (176, 131), (150, 131)]
TORSO = [(150, 122), (165, 124), (176, 130), (191, 137), (203, 142.2), (213, 146.5), (218.5, 150.5),
         (221.5, 158), (214, 176), (207, 192), (202, 218), (199, 244), (197.5, 265), (200, 288),
         (205, 310), (208.5, 333), (207, 352), (192, 363), (170, 368), (150, 370)]
# The arm as (x, y, radius) stations along its centre line.
ARM = [(207, 160.8, 15.5), (213, 180, 14.6), (220, 205, 12.3), (227, 235, 10.8),
       (233, 263, 9.5), (237, 283, 10.5), (242, 316, 8.5), (247, 350, 7.3)]
# The leg as two side curves, top to bottom: lateral (outer) and medial (inner).
LEG_OUT = [(206, 320), (210, 340), (209, 362), (206, 395), (202, 430), (199, 458), (198.5, 478),
           (200, 500), (201, 520), (198, 550), (193, 580), (190.5, 600), (190.5, 615), (191, 628)]
LEG_IN = [(150, 345), (154, 372), (157, 400), (162, 430), (166, 458), (166.5, 474), (165.5, 490),
          (164, 512), (165, 540), (168, 572), (171, 598), (171.5, 615), (171, 628)]
# The hand in its own frame: wrist at (0, 0), fingers towards +v, thumb towards +u (lateral).
HAND = [(0, -4), (7.5, -2), (9, 8), (10.3, 20), (10.5, 32), (10, 44), (8.2, 53), (5, 59),
        (0, 61)]
THUMB = ((5.0, 10.0), (12.3, 33.0), 4.2)  # a capsule: start, end, radius
# The foot seen from the front or the back: ankle at the top, sole at the bottom.
FOOT = [(0, -10), (8, -8), (9.6, 4), (13.2, 15), (15.8, 24), (15.2, 30.5), (10, 33), (0, 33.5)]
FOOT_AT = (181, 620)
FOOT_TOE_OUT = 3.0  # how far the toes turn outwards
# fmt: on


def spline_at(a: float, b: float, c: float, d: float, t: float) -> float:
    """One coordinate of a uniform Catmull-Rom segment from b (t=0) to c (t=1)."""
    p, q, r = c - a, 2 * a - 5 * b + 4 * c - d, 3 * b - a - 3 * c + d
    return b + 0.5 * t * (p + t * (q + t * r))


def catmull_rom(points: list[tuple], closed: bool, steps: int = 10) -> list[tuple]:
    """Sample a Catmull-Rom spline through the points (of any dimension)."""
    pts = list(points)
    ext = [pts[-1], *pts, pts[0], pts[1]] if closed else [pts[0], *pts, pts[-1]]
    out = []
    for i in range(len(pts) if closed else len(pts) - 1):
        quad = list(zip(*ext[i : i + 4], strict=True))
        out += [tuple(spline_at(*axis, k / steps) for axis in quad) for k in range(steps)]
    return out if closed else [*out, pts[-1]]


def mirror(geom, axis: float = CX):
    """Reflect a geometry across the vertical line x = axis."""
    return affinity.scale(geom, xfact=-1, yfact=1, origin=(axis, 0))


def symmetric_shape(half: list[tuple[float, float]], axis: float = CX) -> Polygon:
    """A smooth closed shape from its right half-outline (midline to midline)."""
    left = [(2 * axis - x, y) for x, y in reversed(half[1:-1])]
    return Polygon(catmull_rom(half + left, closed=True)).buffer(0)


def tube(stations: list[tuple[float, float, float]]) -> Polygon:
    """A smoothly tapered limb: the union of hulls of circles along a spline."""
    samples = catmull_rom(stations, closed=False, steps=6)
    circles = [Point(x, y).buffer(r, quad_segs=16) for x, y, r in samples]
    return unary_union([a.union(b).convex_hull for a, b in pairwise(circles)])


def place(shape: Polygon, origin: tuple[float, float], direction: tuple[float, float]):
    """Move a shape drawn in a local (lateral u, distal v) frame onto the body."""
    dx, dy = direction
    norm = math.hypot(dx, dy)
    dx, dy = dx / norm, dy / norm
    return affinity.affine_transform(shape, [dy, dx, -dx, dy, origin[0], origin[1]])


def leg() -> Polygon:
    """A leg from the hip to the ankle, between its outer and inner side curves."""
    outer = catmull_rom(LEG_OUT, closed=False)
    inner = catmull_rom(LEG_IN, closed=False)
    return Polygon([*outer, *reversed(inner)]).buffer(0)


def hand() -> Polygon:
    """A mitten-like hand (fingers together, thumb apart) on the end of the forearm."""
    palm = symmetric_shape(HAND, axis=0)
    (u0, v0), (u1, v1), radius = THUMB
    thumb = LineString([(u0, v0), (u1, v1)]).buffer(radius, quad_segs=16)
    wrist, before = ARM[-1], ARM[-2]
    direction = (wrist[0] - before[0], wrist[1] - before[1])
    return place(palm.union(thumb), wrist[:2], direction)


def foot() -> Polygon:
    """The foot seen end-on: narrow at the ankle, widening to the sole, toes turned out."""
    shape = symmetric_shape(FOOT, axis=0)
    height = FOOT[-1][1]
    shape = affinity.skew(shape, xs=math.degrees(math.atan2(FOOT_TOE_OUT, height)), origin=(0, 0))
    return affinity.translate(shape, *FOOT_AT)


def head() -> Polygon:
    """The head with small ears, as one smooth shape."""
    (x, y), rx, ry, tilt = EAR
    ear = affinity.rotate(affinity.scale(Point(x, y).buffer(1, 32), rx, ry), tilt)
    return symmetric_shape(HEAD).union(ear).union(mirror(ear))


def half_body() -> Polygon:
    """The viewer's right half of the body (it overlaps the midline)."""
    parts = [symmetric_shape(NECK), symmetric_shape(TORSO), tube(ARM), hand(), leg(), foot()]
    return unary_union(parts)


def silhouette() -> Polygon:
    """The whole figure: joins filleted (closing), corners rounded (opening), simplified."""
    half = half_body()
    body = unary_union([half, mirror(half), head()])
    body = body.buffer(FILLET, quad_segs=16).buffer(-FILLET, quad_segs=16)
    body = body.buffer(-ROUND, quad_segs=16).buffer(ROUND, quad_segs=16)
    body = body.simplify(SIMPLIFY)
    return snap(Polygon(body.exterior))


def snap(geom):
    """Put a geometry's coordinates on the output grid, keeping it valid."""
    return shapely.set_precision(geom, GRID)
