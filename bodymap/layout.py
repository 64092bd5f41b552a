"""Mistakes in the layout of the file that would mislead every later check.

A missing section, items under the wrong section, `en:`/`es:` lines at the wrong indent and a
comma in an unquoted `{en: …, es: …}` text each make the model and reference checks report
many problems with wrong advice ("level is missing", "did you mean 'articles'?", "unknown key
'en'", one "there is no article" line per reference). Found first, each becomes one problem
naming the real cause, and the problems it explains are left out.
"""

from __future__ import annotations

import re
import typing
from dataclasses import dataclass, field

from pydantic import BaseModel

from .i18n import ENGLISH_NAMES, LANGUAGES
from .models import RegionsFile
from .problems import Problem, a_or_an
from .yamlsource import Path, Source

# Every top-level section, in the order of the sample file.
SECTION_ORDER = tuple(RegionsFile.model_fields)
# The sections every file ends with; those after them (pain_kinds, long_lasting) are settings
# most files leave out, so a file without them is not cut off.
ENDING_SECTIONS = SECTION_ORDER[: SECTION_ORDER.index("red_flags") + 1]

# What each list section's items are called in messages.
SECTION_NAMES = {
    "areas": "area",
    "regions": "region",
    "pain_points": "pain point",
    "articles": "article",
    "red_flags": "red flag",
}
PLURALS = {name: f"{name}s" for name in SECTION_NAMES.values()}

BACKUP_HINT = "put it back from your backup copy of regions.yaml (or from git)"

# (section that refers, its key, section referred to)
REFERENCES = (
    ("areas", "red_flags", "red_flags"),
    ("regions", "area", "areas"),
    ("regions", "pain_points", "pain_points"),
    ("regions", "red_flags", "red_flags"),
    ("pain_points", "articles", "articles"),
    ("pain_points", "red_flags", "red_flags"),
)


def _item_keys(section: str) -> tuple[set[str], set[str]]:
    """The keys an item of `section` may have, and those it must have."""
    model = next(
        arg
        for arg in typing.get_args(RegionsFile.model_fields[section].annotation)
        if isinstance(arg, type) and issubclass(arg, BaseModel)
    )
    fields = model.model_fields
    return set(fields), {name for name, info in fields.items() if info.is_required()}


ALLOWED = {section: _item_keys(section)[0] for section in SECTION_NAMES}


@dataclass
class Layout:
    """The layout problems of a file, and what they explain."""

    problems: list[Problem] = field(default_factory=list)
    # Places whose other problems a layout problem explains.
    explained: set[Path] = field(default_factory=set)
    # Sections that are missing: references to them are not listed one by one.
    missing: set[str] = field(default_factory=set)
    # Items under the wrong section: (section, index) mapped to the section they belong to.
    moved: dict[tuple[str, int], str] = field(default_factory=dict)

    def explains(self, loc: Path) -> bool:
        return any(loc[:end] in self.explained for end in range(1, len(loc) + 1))


def layout(source: Source) -> Layout:
    """Find the layout mistakes in a file whose top level is a mapping."""
    found = Layout()
    _misplaced_items(source, found)
    _missing_sections(source, found)
    _loose_languages(source, source.data, (), found)
    return found


def _misplaced_items(source: Source, found: Layout) -> None:
    data = source.data
    for section in SECTION_NAMES:
        items = data.get(section)
        if not isinstance(items, list):
            continue
        run: list[int] = []
        kind = None
        for i, item in [*enumerate(items), (len(items), None)]:
            belongs = _belongs_to(item, section)
            if run and belongs != kind:
                _report_run(source, found, section, kind, run)
                run = []
            if belongs:
                run.append(i)
                kind = belongs


def _belongs_to(item, section: str) -> str | None:
    """The other section an item belongs to, judging by its keys, or None."""
    if not isinstance(item, dict):
        return None
    keys = {key for key in item if isinstance(key, str)}
    extra = keys - ALLOWED[section]
    if not extra:
        return None
    fitting = [other for other in SECTION_NAMES if other != section and keys <= ALLOWED[other]]
    return max(fitting, key=lambda other: len(extra & ALLOWED[other]), default=None)


def _report_run(source: Source, found: Layout, section: str, kind: str, run: list[int]) -> None:
    first = run[0]
    item = source.data[section][first]
    typical = sorted(set(item) - ALLOWED[section], key=list(item).index)[:2]
    signs = " and ".join(f"{key}:" for key in typical)
    noun = SECTION_NAMES[kind]
    what = (
        f"this item looks like {a_or_an(noun)} (it has {signs})"
        if len(run) == 1
        else f"this item and the next {len(run) - 1} look like {PLURALS[noun]} (they have {signs})"
    )
    place = source.where((section, first))
    if kind in source.data:
        line, _ = source.where((kind,), key=True)
        message = f"{what}, not {a_or_an(SECTION_NAMES[section])}"
        hint = f"move {'it' if len(run) == 1 else 'them'} under '{kind}:' (line {line})"
    else:
        them = "it" if len(run) == 1 else "them"
        message = f"{what}, but the line '{kind}:' above {them} is missing"
        hint = f"write '{kind}:' at the left edge, on its own line above this item"
        found.missing.add(kind)
    found.problems.append(Problem(*_line_start(place), message, hint))
    for i in run:
        found.explained.add((section, i))
        found.moved[(section, i)] = kind


