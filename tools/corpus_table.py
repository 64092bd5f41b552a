"""Print the broken-file corpus (tests/data/broken) as a Markdown table for the guide.

One row per message `bodymap check` gives: the file, the mistake made in it (from its first
line, "# Broken on purpose (…)"), the line and column, and the message with its hint. For a
file that is valid but gets a warning, the warnings that tests/data/small.yaml itself gets
are left out.

    python tools/corpus_table.py            # print the table
    python tools/corpus_table.py --write    # put it into docs/editing-regions.md
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bodymap.lint import inspect_file  # noqa: E402

BROKEN = ROOT / "tests" / "data" / "broken"
SMALL = ROOT / "tests" / "data" / "small.yaml"
GUIDE = ROOT / "docs" / "editing-regions.md"
START = "<!-- corpus table: made by tools/corpus_table.py --write; do not edit by hand -->"
END = "<!-- end of corpus table -->"
MISTAKE = re.compile(r"Broken on purpose \((.*?)\); see")


def mistake(path: Path) -> str:
    """The mistake a corpus file was made with, as its first line names it."""
    raw = path.read_bytes()[:4000]
    for encoding in ("utf-8", "utf-16", "cp1252"):
        found = MISTAKE.search(raw.decode(encoding, "ignore").replace("\\par", ""))
        if found:
            return found[1]
    return path.stem.split("-", 1)[1].replace("-", " ")


def messages(path: Path, ignored: set[str]) -> list:
    report = inspect_file(str(path))
    if report.errors:
        return report.errors
    return [w for w in report.warnings if w.message not in ignored]


def cell(text: str) -> str:
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("`", "'").replace("\n", " ")


def table() -> str:
    ignored = {w.message for w in inspect_file(str(SMALL)).warnings}
    rows = ["| file | mistake | line:col | message — hint |", "|---|---|---|---|"]
    for path in sorted(BROKEN.glob("*.yaml")):
        name, what = path.name, mistake(path)
        for problem in messages(path, ignored):
            said = f"{problem.severity}: {problem.message}"
            if problem.hint:
                said += f" — {problem.hint}"
            rows.append(
                f"| {cell(name)} | {cell(what)} | {problem.line}:{problem.column} | {cell(said)} |"
            )
            name = what = ""
    return "\n".join(rows) + "\n"


def written_into(guide: str, made: str) -> str:
    """The guide with the table between its markers replaced by `made`."""
    before, rest = guide.split(START + "\n", 1)
    _, after = rest.split(END, 1)
    return f"{before}{START}\n{made}{END}{after}"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--write", action="store_true", help=f"update {GUIDE.name}")
    args = parser.parse_args(argv)
    made = table()
    if args.write:
        GUIDE.write_text(written_into(GUIDE.read_text(encoding="utf-8"), made), encoding="utf-8")
    else:
        sys.stdout.write(made)
    return 0


if __name__ == "__main__":
    sys.exit(main())
