"""Shared fixtures: the app on a content file, its test client, and the bodymap CLI."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from bodymap import create_app
from bodymap.caching import MissBudget
from bodymap.cli import main as bodymap_main

TESTS = Path(__file__).parent
ROOT = TESTS.parent
SAMPLE = ROOT / "regions.yaml"
SMALL = TESTS / "data" / "small.yaml"
# The figure files beside each content file (figures/adult.yaml), written for the tests.
SMALL_FIGURE = TESTS / "data" / "figures" / "adult.yaml"
PLACES = (
    TESTS / "data" / "places" / "regions.yaml"
)  # small.yaml's regions, two more, English and Spanish
# Tests save whole files at once: a short settle time keeps them quick (the default is for
# slow uploads; tests that are about settling set their own).
SETTLE = 0.1


@pytest.fixture(autouse=True, scope="session")
def deployment_folders(tmp_path_factory):
    """Last good copies go to a temporary folder, never instance/ of the checkout."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("BODYMAP_LAST_GOOD_DIR", str(tmp_path_factory.mktemp("last-good")))
        patch.setenv("BODYMAP_SETTLE_SECONDS", str(SETTLE))
        yield


def copy_content(path: Path, source: Path = SMALL, text: str | None = None) -> Path:
    """A content file at `path` (`source` or `text`), with the figures/ of `source` beside it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if text is None:
        shutil.copy(source, path)
    else:
        path.write_text(text, encoding="utf-8")
    shutil.copytree(source.parent / "figures", path.parent / "figures", dirs_exist_ok=True)
    return path


@pytest.fixture
def small_file(tmp_path) -> Path:
    """A private copy of the small test content and its figure, safe to edit in a test."""
    return copy_content(tmp_path / "regions.yaml")


def testing_app(path: Path):
    app = create_app(path)
    app.config.update(TESTING=True)
    # Tests make many unique pages quickly on a loaded machine: no 503 for being busy
    # (tests/test_page_cache.py tests the budget with a budget of its own).
    app.extensions["bodymap.misses"] = MissBudget(share=1.0, burst=3600.0)
    return app


@pytest.fixture
def app(small_file):
    return testing_app(small_file)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture(scope="session")
def sample_app():
    """The app on the sample regions.yaml that ships with the project."""
    return testing_app(SAMPLE)


@pytest.fixture
def sample_client(sample_app):
    return sample_app.test_client()


@pytest.fixture(scope="session")
def places_app():
    """The app on tests/data/places/regions.yaml: several places, both languages."""
    return testing_app(PLACES)


@pytest.fixture
def places_client(places_app):
    return places_app.test_client()


@pytest.fixture
def runner(capsys):
    """Run `bodymap ARGS…` in-process: returns (exit code, stdout, stderr)."""

    def run(*args: str):
        code = bodymap_main(list(args))
        out, err = capsys.readouterr()
        return code, out, err

    return run
