"""Search regions, pain points, articles and warning signs by the words patients use.

A patient types "sciatic", "slipped disk", "pins and needles", "ciática" or "I can't feel
my legs"; we find the warning signs whose phrases they typed, and the regions, pain points
and articles whose label (or title), synonyms or tags say the same. docs/search.md explains
the rules for clinicians; in short:

- Every text is *folded*: accents removed (NFKD), case-folded, apostrophes dropped
  ("can't" → "cant"; "cannot" and "can not" are written "cant" too), split on anything that
  is not a letter or digit. A few spelling variants are written one way (`SPELLING_VARIANTS`:
  disk → disc, tumour → tumor, …) so that they match exactly. Stop words ("my", "the",
  "of", "de", …) are dropped on both sides.
- A query word matches a vocabulary word, best first: exactly; by a light English stem
  (plurals, -ing, -ed, -ness, a final e); as a prefix when it has 4+ letters ("herniat" →
  "herniated"); or with typos: one edit (Damerau-Levenshtein) when both words have 5+
  letters, two when both have 9+, found through a deletion index (SymSpell).
- **Warning signs** match on meaning, not on one shared word: a red flag is found when the
  query contains *every* word of one of its phrases (in any order, each allowing the
  matches above; the words for pain — "pain", "hurts", "ache", "sore", "dolor", "duele"… —
  stand for one another). "chest" alone is not "chest pain"; "stiff neck" is not "stiff neck
  with fever". They come first, emergencies first, the most specific phrase first.
- **Places.** A query word that names a part of the body ("back", "lower", "knee",
  "rodilla": a word of a region's label or synonyms, or of an area's label) is a *body
  word*. A word used as a position ("back" in "back of the head", "parte" in "parte de atrás")
  is not. The regions whose label or a synonym has every body word of the query (else the
  regions of the areas whose label has them) are *the place* the patient means: they rank
  first among places, and the pain points listed for them count the body words as matched
  (more for the causes a place lists first), so "lower back pain" brings back strain and
  sciatica before a headache that mentions "the back of my head".
- An entry's score rewards, in this order: every query word matching somewhere in the
  entry (a hit missing a word always ranks below one that has them all); a whole synonym
  or label equal to the query, or containing it as a phrase; how well each word matched,
  weighted by where (label > synonym > tag) and by the word (common words — "pain", "down",
  "left" — weigh little and alone never make a hit when other words were typed).
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
    "cannot": "cant",
    "pian": "pain",  # a slip patients make often; 4 letters is too short for typos
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
de del la las el lo los un una unos unas y o mi mis en con por para al que se le
"""
STOP_WORDS = frozenset(_STOP_WORDS.split())
# The words for pain: in a warning sign's phrase any of them stands for the others
# ("chest pain" = "my chest hurts" = "me duele el pecho").
_PAIN_WORDS = """
pain pains painful ache aches aching achy hurt hurts hurting sore sores
dolor dolores duele duelen adolorido adolorida
"""
PAIN_WORDS = frozenset(_PAIN_WORDS.split())
PAIN = "pain"
# Common in pain descriptions and labels alike: they match, but weigh little, and a hit
# need not contain them. Every region name says its side: "left knee" should rank the
# left knee first, not bring every left region along.
_COMMON_WORDS = """
down up bad feel feels feeling get gets getting lot cant not no puedo
side left right izquierda izquierdo derecha derecho
"""
COMMON_WORDS = PAIN_WORDS | frozenset(_COMMON_WORDS.split())
COMMON_WEIGHT = 0.3
# Words that say where on a part, not which part: never body words.
_POSITION_WORDS = """
behind around between inside outside front top bottom side sides base point ball crook
atras detras adelante arriba abajo dentro adentro afuera costado lado alrededor entre parte
"""
POSITION_WORDS = frozenset(_POSITION_WORDS.split())
# A word right before one of these is a position too: "back of the head", "parte de atrás".
_OF = frozenset({"of", "de", "del"})
_SKIPPED = STOP_WORDS - _OF  # "back of the head": "the" between is skipped

