"""Problems found in regions.yaml or its figure file, each at a line and column with a hint."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One mistake in the content file, in the words a clinician reads."""

    line: int
    column: int
    message: str
    hint: str = ""
    file: str = ""
    severity: str = "error"  # "warning": worth fixing, but served; "note": for information

    def __str__(self) -> str:
        text = f"{self.file}:{self.line}:{self.column}: {self.severity}: {self.message}"
        return f"{text} — {self.hint}" if self.hint else text

    def as_dict(self) -> dict:
        return dataclasses.asdict(self)


class ContentError(Exception):
    """regions.yaml cannot be used; `problems` says where and why."""

    def __init__(self, problems: list[Problem]):
        # In file order, one file after the other (the content file first, then its figure).
        files = list(dict.fromkeys(p.file for p in problems))
        self.problems = sorted(problems, key=lambda p: (files.index(p.file), p))
        super().__init__("\n".join(str(p) for p in self.problems))


def did_you_mean(word: str, choices) -> str:
    """A 'did you mean …?' hint for a misspelt key or id, or '' when nothing is really close.

    Close means a slip of the keyboard: capitals, - for _, or one or two letters wrong,
    missing, extra or swapped (three in a long word). A far match would be worse than none:
    "did you mean 'hip-pain-treatment'?" for a removed 'whiplash-treatment' would put a hip
    article under whiplash.
    """
    word = str(word)
    folded = _folded(word)
    best, best_distance = "", None
    for choice in choices:
        distance = _edits(folded, _folded(str(choice)))
        if distance <= _slips(folded) and (best_distance is None or distance < best_distance):
            best, best_distance = str(choice), distance
    return f"did you mean '{best}'?" if best and best != word else ""


def _folded(word: str) -> str:
    return word.casefold().replace("_", "-").replace(" ", "-")


def _slips(word: str) -> int:
    """How many slips a word of this length may have and still be recognised."""
    return 1 if len(word) <= 6 else 2 if len(word) <= 14 else 3


def _edits(a: str, b: str) -> int:
    """Letters changed, added, removed or swapped to turn `a` into `b` (Damerau-Levenshtein)."""
    if abs(len(a) - len(b)) > 3:
        return 4
    before, row = None, list(range(len(b) + 1))
    for i, letter in enumerate(a, 1):
        current = [i]
        for j, other in enumerate(b, 1):
            cost = current[j - 1] + 1, row[j] + 1, row[j - 1] + (letter != other)
            best = min(cost)
            if before and i > 1 and j > 1 and letter == b[j - 2] and a[i - 2] == other:
                best = min(best, before[j - 2] + 1)
            current.append(best)
        before, row = row, current
    return row[-1]


def a_or_an(noun: str) -> str:
    """The noun with its article: 'an article', 'an area', 'a pain point'."""
    return f"{'an' if noun[:1].lower() in 'aeiou' else 'a'} {noun}"


def counted(count: int, noun: str, plural: str = "") -> str:
    """'1 text', '2 texts'."""
    return f"{count:,} {noun if count == 1 else plural or noun + 's'}"
