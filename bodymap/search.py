"""Search regions, pain points and articles by the words patients use.

A patient types "sciatic", "slipped disk", "pins and needles" or "ciática"; we find the
regions, pain points and articles whose label (or title), synonyms or tags say the same.

How it works:

- Every text is *folded*: accents removed (NFKD), case-folded, apostrophes dropped
  ("can't" → "cant"), split on anything that is not a letter or digit (hyphens, commas,
  brackets). A few spelling variants are written one way (`SPELLING_VARIANTS`: disk → disc,
  tumour → tumor, …) so that they match exactly; we chose a table over "one edit for any
  4-letter word" because the latter also makes "back"/"pack" and "hand"/"band" equal.
  Stop words ("my", "the", "of", "de", …) are dropped on both sides.
- The index maps each folded word to the fields (one label, synonym or tag in one
  language) that contain it. Built once per content version, linear in the content.
- A query word matches a vocabulary word, best first: exactly; by a light English stem
  (plurals, -ing, -ed, a final e: "headaches" = "headache", "sliped" = "slipped"); as a
  prefix when it has 4+ letters ("herniat" → "herniated"); or with typos: one edit
  (Damerau-Levenshtein, a swap counts as one) when both words have 5+ letters, two when
  both have 9+. Typo candidates come from a deletion-neighbourhood index (SymSpell), so
  a query word is compared only with the few words that share a deletion, not with the
  whole vocabulary.
- An entry's score rewards, in this order: every query word matching somewhere in the
  entry (a hit missing a word always ranks below one that has them all); a whole synonym
  or label equal to the query, or containing it as a phrase; how well each word matched,
  weighted by where (label > synonym > tag) and by the word ("pain", "ache", "sore" are
  so common that they weigh little).
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left
from collections import defaultdict
from dataclasses import dataclass

MAX_QUERY_CHARS = 100  # a hostile query stays cheap: the rest is ignored
MAX_QUERY_WORDS = 10
MAX_FUZZY_LENGTH = 32  # longer "words" are not real words: exact matches only
PREFIX_MIN = 4  # shorter prefixes ("ba", "kne") match too much to mean anything

# Written one way before matching, so either spelling matches exactly (not as a typo:
# "disk" has 4 letters, too short for typo tolerance).
SPELLING_VARIANTS = {
    "disk": "disc",
    "disks": "discs",
    "tumour": "tumor",
    "tumours": "tumors",
    "colour": "color",
    "behaviour": "behavior",
    "centre": "center",
    "fibre": "fiber",
    "oedema": "edema",
    "orthopaedic": "orthopedic",
    "paediatric": "pediatric",
    "anaesthetic": "anesthetic",
    "haemorrhage": "hemorrhage",
    "ischaemia": "ischemia",
    "oestrogen": "estrogen",
    "sulphur": "sulfur",
    "programme": "program",
    "sceptic": "skeptic",
}
IRREGULAR_PLURALS = {
    "feet": "foot",
    "teeth": "tooth",
    "vertebrae": "vertebra",
    "women": "woman",
    "men": "man",
    "children": "child",
}
# English, then Spanish (content may be multilingual).
_STOP_WORDS = """
a an the my me i im ive mine your you our we it its this that these those is am are was
were be been being do does did has have had of in on at to into onto from for with by
and or but so as if when then than very too just really some any all also
de del la las el lo los un una unos unas y o mi mis en con por para al que se
"""
STOP_WORDS = frozenset(_STOP_WORDS.split())
# Common in pain descriptions and labels alike: they match, but weigh little, and a hit
# need not contain them. Every region name says its side: "left knee" should rank the
# left knee first, not bring every left region along.
_COMMON_WORDS = """
pain pains painful ache aches aching achy hurt hurts hurting sore dolor duele
side left right izquierda izquierdo derecha derecho
"""
COMMON_WORDS = frozenset(_COMMON_WORDS.split())
COMMON_WEIGHT = 0.3

# How good a word match is, and how much a field counts.
EXACT, STEM, PREFIX, TYPO_1, TYPO_2 = 1.0, 0.9, 0.75, 0.6, 0.5
LABEL, SYNONYM, TAG = 1.0, 0.9, 0.7
WHOLE_PHRASE, CONTAINED_PHRASE = 1.0, 0.5  # the field is the query / contains it in order
CORE_PHRASE = 0.9  # the same, for the query without its common words ("pain", "left")
ALL_WORDS_BONUS = 1.0  # more than a partial hit can ever score
FIELD_COVERAGE = 0.5
PARTIAL_MIN = 1 / 3  # a hit missing a word must still cover this much of the query

KIND_ORDER = {"pain_point": 0, "region": 1, "article": 2}

_APOSTROPHES = re.compile(r"['\u2019\u02bc`\u00b4]")
_WORD = re.compile(r"[^\W_]+")
_UNDOUBLE = frozenset("bdgmnpt")  # "slipped" → "slipp" → "slip", but "fall" stays


@dataclass(frozen=True)
class Hit:
    """One search result."""

    kind: str  # "region" | "pain_point" | "article"
    id: str
    label: str  # region: RegionEntry.name; pain point: label; article: title
    matched: str  # the label, synonym or tag that matched best
    score: float


@dataclass(frozen=True)
class _Entry:
    """Something a search can find."""

    kind: str
    id: str
    label: str
    order: int  # file order within its kind


@dataclass(frozen=True)
class _Field:
    """One text of one entry, in one language."""

    entry: int
    weight: float
    text: str
    words: tuple[str, ...]


def _variants(text) -> list:
    """Every language's version of a text: `by_language` values if it has them, else itself."""
    by_language = getattr(text, "by_language", None)
    return list(by_language.values()) if by_language else [text]


