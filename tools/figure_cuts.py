"""Cut the body silhouette into the 80 tappable regions (see make_figure.py).

Each view is split by simple cuts: horizontal bands for body levels, the midline for left
and right, a narrow central strip for the spine on the back, and cuts square to the limbs
at the shoulder, elbow, wrist, knee and ankle. Cuts are listed as zones in priority order;
all zone edges split the silhouette at once, and each face goes to the first zone holding it,
so neighbouring regions share every vertex and the regions tile the silhouette exactly.
"""

from __future__ import annotations

import math

import numpy as np
import shapely
from figure_parts import ARM, CX, GRID, HEIGHT, SIMPLIFY, WIDTH, head, mirror
from shapely.geometry import LineString, Polygon

BIG = 2000.0  # "far away": half-planes are squares this size
SLIVER = 1e-3  # overlay crumbs smaller than this (square units) are noise
# fmt: off
# Heights of the horizontal cuts, top to bottom.
Y = {"brow": 64, "crown": 58, "nape": 98, "neck": 135, "upper": 200, "chest": 232, "mid": 258,
     "lower": 305, "pelvis": 316, "knee_top": 461, "knee_bottom": 495, "ankle": 600,
     "foot": 625}
# Cut lines drawn on the viewer's right half (the left half is cut as its mirror image).
NECK_LINE = [(186, -BIG), (186, 104), (179, 133)]  # neck | shoulder
NECK_BASE = {"front": [(CX, 141), (179, 133)], "back": [(CX, Y["neck"]), (179, Y["neck"])]}
CHEST_LINE = {"front": [(179, 133)], "back": [(179, 133), (191, 184)]}  # on to the armpit
SHOULDER_RISE = 16  # the shoulder | upper-arm cut starts this far above the armpit
# Band sizes along the arm; the wrist band long enough for a finger on a phone (24 px).
ELBOW_HALF, WRIST_ABOVE, WRIST_BELOW = 11, 15, 5
THIGH_LINE = {"front": [(CX, 377), (WIDTH, 337)], "back": [(CX, 381), (WIDTH, 345)]}
PELVIS_SPLIT = {"front": [(186, 316), (170, 380)], "back": [(188, 305), (199, 380)]}
SPINE_HALF = 10  # the spine strip wide enough for a finger on a phone (24 px)
SACRUM = [(133, 305), (167, 305), (164, 318), (160, 336), (140, 336), (136, 318)]
TAILBONE = [(140, 336), (160, 336), (157, 350), (150, 360), (143, 350)]
# Region names per view; a side suffix is added for everything but the spine.
NAMES = {
    "front": {"head-top": "forehead", "head": "face", "neck": "neck-front",
              "shoulder": "shoulder-front", "upper-arm": "upper-arm-front",
              "elbow": "elbow-front", "forearm": "forearm-front", "wrist": "wrist-front",
              "hand": "palm", "thigh": "thigh-front", "knee": "knee-front", "shin": "shin",
              "ankle": "ankle-front", "foot": "foot-top", "hip": "hip-front"},
    "back": {"head-top": "crown", "head": "back-of-head", "neck": "neck-back",
             "shoulder": "shoulder-back", "upper-arm": "upper-arm-back", "elbow": "elbow-back",
             "forearm": "forearm-back", "wrist": "wrist-back", "hand": "hand-back",
             "thigh": "thigh-back", "knee": "knee-back", "shin": "calf", "ankle": "ankle-back",
             "foot": "sole", "hip": "hip-back"},
}
# The patient's side of the viewer's right half: the front view faces us, the back does not.
RIGHT_HALF_SIDE = {"front": "left", "back": "right"}
OTHER_SIDE = {"left": "right", "right": "left"}
# fmt: on


def unit(vector: tuple[float, float]) -> tuple[float, float]:
    """The vector scaled to length one."""
    length = math.hypot(*vector)
    return vector[0] / length, vector[1] / length


def step(point, direction, distance: float) -> tuple[float, float]:
    """The point `distance` away from `point` along `direction`."""
    ux, uy = unit(direction)
    return point[0] + ux * distance, point[1] + uy * distance


