"""The shape of regions.yaml and of a figure file, as typed models.

These models describe what a clinician may write; `loader` turns their validation
errors into `FILE:LINE:COL` messages, `content` indexes the validated result, and
`bodymap schema` publishes them as a JSON Schema for editors. Nothing here knows
about Flask or SVG.
"""

from __future__ import annotations

import re
import zoneinfo
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    model_validator,
)
from pydantic_core import PydanticCustomError

from .localized import localized, localized_list
from .pathdata import check_path_data

VIEWS = ("front", "back")
SLUG_PATTERN = r"^[a-z0-9]+(?:-[a-z0-9]+)*$"
# The addresses a clinician may use: https:// with an ASCII host (punycode for others), no
# user name or password, or a path on this site starting with a single /. Printable ASCII
# only, no backslash; anything else (javascript:, data:, //host, …) is refused (see _url).
URL_HOST = r"[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?)*"
URL_PATTERN = (
    r"^(https://" + URL_HOST + r"(:[0-9]{1,5})?([/?#][!-\[\]-~]*)?|/(?![/\\])[!-\[\]-~]*)$"
)
PHONE_PATTERN = r"^[0-9+()\-. ]{3,30}$"
# An origin that may frame the map: https, or http on this machine for testing.
ORIGIN_PATTERN = (
    r"^(https://[a-z0-9]([a-z0-9-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9-]*[a-z0-9])?)*"
    r"|http://(localhost|127\.0\.0\.1))(:[0-9]{1,5})?$"
)
COLOUR_PATTERN = r"^#([0-9a-fA-F]{3}|[0-9a-fA-F]{6})$"
# The font stacks a clinic may choose: system fonts only, so no font is ever downloaded.
FONT_STACKS = {
    "system": 'system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif',
    "humanist": '"Gill Sans", "Segoe UI", Candara, "Noto Sans", "DejaVu Sans", sans-serif',
    "serif": 'Charter, "Bitstream Charter", Georgia, Cambria, "Times New Roman", serif',
    "rounded": 'ui-rounded, "SF Pro Rounded", "Arial Rounded MT Bold", "Nunito", sans-serif',
}
# For editors only: the loader checks path data fully (pathdata.py).
PATH_DATA_PATTERN = r"^\s*[Mm][MmLlHhVvCcSsQqTtAaZz0-9eE+\-.,\s]*$"


def _matching(pattern: str, explanation: str):
    """A validator that refuses values not matching `pattern`, with a clinician's words."""
    compiled = re.compile(pattern)

    def check(value: str) -> str:
        if not compiled.match(value):
            raise ValueError(explanation)
        return value

    return AfterValidator(check)


_URL = re.compile(URL_PATTERN)
_RISKY_SCHEMES = ("javascript:", "data:", "vbscript:")


URL_RULE = "must be a web address starting with https:// or a path starting with /"


def _refuse(reason: str):
    return ValueError(f"{URL_RULE}; {reason}")


def _url(value: str) -> str:
    """Refuse addresses that are not plain https:// or site paths, saying what is wrong."""
    squeezed = "".join(ch for ch in value if ch.isprintable() and not ch.isspace()).lower()
    if squeezed.startswith(_RISKY_SCHEMES):
        raise _refuse("javascript:, data: and vbscript: addresses are refused")
    if any(not ch.isprintable() or ch.isspace() for ch in value):
        raise _refuse("no spaces, tabs, line breaks or control characters (write a space as %20)")
    if "\\" in value:
        raise _refuse("no backslash (\\): use /")
    if value.startswith("//"):
        raise _refuse("not // at the start: write the full address with https://")
    if value.lower().startswith("http://"):
        raise _refuse("http:// is refused (the page would not be secure): use https://")
    if value.lower().startswith("https://"):
        authority = re.split(r"[/?#]", value[len("https://") :], maxsplit=1)[0]
        if "@" in authority:
            raise _refuse("no user name or password (the part before @)")
        if not authority.isascii():
            raise _refuse("write an international host name in punycode (xn--…)")
    if not value.isascii():
        raise _refuse("plain ASCII only: percent-encode other letters (%C3%A9)")
    if not _URL.match(value):
        raise ValueError(URL_RULE)
    return value


def _path_data(value: str) -> str:
    check_path_data(value)
    return value