# How good a word match is, and how much a field counts.
EXACT, STEM, PREFIX, TYPO_1, TYPO_2 = 1.0, 0.9, 0.75, 0.6, 0.5
LABEL, SYNONYM, TAG = 1.0, 0.9, 0.7
WHOLE_PHRASE, CONTAINED_PHRASE = 1.0, 0.5  # the field is the query / contains it in order
CORE_PHRASE = 0.9  # the same, for the query without its common words ("pain", "left")
ALL_WORDS_BONUS = 1.0  # more than a partial hit can ever score
FIELD_COVERAGE = 0.5
PARTIAL_MIN = 1 / 3  # a hit missing a word must still cover this much of the query
PLACE = 0.8  # how well a pain point listed first for the place matches its body words
PLACE_REGION = 2.0  # added to the regions of the place: they come first among places
PLACE_NAMED = 0.1  # and this per text that names it ("Lower back", "low back", …), up to 3
PLACE_ECHO = 0.02  # and this per cause it lists that the words found by themselves
PLACE_CAUSE = 1.0  # added to a cause the place lists first (less for those listed later)

KIND_ORDER = {"pain_point": 0, "region": 1, "article": 2}
LEVEL_ORDER = {"emergency": 0, "urgent": 1, "soon": 2}

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
    typed: str = ""  # the patient's words that found it, when not its own name
    places: tuple[str, ...] = ()  # ids of the place's regions that list it (pain points)


@dataclass(frozen=True)
class Results:
    """What one query finds: warning signs first, then the hits, best first."""

    red_flags: tuple[str, ...]  # ids, emergencies first, most specific phrase first
    hits: tuple[Hit, ...]


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
    body: tuple[str, ...]  # the words not used as positions ("back" of "back of the head")
    is_label: bool


@dataclass(frozen=True)
class _Query:
    """A patient's words, folded, with the typed words each came from."""

    words: tuple[str, ...]  # content words, stop words dropped
    typed: tuple[str, ...]  # every word as typed, stop words included
    where: tuple[int, ...]  # per content word, its place in `typed`
    positions: frozenset[int]  # content words used as positions ("back of my knee")


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


def _tokens(text: str) -> list[tuple[str, str]]:
    """(folded word, word as typed) for every word, stop words included, variants unified."""
    typed = _WORD.findall(_APOSTROPHES.sub("", text))
    pairs = []
    for word in typed:
        for folded in _WORD.findall(_fold(word)):  # folding may split a word ("ﬁ" ligatures)
            pairs.append((SPELLING_VARIANTS.get(folded, folded), word))
    joined = []
    for folded, word in pairs:  # "can not" is "cannot"
        if folded == "not" and joined and joined[-1][0] == "can":
            joined[-1] = ("cant", f"{joined[-1][1]} {word}")
        else:
            joined.append((folded, word))
    return joined


def _words(text: str) -> list[str]:
    """The folded words of a text, stop words included, spelling variants unified."""
    return [folded for folded, _ in _tokens(text)]


def _content_words(words) -> tuple[str, ...]:
    """The words that mean something: stop words dropped."""
    return tuple(w for w in words if w not in STOP_WORDS)


def _positions(words: list[str]) -> set[int]:
    """Indexes (among the content words) of words used as positions, not body parts."""
    found, number = set(), -1
    for i, word in enumerate(words):
        if word in STOP_WORDS:
            continue
        number += 1
        following = next((w for w in words[i + 1 :] if w not in _SKIPPED), "")
        if word in POSITION_WORDS or following in _OF:
            found.add(number)
    return found


def _parse(query: str) -> _Query:
    tokens = _tokens(query[:MAX_QUERY_CHARS])[:MAX_QUERY_WORDS]
    words = [folded for folded, _ in tokens]
    where = tuple(i for i, w in enumerate(words) if w not in STOP_WORDS)
    return _Query(
        tuple(words[i] for i in where),
        tuple(typed for _, typed in tokens),
        where,
        frozenset(_positions(words)),
    )


