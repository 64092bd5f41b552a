"""What a patient says about the chosen places: kept in the address, normalised, answered on
the panel, and never changing the ranking of causes (education, not diagnosis)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from werkzeug.datastructures import MultiDict

from bodymap.state import Known, PageState

from .conftest import testing_app as app_on

DETAILS = Path(__file__).parent / "data" / "details.yaml"
BACK = "r=lower-back-left&r=lower-back-right"
KNOWN = Known(
    places={"lower-back-left", "lower-back-right", "belly"},
    languages={"en", "es"},
    kinds={"zinging", "dull"},
    signs={"saddle-numbness", "fever-back-pain"},
)


@pytest.fixture(scope="module")
def client():
    return app_on(DETAILS).test_client()


def parse(query: list[tuple[str, str]]) -> PageState:
    return PageState.parse(MultiDict(query), KNOWN)


def text(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def test_details_are_read_per_place_and_written_back_the_same():
    state = parse(
        [
            ("r", "lower-back-left"),
            ("r", "lower-back-right"),
            ("i.lower-back-left", "7"),
            ("i.lower-back-right", "0"),  # "no pain" is an answer
            ("k.lower-back-left", "zinging"),
            ("k.lower-back-left", "dull"),
            ("d.lower-back-right", "weeks"),
            ("worst", "lower-back-left"),
            ("flags", "none"),
        ]
    )
    assert state.detail("intensity", "lower-back-left") == 7
    assert state.detail("intensity", "lower-back-right") == 0
    assert state.detail("kinds", "lower-back-left") == ("zinging", "dull")
    assert state.detail("duration", "lower-back-right") == "weeks"
    assert (state.worst, state.flags) == ("lower-back-left", "none")
    assert state.encode() == (
        "r=lower-back-left&r=lower-back-right&i.lower-back-left=7&i.lower-back-right=0"
        "&k.lower-back-left=zinging&k.lower-back-left=dull&d.lower-back-right=weeks"
        "&worst=lower-back-left&flags=none"
    )
    assert parse(state.pairs()) == state
    assert parse(state.form_fields()) == state  # one input per field: k.x=zinging+dull


def test_unknown_places_values_and_details_of_places_not_chosen_are_dropped():
    state = parse(
        [
            ("r", "lower-back-left"),
            ("i.lower-back-left", "11"),
            ("i.belly", "5"),  # a known place, but not chosen
            ("i.nowhere", "5"),
            ("k.lower-back-left", "itchy zinging"),
            ("d.lower-back-left", "years"),
            ("worst", "belly"),
            ("flags", "maybe"),
            ("sign", "not-a-sign"),
        ]
    )
    assert state.encode() == "r=lower-back-left&k.lower-back-left=zinging"


def test_removing_a_place_removes_what_was_said_about_it():
    state = parse(
        [
            ("r", "lower-back-left lower-back-right"),
            ("i.lower-back-right", "4"),
            ("worst", "lower-back-right"),
        ]
    )
    after = state.toggled("lower-back-right")
    assert after.encode() == "r=lower-back-left"


def test_ticking_a_sign_answers_yes():
    state = parse([("r", "lower-back-left"), ("flags", "none"), ("sign", "saddle-numbness")])
    assert (state.flags, state.signs) == ("yes", ("saddle-numbness",))


def ranked_causes(page: str) -> list[str]:
    return re.findall(r'<h4 id="pp-([a-z0-9-]+)">', page)


def test_the_ranked_causes_are_the_same_with_and_without_any_details(client):
    plain = text(client.get(f"/?{BACK}"))
    answered = text(
        client.get(
            f"/?{BACK}&i.lower-back-right=10&k.lower-back-right=zinging&d.lower-back-right=months"
            "&i.lower-back-left=0&worst=lower-back-right&flags=yes&sign=fever-back-pain"
        )
    )
    assert ranked_causes(plain) and ranked_causes(answered) == ranked_causes(plain)
    summary = text(client.get(f"/summary?{BACK}"))
    summary_answered = text(
        client.get(f"/summary?{BACK}&i.lower-back-right=10&worst=lower-back-right")
    )
    causes = re.compile(r'<ol class="summary-causes">(.*?)</ol>', re.S)
    assert causes.search(summary_answered).group(1) == causes.search(summary).group(1)


def test_the_warning_signs_ask_whether_any_apply_with_a_plain_form(client):
    page = text(client.get(f"/?{BACK}"))
    form = re.search(
        r'<form class="flag-question" method="get" action="/#answer".*?</form>', page, re.S
    )
    assert form, "no plain GET form for the question"
    assert "Do any of these apply to you?" in form.group()
    assert re.search(r'name="flags" value="yes"[^>]*>Yes, one of these<', form.group())
    assert re.search(r'name="flags" value="none"[^>]*>None of these apply to me<', form.group())
    assert '<input type="hidden" name="r" value="lower-back-left lower-back-right">' in form.group()


def test_yes_leads_to_the_most_pressing_action_with_its_signs(client):
    page = text(client.get(f"/?{BACK}&flags=yes"))
    answer = re.search(r'<section id="answer".*?</section>', page, re.S).group()
    assert 'class="button button-emergency button-wide" href="tel:911">Call 911</a>' in answer
    assert "Numbness between the legs." in answer
    # The education below is still there.
    assert ranked_causes(page)


def test_a_ticked_urgent_sign_leads_to_calling_the_clinic_today(client):
    page = text(client.get(f"/?{BACK}&sign=fever-back-pain"))
    answer = re.search(r'<section id="answer".*?</section>', page, re.S).group()
    assert "Call the clinic today" in answer
    assert 'href="tel:5550100100">Call (555) 010-0100</a>' in answer
    assert 'href="tel:911"' not in answer
    assert re.search(r'value="fever-back-pain" checked', answer)


def test_none_is_kept_in_every_link_and_said_on_the_panel(client):
    page = text(client.get(f"/?{BACK}&flags=none"))
    assert "You said none of these warning signs apply to you." in page
    assert 'href="/summary?r=lower-back-left&amp;r=lower-back-right&amp;flags=none"' in page


def test_pain_for_three_months_or_more_adds_the_clinics_notes_and_the_crisis_line(client):
    plain = text(client.get("/?r=lower-back-right"))
    lasting = text(client.get("/?r=lower-back-right&d.lower-back-right=months"))
    assert "https://clinic.example/depression" not in plain and 'href="tel:988"' not in plain
    notes = re.search(r'<section class="long-lasting".*?</section>', lasting, re.S).group()
    assert 'href="https://clinic.example/depression"' in notes
    assert 'href="tel:988"' in notes


def test_the_details_page_is_a_plain_form_to_the_summary(client):
    page = text(client.get(f"/details?{BACK}&i.lower-back-left=7"))
    assert '<form method="get" action="/summary">' in page
    scale = re.findall(r'name="i\.lower-back-left" value="(\d+)"', page)
    assert scale == [str(n) for n in range(11)]
    assert re.search(r'name="i\.lower-back-left" value="7" checked', page)
    assert "no pain" in page and "worst pain you can imagine" in page
    assert re.findall(r'name="k\.lower-back-right" value="([a-z-]+)"', page) == [
        "zinging",
        "dull",
        "prickling",
    ]
    assert re.findall(r'name="d\.lower-back-right" value="([a-z]+)"', page) == [
        "days",
        "weeks",
        "months",
    ]
    assert len(re.findall(r'name="worst"', page)) == 2
    assert '<input type="hidden" name="r" value="lower-back-left lower-back-right">' in page


def test_without_pain_kinds_in_the_file_the_form_offers_the_usual_words(small_file):
    client = app_on(small_file).test_client()
    page = text(client.get("/details?r=lower-back-left"))
    kinds = re.findall(r'name="k\.lower-back-left" value="([a-z-]+)"', page)
    assert "burning" in kinds and "pins-and-needles" in kinds and "numbness" in kinds
    spanish = text(client.get("/details?r=lower-back-left&lang=es"))
    assert "Hormigueo" in spanish