Slug = Annotated[
    str,
    StringConstraints(pattern=SLUG_PATTERN, max_length=60),
    Field(
        description="An id: lowercase letters, digits and single hyphens.",
        examples=["lower-back-left"],
    ),
]
# Characters a reader cannot see that change what a text says or how it is shown: zero-width
# characters and bidirectional controls (a "right-to-left override" can make text read backwards).
INVISIBLE_CHARACTERS = {
    "\u200b": "zero-width space",
    "\u200c": "zero-width non-joiner",
    "\u200d": "zero-width joiner",
    "\u2060": "word joiner",
    "\ufeff": "zero-width no-break space",
    "\u200e": "left-to-right mark",
    "\u200f": "right-to-left mark",
    "\u061c": "Arabic letter mark",
    "\u202a": "left-to-right embedding",
    "\u202b": "right-to-left embedding",
    "\u202c": "pop directional formatting",
    "\u202d": "left-to-right override",
    "\u202e": "right-to-left override",
    "\u2066": "left-to-right isolate",
    "\u2067": "right-to-left isolate",
    "\u2068": "first strong isolate",
    "\u2069": "pop directional isolate",
}
_CONTROL_CHARACTER = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _visible_text(value: object) -> object:
    """Refuse texts with invisible characters or control characters (before any stripping)."""
    if not isinstance(value, str):
        return value
    for character in value:
        if character in INVISIBLE_CHARACTERS:
            raise PydanticCustomError(
                "invisible_character",
                "contains an invisible {name} character ({code})",
                {"name": INVISIBLE_CHARACTERS[character], "code": f"U+{ord(character):04X}"},
            )
    if found := _CONTROL_CHARACTER.search(value):
        raise PydanticCustomError(
            "control_character",
            "contains a control character ({code})",
            {"code": f"U+{ord(found.group()):04X}"},
        )
    return value


Text = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=200),
    BeforeValidator(_visible_text),  # listed last, so it runs first: before stripping
]
LongText = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=1500),
    BeforeValidator(_visible_text),  # listed last, so it runs first: before stripping
]
# Texts patients read, given once or per language: {en: …, es: …}.
LocalText = localized(Text)
LocalLongText = localized(LongText)
Synonyms = localized_list(list[Text])

Url = Annotated[
    str,
    AfterValidator(_url),
    Field(
        json_schema_extra={"pattern": URL_PATTERN},
        examples=["https://www.example-clinic.com/treatments/physical-therapy/"],
    ),
]
Phone = Annotated[
    str,
    _matching(PHONE_PATTERN, 'must be a phone number such as "(609) 371-9100"'),
    Field(json_schema_extra={"pattern": PHONE_PATTERN}, examples=["(609) 371-9100"]),
]
Origin = Annotated[
    str,
    _matching(
        ORIGIN_PATTERN,
        "must be a web origin such as https://www.example-clinic.com (no path, no / at the end)",
    ),
    Field(json_schema_extra={"pattern": ORIGIN_PATTERN}, examples=["https://www.spineina.com"]),
]
Colour = Annotated[
    str,
    _matching(COLOUR_PATTERN, 'must be a colour written as "#1f6f8b" or "#fff"'),
    Field(json_schema_extra={"pattern": COLOUR_PATTERN}, examples=["#0d4a5f"]),
]
PathData = Annotated[
    str,
    StringConstraints(min_length=1, max_length=20000),
    AfterValidator(_path_data),
    Field(json_schema_extra={"pattern": PATH_DATA_PATTERN}),
]


class Strict(BaseModel):
    """Base for every section: unknown keys are mistakes, models are frozen."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


def _time_zone(value: str) -> str:
    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        raise ValueError('must be a time zone name such as "America/New_York"') from None
    return value


TIME_ZONE_PATTERN = r"^[A-Za-z][A-Za-z0-9_+\-]*(/[A-Za-z0-9_+\-]+)*$"
TimeZone = Annotated[
    str,
    _matching(TIME_ZONE_PATTERN, 'must be a time zone name such as "America/New_York"'),
    AfterValidator(_time_zone),
    Field(
        json_schema_extra={"pattern": TIME_ZONE_PATTERN},
        examples=["America/New_York", "America/Chicago"],
    ),
]


class Embed(Strict):
    """How the map behaves inside the clinic's website (an iframe)."""

    allowed_origins: list[Origin] = Field(
        default_factory=list,
        description="The websites that may show the map in a frame (scheme and host only).",
        examples=[["https://www.spineina.com"]],
    )
    open_links: Literal["top", "new-tab"] = Field(
        "top",
        description="Where article and booking links open from the frame: "
        "'top' replaces the clinic's page, 'new-tab' opens a new tab.",
    )


