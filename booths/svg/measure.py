"""Read a booth-map SVG back (the shared map, the floor-plan page's preview): the picture's frame,
each booth's rectangle and the boxes of the legend, scale bar and title block, so that a check can
say which booths are drawn wholly inside the picture and under nothing (issue 19 item 1)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass

from tuanhang.kernel.pdf.readback import Box

SVG = "{http://www.w3.org/2000/svg}"
GLYPH = 0.62  # a glyph's width as a share of the font size, generous (the drawing assumes 0.56)


@dataclass(frozen=True)
class SvgFrame:
    view: Box
    booths: dict[str, Box]  # code → rectangle
    furniture: list[Box]  # legend, scale bar and title boxes

    def inside(self) -> set[str]:
        """Codes of the booths drawn wholly inside the picture and under no legend, scale bar or title."""
        return {
            code
            for code, box in self.booths.items()
            if box.within(self.view) and not any(box.meets(other) for other in self.furniture)
        }


def _box_of(element) -> Box | None:
    tag = element.tag.removeprefix(SVG)
    number = lambda name, default=0.0: float(element.get(name, default))  # noqa: E731
    if tag == "rect":
        x, y = number("x"), number("y")
        return Box(x, y, x + number("width"), y + number("height"))
    if tag == "line":
        xs, ys = sorted((number("x1"), number("x2"))), sorted((number("y1"), number("y2")))
        return Box(xs[0], ys[0], xs[1], ys[1])
    if tag == "text":
        size = number("font-size", 0.7)
        x, y = number("x"), number("y")
        width = len(element.text or "") * size * GLYPH
        anchor = element.get("text-anchor", "middle")
        left = x if anchor == "start" else x - width / 2 if anchor == "middle" else x - width
        return Box(left, y - size, left + width, y + size * 0.25)
    return None


def svg_frame(svg: str) -> SvgFrame:
    """The viewBox, each booth's rectangle (g.booth or g.plan-booth with data-code) and the boxes
    of the legend, the scale bar and any title block (g.legend, g.scale-bar, g.title-block)."""
    root = ET.fromstring(str(svg))  # noqa: S314 (our own markup, drawn by booths.svg)
    x, y, w, h = (float(v) for v in root.get("viewBox").split())
    booths, furniture = {}, []
    for group in root.iter(f"{SVG}g"):
        classes = (group.get("class") or "").split()
        if group.get("data-code") and ({"booth", "plan-booth"} & set(classes)):
            box = _box_of(group.find(f"{SVG}rect"))
            booths[group.get("data-code")] = box
        elif {"legend", "scale-bar", "title-block"} & set(classes):
            furniture += [box for child in group.iter() if (box := _box_of(child)) is not None]
    return SvgFrame(Box(x, y, x + w, y + h), booths, furniture)