def _stem(word: str) -> str:
    """A light English stem, the same on both sides: plurals, -ing, -ed, -ness, a final e."""
    if word in IRREGULAR_PLURALS:
        return IRREGULAR_PLURALS[word]
    if len(word) < 4 or not word.isalpha():
        return word
    if word.endswith("ies") and len(word) > 4:
        word = word[:-3] + "y"
    elif word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    if word.endswith("ness") and len(word) >= 7:  # "numbness" → "numb"
        word = word[:-4]
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


def _pain_as_one(word: str) -> str:
    """In a warning sign's phrase, every word for pain is the same word."""
    return PAIN if word in PAIN_WORDS else word


def phrase_words(phrase: str) -> frozenset[str]:
    """The words of a red flag's phrase that a query must all contain (empty: never matches)."""
    return frozenset(_pain_as_one(w) for w in _content_words(_words(phrase)))


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


def _red_flags(content):
    """Every red flag of the content (a `Content` has them by id; test doubles may not)."""
    return list(getattr(content, "red_flags", {}).values())


def _place_texts(content):
    """Per region: the body words of its label, of each synonym, and of its area's label."""
    areas = {area.id: area for area, _ in getattr(content, "areas", ())}
    known: dict[str, frozenset[str]] = {}  # synonyms repeat: left and right regions

    def body(texts) -> list[frozenset[str]]:
        found = []
        for text in map(str, texts):
            if text not in known:
                known[text] = _body_words(text)
            found.append(known[text])
        return found

    for entry in content.regions.values():
        region = entry.region
        synonyms = [t for s in region.synonyms or () for t in _variants(s)]
        area = areas.get(getattr(region, "area", None))
        area_texts = body(_variants(area.label)) if area else []
        yield entry, body(_variants(region.label)), body(synonyms), area_texts


def _body_words(text: str) -> frozenset[str]:
    words = _words(text)
    content = _content_words(words)
    positions = _positions(words)
    return frozenset(
        w for i, w in enumerate(content) if i not in positions and w not in COMMON_WORDS
    )


