"""Write the generated figure into its own file, figures/adult.yaml (see make_figure.py).

The file holds what the generator draws and nothing a clinician decides: the size of the
drawing, each view's outline and the shape of every region on it, keyed by region id.
regions.yaml says what each region is called and shows; the app checks that the two match.
"""

from __future__ import annotations

import sys
from pathlib import Path

import yaml

HEADER = (
    "# The {variant} figure of the body map, written by tools/make_figure.py: do not edit.\n"
    "# The size of the drawing, and per view its outline and the shape of each region (SVG\n"
    "# path data in figure units), keyed by the region ids of regions.yaml.\n"
)


def figure_text(
    width: float, height: float, outlines: dict[str, str], shapes: dict[str, tuple[str, str]],
    variant: str = "adult",
) -> str:  # fmt: skip
    """The figure file: outlines per view, and (view, path data) per region id, in order."""
    lines = [HEADER.format(variant=variant), f"width: {width:g}\n", f"height: {height:g}\n"]
    for view, outline in outlines.items():
        lines += [f"{view}:\n", f'  outline: "{outline}"\n', "  shapes:\n"]
        lines += [f'    {rid}: "{path}"\n' for rid, (v, path) in shapes.items() if v == view]
    return "".join(lines)


def verify(text: str, outlines: dict[str, str], shapes: dict[str, tuple[str, str]]) -> str | None:
    """Why the text does not read back as the figure (with PyYAML), or None if it does."""
    data = yaml.safe_load(text)
    if {v: data[v]["outline"] for v in outlines} != outlines:
        return "the outlines did not come out as written"
    read = {rid: (v, p) for v in outlines for rid, p in (data[v]["shapes"] or {}).items()}
    if read != shapes:
        return "the region shapes did not come out as written"
    return None


def write(path: Path, text: str) -> int:
    """Write the figure file in one step (a temporary file renamed over it)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tmp.write_text(text, encoding="utf-8")
    tmp.replace(path)
    print(f"{path}: wrote the figure")
    return 0


def check(path: Path, text: str) -> str | None:
    """Why the figure file on disk is not what the generator writes, or None if it is."""
    try:
        found = path.read_text(encoding="utf-8")
    except OSError as error:
        return f"{path}: cannot read it ({error.strerror}): run tools/make_figure.py --write"
    if found != text:
        return f"{path} is not what the generator draws: run tools/make_figure.py --write"
    return None


if __name__ == "__main__":
    sys.exit("run tools/make_figure.py")
