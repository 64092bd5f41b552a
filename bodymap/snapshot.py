"""The content a request sees: one snapshot of the live content, taken on first use."""

from __future__ import annotations

from flask import current_app, g

from .language import current_language
from .store import Live


def live() -> Live:
    """This request's snapshot of the live content and when it was loaded."""
    if "live" not in g:
        g.live = current_app.extensions["bodymap"].snapshot()
    return g.live


def content():
    """This request's content in its language: one snapshot, so a request never mixes versions."""
    return live().content.in_language(current_language())
