"""WCAG 2 contrast between the theme's colours, as the stylesheet combines them."""

from __future__ import annotations

WHITE = "#ffffff"
BODY_FILL = "#e8e2dc"  # the figure's regions (static/bodymap.css --skin)


def rgb(colour: str) -> tuple[float, float, float]:
    """'#abc' or '#aabbcc' as red, green, blue from 0 to 1."""
    digits = colour.lstrip("#")
    if len(digits) == 3:
        digits = "".join(d * 2 for d in digits)
    return tuple(int(digits[i : i + 2], 16) / 255 for i in (0, 2, 4))


def mix(first: str, second: str, share: float) -> str:
    """CSS color-mix(in srgb, first share, second)."""
    channels = (a * share + b * (1 - share) for a, b in zip(rgb(first), rgb(second), strict=True))
    return "#" + "".join(f"{round(c * 255):02x}" for c in channels)


def luminance(colour: str) -> float:
    def linear(c: float) -> float:
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (linear(c) for c in rgb(colour))
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def ratio(first: str, second: str) -> float:
    """The contrast ratio, from 1 (none) to 21 (black on white)."""
    light, dark = sorted((luminance(first), luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def theme_pairs(theme) -> list[tuple[str, str, str, str, float]]:
    """(field to blame, what is drawn, foreground, background, ratio needed) for WCAG AA."""
    muted = mix(theme.text, theme.background, 0.85)
    return [
        ("text", "text", theme.text, theme.background, 4.5),
        ("text", "secondary text (text mixed with background)", muted, theme.background, 4.5),
        ("accent", "links (accent)", theme.accent, theme.background, 4.5),
        ("accent", "button text (white) on the accent", WHITE, theme.accent, 4.5),
        ("accent", "the selected region (accent) on the body figure", theme.accent, BODY_FILL, 3.0),
    ]
