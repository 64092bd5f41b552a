"""The interface in the patient's language: gettext catalogues, read with Babel.

Interface texts are marked in templates (`_("…")`, `{% trans %}`) and in Python
(`translator(language).gettext`); `bodymap/translations/<lang>/LC_MESSAGES/messages.po`
holds their translations, the same catalogue format Flask-Babel and most projects use.
The catalogue is compiled in memory when first needed, so no compiled `.mo` file is
kept in the repository or made by an install step. Knows nothing of Flask.

Update the catalogue after changing texts (see docs/translating.md):
    pybabel extract -F babel.cfg -o bodymap/translations/messages.pot .
    pybabel update -i bodymap/translations/messages.pot -d bodymap/translations
"""

from __future__ import annotations

import functools
import gettext
import io
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from babel.support import Translations

DEFAULT_LANGUAGE = "en"
# The languages of the interface, each named in itself (for the language switch).
LANGUAGES = {"en": "English", "es": "Español"}
# …and in English, for messages to the clinic's staff (`bodymap check`).
ENGLISH_NAMES = {"en": "English", "es": "Spanish"}
CATALOGUES = Path(__file__).parent / "translations"


def catalogue_path(language: str) -> Path:
    return CATALOGUES / language / "LC_MESSAGES" / "messages.po"


@functools.cache
def translator(language: str) -> gettext.NullTranslations:
    """gettext for one language; English (the source texts) needs none."""
    if language == DEFAULT_LANGUAGE or language not in LANGUAGES:
        return gettext.NullTranslations()
    with catalogue_path(language).open("rb") as po:
        catalogue = read_po(po, locale=language)
    compiled = io.BytesIO()
    write_mo(compiled, catalogue, use_fuzzy=False)  # a fuzzy guess is not a translation
    compiled.seek(0)
    return Translations(compiled)


@functools.lru_cache(maxsize=256)  # browsers send the same few headers again and again
def negotiate(accept_language: str | None) -> str:
    """The best interface language for an Accept-Language header, else English.

    Only the primary tag counts ("es-MX" and "es-419" are Spanish); weights (q=) are
    honoured, and a language weighted 0 is never chosen.
    """
    best, best_weight = DEFAULT_LANGUAGE, 0.0
    for position, part in enumerate((accept_language or "")[:500].split(",")[:20]):
        tag, _, params = part.strip().partition(";")
        primary = tag.strip().lower().split("-")[0]
        weight = 1.0
        for param in params.split(";"):
            name, _, value = param.strip().partition("=")
            if name == "q":
                try:
                    weight = float(value)
                except ValueError:
                    weight = 0.0
        # Equal weights: the earlier language wins (a tiny penalty for later ones).
        weight -= position * 1e-6
        if primary in LANGUAGES and weight > best_weight:
            best, best_weight = primary, weight
    return best