class Theme(Strict):
    """The clinic's colours and font; checked for readable contrast by `bodymap check`."""

    accent: Colour = Field("#0d4a5f", description="Links, buttons and the selected region.")
    text: Colour = Field("#1d2327", description="The colour of the text.")
    background: Colour = Field("#ffffff", description="The page's background colour.")
    font: Literal[tuple(FONT_STACKS)] = Field(
        "system", description="One of the font families: " + ", ".join(FONT_STACKS) + "."
    )
    radius: int = Field(10, ge=0, le=24, description="Roundness of buttons and boxes, in pixels.")


class Clinic(Strict):
    """Who runs the map and how patients reach them."""

    name: Text = Field(description="The clinic's name, shown in the page header.")
    tagline: LocalText | None = Field(None, description="One short line under the clinic's name.")
    phone: Phone = Field(description="The phone number patients call to book; in quotes.")
    booking_url: Url = Field(description="Where the 'Book an appointment' button leads.")
    site_url: Url = Field(description="The clinic's own website.")
    emergency_number: Phone = Field("911", description="The emergency number (911 in the US).")
    crisis_line: Phone = Field("988", description="The suicide and crisis line (988 in the US).")
    timezone: TimeZone = Field(
        "America/New_York", description="The clinic's time zone: the summary's date and time."
    )
    disclaimer: LocalLongText | None = Field(
        None, description="A short note that the tool educates and does not diagnose."
    )
    embed: Embed = Field(default_factory=Embed, description="Showing the map on the clinic's site.")
    theme: Theme = Field(default_factory=Theme, description="The clinic's colours and font.")


class FigureView(Strict):
    """One view of the figure: its silhouette and the shape of each region drawn on it."""

    outline: PathData = Field(description="SVG path data of the silhouette (generated).")
    shapes: dict[Slug, PathData] = Field(
        default_factory=dict,
        description="SVG path data of each region on this view, by region id (generated).",
    )


class Figure(Strict):
    """A figure file (figures/adult.yaml): written by tools/make_figure.py, not by hand."""

    width: float = Field(gt=0, le=10000, description="Width of each view, in figure units.")
    height: float = Field(gt=0, le=10000, description="Height of each view, in figure units.")
    front: FigureView = Field(description="The front view: silhouette and region shapes.")
    back: FigureView = Field(description="The back view: silhouette and region shapes.")

    def view_of(self, region_id: str) -> str | None:
        """The view that draws a region, or None when no view does."""
        return next((v for v in VIEWS if region_id in getattr(self, v).shapes), None)

    def shape(self, region_id: str) -> str:
        """The path data of a region (KeyError when no view draws it)."""
        return getattr(self, self.view_of(region_id) or "front").shapes[region_id]


class Area(Strict):
    """A body area: groups regions in the list and shares red flags among them."""

    id: Slug
    label: LocalText = Field(description="The heading of this area in the list of places.")
    red_flags: list[Slug] = Field(
        default_factory=list, description="Ids of red flags shown for every region in this area."
    )


class Region(Strict):
    """A place on the figure that a patient can tap."""

    id: Slug
    label: LocalText = Field(
        description="What a patient calls this place, without the side.", examples=["Lower back"]
    )
    view: Literal["front", "back"] = Field(description="The view of the figure it is drawn on.")
    side: Literal["left", "right", "centre"] = Field(
        description="The patient's own side; 'centre' for the middle of the body."
    )
    area: Slug = Field(description="The id of the body area this region belongs to.")
    synonyms: Synonyms = Field(
        default_factory=list,
        description="Other words patients use for this place.",
        examples=[["lumbar", "low back"]],
    )
    pain_points: list[Slug] = Field(
        default_factory=list, description="Ids of common causes of pain here, most likely first."
    )
    red_flags: list[Slug] = Field(
        default_factory=list, description="Ids of red flags for this place, on top of its area's."
    )
    codes: dict[Slug, str | int] = Field(
        default_factory=dict,
        description="This place in other body maps.",
        examples=[{"choir": 218}],
    )