class SearchIndex:
    """Words → fields, with stems, a sorted vocabulary for prefixes and deletions for typos."""

    def __init__(
        self,
        entries: list[_Entry],
        fields: list[_Field],
        flags: list[tuple[str, str, list[frozenset[str]]]] = (),
        places: list[tuple[str, list, list, tuple[str, ...]]] = (),
        body: frozenset[str] = frozenset(),
    ):
        self._entries = entries
        self._fields = fields
        self._postings: dict[str, list[int]] = defaultdict(list)
        for number, field in enumerate(fields):
            for word in dict.fromkeys(field.words):
                self._postings[word].append(number)
        self._postings = dict(self._postings)  # lookups of unknown words must not add them
        # Red flags: (id, level, phrases); each phrase a set of words that must all match.
        self._flags = list(flags)
        self._phrases: list[tuple[int, frozenset[str]]] = []
        self._by_phrase_word: dict[str, list[int]] = defaultdict(list)
        for flag_number, (_, _, phrases) in enumerate(self._flags):
            for words in phrases:
                for word in words:
                    self._by_phrase_word[word].append(len(self._phrases))
                self._phrases.append((flag_number, words))
        self._by_phrase_word = dict(self._by_phrase_word)
        # Places: per region (id, its texts' body words, its area's, its pain point ids).
        self._places = list(places)
        self._by_place_word: dict[str, set[tuple[int, int]]] = defaultdict(set)
        self._by_area_word: dict[str, set[tuple[int, int]]] = defaultdict(set)
        for number, (_, own, area, _) in enumerate(self._places):
            for text_number, words in enumerate(own):
                for word in words:
                    self._by_place_word[word].add((number, text_number))
            for text_number, words in enumerate(area):
                for word in words:
                    self._by_area_word[word].add((number, text_number))
        self._by_place_word, self._by_area_word = (
            dict(self._by_place_word),
            dict(self._by_area_word),
        )
        # Body words are those of labels (region or area): synonyms name places too, but
        # also say more ("calf muscle", "around the eye") than which part it is.
        self._body_vocabulary = body
        self._place_number = {place[0]: n for n, place in enumerate(self._places)}
        vocabulary = set(self._postings) | set(self._by_phrase_word)
        self._by_stem: dict[str, list[str]] = defaultdict(list)
        self._by_deletion: dict[str, list[str]] = defaultdict(list)
        for word in vocabulary:
            self._by_stem[_stem(word)].append(word)
            if edits := _max_edits(word):
                for deleted in _deletes(word, edits):
                    self._by_deletion[deleted].append(word)
        self._by_stem, self._by_deletion = dict(self._by_stem), dict(self._by_deletion)
        self._vocabulary = frozenset(vocabulary)
        self._sorted = sorted(vocabulary)
        self._position = {(e.kind, e.id): e.order for e in entries}
        self._entry_number = {(e.kind, e.id): n for n, e in enumerate(entries)}

    @classmethod
    def build(cls, content) -> SearchIndex:
        """Index every label, synonym, tag and red-flag phrase of a `Content`, in every language."""
        entries: list[_Entry] = []
        fields: list[_Field] = []
        known: dict[str, tuple] = {}  # synonyms repeat: left and right regions
        for entry, texts in _entries_and_texts(content):
            for weight, text in texts:
                for variant in map(str, _variants(text)):
                    if variant not in known:
                        words = _words(variant)
                        content_words = _content_words(words)
                        positions = _positions(words)
                        body = tuple(w for i, w in enumerate(content_words) if i not in positions)
                        known[variant] = (content_words, body)
                    words, body = known[variant]
                    if words:
                        is_label = weight == LABEL
                        fields.append(_Field(len(entries), weight, variant, words, body, is_label))
            entries.append(entry)
        flags = []
        for flag in _red_flags(content):
            phrases = {phrase_words(p) for p in (getattr(flag, "phrases", None) or ())}
            flags.append((flag.id, flag.level, [p for p in phrases if p]))
        places, body = [], set()
        for entry, labels, synonyms, area in _place_texts(content):
            pain_points = tuple(p.id for p in getattr(entry, "pain_points", ()))
            places.append((entry.id, labels + synonyms, area, pain_points))
            body.update(word for words in labels + area for word in words)
        return cls(entries, fields, flags, places, frozenset(body))

    def search(self, query: str, limit: int = 12) -> tuple[Hit, ...]:
        """The best hits for a patient's words, best first; () when nothing matches."""
        if not isinstance(query, str) or limit <= 0:
            return ()
        return self.find(query, {kind: limit for kind in KIND_ORDER}, limit).hits

    def find(self, query: str, limits: dict[str, int], total: int | None = None) -> Results:
        """Warning signs and hits for a patient's words, at most `limits[kind]` of each kind."""
        if not isinstance(query, str):
            return Results((), ())
        parsed = _parse(query)
        words = parsed.words
        if not words:
            return Results((), ())
        known = {w: self._matches(w) for w in dict.fromkeys(words)}
        matches = [known[w] for w in words]
        flags = self._matching_flags(words, matches)
        hits = self._hits(parsed, matches)
        counts = dict.fromkeys(KIND_ORDER, 0)
        kept = []
        for hit in hits:
            if counts[hit.kind] < limits.get(hit.kind, 0):
                counts[hit.kind] += 1
                kept.append(hit)
        return Results(flags, tuple(kept[:total]))

    def _hits(self, parsed: _Query, matches) -> list[Hit]:
        words = parsed.words
        weights = [COMMON_WEIGHT if w in COMMON_WORDS else 1.0 for w in words]
        # Position words ("behind", "back" in "back of") say where, not what: they help
        # the ranking but a hit need not have them.
        for i in parsed.positions:
            if i < len(weights) and words[i] in POSITION_WORDS:
                weights[i] = COMMON_WEIGHT
        # Common words alone are a fine query ("sore"); otherwise a hit need not have them.
        required = [i for i, w in enumerate(weights) if w == 1.0] or list(range(len(words)))
        body = self._body_indexes(parsed, matches, required)
        place, place_pain_points = self._place([matches[i] for i in body])
        by_entry: dict[int, list[_Field]] = {}
        for number in sorted({n for m in matches for w in m for n in self._postings.get(w, ())}):
            field = self._fields[number]
            by_entry.setdefault(field.entry, []).append(field)
        for pain_point_id in place_pain_points:  # listed for the place: found even unnamed
            by_entry.setdefault(self._entry_number[("pain_point", pain_point_id)], [])
        # Causes the words found by themselves: a place listing more of them is meant more.
        echoed = {
            self._entries[n].id
            for n, fields in by_entry.items()
            if self._entries[n].kind == "pain_point"
            and any(w in matches[i] for f in fields for w in f.words for i in required)
        }
        hits = []
        for entry_number, fields in by_entry.items():
            entry = self._entries[entry_number]
            granted, places = {}, ()
            if entry.kind == "pain_point" and entry.id in place_pain_points:
                weight, places = place_pain_points[entry.id]
                granted = {i: PLACE * weight for i in body}
            # With a place, what is not of it must match more than the body words.
            of_place = granted or (entry.kind == "region" and entry.id in place)
            other = [i for i in required if i not in body] if place and not of_place else None
            scored = _score(fields, matches, weights, required, body, granted, other)
            if not scored:
                continue
            score, field = scored
            if entry.kind == "region" and entry.id in place:
                listed = sum(p in echoed for p in self._places[self._place_number[entry.id]][3])
                score += PLACE_REGION + PLACE_NAMED * place[entry.id] + PLACE_ECHO * listed
            elif granted:
                score += PLACE_CAUSE * weight
            typed = "" if field is None or field.is_label else _typed(parsed, field, matches)
            label = field.text if field is not None else entry.label
            hits.append(Hit(entry.kind, entry.id, entry.label, label, score, typed, places))
        hits.sort(key=lambda h: (-h.score, KIND_ORDER[h.kind], self._order(h)))
        return hits

    def _body_indexes(self, parsed: _Query, matches, required) -> list[int]:
        """The query words that name a part of the body (not positions, not common words)."""
        return [
            i
            for i in required
            if i not in parsed.positions and not self._body_vocabulary.isdisjoint(matches[i])
        ]

    def _place(self, body_matches) -> tuple[dict, dict[str, tuple[float, tuple[str, ...]]]]:
        """The regions the body words name (id → how many of their texts name them), and
        their pain points: id → (weight, the regions listing it).

        A region is of the place when one of its texts (label or a synonym) has every body
        word; when none has, the regions of an area whose label has them all.
        """
        if not body_matches:
            return {}, {}
        regions = self._covering(body_matches, self._by_place_word)
        if not regions:
            regions = self._covering(body_matches, self._by_area_word)
        listed: dict[str, tuple[float, list[str]]] = {}
        for number in sorted(regions):
            region_id, _, _, pain_points = self._places[number]
            for position, pain_point_id in enumerate(pain_points):
                weight, where = listed.get(pain_point_id, (0.0, []))
                listed[pain_point_id] = (max(weight, 1 / (1 + position)), [*where, region_id])
        place = {self._places[n][0]: min(regions[n], 3) for n in regions}
        return place, {k: (w, tuple(where)) for k, (w, where) in listed.items()}

    @staticmethod
    def _covering(body_matches, postings) -> dict[int, int]:
        """Region number → how many of its texts have every body word."""
        covering = None
        for found in body_matches:
            texts = set().union(*(postings.get(w, ()) for w in found))
            covering = texts if covering is None else covering & texts
            if not covering:
                return {}
        counts: dict[int, int] = {}
        for number, _ in covering:
            counts[number] = counts.get(number, 0) + 1
        return counts

    def _matching_flags(self, words, matches) -> tuple[str, ...]:
        """Red flags with a phrase whose every word the query has, most urgent first."""
        if not self._phrases:
            return ()
        said: set[str] = set()
        for word, found in zip(words, matches, strict=True):
            # One typo at most: two make "arthritis" "arteritis", a false alarm.
            said.update(w for w, quality in found.items() if quality >= TYPO_1)
            if word in PAIN_WORDS or not PAIN_WORDS.isdisjoint(found):
                said.add(PAIN)
        best: dict[int, int] = {}
        for word in said:
            for number in self._by_phrase_word.get(word, ()):
                flag_number, phrase = self._phrases[number]
                if len(phrase) > best.get(flag_number, 0) and phrase <= said:
                    best[flag_number] = len(phrase)
        ranked = sorted(
            best,
            key=lambda n: (LEVEL_ORDER.get(self._flags[n][1], len(LEVEL_ORDER)), -best[n], n),
        )
        return tuple(self._flags[n][0] for n in ranked)

    def _order(self, hit: Hit) -> int:
        """A hit's file order within its kind."""
        return self._position[(hit.kind, hit.id)]

    def _matches(self, word: str) -> dict[str, float]:
        """Vocabulary words that this query word matches, with how well."""
        found: dict[str, float] = {}

        def note(candidate: str, quality: float) -> None:
            if quality > found.get(candidate, 0.0):
                found[candidate] = quality

        if word in self._vocabulary:
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


