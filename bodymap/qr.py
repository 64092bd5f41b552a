"""The QR code that reopens a summary: an SVG drawn by segno on the server (no script)."""

from __future__ import annotations

import segno
from markupsafe import Markup


def qr_svg(url: str, label: str) -> Markup:
    """A QR code of `url` as inline SVG, scaled by CSS (class `qr`), named `label`."""
    code = segno.make(url, error="m")
    svg = code.svg_inline(
        scale=1, border=4, omitsize=True, svgclass="qr", lineclass="qr-dark", title=label
    )
    # A picture with a name for screen readers; segno writes the title escaped.
    return Markup(svg.replace("<svg ", '<svg role="img" ', 1))
