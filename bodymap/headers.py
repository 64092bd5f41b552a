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


# Browser features the map never uses, turned off for it and for anything it might frame
# (features Chromium no longer knows, such as interest-cohort, would log console errors).
PERMISSIONS_POLICY = ", ".join(
    f"{feature}=()"
    for feature in (
        "accelerometer",
        "autoplay",
        "browsing-topics",
        "camera",
        "display-capture",
        "encrypted-media",
        "geolocation",
        "gyroscope",
        "hid",
        "magnetometer",
        "microphone",
        "midi",
        "payment",
        "publickey-credentials-get",
        "serial",
        "usb",
        "xr-spatial-tracking",
    )
)


EMBED_PATH = "/embed/"


def in_frame() -> bool:
    """Is this response shown inside the clinic's frame: an /embed page, or an error at an
    /embed address that no page answers (a dead link followed inside the frame)?"""
    if request.blueprint is not None:
        return request.blueprint == "embed"
    path = request.path
    return path == EMBED_PATH[:-1] or path.startswith(EMBED_PATH)


def frame_ancestors() -> str:
    """Who may frame this response: the map itself; in the frame also the clinic's sites."""
    ancestors = ["'self'"]
    if "live" in g and in_frame():
        ancestors += g.live.content.clinic.embed.allowed_origins
    return "frame-ancestors " + " ".join(ancestors)


# Scripts and stylesheets are never shown as documents: a content policy, a features policy and
# the opener rule do nothing there (a browser applies them to documents only), and on a first
# visit they cost more bytes than the map's theme. They keep nosniff and the referrer rule.
# HTML is a document and carries the whole set.
SUBRESOURCE_TYPES = frozenset({"text/css", "text/javascript", "application/javascript"})

# An SVG file opened on its own is a document too, but the map's are drawings with no script,
# link or style sheet: a policy that allows nothing covers them. With no script able to run,
# the features policy and the opener rule have nothing to act on (the favicon costs half).
DRAWING_TYPES = frozenset({"image/svg+xml"})
DRAWING_POLICY = "default-src 'none'"


def security_headers(mimetype: str | None = None) -> dict[str, str]:
    """A strict policy: own scripts and styles only, framing as configured, no referrer paths."""
    if mimetype in SUBRESOURCE_TYPES:
        return {
            "X-Content-Type-Options": "nosniff",
            "Referrer-Policy": "strict-origin-when-cross-origin",
        }
    if mimetype in DRAWING_TYPES:
        return {"Content-Security-Policy": DRAWING_POLICY, "X-Content-Type-Options": "nosniff"}
    return {
        "Content-Security-Policy": f"{CONTENT_SECURITY_POLICY}; {frame_ancestors()}",
        "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "strict-origin-when-cross-origin",
        "Permissions-Policy": PERMISSIONS_POLICY,
        # Only affects windows this page opens or is opened from: frames (/embed) are unaffected.
        "Cross-Origin-Opener-Policy": "same-origin",
    }


def add_security_headers(response):
    """The security headers on every response (pages from the cache carry them already)."""
    if not getattr(response, "prepared", False):
        for name, value in security_headers(response.mimetype).items():
            response.headers.setdefault(name, value)
    return response
