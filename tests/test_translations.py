"""The Spanish interface: a complete, current catalogue, and no English left on the pages.

Texts from regions.yaml are translated there (test_content and friends); this is about
the interface texts marked in the templates and in Python (babel.cfg says where).
"""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.frontend import parse_mapping_cfg
from babel.messages.pofile import read_po

from bodymap.i18n import catalogue_path

from .conftest import ROOT

PLACEHOLDER = re.compile(r"%\((\w+)\)s")
TAG = re.compile(r"</?\w+[^>]*>")
SPANISH_PAGES = [
    "/?lang=es",
    "/regions/lower-back-left?lang=es",
    "/?r=lower-back-left&r=thigh-back-left&lang=es",
    "/search?q=ciatica&lang=es",
    "/summary?r=lower-back-left&lang=es",
]
NOT_FOUND = "/nowhere?lang=es"
MIN_CHUNK = 12  # shorter English bits ("Back", "Search") may be in names and addresses


def _extracted() -> Catalog:
    """What `pybabel extract -F babel.cfg .` finds now, made in-process."""
    with (ROOT / "babel.cfg").open(encoding="utf-8") as cfg:
        method_map, options_map = parse_mapping_cfg(cfg, "babel.cfg")
    tops = {pattern.split("/")[0] for pattern, _ in method_map}

    def wanted(directory: str) -> bool:
        parts = Path(directory).relative_to(ROOT).parts
        return parts[0] in tops and not any(p.startswith((".", "_")) for p in parts)

    catalog = Catalog()
    for filename, lineno, message, comments, context in extract_from_dir(
        ROOT, method_map, options_map, directory_filter=wanted
    ):
        catalog.add(message, None, [(filename, lineno)], auto_comments=comments, context=context)
    return catalog


def _read(path: Path) -> Catalog:
    with path.open("rb") as po:
        return read_po(po, locale="es" if path.suffix == ".po" else None)


def _messages(catalog: Catalog) -> dict:
    """msgid (a tuple for plurals) by its key, header left out."""
    return {
        message.id if isinstance(message.id, str) else message.id[0]: message
        for message in catalog
        if message.id
    }


@pytest.fixture(scope="module")
def spanish() -> Catalog:
    return _read(catalogue_path("es"))


@pytest.fixture(scope="module")
def extracted() -> Catalog:
    return _extracted()


def test_the_extraction_finds_the_interface_texts(extracted):
    ids = _messages(extracted)
    # One from each kind of source: a template, a {% trans %} block, ngettext, Python.
    assert "Book an appointment" in ids
    assert "“Left” and “right” mean <em>your own</em> left and right." in ids
    assert ids["Pain in %(num)s place"].id == ("Pain in %(num)s place", "Pain in %(num)s places")
    assert "Front of the body" in ids
    assert "%(label)s, your left side" in ids
    # The staff's pages stay English.
    assert not any("Put the body map on your website" in key for key in ids)
    assert not any(key.startswith("Preview of") for key in ids)


def test_the_template_is_current(extracted):
    template = _read(ROOT / "bodymap" / "translations" / "messages.pot")
    assert {k: m.id for k, m in _messages(template).items()} == {
        k: m.id for k, m in _messages(extracted).items()
    }


def test_every_interface_text_has_a_spanish_translation(spanish, extracted):
    translated = _messages(spanish)
    missing = [key for key in _messages(extracted) if key not in translated]
    assert not missing, f"not in the Spanish catalogue (run pybabel update): {missing}"
    for key, message in _messages(extracted).items():
        entry = translated[key]
        assert entry.id == message.id, f"singular/plural changed: {key!r}"
        assert not entry.fuzzy, f"fuzzy: {key!r}"
        forms = entry.string if isinstance(entry.string, tuple) else (entry.string,)
        assert len(forms) == (2 if entry.pluralizable else 1), key
        assert all(form and form.strip() for form in forms), f"not translated: {key!r}"


def test_the_spanish_catalogue_has_no_obsolete_texts(spanish, extracted):
    obsolete = set(_messages(spanish)) - set(_messages(extracted))
    assert not obsolete, f"no longer in the code (run pybabel update): {sorted(obsolete)}"
    assert not spanish.obsolete, f"#~ entries left: {list(spanish.obsolete)}"


