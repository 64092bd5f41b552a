"""The editor's forms and saves, through the test client: what is written, what is refused."""

from __future__ import annotations

import logging
import os
import re
import time
from pathlib import Path

import pytest

from bodymap import create_app
from bodymap.editor import changes
from bodymap.lint import inspect_file

from .conftest import copy_content

CLINIC = Path(__file__).parent / "data" / "editor" / "clinic.yaml"
TOKEN = "a-test-token-for-the-editor"
SAME = {"Origin": "http://127.0.0.1"}


@pytest.fixture
def clinic_file(tmp_path) -> Path:
    path = tmp_path / "regions.yaml"
    copy_content(path, CLINIC)
    return path


def editor_app(path: Path, **config):
    app = create_app(path, EDITOR_TOKEN=TOKEN, **config)
    app.config["TESTING"] = True
    return app


class Editor:
    """A signed-in browser on the editor: reads forms and sends them back changed."""

    def __init__(self, app):
        self.app = app
        self.client = app.test_client()
        response = self.client.get(f"/edit/?token={TOKEN}", base_url="http://127.0.0.1")
        assert response.status_code == 303

    def get(self, url: str):
        return self.client.get(url, base_url="http://127.0.0.1")

    def form(self, url: str) -> dict:
        """The form on the page at `url`, as a browser would send it unchanged."""
        page = self.get(url).text
        form: dict[str, list[str]] = {}
        for tag in re.findall(r"<input [^>]*>", page):
            name = re.search(r'name="([^"]+)"', tag)
            value = re.search(r'value="([^"]*)"', tag)
            if not name or ('type="checkbox"' in tag and " checked" not in tag):
                continue
            if 'type="radio"' in tag and " checked" not in tag:
                continue
            form.setdefault(name.group(1), []).append(unescape(value.group(1) if value else ""))
        for name, text in re.findall(
            r'<textarea [^>]*name="([^"]+)"[^>]*>(.*?)</textarea>', page, re.S
        ):
            form[name] = [unescape(text)]
        form.pop("action", None)
        return form

    def post(self, url: str, form: dict, headers=SAME):
        return self.client.post(url, data=form, headers=headers, base_url="http://127.0.0.1")


def unescape(text: str) -> str:
    import html

    return html.unescape(text)


@pytest.fixture
def editor(clinic_file):
    return Editor(editor_app(clinic_file))


def strict_ok(path: Path) -> bool:
    report = inspect_file(str(path))
    return not report.errors and not report.warnings


def comments(text: str) -> list[str]:
    return [line for line in text.splitlines() if line.lstrip().startswith("#")]


def test_changing_the_phone_and_booking_address_changes_only_those_lines(editor, clinic_file):
    before = clinic_file.read_text()
    form = editor.form("/edit/clinic")
    form["phone"] = ["(555) 010-0999"]
    form["booking_url"] = ["https://clinic.example/appointments/"]
    response = editor.post("/edit/clinic", form)
    assert response.status_code == 303
    after = clinic_file.read_text()
    changed = [
        (a, b) for a, b in zip(before.splitlines(), after.splitlines(), strict=True) if a != b
    ]
    assert changed == [
        ('  phone: "(555) 010-0200"', '  phone: "(555) 010-0999"'),
        (
            '  booking_url: "https://clinic.example/book/"',
            '  booking_url: "https://clinic.example/appointments/"',
        ),
    ]
    page = editor.get(response.headers["Location"]).text
    assert "Saved" in page
    assert "+  phone: &#34;(555) 010-0999&#34;" in page  # the diff
    assert strict_ok(clinic_file)


def test_an_invalid_save_is_refused_with_the_problem_beside_the_field(editor, clinic_file):
    before = clinic_file.read_bytes()
    form = editor.form("/edit/clinic")
    form["phone"] = ["call us on Monday"]
    response = editor.post("/edit/clinic", form)
    assert response.status_code == 422
    assert clinic_file.read_bytes() == before
    assert not list((clinic_file.parent / "regions-backups").glob("regions-*.yaml"))
    page = response.text
    field = page[page.index('id="phone"') : page.index("</div>", page.index('id="phone"'))]
    assert "must be a phone number" in field
    assert "Not saved" in page


def test_a_new_article_gets_an_id_from_its_title_and_shows_under_a_pain_point(editor, clinic_file):
    form = editor.form("/edit/new/articles")
    form.update(
        {
            "title.en": ["Nerve Ablation: What to Expect"],
            "title.es": [""],
            "url": ["https://clinic.example/ablation/"],
            "summary.en": ["Heat on small nerves can ease joint pain in the spine."],
            "summary.es": ["El calor sobre nervios pequeños puede aliviar el dolor."],
            "named_by": ["back-strain"],
            "new_tags": ["Nerve ablation"],
        }
    )
    response = editor.post("/edit/new/articles", form)
    assert response.status_code == 303
    assert "/edit/articles/nerve-ablation-what-to-expect" in response.headers["Location"]
    text = clinic_file.read_text()
    assert "    articles: [stretching-guide, old-leaflet, nerve-ablation-what-to-expect]" in text
    assert "    tags: [nerve-ablation]\n" in text
    assert comments(text) == comments(CLINIC.read_text())
    assert strict_ok(clinic_file)
    page = editor.get(response.headers["Location"]).text
    assert "Where patients see it" in page
    assert "Lower back, your left side" in page


