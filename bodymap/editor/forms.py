"""The editor's forms: which fields each kind of item has, filled from the file's data,
and read back from a submitted form into a change.

Texts patients read have an English and a Spanish box side by side. Links between
items are ticked from lists, never typed: some are kept on the item itself (a pain
point's articles), some on the other items (the regions that list a pain point).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from . import changes
from .changes import in_language, words_in_language

KINDS = {  # URL part → (section, what one is called, the key its name comes from)
    "articles": ("articles", "article", "title"),
    "pain-points": ("pain_points", "pain point", "label"),
    "red-flags": ("red_flags", "warning sign", "text"),
    "regions": ("regions", "region", "label"),
    "areas": ("areas", "area", "label"),
}
SECTION_KIND = {section: kind for kind, (section, _, _) in KINDS.items()}
NEW_ALLOWED = ("articles", "pain-points", "red-flags")  # regions need a shape; areas regions


@dataclass
class Field:
    name: str  # the key in the file (or, for links kept elsewhere, a name of its own)
    label: str
    type: str  # text, long, words, line, level, bool, links, tags
    help: str = ""
    value: object = None  # (en, es) for text/long/words; str; bool; set of ids
    choices: list = field(default_factory=list)  # (value, label, group) for links/tags/level
    held_by: tuple[str, str] | None = None  # (section, key) for links other items keep
    problems: list = field(default_factory=list)


def _label(item: dict, key: str) -> str:
    return in_language(item.get(key), "en") or str(item.get("id", ""))


def _choices(data: dict, section: str, grouped: bool = False) -> list:
    key = KINDS[SECTION_KIND[section]][2]
    areas = {a.get("id"): _label(a, "label") for a in changes.items(data, "areas")}
    found = []
    for item in changes.items(data, section):
        name = _label(item, key)
        if section == "regions":
            side = {"left": ", left side", "right": ", right side"}.get(item.get("side"), "")
            name = f"{name}{side} ({item.get('view')})"
        if len(name) > 110:
            name = name[:107] + "…"
        group = areas.get(item.get("area"), "") if grouped else ""
        found.append((item["id"], name, group))
    return found


def _tags(data: dict) -> list:
    tags = {}
    for section in ("articles", "pain_points"):
        for item in changes.items(data, section):
            for tag in changes.ids(item.get("tags")):
                tags[tag] = None
    return [(tag, tag, "") for tag in sorted(tags)]


def _text(item, key, label, long=False, help=""):
    value = item.get(key)
    return Field(
        key,
        label,
        "long" if long else "text",
        help,
        (in_language(value, "en"), in_language(value, "es")),
    )


def _words(item, key, label, help=""):
    value = item.get(key)
    return Field(
        key, label, "words", help, (words_in_language(value, "en"), words_in_language(value, "es"))
    )


def _own_links(data, item, key, label, section, help="", grouped=False):
    return Field(
        key, label, "links", help, changes.ids(item.get(key)), _choices(data, section, grouped)
    )


def _held_links(data, ident, name, label, section, key, help="", grouped=False):
    value = changes.holders(data, section, key, ident) if ident else []
    return Field(
        name, label, "links", help, value, _choices(data, section, grouped), (section, key)
    )


def _tag_field(data, item, help):
    return Field("tags", "Tags", "tags", help, changes.ids(item.get("tags")), _tags(data))


def ordered(spec: Field) -> list:
    """A list's choices as shown: the ticked ones first, in their order in the file (the
    order patients see), then the others; lists grouped by area stay in file order."""
    if any(group for _, _, group in spec.choices):
        return spec.choices
    by_value = {choice[0]: choice for choice in spec.choices}
    ticked = [by_value[v] for v in spec.value if v in by_value]
    return ticked + [c for c in spec.choices if c[0] not in spec.value]


def fields(kind: str, data: dict, ident: str | None) -> list[Field]:
    """The fields of one item (a new one when `ident` is None), filled from `data`."""
    section = KINDS[kind][0]
    item = changes.find(data, section, ident) if ident else {}
    item = item or {}
    if kind == "articles":
        return [
            _text(item, "title", "Title", help="As on the clinic's site."),
            Field("url", "Address (https://…)", "line", "", item.get("url", "")),
            _text(item, "summary", "Summary", long=True, help="One or two sentences."),
            _tag_field(
                data, item, "Every pain point with one of these tags lists the article too."
            ),
            _held_links(
                data,
                ident,
                "named_by",
                "Show it under these pain points",
                "pain_points",
                "articles",
                "Listed first on their pages, in the order named.",
            ),
        ]
    if kind == "pain-points":
        return [
            _text(item, "label", "Name"),
            _text(item, "summary", "Summary", long=True, help="Two or three plain sentences."),
            _words(item, "synonyms", "Other words patients use", "One per line."),
            _own_links(data, item, "articles", "Articles to show first", "articles"),
            _tag_field(data, item, "Articles with one of these tags are listed after those above."),
            _own_links(data, item, "red_flags", "Warning signs on its page", "red_flags"),
            Field(
                "crisis_line",
                "Show the crisis line (988) with it",
                "bool",
                "For mood or depression.",
                bool(item.get("crisis_line")),
            ),
            _held_links(
                data,
                ident,
                "regions",
                "Show it on these places",
                "regions",
                "pain_points",
                "A new place lists it last (after its more common causes).",
                grouped=True,
            ),
        ]
    if kind == "red-flags":
        return [
            Field(
                "level",
                "Level",
                "level",
                "",
                item.get("level", "urgent"),
                [
                    ("emergency", "Emergency: call 911 now", ""),
                    ("urgent", "Urgent: see a doctor today", ""),
                    ("soon", "Soon: call the clinic in the next few days", ""),
                ],
            ),
            _text(item, "text", "The sign, in one plain sentence", long=True),
            _words(
                item,
                "phrases",
                "Words a patient with this sign would search for",
                "One phrase per line; a search with every word of one phrase shows the sign first"
                " (see the guide: never an ordinary pain such as 'knee pain').",
            ),
            Field(
                "crisis_line",
                "Its action is the crisis line (988), not 911",
                "bool",
                "For thoughts of suicide.",
                bool(item.get("crisis_line")),
            ),
            _held_links(
                data, ident, "areas", "Show it on every place of these areas", "areas", "red_flags"
            ),
            _held_links(
                data, ident, "regions", "…and on these places", "regions", "red_flags", grouped=True
            ),
            _held_links(
                data,
                ident,
                "pain_points",
                "…and on the pages of these pain points",
                "pain_points",
                "red_flags",
            ),
        ]
    if kind == "areas":
        return [
            _text(item, "label", "Name"),
            _own_links(
                data, item, "red_flags", "Warning signs for every place of the area", "red_flags"
            ),
        ]
    if kind == "regions":
        return [
            _text(item, "label", "Name (without the side)"),
            _words(item, "synonyms", "Other words patients use", "One per line."),
            _own_links(
                data,
                item,
                "pain_points",
                "Common causes of pain here",
                "pain_points",
                "Kept in their order (most common first); a new one goes last.",
            ),
            _own_links(
                data,
                item,
                "red_flags",
                "Warning signs of this place only",
                "red_flags",
                "On top of its area's.",
            ),
        ]
    raise KeyError(kind)


CLINIC_LINES = (
    ("name", "Clinic name", ""),
    ("phone", "Phone", "Digits, spaces, ( ) - + and dots, e.g. (609) 371-9100."),
    ("booking_url", "Booking address (https://…)", "Where 'Book an appointment' leads."),
    ("site_url", "The clinic's website (https://…)", ""),
    ("emergency_number", "Emergency number", ""),
    ("crisis_line", "Crisis line", ""),
)


def clinic_fields(data: dict) -> list[Field]:
    clinic = data.get("clinic") or {}
    found = [
        Field(k, label, "line", help, str(clinic.get(k, ""))) for k, label, help in CLINIC_LINES
    ]
    found.insert(1, _text(clinic, "tagline", "Tagline", help="One short line under the name."))
    found.append(_text(clinic, "disclaimer", "Disclaimer", long=True))
    return found


def _read(form, spec: Field, old):
    if spec.type in ("text", "long"):
        return changes.text(form.get(f"{spec.name}.en", ""), form.get(f"{spec.name}.es", ""), old)
    if spec.type == "words":
        return changes.word_list(
            form.get(f"{spec.name}.en", ""), form.get(f"{spec.name}.es", ""), old
        )
    if spec.type in ("line", "level"):
        return " ".join(form.get(spec.name, "").split())
    if spec.type == "bool":
        return form.get(spec.name) == "on"
    wanted = [v for v in form.getlist(spec.name) if v in {c[0] for c in spec.choices}]
    if spec.type == "tags":
        for typed in (t for t in form.get("new_tags", "").split(",") if t.strip()):
            if (tag := changes.slug(typed)) not in wanted:
                wanted.append(tag)
    return changes.chosen(changes.ids(old), wanted)


def apply(kind: str, data: dict, ident: str | None, form) -> tuple[dict, str]:
    """The data after this form is saved, and the item's id (made from its name if new)."""
    section, _, name_key = KINDS[kind]
    specs = fields(kind, data, ident)
    item = (changes.find(data, section, ident) if ident else None) or {}
    own = {s.name: _read(form, s, item.get(s.name)) for s in specs if s.held_by is None}
    label = in_language(own.get(name_key), "en") or form.get(f"{name_key}.en", "")
    data, ident = changes.save_item(data, section, ident, own, label)
    for spec in specs:
        if spec.held_by:
            holder_section, key = spec.held_by
            wanted = [v for v in form.getlist(spec.name) if v in {c[0] for c in spec.choices}]
            changes.link(data, holder_section, key, ident, wanted)
    return data, ident


def apply_clinic(data: dict, form) -> dict:
    clinic = data.get("clinic") or {}
    return changes.set_clinic(
        data, {s.name: _read(form, s, clinic.get(s.name)) for s in clinic_fields(data)}
    )
