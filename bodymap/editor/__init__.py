"""The office's editor: forms in the browser that write regions.yaml.

Runs at /edit/… either from `bodymap edit` (this computer only, with a private token
in the address) or inside a hosted map when a password is configured
(BODYMAP_EDITOR_PASSWORD_HASH). Off otherwise. Every save goes through the same checks
as `bodymap check`; see saving.py for how a save is written and auth.py for who may.
"""

from __future__ import annotations


def enabled(config) -> bool:
    """On with a token (bodymap edit) or a password hash, never in a static export."""
    wanted = config.get("EDITOR_TOKEN") or config.get("EDITOR_PASSWORD_HASH")
    return bool(wanted) and not config.get("STATIC_EXPORT")


def init_app(app) -> None:
    from .views import bp

    app.register_blueprint(bp)