def test_a_pain_point_added_to_both_buttocks(editor, clinic_file):
    form = editor.form("/edit/new/pain-points")
    form.update(
        {
            "label.en": ["Deep buttock pain"],
            "summary.en": ["A deep ache in one buttock, often worse when sitting."],
            "regions": ["seat-left", "seat-right"],
        }
    )
    assert editor.post("/edit/new/pain-points", form).status_code == 303
    text = clinic_file.read_text()
    assert text.count("    pain_points: [hip-ache, deep-buttock-pain]") == 2
    assert strict_ok(clinic_file)


def test_a_warning_sign_added_to_an_area(editor, clinic_file):
    form = editor.form("/edit/new/red-flags")
    form.update(
        {
            "level": ["urgent"],
            "text.en": ["Back pain with a fever."],
            "areas": ["low-back"],
        }
    )
    assert editor.post("/edit/new/red-flags", form).status_code == 303
    text = clinic_file.read_text()
    assert "    red_flags: [numb-saddle, back-pain-with-a-fever]" in text
    assert (
        '  - id: back-pain-with-a-fever\n    level: urgent\n    text: "Back pain with a fever."'
        in text
    )
    assert strict_ok(clinic_file)


def test_translating_a_text_writes_both_languages(editor, clinic_file):
    form = editor.form("/edit/pain-points/back-strain")
    assert form["summary.en"][0].startswith("A pulled muscle or ligament")
    form["summary.es"] = ["Un músculo o ligamento estirado en la espalda baja."]
    assert editor.post("/edit/pain-points/back-strain", form).status_code == 303
    text = clinic_file.read_text()
    assert '      es: "Un músculo o ligamento estirado en la espalda baja."' in text
    assert '    label: "Back strain"' in text  # untouched
    assert strict_ok(clinic_file)


def test_removing_an_article_offers_its_references_and_removes_them(editor, clinic_file):
    page = editor.get("/edit/articles/old-leaflet/remove").text
    offered = re.findall(r'name="drop" value="([^"]+)"', page)
    assert offered == ["pain_points/back-strain/articles", "pain_points/tummy-ache/articles"]
    form = editor.form("/edit/articles/old-leaflet/remove")
    response = editor.post("/edit/articles/old-leaflet/remove", form)
    assert response.status_code == 303
    text = clinic_file.read_text()
    assert "old-leaflet" not in text
    assert "    articles: [stretching-guide]\n" in text
    assert strict_ok(clinic_file)


def test_removing_without_its_references_is_refused(editor, clinic_file):
    before = clinic_file.read_bytes()
    form = editor.form("/edit/articles/old-leaflet/remove")
    form["drop"] = []
    response = editor.post("/edit/articles/old-leaflet/remove", form)
    assert response.status_code == 422
    assert "there is no article with the id &#39;old-leaflet&#39;" in response.text
    assert clinic_file.read_bytes() == before


def test_removing_the_only_article_with_a_tag_offers_to_remove_the_tag(clinic_file):
    data = changes_data(clinic_file)
    found = changes.references(data, "articles", "hip-exercises")
    assert [r.key for r in found] == ["pain_points/hip-ache/tags/hips"]
    after = changes.remove(data, "articles", "hip-exercises", {found[0].key})
    assert "tags" not in changes.find(after, "pain_points", "hip-ache")


def changes_data(path: Path) -> dict:
    from bodymap.yamlsource import read_source

    return read_source(path.read_text()).data


def test_where_page_answers_for_an_article_reached_by_a_tag(editor):
    page = editor.get("/edit/where?item=article/hip-exercises").text
    assert "On 2 places of the body" in page
    assert "under &#39;Hip ache&#39; (tag &#39;hips&#39;)" in page


def test_the_text_view_lists_problems_by_line_and_saves_checked_text(editor, clinic_file):
    form = editor.form("/edit/file")
    text = form["text"][0]
    form["text"] = [text.replace('phone: "(555) 010-0200"', "phone: 5550100200")]
    response = editor.post("/edit/file", form)
    assert response.status_code == 422
    assert "Line 6, column 10" in response.text
    assert "YAML read this as a number" in response.text
    assert clinic_file.read_text() == CLINIC.read_text()
    form["text"] = [text.replace("(555) 010-0200", "(555) 010-0300")]
    assert editor.post("/edit/file", form).status_code == 303
    assert '  phone: "(555) 010-0300"' in clinic_file.read_text()


