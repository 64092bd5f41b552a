"""The summary to bring to the appointment: what it lists, and that nothing of it is kept."""

from __future__ import annotations

import gzip
import json
import re
from urllib.parse import parse_qsl

import brotli

from .conftest import PLACES
from .conftest import testing_app as app_on

BACK_AND_THIGH = "/summary?r=lower-back-left&r=thigh-back-left"


def text(response) -> str:
    assert response.status_code == 200, response.status_code
    return response.get_data(as_text=True)


def test_the_summary_lists_places_causes_articles_warnings_and_how_to_reach_the_clinic(
    places_client,
):
    page = text(places_client.get(BACK_AND_THIGH))
    places = re.search(r'<ul class="summary-places">(.*?)</ul>', page, re.S).group(1)
    assert re.findall(r"<li>(.*?)</li>", places) == [
        "Lower back, your left side",
        "Back of the thigh, your left side",
    ]
    causes = re.findall(r"<li><strong>(.*?)</strong>", page)
    assert causes[:2] == ["Sciatica (a pinched nerve)", "Herniated disc"]
    assert 'Call <a href="tel:911">911</a> or go to the emergency room now' in page
    assert "Numbness between the legs." in page  # an emergency sign
    assert "A leg that gets weaker day by day." in page  # an urgent one
    assert 'href="https://clinic.example/nerves"' in page
    assert ">Book an appointment</a>" in page and 'href="tel:5550100100"' in page
    assert 'href="tel:988"' in page  # pain with low mood is among the causes


def test_the_small_figure_marks_exactly_the_chosen_places(places_client):
    page = text(places_client.get(BACK_AND_THIGH))
    marked = re.findall(r'<path class="marked-region is-selected[^"]*" d="', page)
    assert len(marked) == 2
    assert page.count('class="marked-region"') == 3  # the other places of places/regions.yaml
    # A picture of what the list says: hidden from screen readers, which read the list.
    assert len(re.findall(r'<svg aria-hidden="true" [^>]*class="figure marked-figure', page)) == 2


def test_nothing_about_a_summary_is_kept_on_the_server_or_in_a_cache():
    app = app_on(PLACES)
    client = app.test_client()
    client.get("/?r=calf-left")  # an ordinary page is prepared and kept
    response = client.get(BACK_AND_THIGH, headers={"Accept-Encoding": "br"})
    assert response.headers["Cache-Control"] == "no-store"
    assert "ETag" not in response.headers
    assert "Set-Cookie" not in response.headers
    kept = app.extensions["bodymap.pages"].held()
    # (by the key's path: the folder the tests run in may have "summary" in its name)
    assert kept and not [
        key for key in kept if any(str(part).startswith("/summary") for part in key)
    ]


def test_without_places_the_summary_says_how_to_choose_them(places_client):
    page = text(places_client.get("/summary"))
    assert "You have not chosen a place yet." in page
    assert 'href="/"' in page


def test_the_panel_of_chosen_places_links_to_their_summary(places_client):
    page = text(places_client.get("/?r=lower-back-left&r=thigh-back-left"))
    assert 'href="/summary?r=lower-back-left&amp;r=thigh-back-left"' in page


# What the patient said about two places (tests/data/details.yaml), as the summary shows it.
DETAILS = PLACES.parent.parent / "details.yaml"
ANSWERED = (
    "/summary?r=lower-back-left&r=lower-back-right"
    "&i.lower-back-left=8&k.lower-back-left=zinging&k.lower-back-left=dull&d.lower-back-left=months"
    "&i.lower-back-right=2&d.lower-back-right=days&worst=lower-back-left&flags=none"
)
MAP_ADDRESS = "https://map.example-clinic.com"


def details_client(**config):
    app = app_on(DETAILS)
    app.config.update(config)
    return app.test_client()