def beyond(point, direction) -> Polygon:
    """The half-plane past a cut through `point` square to `direction`."""
    (ux, uy), (x, y) = unit(direction), point
    px, py, ux, uy = -uy * BIG, ux * BIG, ux * BIG, uy * BIG
    corners = [(x + px, y + py), (x + px + ux, y + py + uy), (x - px + ux, y - py + uy)]
    return Polygon([*corners, (x - px, y - py)])


def below(y: float) -> Polygon:
    """Everything below the height y."""
    return shapely.box(-BIG, y, BIG, BIG)


def under(line) -> Polygon:
    """Everything below a polyline that runs left to right."""
    (x0, y0), (x1, y1) = line[0], line[-1]
    return Polygon([(x0 - BIG, y0), *line, (x1 + BIG, y1), (x1 + BIG, BIG), (x0 - BIG, BIG)])


def inside_of(line) -> Polygon:
    """Everything on the midline's side of a polyline that runs top to bottom."""
    (x0, y0), (x1, y1) = line[0], line[-1]
    return Polygon([(x0, y0 - BIG), *line, (x1, y1 + BIG), (-BIG, y1 + BIG), (-BIG, y0 - BIG)])


def arm_gap(half: Polygon) -> list[tuple[float, float]]:
    """Midpoints of the gap between the arm and the trunk, from the armpit to the fingertips."""
    points = []
    for y in range(150, HEIGHT):
        row = shapely.line_merge(half.intersection(LineString([(CX, y), (WIDTH, y)])))
        spans = sorted(shapely.get_parts(row), key=lambda g: g.bounds[0])
        if len(spans) >= 2:  # the trunk (or leg) first, then the arm
            points.append(((spans[0].bounds[2] + spans[1].bounds[0]) / 2, float(y)))
        elif points:
            break
    return points


def arm_zone(half: Polygon) -> tuple[Polygon, tuple[float, float]]:
    """The arm below the shoulder (bounded by the armpit gap) and the armpit's top corner."""
    gap = arm_gap(half)
    apex = (gap[0][0], gap[0][1] - 2)
    top = (apex[0] - 2, apex[1] - SHOULDER_RISE)
    (ax, ay), (ex, ey) = ARM[0][:2], ARM[4][:2]
    outer = step(top, (ey - ay, ax - ex), BIG)  # square to the upper arm, out and up
    x_end = max(x for x, _ in gap)
    ring = [top, outer, (BIG, BIG), (x_end, BIG), (x_end, gap[-1][1]), *reversed(gap), apex]
    return Polygon(ring).buffer(0), top


def arm_cuts(zone: Polygon) -> list[tuple[str, Polygon]]:
    """The arm cut square to its axis, hand first: hand, wrist, forearm, elbow, upper arm."""
    wrist, elbow = ARM[-1][:2], ARM[4][:2]
    fore = (wrist[0] - elbow[0], wrist[1] - elbow[1])
    bend = (ARM[5][0] - ARM[3][0], ARM[5][1] - ARM[3][1])
    return [
        ("hand", zone & beyond(step(wrist, fore, WRIST_BELOW), fore)),
        ("wrist", zone & beyond(step(wrist, fore, -WRIST_ABOVE), fore)),
        ("forearm", zone & beyond(step(elbow, bend, ELBOW_HALF), bend)),
        ("elbow", zone & beyond(step(elbow, bend, -ELBOW_HALF), bend)),
        ("upper-arm", zone),
    ]


def leg_cuts(view: str) -> list[tuple[str, Polygon]]:
    """The leg cut in horizontal bands, foot first."""
    leg = under(THIGH_LINE[view])
    return [
        ("foot", leg & below(Y["foot"])),
        ("ankle", leg & below(Y["ankle"])),
        ("shin", leg & below(Y["knee_bottom"])),
        ("knee", leg & below(Y["knee_top"])),
        ("thigh", leg),
    ]


def trunk_cuts(view: str) -> list[tuple[str, Polygon]]:
    """The trunk below the neck and shoulder, in bands from the pelvis up."""
    everything = shapely.box(-BIG, -BIG, BIG, BIG)
    medial = inside_of(PELVIS_SPLIT[view])
    if view == "front":
        pelvis = below(Y["pelvis"])
        return [("groin", pelvis & medial), ("hip", pelvis), ("abdomen", below(Y["chest"])),
                ("chest", everything)]  # fmt: skip
    pelvis = below(Y["lower"])
    return [("buttock", pelvis & medial), ("hip", pelvis), ("lower-back", below(Y["mid"])),
            ("mid-back", below(Y["upper"])), ("upper-back", everything)]  # fmt: skip


