"""The shape of regions.yaml, as typed models.

These models describe what a clinician may write; `loader` turns their
validation errors into `FILE:LINE:COL` messages, and `content` indexes the
validated result. Nothing here knows about Flask or SVG.
"""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    field_validator,
)

from .pathdata import check_path_data

SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"

Slug = Annotated[
    str,
    StringConstraints(pattern=SLUG_PATTERN, max_length=60),
    Field(
        description="A short lowercase name: letters, digits and single hyphens.",
        examples=["lower-back-left"],
    ),
]
Text = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
LongText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=1500)]


def _path_data(value: str) -> str:
    check_path_data(value)
    return value


PathData = Annotated[
    str, StringConstraints(min_length=1, max_length=20000), AfterValidator(_path_data)
]

# The url schemes a clinician may use; anything else (javascript:, data:, …) is refused.
_URL_PATTERN = re.compile(r"^(https://[^\s/@\\]+(?:/[^\s\\]*)?|/(?!/)[^\s\\]*)$")
_PHONE_PATTERN = re.compile(r"^[0-9+()\-. ]{3,30}$")


def _check_url(value: str) -> str:
    if not _URL_PATTERN.match(value):
        raise ValueError(
            "must be a web address starting with https:// or a site path starting with /"
        )
    return value


class Strict(BaseModel):
    """Base for every section: unknown keys are mistakes, models are frozen."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Clinic(Strict):
    """Who runs the map and how patients reach them."""

    name: Text = Field(description="The clinic's name, shown in the page header.")
    tagline: Text | None = Field(None, description="One short line under the clinic's name.")
    phone: str = Field(description="The phone number patients call to book.")
    booking_url: str = Field(description="Where the 'Book an appointment' button leads.")
    site_url: str = Field(description="The clinic's own website.")
    emergency_number: str = Field("911", description="The emergency number (911 in the US).")
    crisis_line: str = Field("988", description="The suicide and crisis line (988 in the US).")
    disclaimer: LongText | None = Field(
        None, description="A short note that the tool educates and does not diagnose."
    )

    @field_validator("phone", "emergency_number", "crisis_line")
    @classmethod
    def _phone(cls, value: str) -> str:
        if not _PHONE_PATTERN.match(value):
            raise ValueError('must be a phone number such as "(609) 371-9100"')
        return value

    @field_validator("booking_url", "site_url")
    @classmethod
    def _url(cls, value: str) -> str:
        return _check_url(value)


class ViewOutline(Strict):
    """The silhouette of one view of the figure (drawn under the regions)."""

    outline: PathData


class Figure(Strict):
    """Drawing size and silhouettes; written by tools/make_figure.py."""

    width: float = Field(gt=0, le=10000)
    height: float = Field(gt=0, le=10000)
    front: ViewOutline
    back: ViewOutline


class Area(Strict):
    """A body area: groups regions in the list and shares red flags among them."""

    id: Slug
    label: Text
    red_flags: list[Slug] = Field(default_factory=list)


class Region(Strict):
    """A place on the figure that a patient can tap."""

    id: Slug
    label: Text = Field(description="What a patient calls this place, without the side.")
    view: Literal["front", "back"]
    side: Literal["left", "right", "centre"] = Field(
        description="The patient's own side; 'centre' for the middle of the body."
    )
    area: Slug = Field(description="The id of the body area this region belongs to.")
    synonyms: list[Text] = Field(default_factory=list)
    pain_points: list[Slug] = Field(default_factory=list)
    red_flags: list[Slug] = Field(default_factory=list)
    codes: dict[Slug, str | int] = Field(
        default_factory=dict, description="Codes in other body maps, e.g. choir: 218."
    )
    shape: PathData = Field(description="SVG path data (generated; do not edit by hand).")


class PainPoint(Strict):
    """A condition that commonly causes pain somewhere."""

    id: Slug
    label: Text
    summary: LongText
    synonyms: list[Text] = Field(default_factory=list)
    articles: list[Slug] = Field(default_factory=list)
    tags: list[Slug] = Field(default_factory=list)
    red_flags: list[Slug] = Field(default_factory=list)
    crisis_line: bool = Field(
        False, description="Show the crisis line (988) with this pain point: mood, depression."
    )


class Article(Strict):
    """One of the clinic's treatment articles."""

    id: Slug
    title: Text
    url: str
    summary: LongText
    tags: list[Slug] = Field(default_factory=list)

    @field_validator("url")
    @classmethod
    def _url(cls, value: str) -> str:
        return _check_url(value)


class RedFlag(Strict):
    """A warning sign that needs urgent care."""

    id: Slug
    level: Literal["emergency", "urgent"]
    text: LongText


class RegionsFile(Strict):
    """The whole regions.yaml file."""

    clinic: Clinic
    figure: Figure
    areas: list[Area] = Field(min_length=1)
    regions: list[Region] = Field(min_length=1)
    pain_points: list[PainPoint] = Field(default_factory=list)
    articles: list[Article] = Field(default_factory=list)
    red_flags: list[RedFlag] = Field(default_factory=list)
