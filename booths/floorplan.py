"""Floor-plan geometry, pure (no ORM): the booth-grid generator, rectangle checks and the hall-fit check.

Positions are in metres from the hall plan's top-left corner, x across and y down, kept as
Decimal with two places (the model's precision) so that "touching" is exact.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from .rules import touching

CENT = Decimal("0.01")
MAX_BOOTHS_PER_RUN = 2_000


def metres(value) -> Decimal:
    """A length as Decimal metres with two places (Decimal("3"), 3, "3.5", 2.999999 → 3.00)."""
    return Decimal(str(value)).quantize(CENT)


@dataclass(frozen=True)
class BoothSpec:
    """One booth the generator lays out: its code, top-left corner, size and row label."""

    code: str
    x: Decimal
    y: Decimal
    width: Decimal
    depth: Decimal
    row: str


def row_label(prefix: str, number: int) -> str:
    """The label of a zone's row: "A-1", "A-2"… (booths of one row are side by side)."""
    return f"{prefix}-{number}"


def booth_code(prefix: str, number: int, digits: int = 2) -> str:
    """ "A01", "A02"… "A100": the number zero-padded to `digits`."""
    return f"{prefix}{number:0{digits}d}"


def generate_layout(
    *,
    prefix: str,
    origin_x,
    origin_y,
    rows: int,
    columns: int,
    booth_width=3,
    booth_depth=3,
    aisle=3,
    start: int = 1,
    first_row: int = 1,
) -> list[BoothSpec]:
    """Lay out `rows` × `columns` booths from (origin_x, origin_y), numbered row by row.

    Rows come in back-to-back pairs: rows 1 and 2 touch, then an aisle of `aisle` metres,
    then rows 3 and 4, and so on, so every booth opens onto an aisle. Booths of one row touch
    side by side. Codes are the prefix and the number, padded to two digits or to the width of
    the largest number ("A01"… or "A001"… past 99), starting at `start`; rows are labelled
    "<prefix>-<n>" from `first_row`.
    """
    if rows < 1 or columns < 1:
        raise ValueError("rows and columns must be at least 1")
    if start < 1 or first_row < 1:
        raise ValueError("start and first_row must be at least 1")
    width, depth, gap = metres(booth_width), metres(booth_depth), metres(aisle)
    if width <= 0 or depth <= 0 or gap < 0:
        raise ValueError("booth sizes must be positive and the aisle not negative")
    x0, y0 = metres(origin_x), metres(origin_y)
    digits = max(2, len(str(start + rows * columns - 1)))
    specs = []
    for r in range(rows):
        y = y0 + r * depth + (r // 2) * gap
        label = row_label(prefix, first_row + r)
        for c in range(columns):
            number = start + r * columns + c
            specs.append(BoothSpec(booth_code(prefix, number, digits), x0 + c * width, y, width, depth, label))
    return specs


# --- rectangles ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rect:
    """A booth's footprint; `key` says which booth it is to whoever asks (a code, a row number…)."""

    key: object
    x: Decimal
    y: Decimal
    width: Decimal
    depth: Decimal

    @property
    def right(self) -> Decimal:
        return self.x + self.width

    @property
    def bottom(self) -> Decimal:
        return self.y + self.depth


def overlaps(a: Rect, b: Rect) -> bool:
    """True when the two rectangles share some area; booths that only touch do not overlap."""
    return a.x < b.right and b.x < a.right and a.y < b.bottom and b.y < a.bottom


def find_overlaps(new: Iterable[Rect], existing: Iterable[Rect] = ()) -> list[tuple[Rect, Rect]]:
    """Every overlapping pair among `new`, and between `new` and `existing` (pairs within
    `existing` are not reported: those are already on the plan).

    A sweep along x: rectangles sorted by left edge, each compared only with those still open
    (whose right edge lies past its left edge). On a booth grid only a column's worth of booths
    is open at a time, so 1,200 booths take a few thousand comparisons, not 720,000.
    Each pair comes back once, as (earlier, later) in the order new then existing were given.
    """
    items = [(rect, True, i) for i, rect in enumerate(new)]
    offset = len(items)
    items += [(rect, False, offset + i) for i, rect in enumerate(existing)]
    items.sort(key=lambda item: (item[0].x, item[2]))
    open_items, found = [], []
    for item in items:
        rect, is_new, order = item
        open_items = [other for other in open_items if other[0].right > rect.x]
        for other_rect, other_new, other_order in open_items:
            if (is_new or other_new) and overlaps(rect, other_rect):
                if other_order < order:
                    found.append((order, other_order, other_rect, rect))
                else:
                    found.append((other_order, order, rect, other_rect))
        open_items.append(item)
    found.sort(key=lambda pair: (pair[0], pair[1]))
    return [(earlier, later) for _later_order, _earlier_order, earlier, later in found]


def outside_hall(rect: Rect, hall_width, hall_depth) -> tuple[bool, bool]:
    """(out across, out down): whether the rectangle leaves the hall across (left of 0 or past its
    width) and down (above 0 or past its depth)."""
    across = rect.x < 0 or rect.right > metres(hall_width)
    down = rect.y < 0 or rect.bottom > metres(hall_depth)
    return across, down


def hall_fit_error(what: str, x, y, width, depth, hall_width, hall_depth) -> str | None:
    """The one check that a booth or hall feature lies inside the hall: None when it does, else the
    message that names it (`what`: "Booth A01", "Hall feature “Sân khấu”"…) and the hall's size.

    The floor-plan generator, the booth import, the admin forms and the demo all ask this, so a
    thing outside the hall cannot be saved by any of them (issue 19: pictures are framed on the hall).
    """
    rect = Rect(what, metres(x), metres(y), metres(width), metres(depth))
    if not any(outside_hall(rect, hall_width, hall_depth)):
        return None
    return _(
        "%(what)s does not fit in the hall (%(width)s m wide × %(depth)s m deep): it spans %(x0)s to %(x1)s m "
        "across and %(y0)s to %(y1)s m down."
    ) % {
        "what": what,
        "width": _plain(hall_width),
        "depth": _plain(hall_depth),
        "x0": _plain(rect.x),
        "x1": _plain(rect.right),
        "y0": _plain(rect.y),
        "y1": _plain(rect.bottom),
    }


def _plain(value) -> str:
    """Metres for a message: 3, 3.5, 61.25 (no trailing zeros)."""
    text = f"{metres(value):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


@dataclass(frozen=True)
class RowBooth:
    """What adjacency needs to know of a booth (booths.rules reads zone_id, row, x, y and width)."""

    key: object
    zone_id: object
    row: str
    x: Decimal
    y: Decimal
    width: Decimal
    depth: Decimal


def adjacent_chain(booths: list[RowBooth]) -> tuple[bool, str]:
    """Whether the booths form one unbroken run of one labelled row of one zone, left to right.

    Returns (True, "") or (False, reason) with reason one of "zone", "row", "gap": booths of
    one row are side by side when, sorted by x, each one touches the next (booths.rules: edges
    within a centimetre) and they share y and depth. Merging asks more than booths.rules'
    side_by_side: a labelled row and one depth, since the merged stand is one rectangle.
    """
    if len({b.zone_id for b in booths}) > 1:
        return False, "zone"
    if not booths[0].row or len({b.row for b in booths}) > 1:
        return False, "row"
    ordered = sorted(booths, key=lambda b: b.x)
    for left, right in zip(ordered, ordered[1:], strict=False):
        if not touching(left, right):
            return False, "gap"
        if left.y != right.y or left.depth != right.depth:
            return False, "row"
    return True, ""


def merged_code(codes: list[str]) -> str:
    """The code of a stand merged from booths listed left to right: "A01" + "A02" → "A01-02";
    "A09" … "A11" → "A09-11"; codes that do not share a letter prefix → "X1-Y2"."""
    first, last = codes[0], codes[-1]
    head_first, num_first = _split_code(first)
    head_last, num_last = _split_code(last)
    if num_first and num_last and head_first == head_last:
        return f"{first}-{num_last}"
    return f"{first}-{last}"


def _split_code(code: str) -> tuple[str, str]:
    i = len(code)
    while i > 0 and code[i - 1] in "0123456789":  # ASCII: "²".isdigit() is true
        i -= 1
    return code[:i], code[i:]