def _fold(text: str) -> str:
    """Lower case without accents: "Ciática" → "ciatica"."""
    if text.isascii():  # most texts: ten times faster
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def _words(text: str) -> list[str]:
    """The folded words of a text, stop words included, spelling variants unified."""
    words = _WORD.findall(_APOSTROPHES.sub("", _fold(text)))
    return [SPELLING_VARIANTS.get(w, w) for w in words]


def _content_words(words) -> tuple[str, ...]:
    """The words that mean something: stop words dropped."""
    return tuple(w for w in words if w not in STOP_WORDS)


def _stem(word: str) -> str:
    """A light English stem, the same on both sides: plurals, -ing, -ed and a final e."""
    if word in IRREGULAR_PLURALS:
        return IRREGULAR_PLURALS[word]
    if len(word) < 4 or not word.isalpha():
        return word
    if word.endswith("ies") and len(word) > 4:
        word = word[:-3] + "y"
    elif word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    for ending in ("ing", "ed"):
        if word.endswith(ending) and len(word) - len(ending) >= 3:
            word = word[: -len(ending)]
            if len(word) > 3 and word[-1] == word[-2] and word[-1] in _UNDOUBLE:
                word = word[:-1]
            break
    if word.endswith("e") and len(word) >= 4:
        word = word[:-1]
    return SPELLING_VARIANTS.get(word, word)


def _max_edits(word: str) -> int:
    """How many typos a word of this length tolerates."""
    if len(word) > MAX_FUZZY_LENGTH or not word.isalpha():
        return 0
    return 2 if len(word) >= 9 else 1 if len(word) >= 5 else 0


def _deletes(word: str, edits: int) -> set[str]:
    """The word and every string made from it by deleting up to `edits` letters."""
    found = {word}
    level = {word}
    for _ in range(edits):
        level = {w[:i] + w[i + 1 :] for w in level for i in range(len(w))}
        found |= level
    return found


def _distance(a: str, b: str, bound: int) -> int:
    """Damerau-Levenshtein distance (adjacent swaps count once), or bound + 1 if above it."""
    if abs(len(a) - len(b)) > bound:
        return bound + 1
    before, previous = None, list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = ca != cb
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if before is not None and i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], before[j - 2] + 1)
        if min(current) > bound:  # every path already costs too much
            return bound + 1
        before, previous = previous, current
    return min(previous[-1], bound + 1)


