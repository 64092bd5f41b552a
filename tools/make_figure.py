"""Generate the body figure (outlines and region shapes) into its own file, figures/adult.yaml.

    python tools/make_figure.py --check                     # the tiling, and the file up to date
    python tools/make_figure.py --write                     # write figures/adult.yaml
    python tools/make_figure.py --preview /tmp/figure.html  # a standalone page to look at

The silhouette is drawn in figure_parts.py, cut into regions in figure_cuts.py and written
as YAML by figure_yaml.py; regions.yaml (what clinicians decide) holds no geometry. Needs
shapely (the `figure` extra); the app never imports these tools.
"""

from __future__ import annotations

import argparse
import html
import re
import sys
from itertools import combinations, pairwise
from pathlib import Path

import figure_cuts
import figure_parts
import figure_yaml
import shapely
from shapely.geometry import Polygon

VIEWS = ("front", "back")
MIN_AREA = 60.0  # square units: no region may be smaller
TOLERANCE = 0.5  # square units of gap, overlap or spill allowed
ROOT = Path(__file__).resolve().parent.parent
TABLE = ROOT / "docs" / "regions-table.md"
FIGURE = ROOT / "figures" / "adult.yaml"


def build() -> tuple[dict[str, str], dict[str, tuple[str, str]]]:
    """Path data for each view's outline, and (view, path data) per region id."""
    body, outlines, shapes = figure_parts.silhouette(), {}, {}
    for view in VIEWS:
        pieces = figure_cuts.regions(body, view)
        outlines[view] = path_data(Polygon(shapely.union_all(list(pieces.values())).exterior))
        for rid, piece in pieces.items():
            try:
                shapes[rid] = (view, path_data(piece))
            except ValueError as error:
                raise ValueError(f"{view} {rid}: {error}") from None
    return outlines, shapes


def number(tenths: int) -> str:
    """A number given in tenths, written as briefly as SVG allows (e.g. -.5, 12, 3.4)."""
    sign, whole, frac = "-" if tenths < 0 else "", *divmod(abs(tenths), 10)
    return f"{sign}{whole}" if not frac else f"{sign}{whole or ''}.{frac}"


def join(numbers: list[str]) -> str:
    """Numbers joined with only the separators SVG path data needs."""
    out = numbers[0]
    for prev, cur in pairwise(numbers):
        glued = cur.startswith("-") or (cur.startswith(".") and "." in prev)
        out += cur if glued else " " + cur
    return out


def ring_points(poly: Polygon) -> list[tuple[int, int]]:
    """The exterior of a polygon in integer tenths, without repeated or collinear points."""
    coords = shapely.normalize(poly).exterior.coords[:-1]
    pts = [(round(x * 10), round(y * 10)) for x, y in coords]
    i = 0
    while i < len(pts) and len(pts) > 3:
        (ax, ay), (bx, by), (cx, cy) = pts[i - 1], pts[i], pts[(i + 1) % len(pts)]
        straight = (bx - ax) * (cy - by) == (by - ay) * (cx - bx)
        if (bx, by) == (ax, ay) or (straight and (bx - ax) * (cx - bx) + (by - ay) * (cy - by) > 0):
            del pts[i]
            i = max(i - 1, 0)
        else:
            i += 1
    return pts


def path_data(poly) -> str:
    """Compact SVG path data: an absolute M, then relative l segments, then z."""
    if poly.geom_type != "Polygon" or poly.interiors:
        parts = ", ".join(f"{g.area:.1f}" for g in shapely.get_parts(poly))
        raise ValueError(f"is a {poly.geom_type} (part areas {parts}), not one polygon")
    pts = ring_points(poly)
    steps = [number(v) for a, b in pairwise(pts) for v in (b[0] - a[0], b[1] - a[1])]
    return f"M{join([number(pts[0][0]), number(pts[0][1])])}l{join(steps)}z"


def parse(path: str) -> Polygon:
    """A polygon from path data in the form path_data writes."""
    if not re.fullmatch(r"M[-\d. ]+l[-\d. ]+z", path):
        raise ValueError(f"unexpected path data: {path[:40]}...")
    nums = [float(n) for n in re.findall(r"-?(?:\d+\.?\d*|\.\d+)", path)]
    x, y, pts = nums[0], nums[1], [(nums[0], nums[1])]
    for dx, dy in zip(nums[2::2], nums[3::2], strict=True):
        x, y = x + dx, y + dy
        pts.append((x, y))
    return Polygon(pts)


def expected_ids() -> dict[str, str]:
    """The region ids and views listed in docs/regions-table.md."""
    rows = re.findall(r"^\| ([a-z0-9-]+) \|[^|]*\| (front|back) \|", TABLE.read_text(), re.M)
    return dict(rows)


def problems(outlines: dict[str, str], shapes: dict[str, tuple[str, str]]) -> list[str]:
    """Everything wrong with the generated figure, as readable sentences."""
    found = []
    wanted = expected_ids()
    if wanted != {rid: view for rid, (view, _) in shapes.items()}:
        missing, extra = sorted(set(wanted) - set(shapes)), sorted(set(shapes) - set(wanted))
        found.append(f"ids differ from {TABLE.name}: missing {missing}, unexpected {extra}")
    counts = {v: sum(view == v for view, _ in shapes.values()) for v in VIEWS}
    if counts != {"front": 36, "back": 44}:
        found.append(f"expected 36 front + 44 back regions, got {counts}")
    for view in VIEWS:
        polys = {rid: parse(p) for rid, (v, p) in shapes.items() if v == view}
        found += view_problems(view, parse(outlines[view]), polys)
    return found


