"""What the patient said about the chosen places, looked up in the content: for the panel,
the summary and the FHIR copy. It never changes the ranking of causes (education, not
diagnosis); it only adds the clinic's general notes. Knows nothing of Flask.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

from babel.dates import format_date, format_time

from .content import Content, RegionEntry, Selection
from .models import Article, PainKind, RedFlag
from .state import PageState

LEVELS = ("emergency", "urgent", "soon")  # most pressing first


@dataclass(frozen=True)
class PlaceDetails:
    """One chosen place and what the patient said about it (None or () when not said)."""

    entry: RegionEntry
    intensity: int | None
    kinds: tuple[PainKind, ...]
    duration: str | None
    worst: bool


@dataclass(frozen=True)
class FlagAnswer:
    """The answer to "Do any of these apply to you?" for the chosen places' warning signs."""

    answer: str  # "", "none" or "yes"
    ticked: tuple[RedFlag, ...]  # the signs the patient ticked (optional)
    level: str  # the most pressing level that applies ("" unless "yes")
    matched: tuple[RedFlag, ...]  # the signs to list beside the action
    asked: tuple[RedFlag, ...]  # every sign the question was about


@dataclass(frozen=True)
class Details:
    places: tuple[PlaceDetails, ...]
    flags: FlagAnswer
    long_lasting: tuple[Article, ...]  # the clinic's notes, when a pain lasted 3 months+
    long_lasting_note: bool  # a pain has lasted 3 months or more

    @property
    def any_given(self) -> bool:
        return any(p.intensity is not None or p.kinds or p.duration for p in self.places)

    @property
    def described(self) -> bool:
        """A detail or the worst place given: the summary shows a table of the places."""
        return self.any_given or any(p.worst for p in self.places)


def details(content: Content, selection: Selection, state: PageState) -> Details:
    """The state's answers for the selection, with unknown ids dropped."""
    places = tuple(
        PlaceDetails(
            entry=entry,
            intensity=state.detail("intensity", entry.id),
            kinds=tuple(
                content.pain_kinds[k]
                for k in state.detail("kinds", entry.id)
                if k in content.pain_kinds
            ),
            duration=state.detail("duration", entry.id),
            worst=state.worst == entry.id,
        )
        for entry in selection.regions
    )
    lasting = any(p.duration == "months" for p in places)
    return Details(
        places=places,
        flags=flag_answer(selection, state),
        long_lasting=content.long_lasting if lasting else (),
        long_lasting_note=lasting,
    )


def flag_answer(selection: Selection, state: PageState) -> FlagAnswer:
    """The level of the action: of the ticked signs, else of every sign asked about."""
    asked = selection.red_flags
    if not asked or not state.flags:
        return FlagAnswer("", (), "", (), asked)
    ticked = tuple(flag for flag in asked if flag.id in state.signs)
    if state.flags == "none":
        return FlagAnswer("none", (), "", (), asked)
    pool = ticked or asked
    level = next(level for level in LEVELS if any(f.level == level for f in pool))
    matched = ticked or tuple(f for f in asked if f.level == level)
    return FlagAnswer("yes", ticked, level, matched, asked)


def made_now(timezone: str, now: datetime | None = None) -> datetime:
    """When the summary is made, in the clinic's time zone (clinic.timezone)."""
    return (now or datetime.now(UTC)).astimezone(ZoneInfo(timezone))


def made_text(made: datetime, language: str) -> str:
    """The date and time as the page's language writes them, with the zone's abbreviation."""
    date = format_date(made, "long", locale=language)
    time = format_time(made, "short", locale=language)
    return f"{date}, {time} {made.tzname()}"