def _typed(parsed: _Query, field: _Field, matches) -> str:
    """The patient's words that found a field, as typed: from the first to the last."""
    found = [i for i, m in enumerate(matches) if any(w in m for w in field.words)]
    required = [i for i in found if parsed.words[i] not in COMMON_WORDS] or found
    if not required:
        return ""
    first, last = parsed.where[min(found)], parsed.where[max(found)]
    return " ".join(parsed.typed[first : last + 1])


def _phrase(field_words: tuple[str, ...], matches: list[dict[str, float]]) -> float:
    """How well the query appears in the field as a phrase: whole, contained, or not (0)."""
    n = len(matches)
    best = 0.0
    for start in range(len(field_words) - n + 1):
        qualities = [matches[j].get(field_words[start + j], 0.0) for j in range(n)]
        if all(qualities):
            best = max(best, sum(qualities) / n)
    return best * (WHOLE_PHRASE if len(field_words) == n else CONTAINED_PHRASE)


def _score(
    fields: list[_Field], matches, weights, required, body=(), granted=None, other=None
) -> tuple[float, _Field | None] | None:
    """(score, the field that best says what was asked) of one entry; None if too weak.

    `body` are the query words naming a part of the body: they match only words a field
    does not use as positions. `granted` gives some of them a match without any field (a
    pain point listed for the place they name). When `other` is given, a hit missing a
    word must match one of those (not only body words).
    """
    granted = granted or {}
    body = set(body)
    total = sum(weights)
    core = [matches[i] for i in required] if len(required) < len(matches) else None
    best_word = [granted.get(i, 0.0) * SYNONYM for i in range(len(matches))]
    best_field, best_phrase, best, best_both = 0.0, 0.0, None, -1.0
    for field in fields:
        qualities = [
            max(m.get(w, 0.0) for w in (field.body if i in body else field.words))
            if (field.body or i not in body)
            else 0.0
            for i, m in enumerate(matches)
        ]
        if not any(qualities[i] for i in required) and len(required) < len(matches):
            continue  # only common words ("pain", "down"): not a reason to show it
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
            best, best_both = field, coverage + phrase
        best_field = max(best_field, coverage)
        best_phrase = max(best_phrase, phrase)
    if not any(best_word[i] for i in required) and not granted:
        return None
    coverage = sum(b * w for b, w in zip(best_word, weights, strict=True)) / total
    complete = all(best_word[i] for i in required)
    if other is not None and not complete and not any(best_word[i] for i in other):
        return None
    if complete:
        score = ALL_WORDS_BONUS + coverage + FIELD_COVERAGE * best_field + best_phrase
    elif coverage >= PARTIAL_MIN:
        # Below every complete hit: the bonus is missing and phrases cannot count.
        score = (coverage + FIELD_COVERAGE * best_field) / 2
    else:
        return None
    return round(score, 4), best
