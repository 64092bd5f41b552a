"""Security and privacy headers for every response."""

from __future__ import annotations

from flask import g, request

CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "font-src 'self'",
        "form-action 'self'",
        "object-src 'none'",
        "base-uri 'none'",
    ]
)


def frame_ancestors() -> str:
    """Who may frame this response: the map itself; for /embed pages also the clinic's sites."""
    ancestors = ["'self'"]
    if request.blueprint == "embed" and "live" in g:
        ancestors += g.live.content.clinic.embed.allowed_origins
    return "frame-ancestors " + " ".join(ancestors)


def add_security_headers(response):
    """A strict policy: own scripts and styles only, framing as configured, no referrer paths."""
    response.headers.setdefault(
        "Content-Security-Policy", f"{CONTENT_SECURITY_POLICY}; {frame_ancestors()}"
    )
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "strict-origin-when-cross-origin"
    return response