def half_cuts(half: Polygon, view: str) -> list[tuple[str, Polygon]]:
    """Zones for the viewer's right half, in the order they claim the silhouette."""
    arm, armpit = arm_zone(half)
    if view == "front":  # the jaw line, with the whole skull above it
        jaw = head().buffer(1.0).simplify(SIMPLIFY)
        head_zone, split = jaw | shapely.box(-BIG, -BIG, BIG, 90), Y["brow"]
    else:  # the base of the skull
        head_zone, split = shapely.box(-BIG, -BIG, BIG, Y["nape"]), Y["crown"]
    shoulder = [*NECK_LINE, *CHEST_LINE[view], armpit, (BIG, armpit[1]), (BIG, -BIG)]
    return [
        ("head-top", head_zone - below(split)),
        ("head", head_zone),
        *arm_cuts(arm),
        ("neck", inside_of(NECK_LINE) - under(NECK_BASE[view])),
        ("shoulder", Polygon(shoulder).buffer(0)),
        *leg_cuts(view),
        *trunk_cuts(view),
    ]


def spine_cuts() -> list[tuple[str, Polygon]]:
    """The central strip of the back view, top to bottom."""

    def strip(top: str, bottom: str) -> Polygon:
        return shapely.box(CX - SPINE_HALF, Y[top], CX + SPINE_HALF, Y[bottom])

    return [
        ("cervical-spine", strip("nape", "neck")),
        ("thoracic-spine-upper", strip("neck", "upper")),
        ("thoracic-spine-mid", strip("upper", "mid")),
        ("lumbar-spine", strip("mid", "lower")),
        ("sacrum", Polygon(SACRUM)),
        ("tailbone", Polygon(TAILBONE)),
    ]


def areal(geom):
    """Only the polygons of a geometry, without crumbs, stray lines and points."""
    parts = [g for g in shapely.get_parts(geom) if g.geom_type == "Polygon" and g.area > SLIVER]
    return parts[0] if len(parts) == 1 else shapely.MultiPolygon(parts)


def on_grid(geom):
    """Round coordinates to the output grid."""
    return shapely.transform(geom, lambda xy: np.round(xy / GRID) * GRID)


def partition(body: Polygon, zones: list[tuple[str, Polygon]]) -> dict[str, Polygon]:
    """Split the body by every zone's edge at once; each face goes to the first zone holding it."""
    edges, margin = [body.exterior], body.buffer(1.0)  # cuts overshoot the outline a little
    for _, zone in zones:
        cut = shapely.intersection(zone.boundary, margin)
        edges += [g for g in shapely.get_parts(cut) if g.geom_type == "LineString"]
    faces = shapely.get_parts(shapely.polygonize(shapely.get_parts(shapely.union_all(edges))))
    owned: dict[str, list] = {name: [] for name, _ in zones}
    for face in faces:
        spot = face.representative_point()
        if face.area > SLIVER and body.contains(spot):
            owned[next(name for name, zone in zones if zone.contains(spot))].append(face)
    return {name: on_grid(areal(shapely.union_all(found))) for name, found in owned.items()}


def view_zones(body: Polygon, view: str) -> list[tuple[str, Polygon]]:
    """Every zone of one view, named by region id, in priority order."""
    zones = spine_cuts() if view == "back" else []
    right, left = shapely.box(CX, -BIG, BIG, BIG), shapely.box(-BIG, -BIG, CX, BIG)
    side = RIGHT_HALF_SIDE[view]
    for name, zone in half_cuts(body & right, view):
        zones.append((f"{NAMES[view].get(name, name)}-{side}", areal(zone & right)))
    for name, zone in half_cuts(mirror(body & left), view):  # cut as the right half's mirror
        rid = f"{NAMES[view].get(name, name)}-{OTHER_SIDE[side]}"
        zones.append((rid, areal(mirror(zone) & left)))
    return zones


def regions(body: Polygon, view: str) -> dict[str, Polygon]:
    """Cut one view of the body into its regions, by region id."""
    return partition(body, view_zones(body, view))
