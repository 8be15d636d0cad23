"""The printed booth map (ReportLab canvas): sheets of the hall to scale, coloured by zone or
category with a legend, a title block (fair, venue, dates, organiser, scale, sheet), business
short names in the booths, then the alphabetical index "business → booth" on the last pages.

It draws the same MapData as the pages' SVG (booths.selectors.map.booth_map_data) with the same
colours, fills and legend (booths.svg.style); only the output differs. (Drawn on the canvas rather
than converting the SVG, for the 2 s target: docs/DECISIONS.md.) Everything drawn is plain text on
the canvas: no markup is interpreted.
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from functools import lru_cache

from django.utils.translation import gettext as _
from reportlab.lib.colors import HexColor
from reportlab.pdfgen.canvas import Canvas

from events.generated.header import FairHeader
from tuanhang.kernel.pdf import (
    CONDENSED,
    CONDENSED_BOLD,
    NO_PROGRESS,
    SANS,
    SANS_BOLD,
    Progress,
    page_text,
    printed_at_text,
    register_fonts,
    set_metadata,
    string_width,
    truncate,
    wrap,
)

from ..svg import COLOUR_CATEGORY, MapData, legend_entries
from ..svg.style import (
    BLOCKED_FILL,
    BLOCKED_LINE,
    FEATURE_ORDER,
    FEATURE_STYLE,
    FREE_PALE,
    INK,
    OUTLINE,
    booth_fill,
    ink_on,
)
from .layout import FOOTER_HEIGHT, MARGIN, MM, TITLE_HEIGHT, Layout, index_row_height, plan

MUTED = "#6c757d"
RULE = "#adb5bd"
ACCENT = "#1f4e79"


@lru_cache(maxsize=512)
def colour(value: str):
    return HexColor(value)


@dataclass(frozen=True)
class BoothMapPrint:
    """What the printed map shows: the fair's title block values and its map data."""

    header: FairHeader
    data: MapData


def booth_map_pdf(
    printed: BoothMapPrint, *, paper: str = "A3", colour_by: str = "zone", progress: Progress = NO_PROGRESS
) -> bytes:
    register_fonts()
    legend = legend_entries(printed.data, colour_by)
    layout = plan(printed.data, paper=paper, legend_entries=len(legend))
    out = io.BytesIO()
    canvas = Canvas(out, pagesize=(layout.width, layout.height), pageCompression=1)
    title = _("Booth map") + " – " + printed.header.name
    set_metadata(canvas, title=title, author=printed.header.organiser, subject=printed.header.title_line)
    drawer = _Drawer(canvas, printed, layout, colour_by, legend)
    page = 0
    for sheet in layout.sheets:
        page += 1
        drawer.map_page(sheet, page)
        canvas.showPage()
        progress(page, layout.pages)
    for columns in layout.index_pages:
        page += 1
        drawer.index_page(columns, page)
        canvas.showPage()
        progress(page, layout.pages)
    canvas.save()
    return out.getvalue()


