"""Warnings about a valid regions.yaml: things that work but are probably not meant.

A warning never stops the file from being served; `bodymap check --strict` treats
warnings as errors.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from .content import build_content
from .contrast import ratio, theme_pairs
from .geometry import scan
from .i18n import DEFAULT_LANGUAGE, ENGLISH_NAMES, LANGUAGES
from .loader import (
    MAX_FILE_BYTES,
    LoadedFile,
    UnreadableFile,
    describe,
    fault_problem,
    load_bytes,
    load_file,
    read_figure_file,
)
from .localized import untranslated
from .models import VIEWS
from .problems import ContentError, Problem
from .search import PAIN, phrase_words
from .where import index as shown_where

OVERLAP_SHARE = 0.2  # of the smaller shape: more than this is "heavily"


@dataclass(frozen=True)
class Report:
    """What `bodymap check` and the preview page say about a file."""

    path: str
    loaded: LoadedFile | None
    errors: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    unreadable: bool = False
    # Texts shown in English for want of a translation, per language (not warnings: a
    # clinic may translate only what patients read most).
    untranslated: dict[str, list[Problem]] = field(default_factory=dict)


def inspect_file(path: str, max_bytes: int = MAX_FILE_BYTES, figures_dir: str = "") -> Report:
    """Load a file and its figure and collect their errors, or their warnings when valid."""
    try:
        loaded = load_file(path, max_bytes, figures_dir)
    except UnreadableFile as error:
        return Report(path, None, error.problems, unreadable=True)
    except ContentError as error:
        return Report(path, None, error.problems)
    return _report(path, loaded)


def inspect_bytes(
    raw: bytes, path: str, max_bytes: int = MAX_FILE_BYTES, figures_dir: str = ""
) -> Report:
    """The same checks on bytes not yet written (the editor checks a save before it writes).

    The figure file is the one on disk: only tools/make_figure.py writes it.
    """
    try:
        figure, figure_name, _ = read_figure_file(path, max_bytes, figures_dir)
        loaded = load_bytes(raw, path, max_bytes, figure=figure, figure_name=figure_name)
    except UnreadableFile as error:
        return Report(path, None, error.problems, unreadable=True)
    except ContentError as error:
        return Report(path, None, error.problems)
    return _report(path, loaded)


def _report(path: str, loaded: LoadedFile) -> Report:
    try:
        warnings, notes = content_warnings(loaded), untranslated_texts(loaded)
    except Exception as error:
        # The pages are built the same way as the warnings: a file they fail on cannot be served.
        return Report(path, None, [fault_problem(1, 1, "the file", error, path)])
    return Report(path, loaded, warnings=warnings, untranslated=notes)


def untranslated_texts(loaded: LoadedFile) -> dict[str, list[Problem]]:
    """Per language: the texts that have no version in it, in file order.

    Article titles are left out: a title names a page of the clinic's site, which is
    in one language (the title says which by being in it).
    """
    found = {}
    for language in LANGUAGES:
        if language == DEFAULT_LANGUAGE:
            continue
        found[language] = [
            Problem(
                *loaded.source.where(path),
                f"{describe(loaded.source, path)} has no {ENGLISH_NAMES[language]} ({language}) "
                "text: it is shown in English",
                f"write it as {{en: …, {language}: …}}",
                loaded.path,
                "note",
            )
            for path in untranslated(loaded.regions_file, language)
            if not (path[0] == "articles" and path[-1] == "title")
        ]
    return found


def content_warnings(loaded: LoadedFile) -> list[Problem]:
    """Every warning for a valid file, in file order."""
    checks = (
        _unused,
        _bare_regions,
        _repeated_synonyms,
        _red_flag_phrases,
        _tags_without_articles,
        _relative_urls,
    )
    warnings = [w for check in checks for w in check(loaded)]
    warnings += [*_other_hosts(loaded), *_curly_quotes(loaded)]
    warnings += _low_contrast(loaded)
    in_figure = [*_shapes_without_regions(loaded), *_overlapping_shapes(loaded)]
    return sorted(_at(loaded, w) for w in warnings) + sorted(
        _at(loaded, w, figure=True) for w in in_figure
    )


def _at(loaded: LoadedFile, warning, figure: bool = False) -> Problem:
    """A warning at its place in the content file, or in the figure file."""
    path, message, hint = warning
    source, name = (loaded.figure_source, loaded.figure_path) if figure else (loaded.source, "")
    line, column = source.where(path, key=figure)
    return Problem(line, column, message, hint, name or loaded.path, "warning")


def _unused(loaded: LoadedFile):
    """Pain points, articles and warning signs that no patient can ever see (where.py)."""
    usages = shown_where(build_content(loaded))
    sections = {"pain_point": "pain_points", "article": "articles", "red_flag": "red_flags"}
    for kind, section in sections.items():
        for i, item in enumerate(getattr(loaded.regions_file, section)):
            usage = usages[kind, item.id]
            if kind == "pain_point" and not usage.regions:
                yield (
                    (section, i, "id"),
                    f"no region lists the pain point '{item.id}'",
                    "add its id to the pain_points of the regions where it hurts, or remove it",
                )
            elif kind == "article" and usage.nowhere:
                yield (
                    (section, i, "id"),
                    f"no pain point leads to the article '{item.id}'",
                    "name it under a pain point's articles, or give it a tag a pain point uses",
                )
            elif kind == "red_flag" and usage.nowhere:
                yield (
                    (section, i, "id"),
                    f"the red flag '{item.id}' is shown nowhere: no area, region or pain point "
                    "lists it",
                    "add its id to the red_flags of an area (every region of the area shows it), "
                    "of a region or of a pain point, or remove it",
                )


def _bare_regions(loaded: LoadedFile):
    content = build_content(loaded)
    for i, entry in enumerate(content.regions.values()):
        if not entry.pain_points and not entry.red_flags:
            yield (
                ("regions", i, "id"),
                f"the region '{entry.id}' has no pain points and no warning signs",
                "a patient who taps it sees almost nothing: add a pain point or a red flag",
            )


def _repeated_synonyms(loaded: LoadedFile):
    data = loaded.regions_file
    for section, items in (("regions", data.regions), ("pain_points", data.pain_points)):
        for i, item in enumerate(items):
            seen = set()
            for j, synonym in enumerate(item.synonyms):
                if synonym.casefold() in seen:
                    yield (
                        (section, i, "synonyms", j),
                        f"the synonym '{synonym}' of '{item.id}' is listed twice",
                        "remove the repeated word",
                    )
                seen.add(synonym.casefold())


def _phrases_as_written(raw) -> list[tuple[tuple, str]]:
    """(path below `phrases`, text) of a red flag's phrases: one list, or a list per language."""
    if isinstance(raw, list):
        return [((j,), text) for j, text in enumerate(raw) if isinstance(text, str)]
    if isinstance(raw, dict):
        return [
            ((language, j), text)
            for language, texts in raw.items()
            if isinstance(texts, list)
            for j, text in enumerate(texts)
            if isinstance(text, str)
        ]
    return []