def test_the_text_view_refuses_a_save_over_a_newer_file(editor, clinic_file):
    form = editor.form("/edit/file")
    clinic_file.write_text(clinic_file.read_text().replace("Test Spine Clinic", "Other"))
    response = editor.post("/edit/file", form)
    assert response.status_code == 409
    assert "Other" in clinic_file.read_text()


def test_a_save_keeps_a_dated_backup_writes_atomically_and_is_logged(editor, clinic_file, caplog):
    os.chmod(clinic_file, 0o640)
    inode = clinic_file.stat().st_ino
    form = editor.form("/edit/clinic")
    form["phone"] = ["(555) 010-0777"]
    with caplog.at_level(logging.INFO, logger="bodymap.editor"):
        assert editor.post("/edit/clinic", form).status_code == 303
    folder = clinic_file.parent / "regions-backups"
    [backup] = folder.glob("regions-*.yaml")
    assert backup.read_bytes() == CLINIC.read_bytes()
    assert clinic_file.stat().st_ino != inode  # replaced in one step, not rewritten in place
    assert clinic_file.stat().st_mode & 0o777 == 0o640
    assert not list(clinic_file.parent.glob(".regions.yaml.*.tmp"))
    assert "clinic's details changed (+1 -1 lines) by 127.0.0.1 (token)" in caplog.text
    assert f"backup {backup.name}" in (folder / "changes.log").read_text()


def test_the_live_map_shows_a_save(clinic_file):
    app = editor_app(clinic_file)
    editor = Editor(app)
    form = editor.form("/edit/clinic")
    form["phone"] = ["(555) 010-0444"]
    editor.post("/edit/clinic", form)
    page = ""
    for _ in range(100):  # the map loads a save once it has settled (the tests' settle time)
        app.extensions["bodymap"].refresh()
        page = app.test_client().get("/").text
        if "(555) 010-0444" in page:
            break
        time.sleep(0.05)
    assert "(555) 010-0444" in page


def test_an_item_that_is_not_there_is_404_and_regions_cannot_be_added(editor):
    assert editor.get("/edit/articles/no-such-thing").status_code == 404
    assert editor.get("/edit/new/regions").status_code == 404
    assert editor.get("/edit/nonsense/x").status_code == 404


def test_a_region_edit_writes_its_item_and_never_touches_the_figure(editor, clinic_file):
    figure = (clinic_file.parent / "figures" / "adult.yaml").read_bytes()
    form = editor.form("/edit/regions/seat-left")
    form["label.es"] = ["Nalga"]
    form["pain_points"] = []
    form["red_flags"] = ["belly-sudden-pain"]
    assert editor.post("/edit/regions/seat-left", form).status_code == 303
    text = clinic_file.read_text()
    block = text[text.index("  - id: seat-left") : text.index("  - id: seat-right")]
    assert block == (
        "  - id: seat-left\n"
        '    label: {en: "Buttock", es: "Nalga"}\n'
        "    view: back\n"
        "    side: left\n"
        "    area: hips\n"
        "    red_flags: [belly-sudden-pain]\n"
    )
    assert (clinic_file.parent / "figures" / "adult.yaml").read_bytes() == figure


def test_slug_and_new_id():
    assert changes.slug("Ablación: ¿qué esperar? (RFA)") == "ablacion-que-esperar-rfa"
    assert changes.slug("¿?") == "item"
    data = {"articles": [{"id": "back-pain"}, {"id": "back-pain-2"}]}
    assert changes.new_id(data, "articles", "Back pain") == "back-pain-3"
    assert len(changes.slug("word " * 40)) <= 60


def test_editor_pages_are_valid_html(editor, tmp_path):
    import subprocess

    from .conftest import ROOT

    pages = {
        "home": "/edit/",
        "clinic": "/edit/clinic",
        "article": "/edit/articles/stretching-guide",
        "new-pain-point": "/edit/new/pain-points",
        "red-flag": "/edit/red-flags/numb-saddle",
        "region": "/edit/regions/seat-left",
        "area": "/edit/areas/low-back",
        "remove": "/edit/articles/old-leaflet/remove",
        "where": "/edit/where?item=article/hip-exercises",
        "file": "/edit/file",
    }
    files = []
    for name, url in pages.items():
        response = editor.get(url)
        assert response.status_code == 200, url
        (path := tmp_path / f"{name}.html").write_bytes(response.data)
        files.append(str(path))
    form = editor.form("/edit/clinic")
    form["phone"] = ["call us"]
    (path := tmp_path / "refused.html").write_bytes(editor.post("/edit/clinic", form).data)
    files.append(str(path))
    result = subprocess.run(
        [
            str(ROOT / "node_modules" / ".bin" / "html-validate"),
            "--config",
            # the project's rules; ticked lists share one name per list, as HTML allows
            str(ROOT / "tests" / "data" / "editor" / "htmlvalidate.json"),
            *files,
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