def rows(page: str) -> list[list[str]]:
    """The table of places: each row's cells as text."""
    body = re.search(r'<table class="summary-details">.*?<tbody>(.*?)</tbody>', page, re.S).group(1)
    return [
        [
            re.sub(r"<[^>]+>", "", cell).strip()
            for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
        ]
        for row in re.findall(r"<tr.*?</tr>", body, re.S)
    ]


def test_the_summary_lists_intensity_kind_and_duration_per_place_and_marks_the_worst():
    page = text(details_client().get(ANSWERED))
    assert rows(page) == [
        [
            "Lower back, your left side (hurts the most)",
            "8/10",
            "Zinging, Dull",
            "3 months or more",
        ],
        ["Lower back, your right side", "2/10", "—", "Days"],
    ]


def test_the_pain_drawing_is_shaded_by_intensity_with_a_legend():
    page = text(details_client().get(ANSWERED))
    shaded = re.findall(r'<path class="marked-region is-selected band-([a-z]+)"', page)
    assert sorted(shaded) == ["mild", "severe"]
    assert '<ul class="intensity-legend"' in page and "7 to 10" in page


def test_the_summary_says_when_it_was_made_in_the_clinics_time_zone():
    from datetime import UTC, datetime
    from zoneinfo import ZoneInfo

    from babel.dates import format_date

    page = text(details_client().get(ANSWERED))
    now = datetime.now(UTC).astimezone(ZoneInfo("America/Chicago"))  # clinic.timezone
    made = re.search(r'<p class="summary-made">Made on (.*?)</p>', page).group(1)
    assert made.startswith(format_date(now, "long", locale="en"))
    assert re.search(r", \d{1,2}:\d\d\s?[AP]M C[SD]T$", made), made


def test_none_of_these_is_a_pertinent_negative_beside_the_signs_asked_about():
    page = text(details_client().get(ANSWERED))
    section = re.search(r'<section class="summary-flags".*?</section>', page, re.S).group()
    assert "You said none of these apply:" in section
    assert "Numbness between the legs." in section and "Fever with back pain." in section
    ticked = text(details_client().get(ANSWERED.replace("flags=none", "sign=fever-back-pain")))
    assert re.search(
        r"You said these apply:</strong> <span class=\"sign\">Fever with back pain.", ticked
    )


def test_the_summary_in_spanish_names_the_kinds_in_spanish():
    page = text(details_client().get(ANSWERED + "&lang=es"))
    assert "Zumbante, Sordo" in page
    assert 'lang="es"' in page


def test_the_qr_code_and_link_reopen_the_same_summary_from_the_public_address():
    client = details_client(PUBLIC_URL=MAP_ADDRESS)
    page = text(client.get(ANSWERED, headers={"Host": "evil.example"}))
    query = ANSWERED.split("?", 1)[1]
    link = re.search(
        r'<div class="reopen"><svg role="img" [^>]*class="qr".*?</svg>'
        r'<p class="reopen-link"><a href="([^"]+)">',
        page,
        re.S,
    )
    assert link, "no QR code beside the link"
    address = link.group(1).replace("&amp;", "&")
    assert address.startswith(f"{MAP_ADDRESS}/summary?")
    # The same answers, written in the map's one order.
    assert sorted(parse_qsl(address.split("?", 1)[1])) == sorted(parse_qsl(query))
    assert "evil.example" not in page


def test_without_a_public_address_the_summary_says_so_and_prints_no_qr_code():
    page = text(details_client().get(ANSWERED, headers={"Host": "evil.example"}))
    assert "public address is not set (PUBLIC_URL)" in page
    assert 'class="qr"' not in page and "evil.example" not in page


def test_the_answers_summary_keeps_no_copy_sets_no_cookie_and_needs_no_inline_style():
    response = details_client().get(ANSWERED)
    assert response.headers["Cache-Control"] == "no-store"
    assert "Set-Cookie" not in response.headers
    assert " style=" not in text(response)  # the CSP allows no inline style


