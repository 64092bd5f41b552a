"""How full the printed summary is, so that its type can be small enough to keep one sheet.

Counted in characters of the page's language (a longer language gets smaller type too):
the warning signs, the places with what the patient said about them, the signs they ticked,
the causes and the notes. The weights and steps were fitted by printing summaries in
Chromium on A4 and Letter, in English and Spanish; tests/browser/test_summary.py prints the
fullest sheet promised: six places with every detail given, on one sheet of either paper.
Knows nothing of Flask.
"""

from __future__ import annotations

from dataclasses import dataclass

from .content import Selection
from .details import Details

# From the roomiest print layout to the tightest (CSS classes summary-<density>): each adds
# to the one before it, so "fullest" is also "densest".
DENSITIES = ("", "dense", "denser", "densest", "fullest")
STEPS = (1150, 1600, 2200, 4400)  # the fill at which each tighter layout starts
CAUSES = 6  # causes listed on paper; fewer when the patient described the pain
CAUSES_DESCRIBED = 4
# Characters' worth of room taken by what is not counted in characters.
PLACE_ROW = 40  # a table row's intensity and duration columns, and its rule
CAUSE_LINE = 30  # a cause's label on its line
LONG_LASTING = 250  # the note for pain of 3 months or more
QR = 150  # the code beside the notes box


@dataclass(frozen=True)
class Sheet:
    fill: int  # characters, weighted by the room they take on paper
    density: str  # one of DENSITIES
    causes: int  # how many causes the sheet lists

    @property
    def classes(self) -> str:
        """The print layout's classes: the density and every roomier one it builds on."""
        reached = DENSITIES[1 : DENSITIES.index(self.density) + 1] if self.density else ()
        return " ".join(f"summary-{d}" for d in reached)


def summary_sheet(selection: Selection, answers: Details, qr: bool) -> Sheet:
    """The layout of the printed summary for these places and answers."""
    causes = CAUSES_DESCRIBED if answers.any_given else CAUSES
    fill = fill_of(selection, answers, qr, causes)
    if fill > STEPS[2] and qr:
        causes = CAUSES_DESCRIBED  # the fullest sheets also carry a QR code
    level = sum(fill > step for step in STEPS)
    return Sheet(fill, DENSITIES[level], causes)


def fill_of(selection: Selection, answers: Details, qr: bool, causes: int) -> int:
    signs = sum(len(flag.text) for flag in selection.red_flags)
    ticked = sum(len(flag.text) for flag in answers.flags.ticked)
    if answers.described:
        # A table row per place: its name, the kinds (they wrap first), the duration.
        places = sum(
            PLACE_ROW + len(p.entry.name) + sum(len(k.label) + 2 for k in p.kinds)
            for p in answers.places
        )
    else:
        places = sum(len(entry.name) for entry in selection.regions) // 2  # two columns
    names = {entry.id: len(entry.name) for entry in selection.regions}
    several = len(names) > 1
    causes_chars = sum(
        CAUSE_LINE + (sum(names.get(r, 0) for r in item.region_ids) if several else 0)
        for item in selection.pain_points[:causes]
    )
    return (
        signs
        + ticked
        + places
        + causes_chars
        + (LONG_LASTING if answers.long_lasting_note else 0)
        + (QR if qr else 0)
    )
