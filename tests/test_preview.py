"""/preview: only when switched on; shows ids, problems with their lines, and notices changes."""

from __future__ import annotations

import time

import pytest

from bodymap import create_app, loader
from bodymap import store as store_module

from .conftest import SETTLE


@pytest.fixture
def preview_client(small_file, monkeypatch):
    monkeypatch.setattr(store_module, "CHECK_INTERVAL", 0.0)
    return create_app(small_file, PREVIEW=True, TESTING=True).test_client()


def token_of(page: str) -> str:
    return page.split("/preview/changes?since=", 1)[1].split('"', 1)[0]


def test_preview_is_off_unless_switched_on(client, monkeypatch, small_file):
    assert client.get("/preview").status_code == 404
    monkeypatch.setenv("BODYMAP_PREVIEW", "1")
    assert create_app(small_file).test_client().get("/preview").status_code == 200


def test_preview_labels_every_region_with_its_id_and_links_its_page(preview_client):
    page = preview_client.get("/preview").get_data(as_text=True)
    for region_id in ("lower-back-left", "lower-back-right", "belly"):
        assert f">{region_id}</text>" in page
        assert f'href="/regions/{region_id}"' in page
    assert 'id="pointer"' in page and "/static/preview.js" in page


def test_preview_lists_warnings_and_a_pending_error_with_lines(preview_client, small_file):
    page = preview_client.get("/preview").get_data(as_text=True)
    assert (
        "Line 30, column 9</strong> (warning): the region &#39;belly&#39; has no pain points"
        in page
    )
    small_file.write_text(small_file.read_text().replace("view: front", "view: frnt"))
    time.sleep(SETTLE * 1.5)
    page = preview_client.get("/preview").get_data(as_text=True)
    assert "The last edit is not being served" in page
    assert "Line 32, column 11</strong> (error): region &#39;belly&#39;, view: must be" in page


def test_preview_names_the_figure_file_for_a_problem_in_it(preview_client, small_file):
    figure = small_file.parent / "figures" / "adult.yaml"
    figure.write_text(figure.read_text().replace('"M50 10h40v180h-40z"', '"M50 10 Q 3"'))
    time.sleep(SETTLE * 1.5)
    page = preview_client.get("/preview").get_data(as_text=True)
    assert "The last edit is not being served" in page
    assert "figures/adult.yaml, line 14, column 23</strong> (error): the shape of" in page


def test_changes_answers_204_until_the_file_changes(preview_client, small_file):
    token = token_of(preview_client.get("/preview").get_data(as_text=True))
    quiet = preview_client.get(f"/preview/changes?since={token}")
    assert quiet.status_code == 204 and "HX-Refresh" not in quiet.headers
    small_file.write_text(small_file.read_text().replace("Test Clinic", "Edited Clinic"))
    time.sleep(SETTLE * 1.5)
    changed = preview_client.get(f"/preview/changes?since={token}")
    assert changed.status_code == 200 and changed.headers["HX-Refresh"] == "true"


def test_preview_shows_a_fault_in_the_loader_instead_of_failing(
    preview_client, small_file, monkeypatch
):
    """The check itself breaks on the saved file: the page still opens and says so."""

    def fault(*args):
        raise KeyError("max_length")

    monkeypatch.setattr(loader, "_load_bytes", fault)
    small_file.write_text(small_file.read_text().replace("Test Clinic", "Edited Clinic"))
    time.sleep(SETTLE * 1.5)
    response = preview_client.get("/preview")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "The last edit is not being served" in page
    assert (
        "Line 1, column 1</strong> (error): the file could not be checked"
        " (bodymap failed: KeyError)" in page
    )
    assert "Test Clinic" in page