def _line_start(place: tuple[int, int]) -> tuple[int, int]:
    """An item's place is its first key: point at its dash, two columns before."""
    line, column = place
    return line, max(column - 2, 1)


def _missing_sections(source: Source, found: Layout) -> None:
    data = source.data
    referred = {
        target: (section, i, key)
        for section, key, target in REFERENCES
        for i, item in enumerate(data.get(section) or [])
        if isinstance(data.get(section), list) and isinstance(item, dict) and item.get(key)
    }
    for index, section in enumerate(SECTION_ORDER):
        if section in data or section in found.missing:
            continue
        required = RegionsFile.model_fields[section].is_required()
        if not required and section not in referred:
            continue
        found.missing.add(section)
        found.explained.add((section,))
        later = [name for name in SECTION_ORDER[index + 1 :] if name in data]
        if later:
            place = source.where((later[0],), key=True)
            where = f"it goes above '{later[0]}:' here"
        else:
            place = (_last_line(source), 1)
            where = "it goes at the end of the file"
        named = ""
        if section in referred:
            line, _ = source.where(referred[section])
            named = f" (the file names {PLURALS[SECTION_NAMES[section]]}, first on line {line})"
        message = f"the section '{section}:' is missing{named}"
        found.problems.append(Problem(*place, message, f"{where}: {BACKUP_HINT}"))


def _last_line(source: Source) -> int:
    return max((line for line, _ in source.values.values()), default=1)


def _loose_languages(source: Source, value, path: Path, found: Layout) -> None:
    """`en:`/`es:` lines not indented under their key, and commas in `{en: …, es: …}`."""
    if isinstance(value, list):
        for i, item in enumerate(value):
            _loose_languages(source, item, (*path, i), found)
        return
    if not isinstance(value, dict):
        return
    keys = list(value)
    for i, key in enumerate(keys):
        if value[key] is None and key not in LANGUAGES and isinstance(key, str):
            following = []
            for later in keys[i + 1 :]:
                if later not in LANGUAGES:
                    break
                following.append(later)
            if following:
                _report_indent(source, found, path, key, following)
                continue
        if value[key] is None and key not in LANGUAGES and i > 0 and keys[i - 1] in LANGUAGES:
            _report_split_text(source, found, path, value, keys[i - 1], key)
            return
        if key not in LANGUAGES:
            _loose_languages(source, value[key], (*path, key), found)


def _report_indent(source: Source, found: Layout, path: Path, key: str, languages: list) -> None:
    _, column = source.where((*path, key), key=True)
    first = (*path, languages[0])
    names = " and ".join(f"{language}:" for language in languages)
    spaces = column - 1 + 2
    found.problems.append(
        Problem(
            *source.where(first, key=True),
            f"{names} {'are' if len(languages) > 1 else 'is'} not indented under '{key}:'",
            f"indent {'them' if len(languages) > 1 else 'it'} two more spaces than '{key}:'"
            f" ({spaces} spaces), so that {'they belong' if len(languages) > 1 else 'it belongs'}"
            f" to '{key}:'",
        )
    )
    found.explained.update({(*path, key), *((*path, language) for language in languages)})


def _report_split_text(source: Source, found: Layout, path: Path, value: dict, before, stray):
    """`{en: Lower back, es: Espalda baja, zona lumbar}`: the comma split the Spanish text."""
    missing = [language for language in LANGUAGES if language not in value]
    if missing:
        language = missing[0]
        message = f"the text '{stray}' has no '{language}:' in front of it"
        hint = f'write it as {language}: "{stray}" if it is the {ENGLISH_NAMES[language]} text'
        place = source.where((*path, stray), key=True)
    else:
        whole = f"{value[before]}, {stray}"
        message = (
            f"the comma in the {ENGLISH_NAMES.get(before, before)} text '{whole}' ends it"
            " early: inside { }, a comma separates the languages"
        )
        hint = f'put the text in double quotes: {before}: "{whole}"'
        place = source.where((*path, before))
    found.problems.append(Problem(*place, message, hint))
    found.explained.add(path)


def cut_off(text: str) -> Problem | None:
    """A file that ends in the middle of a line, before the sections that come last.

    A file saved without a final line break is fine (Notepad does that); one that also stops
    before its last sections was cut (a copy or a save interrupted half-way).
    """
    if not text.strip() or text.endswith(("\n", "\r")):
        return None
    present = set(re.findall(r"^([a-z_]+):", text, re.MULTILINE))
    shown = [section for section in ENDING_SECTIONS if section in present]
    if not shown:
        return None
    after = ENDING_SECTIONS[ENDING_SECTIONS.index(shown[-1]) + 1 :]
    if not after or any(section in present for section in after):
        return None
    lines = text.splitlines()
    names = ", ".join(f"'{section}:'" for section in after)
    return Problem(
        len(lines),
        len(lines[-1]) + 1,
        f"the file stops in the middle of this line, before the"
        f" section{'s' if len(after) > 1 else ''} {names}: it looks cut off",
        "the rest of the file was lost (an interrupted copy or save): put the whole file back"
        " from your backup copy (or git), then make your change again",
    )