class PainPoint(Strict):
    """A condition that commonly causes pain somewhere."""

    id: Slug
    label: LocalText = Field(description="The condition's everyday name.", examples=["Sciatica"])
    summary: LocalLongText = Field(
        description="Two or three plain sentences a patient understands."
    )
    synonyms: Synonyms = Field(
        default_factory=list,
        description="Other words patients use for it.",
        examples=[["pinched nerve", "shooting pain down my leg"]],
    )
    articles: list[Slug] = Field(
        default_factory=list, description="Ids of articles about it, listed first, in this order."
    )
    tags: list[Slug] = Field(
        default_factory=list, description="Every article sharing one of these tags is listed too."
    )
    red_flags: list[Slug] = Field(
        default_factory=list, description="Ids of red flags shown on this pain point's page."
    )
    crisis_line: bool = Field(
        False, description="Show the crisis line (988) with it: mood, depression."
    )


class Article(Strict):
    """One of the clinic's treatment articles."""

    id: Slug
    title: LocalText = Field(description="The article's title, as on the clinic's site.")
    url: Url = Field(description="The article's full https:// address.")
    summary: LocalLongText = Field(description="One or two sentences about what it covers.")
    tags: list[Slug] = Field(
        default_factory=list, description="Topics, matched against pain points' tags."
    )


class RedFlag(Strict):
    """A warning sign that needs urgent care."""

    id: Slug
    level: Literal["emergency", "urgent", "soon"] = Field(
        description="emergency: call 911 now; urgent: see a doctor today; "
        "soon: call the clinic in the next few days."
    )
    text: LocalLongText = Field(description="The sign, in one plain sentence.")
    phrases: Synonyms = Field(
        default_factory=list,
        description="What patients type when they have this sign. Search shows the sign "
        "first when the words typed include every word of one phrase (see docs/search.md).",
        examples=[["worst headache of my life", "sudden severe headache"]],
    )
    crisis_line: bool = Field(
        False, description="The action is the crisis line (call or text 988), not 911."
    )


class PainKind(Strict):
    """One answer to "What does it feel like?" on the details form."""

    id: Slug
    label: LocalText = Field(description="The word patients tick.", examples=["Burning"])


def _kind(ident: str, en: str, es: str) -> PainKind:
    return PainKind(id=ident, label={"en": en, "es": es})


# What the form offers when the file lists no pain_kinds (painDETECT's and MyPAIN's words).
DEFAULT_PAIN_KINDS = (
    _kind("aching", "Aching", "Dolor sordo"),
    _kind("burning", "Burning", "Ardor"),
    _kind("shooting", "Shooting", "Punzante que se extiende"),
    _kind("stabbing", "Stabbing", "Como una puñalada"),
    _kind("throbbing", "Throbbing", "Pulsátil"),
    _kind("pins-and-needles", "Pins and needles", "Hormigueo"),
    _kind("numbness", "Numbness", "Entumecimiento"),
    _kind("cramping", "Cramping", "Calambres"),
)


class LongLasting(Strict):
    """The clinic's general notes for pain that has lasted 3 months or more."""

    articles: list[Slug] = Field(
        default_factory=list,
        description="Ids of articles about long-lasting pain, shown when a patient says a "
        "pain has lasted 3 months or more (with the crisis line).",
    )


class RegionsFile(Strict):
    """The whole regions.yaml file."""

    clinic: Clinic = Field(description="Who runs the map and how patients reach them.")
    areas: list[Area] = Field(min_length=1, description="Body areas, in the order of the list.")
    regions: list[Region] = Field(min_length=1, description="The places a patient can tap.")
    pain_points: list[PainPoint] = Field(
        default_factory=list, description="Conditions that commonly cause pain."
    )
    articles: list[Article] = Field(
        default_factory=list, description="The clinic's treatment articles."
    )
    red_flags: list[RedFlag] = Field(
        default_factory=list, description="Warning signs that need urgent care."
    )
    pain_kinds: list[PainKind] = Field(
        default_factory=lambda: list(DEFAULT_PAIN_KINDS),
        max_length=20,
        description="What the pain may feel like, offered per place on the details form.",
    )
    long_lasting: LongLasting = Field(
        default_factory=LongLasting, description="Notes for pain of 3 months or more."
    )

    @model_validator(mode="after")
    def _long_lasting_articles_exist(self) -> RegionsFile:
        known = {a.id for a in self.articles}
        for ident in self.long_lasting.articles:
            if ident not in known:
                raise ValueError(f"long_lasting: there is no article with the id '{ident}'")
        return self
