"""Where the printed booth map goes on paper: the scale, the sheets a large hall is split into,
the index pages. Pure arithmetic on booths.svg.MapData, no drawing.

The drawing is the hall grown to hold every booth and feature (booths.svg.Extent: a plan saved
before the hall-fit check may have some outside), framed by the title block above and the legend
and scale bar below, never over it. It is drawn on one sheet at the largest standard scale at
which it fits, down to 1:200 (a standard 3 m booth is then 15 mm wide and its business name about
6 pt). A hall too large for that is split into equal sheets at 1:200, in rows and columns, each
showing the booths that reach into it; neighbouring sheets overlap by more than the largest booth,
so every booth is whole on some sheet. A booth belongs to the first sheet that holds its centre
(the index names that sheet).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from reportlab.lib import pagesizes
from reportlab.lib.pagesizes import landscape

from tuanhang.kernel.vn import initial, sort_key

from ..codes import booth_code_key
from ..svg import MapData

MM = 72 / 25.4
PAPERS = {"A4": pagesizes.A4, "A3": pagesizes.A3, "A1": pagesizes.A1}
# Type sizes grow with the sheet, so an A1 plan on a wall reads like an A4 in the hand.
TYPE_SCALE = {"A4": 1.0, "A3": 1.15, "A1": 1.7}
SCALES = (50, 75, 100, 125, 150, 200)  # 1:n, largest drawing first
MAX_SCALE = SCALES[-1]
HALL_MARGIN = 1.0  # metres of paper shown around the hall
MARGIN = 10 * MM
TITLE_HEIGHT = 19 * MM
FOOTER_HEIGHT = 7 * MM
INDEX_COLUMNS = {"A4": 2, "A3": 3, "A1": 4}


@dataclass(frozen=True)
class Sheet:
    number: int  # 1-based
    row: int
    column: int
    x0: float  # the part of the hall it shows, in metres
    y0: float
    x1: float
    y1: float

    def holds(self, x: float, y: float) -> bool:
        return self.x0 <= x < self.x1 and self.y0 <= y < self.y1


@dataclass(frozen=True)
class IndexEntry:
    heading: str  # the initial when this entry starts a letter, else ""
    name: str  # the name on the map
    legal_name: str  # when it differs from the name on the map
    booths: str
    sheets: str


@dataclass(frozen=True)
class Layout:
    paper: str
    width: float  # page, points
    height: float
    scale: int
    rows: int
    columns: int
    sheets: tuple[Sheet, ...]
    index_pages: tuple[tuple[tuple[IndexEntry, ...], ...], ...]  # pages → columns → entries
    type_scale: float
    legend_height: float

    @property
    def pages(self) -> int:
        return len(self.sheets) + len(self.index_pages)

    @property
    def points_per_metre(self) -> float:
        return 1000 / self.scale * MM

    def map_box(self) -> tuple[float, float, float, float]:
        """Left, bottom, width, height of the map's area on a map page, in points."""
        bottom = MARGIN + FOOTER_HEIGHT + self.legend_height
        top = self.height - MARGIN - TITLE_HEIGHT * self.type_scale
        return MARGIN, bottom, self.width - 2 * MARGIN, top - bottom