def _entries_and_texts(content):
    """(entry, [(weight, text), …]) for every region, pain point and reachable article."""
    for order, entry in enumerate(content.regions.values()):
        region = entry.region
        texts = [(LABEL, entry.name), (LABEL, region.label)]
        texts += [(SYNONYM, s) for s in region.synonyms or ()]
        yield _Entry("region", entry.id, str(entry.name), order), texts
    articles = {}
    for order, entry in enumerate(content.pain_points.values()):
        point = entry.pain_point
        texts = [(LABEL, point.label)]
        texts += [(SYNONYM, s) for s in point.synonyms or ()]
        texts += [(TAG, t.replace("-", " ")) for t in point.tags or ()]
        yield _Entry("pain_point", point.id, str(point.label), order), texts
        for article in entry.articles:
            articles.setdefault(article.id, article)  # first seen wins: file-ish order
    for order, article in enumerate(articles.values()):
        texts = [(LABEL, article.title)] + [(TAG, t.replace("-", " ")) for t in article.tags]
        yield _Entry("article", article.id, str(article.title), order), texts


class SearchIndex:
    """Words → fields, with stems, a sorted vocabulary for prefixes and deletions for typos."""

    def __init__(self, entries: list[_Entry], fields: list[_Field]):
        self._entries = entries
        self._fields = fields
        self._postings: dict[str, list[int]] = defaultdict(list)
        for number, field in enumerate(fields):
            for word in dict.fromkeys(field.words):
                self._postings[word].append(number)
        self._postings = dict(self._postings)  # lookups of unknown words must not add them
        self._by_stem: dict[str, list[str]] = defaultdict(list)
        self._by_deletion: dict[str, list[str]] = defaultdict(list)
        for word in self._postings:
            self._by_stem[_stem(word)].append(word)
            if edits := _max_edits(word):
                for deleted in _deletes(word, edits):
                    self._by_deletion[deleted].append(word)
        self._by_stem, self._by_deletion = dict(self._by_stem), dict(self._by_deletion)
        self._sorted = sorted(self._postings)
        self._position = {(e.kind, e.id): e.order for e in entries}

    @classmethod
    def build(cls, content) -> SearchIndex:
        """Index every label, synonym and tag of a `Content`, in every language."""
        entries: list[_Entry] = []
        fields: list[_Field] = []
        known: dict[str, tuple[str, ...]] = {}  # synonyms repeat: left and right regions
        for entry, texts in _entries_and_texts(content):
            for weight, text in texts:
                for variant in map(str, _variants(text)):
                    if variant not in known:
                        known[variant] = _content_words(_words(variant))
                    words = known[variant]
                    if words:
                        fields.append(_Field(len(entries), weight, variant, words))
            entries.append(entry)
        return cls(entries, fields)

    def search(self, query: str, limit: int = 12) -> tuple[Hit, ...]:
        """The best hits for a patient's words, best first; () when nothing matches."""
        if not isinstance(query, str) or limit <= 0:
            return ()
        words = _content_words(_words(query[:MAX_QUERY_CHARS])[:MAX_QUERY_WORDS])
        if not words:
            return ()
        known = {w: self._matches(w) for w in dict.fromkeys(words)}
        matches = [known[w] for w in words]
        weights = [COMMON_WEIGHT if w in COMMON_WORDS else 1.0 for w in words]
        # Common words alone are a fine query ("sore"); otherwise a hit need not have them.
        required = [i for i, w in enumerate(weights) if w == 1.0] or list(range(len(words)))
        by_entry: dict[int, list[_Field]] = {}
        for number in sorted({n for m in matches for word in m for n in self._postings[word]}):
            field = self._fields[number]
            by_entry.setdefault(field.entry, []).append(field)
        hits = []
        for entry_number, fields in by_entry.items():
            scored = _score(fields, matches, weights, required)
            if scored:
                entry = self._entries[entry_number]
                hits.append(Hit(entry.kind, entry.id, entry.label, scored[1], scored[0]))
        hits.sort(key=lambda h: (-h.score, KIND_ORDER[h.kind], self._order(h)))
        return tuple(hits[:limit])

    def _order(self, hit: Hit) -> int:
        """A hit's file order within its kind."""
        return self._position[(hit.kind, hit.id)]

    def _matches(self, word: str) -> dict[str, float]:
        """Vocabulary words that this query word matches, with how well."""
        found: dict[str, float] = {}

        def note(candidate: str, quality: float) -> None:
            if quality > found.get(candidate, 0.0):
                found[candidate] = quality

        if word in self._postings:
            note(word, EXACT)
        for candidate in self._by_stem.get(_stem(word), ()):
            note(candidate, STEM)
        if len(word) >= PREFIX_MIN and len(word) <= MAX_FUZZY_LENGTH:
            for candidate in self._prefixed(word):
                note(candidate, PREFIX)
        for candidate, edits in self._typos(word):
            note(candidate, TYPO_1 if edits == 1 else TYPO_2)
        return found

    def _prefixed(self, prefix: str):
        """Vocabulary words that start with `prefix` and are longer."""
        start = bisect_left(self._sorted, prefix)
        for word in self._sorted[start:]:
            if not word.startswith(prefix):
                break
            if word != prefix:
                yield word

    def _typos(self, word: str):
        """(vocabulary word, edits) within the typo tolerance of both words."""
        edits = _max_edits(word)
        if not edits:
            return
        candidates = {c for d in _deletes(word, edits) for c in self._by_deletion.get(d, ())}
        for candidate in candidates:
            bound = min(edits, _max_edits(candidate))
            distance = _distance(word, candidate, bound)
            if 0 < distance <= bound:
                yield candidate, distance


