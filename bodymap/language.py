"""The language of each request, and the interface texts in it (the Flask side of i18n).

A patient who chose a language keeps it in the address (`?lang=es`, part of the page's
state, so every link of the map carries it); otherwise the browser's Accept-Language
decides, and pages say so with `Vary: Accept-Language`. No cookie is ever set.
"""

from __future__ import annotations

from flask import request
from markupsafe import Markup

from .i18n import negotiate, translator
from .localized import Fallback

LANGUAGE_KEY = "bodymap.language"


def chosen_language() -> str | None:
    """The language the patient chose with the switch (?lang=…), if a known one."""
    if not request.query_string:  # most requests: no query to parse
        return None
    from .addresses import current  # the request's state needs the content, which needs this

    return current().language


def current_language() -> str:
    """This request's language: chosen, else the browser's preference, else English."""
    environ = request.environ  # read once: every page asks, cached pages included
    language = environ.get(LANGUAGE_KEY)
    if language is None:
        language = chosen_language() or negotiate(environ.get("HTTP_ACCEPT_LANGUAGE"))
        environ[LANGUAGE_KEY] = language
    return language


def gettext(message: str) -> str:
    return translator(current_language()).gettext(message)


def ngettext(singular: str, plural: str, count: int) -> str:
    return translator(current_language()).ngettext(singular, plural, count)


def mark_language(text):
    """A content text shown in English on a page in another language, marked as English
    (`lang="en"`) so that a screen reader pronounces it right."""
    if isinstance(text, Fallback) and current_language() != Fallback.language:
        return Markup('<span lang="{}">{}</span>').format(Fallback.language, text)
    return text


def shown_in_english(text) -> bool:
    """Whether a content text has no translation into the page's language (articles: the
    page it leads to is in English too)."""
    return isinstance(text, Fallback) and current_language() != Fallback.language


def init_app(app) -> None:
    app.jinja_env.add_extension("jinja2.ext.i18n")
    app.jinja_env.policies["ext.i18n.trimmed"] = True  # {% trans %} blocks on one line
    app.jinja_env.install_gettext_callables(gettext, ngettext, newstyle=True)
    app.add_template_filter(mark_language, "lang")
    app.add_template_test(shown_in_english, "shown_in_english")

    @app.context_processor
    def language_globals():
        return {"language": current_language()}
