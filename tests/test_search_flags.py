"""Search never misses an emergency: warning signs first, with their action; no false alarms.

Judged against the search tests' own content (tests/data/search/regions.yaml) and its query
table (queries.tsv); phrase checks of `bodymap check` on the small test file.
"""

from __future__ import annotations

import re
from html import unescape

import pytest

from bodymap.content import build_content
from bodymap.loader import load_file
from bodymap.problems import ContentError

from . import conftest
from .conftest import SMALL, copy_content
from .search_table import CONTENT, judge, read_table, shown_by

ROWS = read_table()


@pytest.fixture(scope="module")
def content():
    return build_content(load_file(CONTENT))


@pytest.fixture(scope="module")
def client():
    return conftest.testing_app(CONTENT).test_client()


def text_of(html: str) -> str:
    """What a patient reads: tags dropped, entities decoded, spaces squeezed."""
    text = " ".join(unescape(re.sub(r"<[^>]+>", " ", html)).split())
    return re.sub(r" ([.,:;)])", r"\1", text)


def results(client, query: str, fragment: bool = False, lang: str = "en") -> str:
    address = "/fragments/search.html" if fragment else "/search"
    response = client.get(address, query_string={"q": query, "lang": lang})
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    return page[page.index('<section class="found"') :] if not fragment else page


# --- the judged table ------------------------------------------------------------------------


def test_the_table_has_sixty_queries_or_more_in_both_languages():
    assert len({(r.language, r.query) for r in ROWS}) >= 60
    assert {r.language for r in ROWS} == {"en", "es"}
    assert sum(1 for r in ROWS if r.warning) >= 20
    assert sum(1 for r in ROWS if not r.warning) >= 20


@pytest.mark.parametrize("row", ROWS, ids=[f"{r.line}:{r.query}" for r in ROWS])
def test_every_query_of_the_table(content, row):
    for judgement in judge([row], shown_by(content)):
        shown = shown_by(content)(row.language, row.query)
        assert judgement.passed, (
            f"{judgement.what}: expected {row.warning or row.expect} within {row.within}, "
            f"rank {judgement.rank}; shown {shown}"
        )


# --- the warning block ---------------------------------------------------------------------


@pytest.mark.parametrize("fragment", [False, True], ids=["page", "fragment"])
def test_an_emergency_comes_first_with_call_911(client, fragment):
    html = results(client, "chest pain spreading to my left arm", fragment)
    warning = html.index('class="red-flags search-warning"')
    assert warning < html.index("Places on the body")
    assert "Causes of pain" not in html[:warning]
    block = html[warning : html.index("</section>", warning)]
    assert "Call 911 or go to the emergency room now" in text_of(block)
    assert "Chest pain, pressure or tightness" in text_of(block)
    assert '<a class="button button-emergency" href="tel:911">Call 911</a>' in block


@pytest.mark.parametrize("fragment", [False, True], ids=["page", "fragment"])
def test_thoughts_of_suicide_call_or_text_988(client, fragment):
    block = results(client, "I want to kill myself", fragment)
    assert "Call or text 988 now" in text_of(block)
    assert 'href="tel:988">Call 988</a>' in block
    assert 'href="sms:988">Text 988</a>' in block
    assert "If you are in immediate danger, call 911." in text_of(block)
    assert "Call 911 or go to the emergency room" not in text_of(block)
    assert "Nothing found" not in text_of(block)


def test_an_urgent_sign_calls_the_clinic_today(client):
    block = text_of(results(client, "swollen testicle"))
    assert "See a doctor today if you have: A lump in the groin" in block
    assert "Call Test Spine Clinic today: (555) 010-0199" in block
    assert 'href="tel:5550100199"' in results(client, "swollen testicle")


@pytest.mark.parametrize("fragment", [False, True], ids=["page", "fragment"])
def test_spanish_words_show_the_warning_in_spanish(client, fragment):
    html = results(client, "no siento las piernas", fragment, lang="es")
    block = text_of(html)
    assert "Llame al 911 o vaya a la sala de emergencias ahora" in block
    assert "Dolor, entumecimiento u hormigueo que baja por las dos piernas" in block
    assert block.index("Señales de alerta") < block.index("Causas del dolor")
    assert 'href="tel:911">Llame al 911</a>' in html


def test_english_words_on_the_spanish_page_and_spanish_words_on_the_english_page(client):
    assert "Llame o envíe un mensaje de texto al 988 ahora" in text_of(
        results(client, "suicidal", lang="es")
    )
    assert "Call or text 988 now" in text_of(results(client, "quiero quitarme la vida"))


@pytest.mark.parametrize(
    "query",
    [
        "knee pain",
        "sciatica",
        "stiff neck",
        "tennis elbow",
        "pins and needles in my hand",
        "chest",
        "back pain",
        "can't lift my arm",
        "dolor de rodilla",
        "arthritis in my knee",
    ],
)
def test_ordinary_words_raise_no_alarm(client, query):
    html = results(client, query, lang="es" if "rodilla" in query else "en")
    assert "search-warning" not in html
    assert "tel:911" not in html