def _red_flag_phrases(loaded: LoadedFile):
    """Phrases search cannot use, or that repeat: in one red flag or across two."""
    raw_flags = loaded.source.data.get("red_flags") or []
    first_seen: dict[frozenset, str] = {}
    for i, flag in enumerate(loaded.regions_file.red_flags):
        raw = raw_flags[i].get("phrases") if isinstance(raw_flags[i], dict) else None
        seen: set[tuple] = set()  # per language: "meningitis" may be written in both
        for where, text in _phrases_as_written(raw):
            path = ("red_flags", i, "phrases", *where)
            words = phrase_words(text)
            language = where[0] if len(where) == 2 else None
            if not words or words == {PAIN}:
                yield (
                    path,
                    f"the phrase '{text}' of the red flag '{flag.id}' has no words search can "
                    "match on" + (" but a word for pain" if words else ""),
                    "write what a patient with this sign would type, such as 'numb groin': "
                    "words like 'my', 'the' and 'pain' alone would match everything or nothing",
                )
            elif (language, words) in seen:
                yield (
                    path,
                    f"the phrase '{text}' of the red flag '{flag.id}' is listed twice "
                    "(search ignores small words, order and the words for pain)",
                    "remove the repeated phrase",
                )
            elif first_seen.get(words, flag.id) != flag.id:
                yield (
                    path,
                    f"the phrase '{text}' of the red flag '{flag.id}' is also a phrase of "
                    f"'{first_seen[words]}'",
                    "a search for it shows both signs: keep it on the one it describes best",
                )
            seen.add((language, words))
            first_seen.setdefault(words, flag.id)


def _tags_without_articles(loaded: LoadedFile):
    data = loaded.regions_file
    tags = {tag for article in data.articles for tag in article.tags}
    for i, pain_point in enumerate(data.pain_points):
        for j, tag in enumerate(pain_point.tags):
            if tag not in tags:
                yield (
                    ("pain_points", i, "tags", j),
                    f"no article has the tag '{tag}'",
                    "check the spelling against the articles' tags, or remove it",
                )


def _relative_urls(loaded: LoadedFile):
    for i, article in enumerate(loaded.regions_file.articles):
        if not article.url.startswith("https://"):
            yield (
                ("articles", i, "url"),
                f"the article '{article.id}' has an address that is not https://",
                "an address starting with / points into this map's own site: write the full "
                "https:// address of the clinic's page",
            )


