"""The request's state codec: what an address asks for, normalised, and written back the same."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from hypothesis import given
from hypothesis import strategies as st
from werkzeug.datastructures import MultiDict

from bodymap.state import MAX_PLACES, MAX_QUERY, Known, PageState

PLACES = ("knee", "lower-back", "neck", "wrist-left")
KNOWN = Known(PLACES, ("en", "es"))

states = st.builds(
    PageState,
    places=st.lists(st.sampled_from(PLACES), unique=True, max_size=len(PLACES)).map(tuple),
    language=st.sampled_from((None, "en", "es")),
    # What a normalised search is: words of the box's length, one space between them.
    query=st.lists(st.text("abcñé-'", min_size=1, max_size=8), max_size=5)
    .map(" ".join)
    .filter(lambda q: len(q) <= MAX_QUERY),
    embed=st.booleans(),
)


def parse(query: str, embed: bool = False) -> PageState:
    return PageState.parse(MultiDict(parse_qs(query, keep_blank_values=True)), KNOWN, embed=embed)


@given(states)
def test_an_address_written_for_a_state_reads_back_as_that_state(state):
    assert parse(state.encode(), embed=state.embed) == state


@given(states)
def test_a_form_s_fields_read_back_as_the_state(state):
    fields = MultiDict(state.form_fields())
    assert PageState.parse(fields, KNOWN, embed=state.embed) == state


@given(states, st.sampled_from(PLACES))
def test_a_second_tap_on_a_place_undoes_the_first(state, place):
    twice = state.toggled(place).toggled(place)
    if place in state.places:  # taken away, then chosen again: now the last one
        assert twice.places == (*(p for p in state.places if p != place), place)
    else:
        assert twice == state


def test_places_given_one_per_parameter_or_in_one_value_are_the_same():
    assert parse("r=knee&r=neck") == parse("r=knee+neck") == parse("r=knee%20neck")
    assert parse("r=knee+neck").places == ("knee", "neck")


def test_unknown_places_and_repeats_are_dropped_and_the_order_kept():
    assert parse("r=neck&r=nowhere&r=knee&r=neck&r=").places == ("neck", "knee")


def test_what_the_map_does_not_know_is_not_part_of_the_state():
    assert parse("lang=fr&utm_source=mail&toggle=neck&r=%ZZ") == PageState()
    assert parse("lang=es&lang=en").language == "es"


def test_a_search_is_trimmed_to_the_box_s_length_and_single_spaces():
    assert parse("q=++slipped+++disc++").query == "slipped disc"
    assert len(parse("q=" + "a" * 500).query) == MAX_QUERY


def test_the_number_of_places_has_a_bound():
    many = Known([f"p{n}" for n in range(40)], ("en",))
    state = PageState.parse(MultiDict([("r", f"p{n}") for n in range(40)]), many)
    assert len(state.places) == MAX_PLACES
    assert state.toggled("p39") == state  # a place beyond the bound is not added


def test_a_page_s_part_of_the_state_keeps_the_frame():
    state = PageState(places=("knee",), language="es", query="knee", embed=True)
    assert state.only(["language"]) == PageState(language="es", embed=True)
    assert state.encode(["places", "language"]) == "r=knee&lang=es"


def test_the_address_lists_places_one_per_parameter():
    query = PageState(places=("knee", "neck"), query="slipped disc").encode()
    assert query == "r=knee&r=neck&q=slipped+disc"
    assert parse_qs(urlsplit("/?" + query).query)["r"] == ["knee", "neck"]