def test_translations_keep_placeholders_and_markup(spanish):
    for key, entry in _messages(spanish).items():
        ids = entry.id if isinstance(entry.id, tuple) else (entry.id,)
        forms = entry.string if isinstance(entry.string, tuple) else (entry.string,)
        # The plural msgid names every blank (a singular may say "1" in words).
        placeholders = Counter(PLACEHOLDER.findall(ids[-1]))
        tags = sorted(TAG.findall(ids[-1]))
        for form in forms:
            assert Counter(PLACEHOLDER.findall(form)) == placeholders, key
            assert sorted(TAG.findall(form)) == tags, key
            assert "%" not in PLACEHOLDER.sub("", form).replace("%%", ""), key
    # Babel's own checks: python-format, plural forms.
    problems = [(m.id, errors) for m, errors in spanish.check() if errors]
    assert not problems


def _english_chunks(spanish: Catalog) -> list[str]:
    """Bits of the English texts that must not be on a Spanish page (blanks split out)."""
    chunks = set()
    for entry in _messages(spanish).values():
        ids = entry.id if isinstance(entry.id, tuple) else (entry.id,)
        forms = entry.string if isinstance(entry.string, tuple) else (entry.string,)
        for msgid, form in zip(ids, forms, strict=False):
            if msgid == form:
                continue
            for chunk in PLACEHOLDER.split(msgid)[::2]:
                chunk = chunk.strip()
                if len(chunk) >= MIN_CHUNK:
                    chunks.add(chunk)
    return sorted(chunks)


@pytest.mark.parametrize("url", [*SPANISH_PAGES, NOT_FOUND])
def test_spanish_pages_have_no_english_interface_text(places_client, spanish, url):
    response = places_client.get(url)
    assert response.status_code == (404 if url == NOT_FOUND else 200)
    page = response.get_data(as_text=True)
    assert '<html lang="es"' in page
    chunks = _english_chunks(spanish)
    assert len(chunks) > 50  # the check itself checks something
    left = [chunk for chunk in chunks if chunk in page]
    assert not left, f"English on {url}: {left}"
    assert "Pedir una cita" in page
    assert ("No pudimos encontrar esa página" if url == NOT_FOUND else "¿Dónde le duele?") in page


def test_the_spanish_figure_names_its_views_and_sides_in_spanish(places_client):
    page = places_client.get("/zoom/back?lang=es").get_data(as_text=True)
    assert 'aria-label="Parte trasera del cuerpo, Espalda' in page
    assert "Su izquierda" in page and "Su derecha" in page
    assert "Your left" not in page and "Your right" not in page
    english = places_client.get("/zoom/back?lang=en").get_data(as_text=True)
    assert 'aria-label="Back of the body, ' in english and ", larger" in english
    assert "Your left" in english and "Su izquierda" not in english


def test_the_status_messages_for_screen_readers_keep_their_blanks(places_client):
    page = places_client.get("/?lang=es").get_data(as_text=True)
    status = re.search(r'<p id="status"[^>]*>', page).group(0)
    assert 'data-showing="Mostrando %(name)s"' in status
    assert 'data-nothing="No se encontró nada"' in status
    assert 'data-one="1 resultado"' in status
    assert 'data-many="%(count)s resultados"' in status
    english = places_client.get("/?lang=en").get_data(as_text=True)
    assert 'data-one="1 result" data-many="%(count)s results"' in english


def test_the_browser_language_decides_when_the_patient_has_not_chosen(places_client):
    spanish = places_client.get("/", headers={"Accept-Language": "es-MX,es;q=0.9"})
    assert spanish.status_code == 200
    page = spanish.get_data(as_text=True)
    assert '<html lang="es"' in page
    assert "¿Dónde le duele?" in page and "Where does it hurt?" not in page
    assert "Accept-Language" in spanish.headers.get("Vary", "")

    english = places_client.get("/", headers={"Accept-Language": "en"})
    page = english.get_data(as_text=True)
    assert '<html lang="en"' in page
    assert "Where does it hurt?" in page and "¿Dónde le duele?" not in page
    assert "Accept-Language" in english.headers.get("Vary", "")


def test_a_text_without_spanish_is_shown_in_english_and_marked_as_english(client):
    """tests/data/small.yaml has no Spanish: its texts show in English, each inside
    lang="en" on the Spanish page (so screen readers pronounce them as English)."""
    spanish = client.get("/regions/lower-back-left?lang=es").get_data(as_text=True)
    assert '<html lang="es"' in spanish
    assert '<li><span lang="en">Numbness between the legs.</span></li>' in spanish
    heading = re.search(r'<h2 id="panel-heading"[^>]*>(.*?)</h2>', spanish, re.S).group(1)
    assert heading.strip() == '<span lang="en">Lower back, su lado izquierdo</span>'
    english = client.get("/regions/lower-back-left?lang=en").get_data(as_text=True)
    assert '<span lang="en">' not in english
    assert "<li>Numbness between the legs.</li>" in english
