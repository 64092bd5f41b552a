"""The figure generator: the shapes in regions.yaml are exactly what it draws, and they tile."""

from __future__ import annotations

import shutil
import subprocess
import sys

from .conftest import ROOT, SAMPLE


def test_sample_shapes_are_the_generated_ones_and_tile_the_silhouette(tmp_path):
    copy = tmp_path / "regions.yaml"
    shutil.copy(SAMPLE, copy)
    result = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "make_figure.py"), "--check", "--regions", str(copy)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert "figure check passed" in result.stdout
    assert copy.read_text() == SAMPLE.read_text(), "regions.yaml is out of date: run make_figure"


def test_the_generator_refuses_a_file_whose_regions_do_not_match(tmp_path):
    copy = tmp_path / "regions.yaml"
    copy.write_text(SAMPLE.read_text().replace("- id: tailbone", "- id: coccyx"))
    before = copy.read_text()
    result = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "make_figure.py"), "--regions", str(copy)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1
    assert "coccyx" in result.stderr and "tailbone" in result.stderr
    assert copy.read_text() == before