def view_problems(view: str, outline: Polygon, polys: dict[str, Polygon]) -> list[str]:
    """Tiling problems of one view: validity, size, side, gaps and overlaps."""
    found = []
    for rid, poly in polys.items():
        if not poly.is_valid:
            found.append(f"{view} {rid}: not a valid single polygon")
        elif poly.area < MIN_AREA:
            found.append(f"{view} {rid}: area {poly.area:.1f} is below {MIN_AREA}")
        # The patient's right is on the viewer's left in the front view, on the right behind.
        on_viewer_left = poly.centroid.x < figure_parts.CX
        for side, viewer_left in (("right", view == "front"), ("left", view == "back")):
            if rid.endswith(f"-{side}") and on_viewer_left != viewer_left:
                found.append(f"{view} {rid}: drawn on the patient's wrong side")
    for (a, pa), (b, pb) in combinations(polys.items(), 2):
        if pa.intersects(pb) and (overlap := pa.intersection(pb).area) > TOLERANCE:
            found.append(f"{view}: {a} and {b} overlap by {overlap:.2f} sq units")
    union = shapely.union_all(list(polys.values()))
    if (gap := outline.difference(union).area) > TOLERANCE:
        found.append(f"{view}: the regions leave {gap:.2f} sq units of the outline uncovered")
    if (spill := union.difference(outline).area) > TOLERANCE:
        found.append(f"{view}: the regions spill {spill:.2f} sq units outside the outline")
    return found


def smallest(shapes: dict[str, tuple[str, str]], count: int = 6) -> list[str]:
    """The smallest regions, with their area and bounding box, for a summary."""
    polys = sorted((parse(p).area, rid, parse(p).bounds) for rid, (_, p) in shapes.items())
    return [f"{rid} {a:.0f} sq units, {x1 - x0:.1f} x {y1 - y0:.1f}"
            for a, rid, (x0, y0, x1, y1) in polys[:count]]  # fmt: skip


def preview(out: Path, outlines: dict[str, str], shapes: dict, width: int) -> None:
    """Write a standalone HTML page showing both views, coloured and plain."""
    panes = []
    for plain in (False, True):
        for view in VIEWS:
            paths = []
            for k, (rid, (v, d)) in enumerate(sorted(shapes.items())):
                fill = "#e6ebf0" if plain else f"hsl({k * 137.508 % 360:.0f} 60% 82%)"
                if v == view:
                    paths.append(
                        f'<path d="{d}" fill="{fill}" stroke="#fff" stroke-width=".8">'
                        f"<title>{html.escape(rid)}</title></path>"
                    )
            outline = f'<path d="{outlines[view]}" fill="none" stroke="#5a6b7c"/>'
            label = f'<text x="8" y="20" font-size="13" fill="#555">{view}</text>'
            size = f'viewBox="0 0 {figure_parts.WIDTH} {figure_parts.HEIGHT}" width="{width}"'
            panes.append(f"<svg {size}>{''.join(paths)}{outline}{label}</svg>")
    style = "margin:4px;background:#fafbfc;display:flex;flex-wrap:wrap;gap:4px"
    page = "<!doctype html><meta charset=utf-8><title>bodymap figure preview</title>"
    out.write_text(f"{page}<body style='{style}'>{''.join(panes)}</body>\n", encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help="write the figure file")
    parser.add_argument("--figure", type=Path, default=FIGURE, help=f"default: {FIGURE}")
    parser.add_argument("--preview", type=Path, help="write a preview HTML page here")
    parser.add_argument("--preview-width", type=int, default=300, help="pixels per view")
    parser.add_argument(
        "--check", action="store_true", help="assert the tiling, and that the file is up to date"
    )
    args = parser.parse_args(argv)
    outlines, shapes = build()
    total = sum(map(len, outlines.values())) + sum(len(p) for _, p in shapes.values())
    print(f"{len(shapes)} regions + 2 outlines: {total} bytes of path data", flush=True)
    text = figure_yaml.figure_text(figure_parts.WIDTH, figure_parts.HEIGHT, outlines, shapes)
    if problem := figure_yaml.verify(text, outlines, shapes):
        print(f"{args.figure}: {problem}; not written", file=sys.stderr)
        return 1
    if args.check:
        found = problems(outlines, shapes)
        if not args.write and (stale := figure_yaml.check(args.figure, text)):
            found.append(stale)
        if found:
            print("figure check failed:\n  " + "\n  ".join(found), file=sys.stderr)
            return 1
        print("figure check passed: 80 single polygons tile both silhouettes; smallest:")
        print("  " + "\n  ".join(smallest(shapes)))
    if args.preview:
        preview(args.preview, outlines, shapes, args.preview_width)
    return figure_yaml.write(args.figure, text) if args.write else 0


if __name__ == "__main__":
    sys.exit(main())
