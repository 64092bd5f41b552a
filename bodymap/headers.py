"""Security and privacy headers for every response."""

from __future__ import annotations

from flask import g, request

# default-src 'self' covers scripts, styles, images, fonts and fetches: nothing inline,
# nothing from elsewhere. The rest do not fall back to default-src, so they are spelt out.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
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


def security_headers() -> dict[str, str]:
    """A strict policy: own scripts and styles only, framing as configured, no referrer paths."""
    return {
        "Content-Security-Policy": f"{CONTENT_SECURITY_POLICY}; {frame_ancestors()}",
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "strict-origin-when-cross-origin",
    }


def add_security_headers(response):
    """The security headers on every response (pages from the cache carry them already)."""
    if not getattr(response, "prepared", False):
        for name, value in security_headers().items():
            response.headers.setdefault(name, value)
    return response