def _host(url: str) -> str:
    host = (urlsplit(url).hostname or "").casefold()
    return host.removeprefix("www.")


def _other_hosts(loaded: LoadedFile):
    """Addresses on another site than the clinic's: most often a misspelt host name."""
    clinic = loaded.regions_file.clinic
    site = _host(clinic.site_url)
    if not site:
        return
    links = [(("clinic", "booking_url"), "the booking address", clinic.booking_url)]
    links += [
        (("articles", i, "url"), f"the address of the article '{article.id}'", article.url)
        for i, article in enumerate(loaded.regions_file.articles)
    ]
    for path, what, url in links:
        host = _host(url)
        if not host or host == site or host.endswith("." + site) or site.endswith("." + host):
            continue
        yield (
            path,
            f"{what} is on {host}, not on the clinic's site {site} (site_url)",
            "check the spelling of the host name; if the page really is on another site, this"
            " warning can be left",
        )


CURLY_OPENING = "\u201c\u2018\u201e\u201a"
CURLY_CLOSING = "\u201d\u2019"


def _curly_quotes(loaded: LoadedFile):
    """Texts inside Word's curly quotes: YAML keeps them, and patients see them."""
    for path, text in _texts(loaded.source.data, ()):
        stripped = text.strip()
        if stripped[:1] in CURLY_OPENING or (
            stripped[-1:] in CURLY_CLOSING and any(q in stripped[:-1] for q in CURLY_OPENING)
        ):
            yield (
                path,
                f"{describe(loaded.source, path)}: the text is inside curly quotes"
                f" ({stripped[:1]}…{stripped[-1:]}), which patients see as they are",
                'remove them, or type straight quotes " " (Word and e-mail make curly ones)',
            )


def _texts(value, path):
    if isinstance(value, str):
        yield path, value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield from _texts(item, (*path, key))
    elif isinstance(value, list):
        for i, item in enumerate(value):
            yield from _texts(item, (*path, i))


def _shapes_without_regions(loaded: LoadedFile):
    """Shapes in the figure file that no region of the content file uses (in the figure file)."""
    used = {r.id for r in loaded.regions_file.regions}
    for view in VIEWS:
        for region_id in getattr(loaded.figure, view).shapes:
            if region_id not in used:
                yield (
                    (view, "shapes", region_id),
                    f"the figure draws '{region_id}' on the {view} view, but no region in"
                    f" {os.path.basename(loaded.path)} has this id: patients cannot tap it",
                    "if a region was renamed, use this id again; otherwise have"
                    " tools/make_figure.py draw the figure again without it",
                )


def _overlapping_shapes(loaded: LoadedFile):
    regions = loaded.regions_file.regions
    view = {r.id: r.view for r in regions}
    for a, b, shared, smaller in _overlaps(regions, loaded.figure):
        yield (
            (view[b.id], "shapes", b.id),
            f"the shapes of '{a.id}' and '{b.id}' overlap ({shared / smaller:.0%} of the "
            "smaller one)",
            "a tap there could open either region: redraw one of them (see /preview)",
        )


def _overlaps(regions, figure):
    """Pairs of regions on one view that share more than OVERLAP_SHARE of the smaller.

    Sweeps the regions from left to right, so only shapes whose boxes overlap are compared.
    """
    scans = {r.id: scan(figure.shape(r.id)) for r in regions}
    by_left = sorted(
        (r for r in regions if scans[r.id].rows), key=lambda r: (r.view, scans[r.id].box[0])
    )
    order = {r.id: i for i, r in enumerate(regions)}
    for i, a in enumerate(by_left):
        ax, ay, aw, ah = scans[a.id].box
        for b in by_left[i + 1 :]:
            bx, by, _, bh = scans[b.id].box
            if b.view != a.view or bx >= ax + aw:
                break
            if by >= ay + ah or ay >= by + bh:
                continue
            smaller = min(scans[a.id].area, scans[b.id].area)
            shared = scans[a.id].overlap(scans[b.id])
            if smaller and shared > OVERLAP_SHARE * smaller:
                yield (
                    (a, b, shared, smaller)
                    if order[a.id] < order[b.id]
                    else (b, a, shared, smaller)
                )


def _low_contrast(loaded: LoadedFile):
    theme = loaded.regions_file.clinic.theme
    for field_name, what, foreground, background, needed in theme_pairs(theme):
        found = ratio(foreground, background)
        if found < needed:
            yield (
                ("clinic", "theme", field_name),
                f"low contrast in the theme: {what}, {foreground} on {background}, is "
                f"{found:.2f}:1; WCAG AA asks for {needed:g}:1",
                "choose a darker or lighter colour so patients with low vision can read it",
            )
