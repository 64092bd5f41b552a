"""Problems found in regions.yaml, each pointing at a line and column with a hint."""

from __future__ import annotations

import dataclasses
import difflib
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
        self.problems = sorted(problems)
        super().__init__("\n".join(str(p) for p in self.problems))


def did_you_mean(word: str, choices) -> str:
    """A 'did you mean …?' hint for a misspelt key or id, or '' when nothing is close."""
    close = difflib.get_close_matches(str(word), list(choices), n=1, cutoff=0.6)
    return f"did you mean '{close[0]}'?" if close else ""