class _Drawer:
    def __init__(self, canvas: Canvas, printed: BoothMapPrint, layout: Layout, colour_by: str, legend):
        self.c, self.printed, self.layout = canvas, printed, layout
        self.data, self.header, self.colour_by, self.legend = printed.data, printed.header, colour_by, legend
        self.k = layout.type_scale
        self.printed_at = printed_at_text()
        counts = self.data.counts()
        self.counts_text = _("%(total)s booths: %(assigned)s assigned, %(free)s free, %(blocked)s blocked") % counts

    # --- page furniture ---------------------------------------------------------------------

    def frame(self, page: int, heading: str, detail: str):
        """Title block on top, footer at the bottom."""
        c, k, width, height = self.c, self.k, self.layout.width, self.layout.height
        top = height - MARGIN
        right = width - MARGIN
        c.setFillColor(colour(ACCENT))
        c.rect(MARGIN, top - 1.2 * MM, right - MARGIN, 1.2 * MM, stroke=0, fill=1)
        heading_size, detail_size = 11.5 * k, 8 * k
        heading_width = max(string_width(heading, SANS_BOLD, heading_size), string_width(detail, SANS, detail_size))
        name_room = right - MARGIN - heading_width - 12 * MM
        c.setFillColor(colour(INK))
        name_size = 13 * k
        c.setFont(SANS_BOLD, name_size)
        c.drawString(MARGIN, top - 7.5 * MM * k, truncate(self.header.name, SANS_BOLD, name_size, name_room))
        c.setFont(SANS, 8.5 * k)
        c.drawString(MARGIN, top - 12.5 * MM * k, truncate(self.header.title_line, SANS, 8.5 * k, name_room))
        c.setFont(SANS_BOLD, heading_size)
        c.drawRightString(right, top - 7.5 * MM * k, heading)
        c.setFont(SANS, detail_size)
        c.setFillColor(colour(MUTED))
        c.drawRightString(right, top - 12.5 * MM * k, detail)
        c.setStrokeColor(colour(RULE))
        c.setLineWidth(0.6)
        line_y = top - TITLE_HEIGHT * k + 2 * MM
        c.line(MARGIN, line_y, right, line_y)
        # Footer.
        c.line(MARGIN, MARGIN + FOOTER_HEIGHT - 2.5 * MM, right, MARGIN + FOOTER_HEIGHT - 2.5 * MM)
        c.setFont(SANS, 7.5)
        c.setFillColor(colour(MUTED))
        c.drawString(MARGIN, MARGIN + 1 * MM, f"{self.printed_at} · {self.counts_text}")
        c.setFont(SANS_BOLD, 8.5)
        c.setFillColor(colour(INK))
        c.drawRightString(right, MARGIN + 1 * MM, page_text(page, self.layout.pages))

    # --- a sheet of the hall -----------------------------------------------------------------

    def map_page(self, sheet, page: int):
        layout = self.layout
        detail = _("Scale 1:%(scale)s · %(paper)s") % {"scale": layout.scale, "paper": layout.paper}
        if len(layout.sheets) > 1:
            detail += " · " + _("Sheet %(number)s of %(count)s") % {
                "number": sheet.number,
                "count": len(layout.sheets),
            }
        heading = _("BOOTH MAP") + (" – " + _("by product category") if self.colour_by == COLOUR_CATEGORY else "")
        self.frame(page, heading, detail)
        left, bottom, box_w, box_h = layout.map_box()
        f = layout.points_per_metre
        # Centre the sheet's part of the hall in the box.
        ox = left + (box_w - (sheet.x1 - sheet.x0) * f) / 2
        oy = bottom + box_h - (box_h - (sheet.y1 - sheet.y0) * f) / 2
        self.to_x = lambda x: ox + (x - sheet.x0) * f
        self.to_y = lambda y: oy - (y - sheet.y0) * f
        c = self.c
        c.saveState()
        clip = c.beginPath()
        clip.rect(self.to_x(sheet.x0), self.to_y(sheet.y1), (sheet.x1 - sheet.x0) * f, (sheet.y1 - sheet.y0) * f)
        c.clipPath(clip, stroke=0, fill=0)
        self.hall(f)
        self.features(sheet, f)
        self.booths(sheet, f)
        c.restoreState()
        if len(layout.sheets) > 1:
            self.neighbours(sheet, f)
        self.legend_strip(f)

    def hall(self, f):
        c = self.c
        c.setFillColor(colour("#ffffff"))
        c.setStrokeColor(colour(OUTLINE))
        c.setLineWidth(max(0.6, 0.15 * f))
        c.rect(self.to_x(0), self.to_y(self.data.hall_depth), self.data.hall_width * f, self.data.hall_depth * f, 1, 1)

    def features(self, sheet, f):
        c = self.c
        for feature in sorted(self.data.features, key=lambda ft: FEATURE_ORDER.get(ft.kind, 9)):
            if not _overlaps(sheet, feature.x, feature.y, feature.width, feature.depth):
                continue
            fill, outline = FEATURE_STYLE.get(feature.kind, FEATURE_STYLE["label"])
            x, y = self.to_x(feature.x), self.to_y(feature.y + feature.depth)
            w, d = feature.width * f, feature.depth * f
            if fill:
                c.setFillColor(colour(fill))
                c.setStrokeColor(colour(outline))
                c.setLineWidth(0.5)
                c.setDash(2, 1.5) if feature.kind == "aisle" else c.setDash()
                c.rect(x, y, w, d, stroke=1, fill=1)
                c.setDash()
            if feature.named or feature.kind != "pillar":
                size = max(6.0, min(11.0, min(feature.width, feature.depth) * 0.6 * f)) if fill else 8.0
                text = truncate(feature.label, SANS_BOLD, size, max(w, 40))
                text_w = string_width(text, SANS_BOLD, size)
                cx, cy = x + w / 2, y + d / 2 - size * 0.35
                c.setFillColor(colour("#ffffff"))
                c.roundRect(cx - text_w / 2 - 2, cy - size * 0.3, text_w + 4, size * 1.25, 1.5, stroke=0, fill=1)
                c.setFillColor(colour(INK))
                c.setFont(SANS_BOLD, size)
                c.drawCentredString(cx, cy, text)

    def booths(self, sheet, f):
        c = self.c
        c.setLineWidth(max(0.35, 0.06 * f))
        c.setStrokeColor(colour(OUTLINE))
        hatched = []
        for booth in self.data.booths:
            if not _overlaps(sheet, booth.x, booth.y, booth.width, booth.depth):
                continue
            fill = booth_fill(self.data, booth, self.colour_by)
            x, y, w, d = self.to_x(booth.x), self.to_y(booth.y + booth.depth), booth.width * f, booth.depth * f
            c.setFillColor(colour(BLOCKED_FILL if fill == "hatch" else fill))
            c.rect(x, y, w, d, stroke=1, fill=1)
            if fill == "hatch":
                hatched.append((x, y, w, d))
            ink = INK if fill in ("hatch", FREE_PALE) else ink_on(fill)
            occupant = self.data.occupants.get(booth.id)
            self.booth_text(booth, occupant.sign_name if occupant else "", ink, x, y, w, d, f)
        for x, y, w, d in hatched:
            self.hatch(x, y, w, d)

    def booth_text(self, booth, name, ink, x, y, w, d, f):
        c = self.c
        scale = min(1.0, min(booth.width, booth.depth) / 3)
        code_size = 0.6 * scale * f
        c.setFillColor(colour(ink))
        c.setFont(SANS_BOLD, code_size)
        top = y + d - 0.2 * scale * f - code_size
        c.drawCentredString(x + w / 2, top, booth.code)
        if not name:
            return
        size = 0.45 * scale * f
        leading = size * 1.2
        room = top - y - 0.25 * scale * f
        lines = max(1, min(3, int(room // leading)))
        c.setFont(CONDENSED, size)
        for i, line in enumerate(wrap(name, CONDENSED, size, w - 0.3 * scale * f, lines)):
            c.drawCentredString(x + w / 2, top - leading * (i + 1) - 0.1 * scale * f, line)

    def hatch(self, x, y, w, d):
        c = self.c
        c.saveState()
        path = c.beginPath()
        path.rect(x, y, w, d)
        c.clipPath(path, stroke=0, fill=0)
        c.setStrokeColor(colour(BLOCKED_LINE))
        c.setLineWidth(0.5)
        step = 4.0
        offset = -d
        while offset < w:
            c.line(x + offset, y, x + offset + d, y + d)
            offset += step
        c.restoreState()

    def neighbours(self, sheet, f):
        """ "Continued on sheet 3 →" on each side of the sheet that has a neighbour."""
        layout = self.layout
        by_position = {(s.row, s.column): s for s in layout.sheets}
        left, bottom, box_w, box_h = layout.map_box()
        c = self.c
        c.setFont(SANS, 7 * self.k)
        c.setFillColor(colour(ACCENT))
        places = {
            (0, -1): (left + 1 * MM, bottom + box_h / 2, "left"),
            (0, 1): (left + box_w - 1 * MM, bottom + box_h / 2, "right"),
            (-1, 0): (left + box_w / 2, bottom + box_h - 3 * MM, "centre"),
            (1, 0): (left + box_w / 2, bottom + 1 * MM, "centre"),
        }
        arrows = {(0, -1): "← %s", (0, 1): "%s →", (-1, 0): "↑ %s", (1, 0): "↓ %s"}
        for (dr, dc), (x, y, align) in places.items():
            other = by_position.get((sheet.row + dr, sheet.column + dc))
            if other is None:
                continue
            text = arrows[(dr, dc)] % (_("continued on sheet %(number)s") % {"number": other.number})
            draw = {"left": c.drawString, "right": c.drawRightString, "centre": c.drawCentredString}[align]
            draw(x, y, text)

    def legend_strip(self, f):
        """Colour swatches and their meaning, then the scale bar, above the footer."""
        c, k, layout = self.c, self.k, self.layout
        left, bottom, box_w, _box_h = layout.map_box()
        top = bottom - 2 * MM
        column_w = 62 * MM * k
        per_row = max(1, int((box_w - 70 * MM) // column_w))
        row_h = 5 * MM * k
        c.setFont(SANS, 7.5 * k)
        for i, entry in enumerate(self.legend):
            row, column = divmod(i, per_row)
            x, y = left + column * column_w, top - (row + 1) * row_h + 1 * MM
            fill = BLOCKED_FILL if entry.fill == "hatch" else entry.fill
            c.setFillColor(colour(fill))
            c.setStrokeColor(colour(entry.outline or OUTLINE))
            c.setLineWidth(0.5)
            c.setDash(2, 1) if entry.dashed else c.setDash()
            c.rect(x, y, 5 * MM * k, 3.4 * MM * k, stroke=1, fill=1)
            c.setDash()
            if entry.fill == "hatch":
                self.hatch(x, y, 5 * MM * k, 3.4 * MM * k)
            c.setFillColor(colour(INK))
            c.drawString(
                x + 6.5 * MM * k, y + 0.8 * MM * k, truncate(entry.label, SANS, 7.5 * k, column_w - 8 * MM * k)
            )
        self.scale_bar(left + box_w, top, f)

    def scale_bar(self, right, top, f):
        c = self.c
        metres = 10 if f * 10 <= 60 * MM else 5
        length = metres * f
        x, y = right - length - 2 * MM, top - 4 * MM
        c.setStrokeColor(colour(INK))
        c.setFillColor(colour(INK))
        c.setLineWidth(0.8)
        c.line(x, y, x + length, y)
        for tick in (x, x + length / 2, x + length):
            c.line(tick, y - 1.2 * MM, tick, y + 1.2 * MM)
        c.setFont(SANS, 7 * self.k)
        c.drawCentredString(x, y - 4 * MM, "0")
        c.drawCentredString(x + length, y - 4 * MM, f"{metres} m")
        c.drawRightString(x - 3 * MM, y - 1 * MM, f"1:{self.layout.scale}")

    # --- the index ---------------------------------------------------------------------------

    def index_page(self, columns, page: int):
        self.frame(page, _("INDEX OF PARTICIPANTS"), _("Business → booth, in alphabetical order"))
        layout, c, k = self.layout, self.c, self.k
        top = layout.height - MARGIN - TITLE_HEIGHT * k - 3 * MM
        gap = 6 * MM
        count = len(layout.sheets)
        from .layout import INDEX_COLUMNS

        n = INDEX_COLUMNS[layout.paper]
        column_w = (layout.width - 2 * MARGIN - gap * (n - 1)) / n
        row = index_row_height(layout)
        if not columns:
            c.setFont(SANS, 10 * k)
            c.setFillColor(colour(MUTED))
            c.drawString(MARGIN, top - row, _("No business has a booth yet."))
            return
        for i, entries in enumerate(columns):
            x = MARGIN + i * (column_w + gap)
            y = top
            for entry in entries:
                if entry.heading:
                    y -= row * 1.5
                    c.setFont(SANS_BOLD, 10 * k)
                    c.setFillColor(colour(ACCENT))
                    c.drawString(x, y + 0.6 * MM, entry.heading)
                    c.setStrokeColor(colour(ACCENT))
                    c.setLineWidth(0.5)
                    c.line(x, y, x + column_w, y)
                y -= row
                self.index_entry(entry, x, y + 1.2 * MM, column_w, count > 1)

    def index_entry(self, entry, x, y, width, sheets):
        c, k = self.c, self.k
        size = 7.5 * k
        right = entry.booths
        if sheets and entry.sheets:
            right += "  ·  " + _("sheet %(numbers)s") % {"numbers": entry.sheets}
        right = truncate(right, CONDENSED_BOLD, size, width * 0.4)
        right_w = string_width(right, CONDENSED_BOLD, size)
        room = width - right_w - 3 * MM
        name = truncate(entry.name, CONDENSED_BOLD, size, room)
        name_w = string_width(name, CONDENSED_BOLD, size)
        c.setFillColor(colour(INK))
        c.setFont(CONDENSED_BOLD, size)
        c.drawString(x, y, name)
        end = x + name_w
        if entry.legal_name and room - name_w > 12 * MM:
            legal = truncate(" – " + entry.legal_name, CONDENSED, size * 0.9, room - name_w)
            c.setFont(CONDENSED, size * 0.9)
            c.setFillColor(colour(MUTED))
            c.drawString(end, y, legal)
            end += string_width(legal, CONDENSED, size * 0.9)
        c.setStrokeColor(colour(RULE))
        c.setLineWidth(0.4)
        c.setDash(0.6, 1.6)
        c.line(end + 1 * MM, y, x + width - right_w - 1 * MM, y)
        c.setDash()
        c.setFillColor(colour(INK))
        c.setFont(CONDENSED_BOLD, size)
        c.drawRightString(x + width, y, right)


def _overlaps(sheet, x, y, w, d) -> bool:
    return x < sheet.x1 and x + w > sheet.x0 and y < sheet.y1 and y + d > sheet.y0