def legend_height(entries: int, paper: str, width: float) -> float:
    """Room for the legend rows (entries flow in columns of ~60 mm) and the scale bar."""
    k = TYPE_SCALE[paper]
    per_row = max(1, int((width - 2 * MARGIN - 70 * MM) // (62 * MM * k)))
    rows = max(1, math.ceil(entries / per_row))
    return rows * 5 * MM * k + 4 * MM


def plan(data: MapData, *, paper: str, legend_entries: int) -> Layout:
    """The scale, sheets and index pages of the fair's map on `paper` (landscape)."""
    width, height = landscape(PAPERS[paper])
    k = TYPE_SCALE[paper]
    legend = legend_height(legend_entries, paper, width)
    box_w = width - 2 * MARGIN
    box_h = height - 2 * MARGIN - TITLE_HEIGHT * k - FOOTER_HEIGHT - legend
    # The drawing is the hall and every booth and feature on it, so none is ever cut off.
    extent = data.extent()
    hall_w, hall_d = extent.width + 2 * HALL_MARGIN, extent.depth + 2 * HALL_MARGIN

    def fits(scale):
        metres_per_point = scale / 1000 / MM
        return hall_w <= box_w * metres_per_point and hall_d <= box_h * metres_per_point

    scale = next((s for s in SCALES if fits(s)), None)
    over_x = over_y = 0.0
    if scale is not None:
        columns = rows = 1
    else:
        scale = MAX_SCALE
        metres_per_point = scale / 1000 / MM
        view_w, view_h = box_w * metres_per_point, box_h * metres_per_point
        # Neighbouring sheets overlap by more than the largest booth, so every booth (and its
        # code) is whole on at least one sheet instead of cut in two at a sheet's edge.
        over_x = min(max((b.width for b in data.booths), default=3) + 1, view_w / 3)
        over_y = min(max((b.depth for b in data.booths), default=3) + 1, view_h / 3)
        columns = max(1, math.ceil((hall_w - over_x) / (view_w - over_x)))
        rows = max(1, math.ceil((hall_d - over_y) / (view_h - over_y)))
    sheets = _sheets(extent.left, extent.top, hall_w, hall_d, rows, columns, over_x, over_y)
    layout = Layout(paper, width, height, scale, rows, columns, sheets, (), k, legend)
    entries = index_entries(data, sheets)
    return Layout(paper, width, height, scale, rows, columns, sheets, _index_pages(entries, layout), k, legend)


def _sheets(left, top, hall_w, hall_d, rows, columns, over_x=0.0, over_y=0.0) -> tuple[Sheet, ...]:
    """Equal sheets from (left, top), each overlapping the next by over_x across and over_y down."""
    step_x, step_y = (hall_w - over_x) / columns, (hall_d - over_y) / rows
    sheets = []
    for row in range(rows):
        for column in range(columns):
            x0, y0 = left + column * step_x - HALL_MARGIN, top + row * step_y - HALL_MARGIN
            x1, y1 = x0 + step_x + over_x, y0 + step_y + over_y
            sheets.append(Sheet(len(sheets) + 1, row + 1, column + 1, x0, y0, x1, y1))
    return tuple(sheets)


def sheet_of(sheets, x: float, y: float) -> Sheet:
    for sheet in sheets:
        if sheet.holds(x, y):
            return sheet
    return sheets[-1]


def index_entries(data: MapData, sheets) -> list[IndexEntry]:
    """One entry per business with booths on the map, in Vietnamese alphabetical order of the name
    shown in its booths, with its booths (natural order) and the sheets they are on."""
    by_vendor: dict[int, dict] = {}
    booths = {b.id: b for b in data.booths}
    for booth_id, occupant in data.occupants.items():
        booth = booths.get(booth_id)
        if booth is None:
            continue
        entry = by_vendor.setdefault(
            occupant.vendor_id, {"name": occupant.sign_name, "legal": occupant.name, "codes": [], "sheets": set()}
        )
        entry["codes"].append(booth.code)
        entry["sheets"].add(sheet_of(sheets, booth.x + booth.width / 2, booth.y + booth.depth / 2).number)
    ordered = sorted(by_vendor.values(), key=lambda e: (sort_key(e["name"]), sort_key(e["legal"])))
    entries, previous = [], None
    for entry in ordered:
        letter = initial(entry["name"])
        entries.append(
            IndexEntry(
                heading=letter if letter != previous else "",
                name=entry["name"],
                legal_name=entry["legal"] if entry["legal"] != entry["name"] else "",
                booths=", ".join(sorted(entry["codes"], key=booth_code_key)),
                sheets=", ".join(str(n) for n in sorted(entry["sheets"])) if len(sheets) > 1 else "",
            )
        )
        previous = letter
    return entries


def index_row_height(layout: Layout) -> float:
    return 4.6 * MM * layout.type_scale


def _index_pages(entries: list[IndexEntry], layout: Layout):
    """Entries poured into the columns of as many pages as they need (a letter's heading takes
    one and a half rows and is never left alone at the foot of a column)."""
    row = index_row_height(layout)
    room = layout.height - 2 * MARGIN - TITLE_HEIGHT * layout.type_scale - FOOTER_HEIGHT - 10 * MM
    per_column = max(4, int(room // row))
    pages, columns, column, used = [], [], [], 0.0
    for entry in entries:
        need = 2.5 if entry.heading else 1.0
        if column and used + need > per_column:
            columns.append(tuple(column))
            column, used = [], 0.0
            if len(columns) == INDEX_COLUMNS[layout.paper]:
                pages.append(tuple(columns))
                columns = []
        column.append(entry)
        used += need
    if column:
        columns.append(tuple(column))
    if columns or not pages:
        pages.append(tuple(columns))
    return tuple(pages)
