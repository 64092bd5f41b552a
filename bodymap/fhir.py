"""The summary as a FHIR R4 Bundle of Observations: made per request from the state, never
stored. What it holds and what it does not: docs/summary.md. Knows nothing of Flask.
"""

from __future__ import annotations

from datetime import datetime

from .details import Details, PlaceDetails

LOINC = "http://loinc.org"
SNOMED = "http://snomed.info/sct"
INTENSITY = {
    "system": LOINC,
    "code": "72514-3",
    "display": "Pain severity - 0-10 verbal numeric rating [Score] - Reported",
}
LATERALITY = "http://hl7.org/fhir/StructureDefinition/observation-structureLaterality"
SIDES = {  # SNOMED CT qualifiers; a centre place has no side
    "left": {"system": SNOMED, "code": "7771000", "display": "Left"},
    "right": {"system": SNOMED, "code": "24028007", "display": "Right"},
}
# Local code systems: this map's own ids, not a standard terminology.
REGION_SYSTEM = "urn:bodymap:region"
KIND_SYSTEM = "urn:bodymap:pain-kind"
DURATION_SYSTEM = "urn:bodymap:duration"
SIGN_SYSTEM = "urn:bodymap:red-flag"
SURVEY = {
    "coding": [
        {
            "system": "http://terminology.hl7.org/CodeSystem/observation-category",
            "code": "survey",
            "display": "Survey",
        }
    ]
}


def bundle(found: Details, made: datetime, words: dict[str, str]) -> dict:
    """A `collection` Bundle of the patient-reported Observations; `words` are the texts of
    the codes that have no standard code, in the page's language."""
    when = made.isoformat(timespec="seconds")
    observations: list[dict] = []
    for place in found.places:
        if place.intensity is not None:
            observations.append(
                _about(
                    place,
                    when,
                    {"coding": [INTENSITY], "text": words["intensity"]},
                    valueInteger=place.intensity,
                )
            )
        for kind in place.kinds:
            value = {"coding": [{"system": KIND_SYSTEM, "code": kind.id}], "text": str(kind.label)}
            observations.append(
                _about(place, when, {"text": words["kind"]}, valueCodeableConcept=value)
            )
        if place.duration:
            value = {
                "coding": [{"system": DURATION_SYSTEM, "code": place.duration}],
                "text": words[place.duration],
            }
            observations.append(
                _about(place, when, {"text": words["duration"]}, valueCodeableConcept=value)
            )
        if place.worst:
            observations.append(_about(place, when, {"text": words["worst"]}, valueBoolean=True))
    if found.flags.answer:
        observations.append(_flags(found, when, words))
    return {
        "resourceType": "Bundle",
        "type": "collection",
        "timestamp": when,
        "entry": [{"resource": resource} for resource in observations],
    }


def body_site(place: PlaceDetails) -> dict:
    """The place: SNOMED CT where regions.yaml gives `codes: {snomed: …}`, the map's own id,
    its name, and its side (the laterality extension)."""
    region = place.entry.region
    coding = []
    if "snomed" in region.codes:
        coding.append({"system": SNOMED, "code": str(region.codes["snomed"])})
    coding.append({"system": REGION_SYSTEM, "code": region.id})
    site = {"coding": coding, "text": str(place.entry.name)}
    if region.side in SIDES:
        site["extension"] = [
            {"url": LATERALITY, "valueCodeableConcept": {"coding": [SIDES[region.side]]}}
        ]
    return site


def _observation(when: str, code: dict, **value) -> dict:
    return {
        "resourceType": "Observation",
        "status": "final",
        "category": [SURVEY],
        "code": code,
        "effectiveDateTime": when,
        **value,
    }


def _about(place: PlaceDetails, when: str, code: dict, **value) -> dict:
    return {**_observation(when, code, **value), "bodySite": body_site(place)}


def _flags(found: Details, when: str, words: dict[str, str]) -> dict:
    """The answer to the warning-sign question: each sign asked about as a component, true
    when ticked, false when the patient said none apply, without a value when not ticked."""
    answer = found.flags
    components = []
    for flag in answer.asked:
        component = {
            "code": {"coding": [{"system": SIGN_SYSTEM, "code": flag.id}], "text": str(flag.text)}
        }
        if answer.answer == "none":
            component["valueBoolean"] = False
        elif flag in answer.ticked:
            component["valueBoolean"] = True
        components.append(component)
    value = words["flags_none"] if answer.answer == "none" else words["flags_yes"]
    return _observation(when, {"text": words["flags"]}, valueString=value, component=components)


def words(_) -> dict[str, str]:
    """The texts of the Observations' codes in the page's language (`_` is its gettext)."""
    return {
        "intensity": _("How bad the pain is, from 0 (no pain) to 10 (worst imaginable)"),
        "kind": _("What the pain feels like"),
        "duration": _("How long the pain has lasted"),
        "days": _("Days"),
        "weeks": _("Weeks (less than 3 months)"),
        "months": _("3 months or more"),
        "worst": _("The place that hurts the most"),
        "flags": _("Warning signs asked about"),
        "flags_none": _("None of these apply"),
        "flags_yes": _("Yes, one of these"),
    }