def test_one_shared_word_is_not_the_sign(content):
    # "chest pain" is a phrase of the heart-attack signs; "chest" alone is not.
    assert content.search("chest").red_flags == ()
    assert [f.id for f in content.search("my chest hurts").red_flags] == ["heart-attack-signs"]
    # "stiff neck and fever" needs the fever.
    assert content.search("stiff neck").red_flags == ()


# --- why each result appears, in the patient's terms ----------------------------------------


def test_a_cause_found_through_its_place_says_the_place(client):
    html = results(client, "lower back pain")
    assert 'Back muscle strain</a> <span class="matched">— common in: Lower back' in html


def test_a_synonym_is_quoted_as_the_patient_typed_it_never_in_another_language(client):
    english = text_of(results(client, "siatica"))
    spanish = text_of(results(client, "siatica", lang="es"))
    assert "you typed “siatica”" in english
    assert "usted escribió “siatica”" in spanish
    assert "“ciática”" not in english
    pins = text_of(results(client, "pins and needles"))
    assert "you typed “pins and needles”" in pins
    assert "pins and needles in my hand" not in pins  # the first-person synonym


# --- dead ends ------------------------------------------------------------------------------


@pytest.mark.parametrize("fragment", [False, True], ids=["page", "fragment"])
def test_nothing_found_gives_the_phone_the_body_areas_and_a_hint(client, fragment):
    html = results(client, "qxzvwk", fragment)
    shown = text_of(html)
    assert "Nothing found for these words. Try other words" in shown
    assert "Not sure? Call Test Spine Clinic at (555) 010-0199" in shown
    assert 'href="tel:5550100199"' in html
    assert '<a href="#area-lower-back">Lower back, sacrum and tailbone</a>' in html
    assert html.count('href="#area-') == 9


def test_a_warning_alone_is_not_nothing_found(client):
    shown = text_of(results(client, "bladder"))
    assert "Numbness or tingling between your legs" in shown
    assert "Nothing found" not in shown
    assert "Or tap the place on the body" in shown


# --- phrases in regions.yaml ----------------------------------------------------------------

FLAG = """  - id: saddle-numbness
    level: emergency
    text: Numbness between the legs.
"""


def check(runner, tmp_path, phrases: str):
    path = tmp_path / "regions.yaml"
    text = SMALL.read_text()
    assert FLAG in text
    copy_content(path, text=text.replace(FLAG, FLAG + phrases))
    return runner("check", str(path))


def test_check_reports_a_repeated_phrase_with_its_line_and_column(runner, tmp_path):
    phrases = (
        "    phrases:\n"
        '      en: ["numb groin", "Numbness between my legs", "groin numb"]\n'
        '      es: ["ingle dormida"]\n'
    )
    code, _out, err = check(runner, tmp_path, phrases)
    assert code == 0
    line = SMALL.read_text().splitlines().index("  - id: saddle-numbness") + 5
    assert (
        f"regions.yaml:{line}:54: warning: the phrase 'groin numb' of the red flag "
        "'saddle-numbness' is listed twice"
    ) in err


def test_check_reports_a_phrase_search_cannot_use(runner, tmp_path):
    code, _, err = check(runner, tmp_path, '    phrases: ["my pain", "the"]\n')
    assert code == 0
    assert "the phrase 'my pain' of the red flag 'saddle-numbness' has no words search" in err
    assert "the phrase 'the' of the red flag 'saddle-numbness' has no words search" in err


def test_an_empty_phrase_is_an_error_with_its_line_and_column(tmp_path):
    path = tmp_path / "regions.yaml"
    copy_content(
        path, text=SMALL.read_text().replace(FLAG, FLAG + '    phrases: ["numb groin", " "]\n')
    )
    with pytest.raises(ContentError) as error:
        load_file(path)
    line = SMALL.read_text().splitlines().index("  - id: saddle-numbness") + 4
    assert re.search(rf"regions\.yaml:{line}:\d+: error: .*phrases", str(error.value))


def test_phrases_per_language_are_all_searched(tmp_path):
    path = tmp_path / "regions.yaml"
    phrases = '    phrases: {en: ["numb groin"], es: ["ingle dormida"]}\n'
    copy_content(path, text=SMALL.read_text().replace(FLAG, FLAG + phrases))
    content = build_content(load_file(path))
    for query in ["numb groin", "Ingle dormida", "numbness in my groin"]:
        assert [f.id for f in content.search(query).red_flags] == ["saddle-numbness"], query
    assert content.search("groin").red_flags == ()


def test_the_search_form_keeps_the_language_chosen_with_the_switch(client):
    page = client.get("/?lang=es").get_data(as_text=True)
    form = page[page.index('<form class="search"') : page.index("</form>")]
    assert '<input type="hidden" name="lang" value="es">' in form
    english = client.get("/").get_data(as_text=True)
    assert 'name="lang"' not in english[english.index('<form class="search"') :]
