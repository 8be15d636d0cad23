"""Read pictures and prints of the booth map back, to check that every booth is inside the frame and
that the legend, scale bar and title block cover none (issue 19 item 1).

svg_frame() parses an SVG (the shared booth map or the floor-plan page's preview); pdf_pages() reads
the text positions of a PDF with poppler's `pdftotext -bbox`. Both give boxes in their own units
(metres for SVG, points from the page's top-left for PDF) as Box values.
"""

from __future__ import annotations

import re
import subprocess
import tempfile
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from html import unescape

SVG = "{http://www.w3.org/2000/svg}"
GLYPH = 0.62  # a glyph's width as a share of the font size, generous (the drawing assumes 0.56)


@dataclass(frozen=True)
class Box:
    left: float
    top: float
    right: float
    bottom: float

    def within(self, other: Box, slack: float = 1e-6) -> bool:
        return (
            self.left >= other.left - slack
            and self.top >= other.top - slack
            and self.right <= other.right + slack
            and self.bottom <= other.bottom + slack
        )

    def meets(self, other: Box) -> bool:
        """True when the two boxes share some area (touching edges do not count)."""
        return (
            self.left < other.right and other.left < self.right and self.top < other.bottom and other.top < self.bottom
        )


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
    root = ET.fromstring(str(svg))  # noqa: S314 (our own markup, made by the test)
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


@dataclass(frozen=True)
class PdfPage:
    width: float
    height: float
    words: list[tuple[str, Box]]  # text, box (points from the top-left)


_PAGE = re.compile(r'<page width="([\d.]+)" height="([\d.]+)">(.*?)</page>', re.S)
_WORD = re.compile(r'<word xMin="([\d.-]+)" yMin="([\d.-]+)" xMax="([\d.-]+)" yMax="([\d.-]+)">(.*?)</word>')


def pdf_pages(pdf: bytes) -> list[PdfPage]:
    """Every page's size and words with their boxes, read back by `pdftotext -bbox`."""
    with tempfile.NamedTemporaryFile(suffix=".pdf") as file:
        file.write(pdf)
        file.flush()
        html = subprocess.run(["pdftotext", "-bbox", file.name, "-"], capture_output=True, check=True, text=True).stdout
    pages = []
    for width, height, body in _PAGE.findall(html):
        words = [
            (unescape(text), Box(float(x0), float(y0), float(x1), float(y1)))
            for x0, y0, x1, y1, text in _WORD.findall(body)
        ]
        pages.append(PdfPage(float(width), float(height), words))
    return pages


def sheet_windows(layout) -> list[Box]:
    """Where each map sheet's part of the hall is drawn (the clip of booths.printing.map), in points
    from the page's top-left: what a reader sees of the plan on that page."""
    from booths.printing.layout import MARGIN

    left, bottom, box_w, box_h = layout.map_box()
    f = layout.points_per_metre
    windows = []
    for sheet in layout.sheets:
        w, d = (sheet.x1 - sheet.x0) * f, (sheet.y1 - sheet.y0) * f
        x0 = left + (box_w - w) / 2
        top_pdf = bottom + box_h - (box_h - d) / 2
        windows.append(Box(x0, layout.height - top_pdf, x0 + w, layout.height - top_pdf + d))
    assert all(w.left >= MARGIN - 0.01 for w in windows)
    return windows


CONTINUED = {"←", "→", "↑", "↓", "continued", "on", "sheet"}


def codes_on_map_pages(pdf: bytes, layout, data) -> tuple[set[str], list[str]]:
    """The booth codes of `data` (a MapData) printed wholly inside a map sheet's window, and the
    problems found: a booth code under a word of the title block, legend, scale bar or footer (any
    word that is not a code, a business name, a feature label or "continued on sheet n"), or a word
    off the page."""
    codes = {b.code for b in data.booths}
    drawn = set(codes) | CONTINUED
    for text in [o.sign_name for o in data.occupants.values()] + [f.label for f in data.features]:
        drawn |= set(text.split())
    pages = pdf_pages(pdf)
    found, problems = set(), []
    for page, window in zip(pages, sheet_windows(layout), strict=False):
        furniture = [(t, box) for t, box in page.words if t not in drawn and not t.isdigit()]
        for text, box in page.words:
            if not box.within(Box(0, 0, page.width, page.height), slack=0.5):
                problems.append(f"{text} off the page")
            if text not in codes or not box.within(window, slack=0.5):
                continue
            found.add(text)
            hit = [other for other, other_box in furniture if box.meets(other_box)]
            if hit:
                problems.append(f"{text} under {hit}")
    return found, problems
