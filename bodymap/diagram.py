"""The body figure as inline SVG. The only module that uses svgwrite.

Knows nothing of HTTP: the links a region leads to come in as `RegionLinks`
patterns. Output is deterministic and kept on the content object (one drawing per selection and
zoom), so drawings of an old version go with it.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Hashable
from typing import NamedTuple

import svgwrite
from markupsafe import Markup, escape

from .content import Content
from .geometry import scan, union
from .i18n import translator


def _view_names(_) -> dict[str, str]:
    """Each view's name for assistive technology; gettext finds the texts by these calls."""
    return {"front": _("Front of the body"), "back": _("Back of the body")}


def _side_names(_) -> dict[str, str]:
    """The patient's own sides, as labelled at the top corners of a view."""
    return {"left": _("Your left"), "right": _("Your right")}


# Which of the patient's sides is on the viewer's left, per view.
_VIEWER_LEFT = {"front": "right", "back": "left"}
_BODY_PAD = 4  # figure units around the body on the whole-body views
_LABEL_SIZE = 0.065  # side labels' font size, as a share of the drawing's width


class RegionLinks(NamedTuple):
    """Where a tap on a region leads, given the region's id."""

    page: Callable[[str], str]  # its href: works without JavaScript
    fragment: Callable[[str], str]  # what htmx fetches into the panel instead
    key: Hashable  # the same key means the same links (for keeping drawings)
    include: str | None = None  # inputs htmx sends along (the chosen places)
    # The same `base` means the same links but for their hrefs: one drawing is kept per
    # base and the hrefs and marks are filled in per selection (None: drawn each time).
    base: Hashable | None = None


def render_view(
    content: Content,
    view: str,
    links: RegionLinks,
    selected: tuple[str, ...] = (),
    zoom: str | None = None,
):
    """The SVG of one view (or of one zoomed part of it) as safe markup.

    Drawings of the whole body with no place or one place chosen, and of zoomed parts
    with none, are kept on the content version (a number bounded by the regions); the
    pages of other selections are kept by the bounded page cache instead.
    """
    if len(selected) > 1 or (selected and zoom):
        parts = _skeleton(content, view, links, zoom) if links.base is not None else None
        if parts is None:
            return Markup(_draw_view(content, view, links, selected, zoom))
        return Markup(_fill(parts, links, selected))
    key = ("view", view, links.key, selected, zoom)
    if key not in content.derived:
        content.derived[key] = Markup(_draw_view(content, view, links, selected, zoom))
    return content.derived[key]


def _draw_view(content, view, links, selected, zoom) -> str:
    _ = translator(content.language).gettext
    part = content.zoom(zoom) if zoom else None
    # The body without the drawing's empty margins, the same box for both views: on a phone
    # the body then fills the screen's width and its thinnest parts stay 24 px or more.
    box = union([e.box for e in content.regions.values()], _BODY_PAD)
    if part:
        x, y, width, height = dict(part.boxes)[view]
        room = width * _LABEL_SIZE * 1.5  # above the part, for the side labels
        box = (x, y - room, width, height + room)
    label = _view_names(_)[view]
    if part:
        label += ", " + _("%(part)s, larger") % {"part": part.label}
    drawing = _drawing(box, f"figure figure-{view}", label)
    regions = drawing.g(class_="regions")
    for entry in content.regions_in_view(view):
        if part is None or entry.id in part.region_ids:
            regions.add(_region_link(drawing, entry, links, entry.id in selected))
    drawing.add(regions)
    # Drawn over the regions so its line stays crisp; CSS lets taps pass through it.
    drawing.add(_outline(drawing, content, view))
    drawing.add(_side_labels(drawing, view, box, _))
    return drawing.tostring()


_HREF = "\ue000{}\ue001"  # a region's href in a kept drawing (private-use characters)
_HREF_SPLIT = re.compile("\ue000([^\ue001]*)\ue001")


def _unselected(region_id: str) -> str:
    return f'<a class="region" data-region="{region_id}" '


def _selected(region_id: str) -> str:
    return f'<a aria-current="true" class="region is-selected" data-region="{region_id}" '


def _skeleton(content: Content, view: str, links: RegionLinks, zoom: str | None):
    """The view drawn once with a mark for each href, split at the marks (None: a drawing
    whose selected regions are not written as `_selected` says; those are drawn each time)."""
    key = ("skeleton", view, links.base, zoom)
    if key not in content.derived:
        marked = links._replace(page=_HREF.format)
        plain = _draw_view(content, view, marked, (), zoom)
        ids = tuple(_HREF_SPLIT.findall(plain))
        chosen = _draw_view(content, view, marked, ids, zoom)
        same = _mark(plain, ids) == chosen
        content.derived[key] = _HREF_SPLIT.split(plain) if same else None
    return content.derived[key]


def _mark(svg: str, selected) -> str:
    for region_id in selected:
        svg = svg.replace(_unselected(region_id), _selected(region_id), 1)
    return svg


def _fill(parts: list[str], links: RegionLinks, selected) -> str:
    """A kept drawing with this selection's hrefs and marks."""
    filled = [escape(links.page(part)) if odd else part for odd, part in _alternate(parts)]
    return _mark("".join(filled), selected)