def _phrase(field_words: tuple[str, ...], matches: list[dict[str, float]]) -> float:
    """How well the query appears in the field as a phrase: whole, contained, or not (0)."""
    n = len(matches)
    best = 0.0
    for start in range(len(field_words) - n + 1):
        qualities = [matches[j].get(field_words[start + j], 0.0) for j in range(n)]
        if all(qualities):
            best = max(best, sum(qualities) / n)
    return best * (WHOLE_PHRASE if len(field_words) == n else CONTAINED_PHRASE)


def _score(fields: list[_Field], matches, weights, required) -> tuple[float, str] | None:
    """(score, best matching text) of one entry's matching fields; None if too weak."""
    total = sum(weights)
    core = [matches[i] for i in required] if len(required) < len(matches) else None
    best_word = [0.0] * len(matches)  # per query word, its best weighted match in the entry
    best_field, best_phrase, best_text, best_both = 0.0, 0.0, "", -1.0
    for field in fields:
        qualities = [max(m.get(w, 0.0) for w in field.words) for m in matches]
        for i, quality in enumerate(qualities):
            best_word[i] = max(best_word[i], quality * field.weight)
        said = sum(q * w for q, w in zip(qualities, weights, strict=True))
        coverage = field.weight * said / total
        phrase = field.weight * _phrase(field.words, matches) if all(qualities) else 0.0
        if core is not None and all(qualities[i] for i in required):
            # "lower back pain" is the label "Lower back" plus a common word
            phrase = max(phrase, field.weight * CORE_PHRASE * _phrase(field.words, core))
        # The text to show: the field that alone best says what was asked.
        if coverage + phrase > best_both:
            best_text, best_both = field.text, coverage + phrase
        best_field = max(best_field, coverage)
        best_phrase = max(best_phrase, phrase)
    coverage = sum(b * w for b, w in zip(best_word, weights, strict=True)) / total
    if all(best_word[i] for i in required):
        score = ALL_WORDS_BONUS + coverage + FIELD_COVERAGE * best_field + best_phrase
    elif coverage >= PARTIAL_MIN:
        # Below every complete hit: the bonus is missing and phrases cannot count.
        score = (coverage + FIELD_COVERAGE * best_field) / 2
    else:
        return None
    return round(score, 4), best_text
