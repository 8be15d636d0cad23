"""The booth rules, in one place: which booths a request may have together.

A request of k booths gets k booths side by side in one row of one zone, none of them blocked,
in a zone that accepts the business's categories, all of one booth type.

Decision: A request's booths must all be of ONE booth type: the type it was approved for, or, when it names none, any single type. (Booth types have different sizes and prices; one business's stand is one kind.)

Self-selection (booths/selection.py), the allocation's plan checker (allocation/check.py), the
solver's view of the hall (allocation/layout.py) and the floor plan (floorplan.py) all use these
functions, so the four cannot disagree. Pure Python: no Django, no ORM. Booths are any objects
with `id`, `zone_id`, `row`, `x`, `y`, `width`, `blocked` and `booth_type_id`; coordinates may be
Decimal (the models) or float (the solver's data): they are compared as Decimal.
"""  # noqa: E501 (the decision is kept word for word, on one line, as issue 15 states it)

from decimal import Decimal
from itertools import pairwise
from typing import NamedTuple

# Booths touch when one's right edge is within 1 cm of the next one's left edge.
TOUCH_TOLERANCE_M = Decimal("0.01")

# The rules a set of booths can break, in the order self-selection reports them (the first wins).
RULES = ("booth_count", "blocked", "booth_type", "zone_category", "not_adjacent", "mixed_types")


class Broken(NamedTuple):
    """One broken rule: its code (one of RULES) and the booths at fault (all of them for the rules
    about the booths together: booth_count, not_adjacent, mixed_types)."""

    code: str
    booths: tuple


def metres(value) -> Decimal:
    """A coordinate as Decimal; a float goes through its shortest repr (3.1 → Decimal("3.1"))."""
    return value if isinstance(value, Decimal) else Decimal(str(value))


def row_key(booth) -> tuple:
    """What puts booths in one row: the zone, the row label and, for a blank label, the y."""
    return booth.zone_id, booth.row or "", None if booth.row else metres(booth.y)


def same_row(a, b) -> bool:
    """Same zone and same row label; booths without a row label count as one row only at the same y."""
    return row_key(a) == row_key(b)


def touching(left, right) -> bool:
    """True when `right` stands right after `left` in their row: `right`'s left edge is within
    1 cm of `left`'s right edge."""
    return same_row(left, right) and abs(metres(left.x) + metres(left.width) - metres(right.x)) <= TOUCH_TOLERANCE_M


def side_by_side(booths) -> bool:
    """True when the booths form one unbroken run in one row of one zone (any single booth does)."""
    line = sorted(booths, key=lambda b: metres(b.x))
    return all(touching(a, b) for a, b in pairwise(line))


def zone_accepts(zone_category_ids, category_ids) -> bool:
    """A zone takes a business when it names no categories or shares one with the business."""
    zone_category_ids = set(zone_category_ids)
    return not zone_category_ids or bool(zone_category_ids & set(category_ids))


def type_fits(requested_type_id, booth_type_id) -> bool:
    """A booth fits a request of the type it names, or any request that names none."""
    return requested_type_id is None or requested_type_id == booth_type_id


def one_type(booths) -> bool:
    """True when the booths are all of one booth type (no booths or one booth are)."""
    return len({b.booth_type_id for b in booths}) <= 1


def broken_rules(booths, *, needed, booth_type_id, category_ids, zone_categories=None, chosen=None) -> list[Broken]:
    """Every rule the booths break as one request's booths, in the order of RULES; [] when none.

    needed: how many booths the request was approved for; chosen: how many it asked for when that
    is not len(booths) (the checker leaves out booths it does not know); booth_type_id: the
    request's booth type or None (any single type); category_ids: the business's categories;
    zone_categories: {zone id: category ids}, or None to read each booth's `zone_categories`.
    A request that names its type reports booths of another type as "booth_type" only: booths of
    two types then always include a wrong one, so "mixed_types" is for requests that name none.
    """
    booths = tuple(booths)

    def zone_of(booth):
        if zone_categories is None:
            return booth.zone_categories
        return zone_categories.get(booth.zone_id, ())

    found = []
    if (len(booths) if chosen is None else chosen) != needed:
        found.append(Broken("booth_count", booths))
    for code, fault in (
        ("blocked", lambda b: b.blocked),
        ("booth_type", lambda b: not type_fits(booth_type_id, b.booth_type_id)),
        ("zone_category", lambda b: not zone_accepts(zone_of(b), category_ids)),
    ):
        at_fault = tuple(b for b in booths if fault(b))
        if at_fault:
            found.append(Broken(code, at_fault))
    if not side_by_side(booths):
        found.append(Broken("not_adjacent", booths))
    if booth_type_id is None and not one_type(booths):
        found.append(Broken("mixed_types", booths))
    return found