def _alternate(parts):
    return ((n % 2 == 1, part) for n, part in enumerate(parts))


def intensity_band(intensity: int | None) -> str:
    """The shade of a chosen place on the pain drawing: its 0-10 answer in four bands."""
    if intensity is None:
        return "unrated"
    return next(name for top, name in INTENSITY_BANDS if intensity <= top)


INTENSITY_BANDS = ((0, "none"), (3, "mild"), (6, "moderate"), (10, "severe"))  # up to, name


def render_marked(
    content: Content, view: str, selected: tuple[str, ...], intensity: dict | None = None
):
    """A small still figure with the chosen places filled in (for the printed summary),
    shaded by the intensity the patient gave each (`intensity`: place → 0-10).

    No links and no name: it is a picture of what the list beside it says.
    """
    intensity = intensity or {}
    _ = translator(content.language).gettext
    box = (0, 0, content.figure.width, content.figure.height)
    drawing = _drawing(box, f"figure marked-figure figure-{view}", label=None)
    for entry in content.regions_in_view(view):
        css_class = "marked-region"
        if entry.id in selected:
            css_class += f" is-selected band-{intensity_band(intensity.get(entry.id))}"
        drawing.add(drawing.path(d=entry.shape, class_=css_class))
    drawing.add(_outline(drawing, content, view))
    drawing.add(_side_labels(drawing, view, box, _))
    return Markup(drawing.tostring())


def render_preview(content: Content, view: str, page: str):
    """The figure for clinicians: every region outlined, labelled with its id and linked."""
    key = ("preview", view, page)
    if key not in content.derived:
        content.derived[key] = _draw_preview(content, view, page)
    return content.derived[key]


def _draw_preview(content: Content, view: str, page: str):
    """For the clinic's staff, in English, like the rest of the preview page."""
    box = (0, 0, content.figure.width, content.figure.height)
    label = f"{_view_names(str)[view]}, ids"
    drawing = _drawing(box, f"figure preview-figure figure-{view}", label)
    for entry in content.regions_in_view(view):
        link = _link(drawing, page.format(entry.id))
        link.attribs.update({"class": "preview-region", "aria-label": f"{entry.id}: {entry.name}"})
        link.add(drawing.path(d=entry.shape))
        x, y = scan(entry.shape).label_point()
        link.add(drawing.text(entry.id, insert=(round(x, 1), round(y, 1)), text_anchor="middle"))
        drawing.add(link)
    drawing.add(_outline(drawing, content, view))
    drawing.add(_side_labels(drawing, view, box, str))
    return Markup(drawing.tostring())


def _drawing(box, css_class: str, label: str | None):
    """An empty inline SVG showing `box` of the figure (x, y, width, height), named for AT;
    without a label it is hidden from AT (a picture of what the page also says in words)."""
    drawing = svgwrite.Drawing(size=(None, None), profile="full", debug=False)
    drawing.attribs = {
        "xmlns": "http://www.w3.org/2000/svg",
        "viewBox": " ".join(f"{round(n, 1):g}" for n in box),
        "class": css_class,
        **({"role": "group", "aria-label": label} if label else {"aria-hidden": "true"}),
    }
    return drawing


def _outline(drawing, content: Content, view: str):
    return drawing.path(
        d=getattr(content.figure, view).outline, class_="silhouette", aria_hidden="true"
    )


def _region_link(drawing, entry, links: RegionLinks, selected: bool):
    """One tappable region: an SVG <a> around its shape."""
    page = links.page(entry.id)
    link = _link(drawing, page)
    link.attribs.update(
        {
            "class": "region is-selected" if selected else "region",
            "data-region": entry.id,
            "hx-get": links.fragment(entry.id),
        }
    )
    if links.include:  # a toggle's address depends on the selection: the server says it
        # On each link: htmx 4 inherits nothing unmarked, and `hx-include:inherited` on
        # the group would not be well-formed XML.
        link["hx-include"] = links.include
    else:  # the address shown is the page's own, without where on it the tap opens
        link["hx-push-url"] = page.partition("#")[0]
    if selected:
        link["aria-current"] = "true"
    link.set_desc(title=entry.name)  # its accessible name, and the tooltip for a mouse
    link.add(drawing.path(d=entry.shape))
    return link


def _link(drawing, href: str):
    """An SVG <a> with a plain href (svgwrite writes xlink:href and target=_blank)."""
    link = drawing.a(href)
    link.attribs.pop("xlink:href")
    link.attribs.pop("target", None)
    link["href"] = href
    return link


def _side_labels(drawing, view: str, box, _):
    """'Your right' / 'Your left' at the top corners, as the patient sees their own body.

    `_` is gettext in the patient's language.
    """
    x, y, width, _height = box
    names = _side_names(_)
    size = round(width * _LABEL_SIZE, 1)
    left_side = _VIEWER_LEFT[view]
    right_side = "left" if left_side == "right" else "right"
    labels = drawing.g(class_="side-labels", aria_hidden="true", font_size=size)
    top = round(y + size * 1.1, 1)
    labels.add(drawing.text(names[left_side], insert=(round(x + 4, 1), top)))
    labels.add(
        drawing.text(names[right_side], insert=(round(x + width - 4, 1), top), text_anchor="end")
    )
    return labels