def fhir_bundle(client, url: str):
    from fhir.resources.R4B.bundle import Bundle

    response = client.get(url)
    assert response.status_code == 200
    assert response.mimetype == "application/fhir+json"
    assert response.headers["Cache-Control"] == "no-store" and "Set-Cookie" not in response.headers
    return Bundle.model_validate_json(response.get_data())


def test_the_fhir_copy_validates_and_gives_back_the_intensities_and_places():
    bundle = fhir_bundle(details_client(), ANSWERED.replace("/summary?", "/summary.json?"))
    assert bundle.type == "collection"
    observations = [entry.resource for entry in bundle.entry]
    intensities = {}
    for obs in observations:
        if obs.code.coding and obs.code.coding[0].code == "72514-3":
            assert obs.code.coding[0].system == "http://loinc.org"
            places = {c.system: c.code for c in obs.bodySite.coding}
            intensities[places["urn:bodymap:region"]] = (
                obs.valueInteger,
                places.get("http://snomed.info/sct"),
            )
    assert intensities == {"lower-back-left": (8, "1111000"), "lower-back-right": (2, None)}
    sides = {
        obs.bodySite.text: obs.bodySite.extension[0].valueCodeableConcept.coding[0].display
        for obs in observations
        if obs.bodySite
    }
    assert sides == {"Lower back, your left side": "Left", "Lower back, your right side": "Right"}
    kinds = [
        obs.valueCodeableConcept.text
        for obs in observations
        if obs.code.text == "What the pain feels like"
    ]
    assert kinds == ["Zinging", "Dull"]
    flags = next(obs for obs in observations if obs.code.text == "Warning signs asked about")
    assert flags.valueString == "None of these apply"
    assert [c.valueBoolean for c in flags.component] == [False, False]


def test_the_fhir_copy_is_compressed_for_a_browser_that_accepts_it():
    """About 9 KB of JSON; a phone on a slow line gets it brotli- or gzip-compressed."""
    url = ANSWERED.replace("/summary?", "/summary.json?")
    client = details_client()
    plain = client.get(url).get_data()
    for encoding, unpack in (("br", brotli.decompress), ("gzip", gzip.decompress)):
        response = client.get(url, headers={"Accept-Encoding": encoding})
        assert response.headers["Content-Encoding"] == encoding
        assert "Accept-Encoding" in response.headers["Vary"]
        assert len(response.get_data()) < len(plain) / 3
        assert json.loads(unpack(response.get_data())) == json.loads(plain)


def test_the_fhir_copy_of_no_answers_is_an_empty_valid_bundle():
    bundle = fhir_bundle(details_client(), "/summary.json?r=belly")
    assert not bundle.entry


def print_layout(page: str) -> int:
    """How tight the sheet's print layout is: 0 (roomiest) to 4 (fullest)."""
    classes = re.search(r'<article class="summary ([^"]*)"', page)[1].split()
    return len([c for c in classes if c.startswith("summary-")])


def test_more_to_print_never_makes_the_type_larger():
    """Each place or detail added keeps or tightens the layout, so everything stays on one
    sheet (the sheets themselves are printed in tests/browser/test_summary.py)."""
    app = app_on(PLACES)
    app.config["PUBLIC_URL"] = MAP_ADDRESS  # a QR code on the sheet, as in a deployment
    client = app.test_client()
    ids = list(dict.fromkeys(re.findall(r'data-region="([a-z0-9-]+)"', text(client.get("/")))))[:8]
    plain, described = [], []
    for n in range(1, len(ids) + 1):
        query = "&".join(f"r={i}" for i in ids[:n])
        plain.append(print_layout(text(client.get(f"/summary?{query}"))))
        details = "&".join(f"i.{i}=8&k.{i}=burning+shooting&d.{i}=months" for i in ids[:n])
        described.append(print_layout(text(client.get(f"/summary?{query}&{details}&flags=yes"))))
    assert plain == sorted(plain) and described == sorted(described)
    assert all(d >= p for p, d in zip(plain, described, strict=True))
    assert described[-1] > plain[0], "eight described places got the roomiest layout"
