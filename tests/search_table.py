"""The judged query set (tests/data/search/queries.tsv): read it, and judge a search by it.

Shared by tests/test_search_table.py (every row must pass) and bench/search_quality.py
(precision at 1 and at 3, before and after).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

SEARCH_DATA = Path(__file__).parent / "data" / "search"
TABLE = SEARCH_DATA / "queries.tsv"
CONTENT = SEARCH_DATA / "regions.yaml"
KINDS = ("red_flag", "pain_point", "region", "article")

# What a search shows, per kind, in page order: {"red_flag": [ids], "pain_point": [...], …}
Shown = dict[str, list[str]]


@dataclass(frozen=True)
class Row:
    line: int
    language: str
    query: str
    warning: tuple[str, ...]  # red flag ids, any of which must lead; () = no warning block
    expect: tuple[tuple[str, str], ...]  # (kind, id), any of which must come within
    within: int


@dataclass(frozen=True)
class Judgement:
    row: Row
    what: str  # "warning" | "expect" | "no warning"
    rank: int | None  # 1-based place of the first acceptable answer in its group
    passed: bool


def read_table(path: Path = TABLE) -> list[Row]:
    rows = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#") or line.startswith("lang\t"):
            continue
        language, query, warning, expect, within = line.split("\t")
        rows.append(
            Row(
                number,
                language,
                query,
                () if warning == "-" else tuple(warning.split("|")),
                () if expect == "-" else tuple(tuple(e.split(":")) for e in expect.split("|")),
                int(within),
            )
        )
    return rows


def _rank(shown: list[str], acceptable) -> int | None:
    ranks = [shown.index(a) + 1 for a in acceptable if a in shown]
    return min(ranks) if ranks else None


def judge(rows: list[Row], search: Callable[[str, str], Shown]) -> list[Judgement]:
    """Every judgement of every row: the warning, the absence of one, the expected result."""
    found = []
    for row in rows:
        shown = search(row.language, row.query)
        if row.warning:
            rank = _rank(shown["red_flag"], row.warning)
            found.append(Judgement(row, "warning", rank, rank is not None and rank <= row.within))
        else:
            found.append(Judgement(row, "no warning", None, not shown["red_flag"]))
        if row.expect:
            ranks = [_rank(shown[kind], [ident]) for kind, ident in row.expect]
            rank = min((r for r in ranks if r is not None), default=None)
            found.append(Judgement(row, "expect", rank, rank is not None and rank <= row.within))
    return found


def precision(judgements: list[Judgement], k: int) -> float:
    """The share of ranked judgements (warning, expect) whose answer is among the first k."""
    ranked = [j for j in judgements if j.what != "no warning"]
    return sum(1 for j in ranked if j.rank is not None and j.rank <= k) / len(ranked)


def shown_by(content) -> Callable[[str, str], Shown]:
    """What the map shows for a query, from a `Content` (Content.search, page order)."""

    def search(language: str, query: str) -> Shown:
        found = content.in_language(language).search(query)
        return {
            "red_flag": [flag.id for flag in found.red_flags],
            "pain_point": [entry.id for entry, _ in found.pain_points],
            "region": [entry.id for entry, _ in found.regions],
            "article": [article.id for article, _ in found.articles],
        }

    return search
