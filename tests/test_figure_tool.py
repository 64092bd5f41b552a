"""The figure generator: figures/adult.yaml is exactly what it draws, and its regions tile."""

from __future__ import annotations

import subprocess
import sys

from .conftest import ROOT

FIGURE = ROOT / "figures" / "adult.yaml"


def make_figure(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(ROOT / "tools" / "make_figure.py"), *args],
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_figure_file_is_what_the_generator_draws_and_its_shapes_tile_the_silhouette():
    result = make_figure("--check")
    assert result.returncode == 0, result.stderr
    assert "figure check passed" in result.stdout


def test_the_generator_writes_the_figure_file_byte_for_byte(tmp_path):
    written = tmp_path / "figures" / "adult.yaml"
    result = make_figure("--write", "--figure", str(written))
    assert result.returncode == 0, result.stderr
    assert written.read_bytes() == FIGURE.read_bytes(), "run tools/make_figure.py --write"


def test_the_check_fails_on_a_figure_file_edited_by_hand(tmp_path):
    edited = tmp_path / "adult.yaml"
    edited.write_text(FIGURE.read_text().replace("width: 300", "width: 301"))
    result = make_figure("--check", "--figure", str(edited))
    assert result.returncode == 1
    assert "is not what the generator draws: run tools/make_figure.py --write" in result.stderr


def test_the_sample_keeps_no_geometry():
    text = (ROOT / "regions.yaml").read_text()
    assert "\nfigure:" not in text and "shape:" not in text


def test_every_region_of_the_figure_is_wide_enough_for_a_finger_on_a_phone():
    # 19 figure units are 24 CSS px on a 360 px phone, where the body (about 245 units wide
    # with its margin) fills 328 px: WCAG 2.5.8's 24 x 24 with no exception.
    sys.path.insert(0, str(ROOT / "tools"))
    import make_figure

    _outlines, shapes = make_figure.build()
    thin = {}
    for region_id, (_view, path) in shapes.items():
        x0, y0, x1, y1 = make_figure.parse(path).bounds
        if min(x1 - x0, y1 - y0) < 19:
            thin[region_id] = (round(x1 - x0, 1), round(y1 - y0, 1))
    assert not thin, f"regions under 19 figure units on a side: {thin}"
