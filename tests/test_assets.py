"""The map's own CSS and JavaScript are sent without comments and spacing, and still work."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).parents[1]
STATIC = ROOT / "static"
SCRIPTS = sorted(p.name for p in STATIC.glob("*.js"))
STYLESHEETS = sorted(p.name for p in STATIC.glob("*.css"))


def served(client, name: str) -> str:
    response = client.get(f"/static/{name}")
    assert response.status_code == 200, name
    return response.get_data(as_text=True)


@pytest.mark.parametrize("name", SCRIPTS + STYLESHEETS)
def test_what_is_sent_is_smaller_and_has_no_comments(client, name):
    source = (STATIC / name).read_text()
    sent = served(client, name)
    comments = re.findall(r"/\*(.*?)\*/|^\s*//(.*)$", source, flags=re.S | re.M)
    texts = [t.strip() for pair in comments for t in pair if len(t.strip()) > 12]
    assert texts, "the file has no comments to take out"
    for text in texts:
        assert text not in sent, f"a comment is left in: {text}"
    assert len(sent) < 0.9 * len(source)


@pytest.mark.parametrize("name", STYLESHEETS)
def test_every_rule_of_a_stylesheet_is_kept(client, name):
    source = re.sub(r"/\*.*?\*/", "", (STATIC / name).read_text(), flags=re.S)
    sent = served(client, name)
    assert sent.count("{") == source.count("{") and sent.count("}") == source.count("}")
    for selector in re.findall(r"([.#][\w-]+)\s*[{,]", source):
        assert selector in sent, selector


@pytest.mark.parametrize("name", SCRIPTS)
def test_every_script_as_sent_is_valid_javascript(client, name, tmp_path):
    node = shutil.which("node")
    assert node, "Node.js is needed (scripts/install.sh installs htmx with npm)"
    sent = tmp_path / name
    sent.write_text(served(client, name))
    checked = subprocess.run([node, "--check", str(sent)], capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr
    source_names = set(re.findall(r"\bfunction (\w+)", (STATIC / name).read_text()))
    assert source_names <= set(re.findall(r"\bfunction (\w+)", sent.read_text()))


def test_an_edited_file_is_sent_as_edited(app, tmp_path):
    """A worker keeps each file's minified form, but never past an edit of the file."""
    static = tmp_path / "static"
    shutil.copytree(STATIC, static)
    app.static_folder = str(static)
    client = app.test_client()
    assert ".added-by-edit" not in served(client, "bodymap.css")
    stylesheet = static / "bodymap.css"
    stylesheet.write_text(stylesheet.read_text() + "\n/* why */\n.added-by-edit { color: red; }\n")
    later = os.stat(stylesheet).st_mtime + 5
    os.utime(stylesheet, (later, later))
    assert ".added-by-edit{color:red}" in served(client, "bodymap.css")


def test_a_missing_or_outside_file_is_a_404(client):
    for url in ("/static/missing.css", "/static/../app.py", "/static/%2e%2e/pyproject.toml"):
        assert client.get(url).status_code == 404, url


def test_threads_of_one_worker_are_served_while_the_files_are_edited(app, tmp_path):
    """A threaded server shares one worker's minified files between its threads."""
    static = tmp_path / "static"
    shutil.copytree(STATIC, static)
    app.static_folder = str(static)
    names = SCRIPTS + STYLESHEETS
    statuses: list[int] = []
    errors: list[BaseException] = []

    def patient() -> None:
        client = app.test_client()
        try:
            for i in range(150):
                statuses.append(client.get(f"/static/{names[i % len(names)]}").status_code)
        except BaseException as error:
            errors.append(error)

    def editor() -> None:
        start = time.time()
        for i in range(500):  # each touch makes a new version of every file
            for name in names:
                os.utime(static / name, (start + i, start + i))

    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads as often as possible
    try:
        threads = [threading.Thread(target=patient) for _ in range(6)]
        threads.append(threading.Thread(target=editor))
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
    finally:
        sys.setswitchinterval(interval)
    assert not errors, errors[0]
    assert statuses == [200] * 900
