"""booths.rules on its own: plain objects, no database."""

from dataclasses import dataclass, field
from decimal import Decimal as D

import pytest

from booths.rules import (
    RULES,
    broken_rules,
    one_type,
    same_row,
    side_by_side,
    touching,
    type_fits,
    zone_accepts,
)


@dataclass(frozen=True)
class Booth:
    id: int
    x: object = D("0")
    width: object = D("3")
    y: object = D("0")
    zone_id: int = 1
    row: str = "A"
    blocked: bool = False
    booth_type_id: int | None = 1
    zone_categories: frozenset = field(default=frozenset())


def codes(found) -> list[str]:
    return [rule.code for rule in found]


def judge(booths, *, needed=None, booth_type_id=None, category_ids=(), **kwargs) -> list[str]:
    needed = len(booths) if needed is None else needed
    return codes(broken_rules(booths, needed=needed, booth_type_id=booth_type_id, category_ids=category_ids, **kwargs))


# --- touching and rows ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("x", "expected"),
    [("3", True), ("3.01", True), ("2.99", True), ("3.02", False), ("2.98", False), ("6", False)],
)
def test_touching_within_one_centimetre_only(x, expected):
    assert touching(Booth(1), Booth(2, x=D(x))) is expected


def test_touching_is_left_then_right():
    left, right = Booth(1), Booth(2, x=D("3"))
    assert touching(left, right) is True
    assert touching(right, left) is False


def test_touching_takes_floats_decimals_and_both_together():
    assert touching(Booth(1, x=0.0, width=3.0), Booth(2, x=3.005)) is True
    assert touching(Booth(1, x=0.1, width=0.2), Booth(2, x=D("0.3"))) is True  # 0.1 + 0.2 is 0.30000000000000004
    assert touching(Booth(1, x=D("0"), width=D("3.00")), Booth(2, x=3.02)) is False
    assert same_row(Booth(1, row="", y=2.5), Booth(2, row="", y=D("2.50"))) is True


def test_touching_needs_the_same_zone_and_row():
    assert touching(Booth(1), Booth(2, x=D("3"), zone_id=2)) is False
    assert touching(Booth(1), Booth(2, x=D("3"), row="B")) is False


def test_labelled_row_is_one_row_whatever_the_y():
    assert same_row(Booth(1, y=D("0")), Booth(2, y=D("5"))) is True


def test_blank_row_labels_are_one_row_only_at_the_same_y():
    assert same_row(Booth(1, row="", y=D("4")), Booth(2, row="", y=D("4"))) is True
    assert same_row(Booth(1, row="", y=D("4")), Booth(2, row="", y=D("7"))) is False
    assert side_by_side([Booth(1, row=""), Booth(2, row="", x=D("3"))]) is True
    assert side_by_side([Booth(1, row=""), Booth(2, row="", x=D("3"), y=D("3"))]) is False


def test_side_by_side_in_any_order_and_without_gaps():
    a, b, c = Booth(1), Booth(2, x=D("3")), Booth(3, x=D("6"))
    assert side_by_side([c, a, b]) is True
    assert side_by_side([a, c]) is False
    assert side_by_side([a]) is True
    assert side_by_side([]) is True


# --- zone, type, one type ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("zone", "business", "expected"),
    [
        ((), (), True),  # a zone that names no categories takes everyone
        ((), (1,), True),
        ((1, 2), (2, 3), True),
        ((1, 2), (3,), False),
        ((1,), (), False),
    ],
)
def test_zone_accepts_empty_shared_and_disjoint_categories(zone, business, expected):
    assert zone_accepts(zone, business) is expected


def test_type_fits_the_type_asked_for_or_any_when_none():
    assert type_fits(1, 1) is True
    assert type_fits(1, 2) is False
    assert type_fits(None, 2) is True


def test_one_type():
    assert one_type([Booth(1), Booth(2, booth_type_id=1)]) is True
    assert one_type([Booth(1), Booth(2, booth_type_id=2)]) is False
    assert one_type([]) is True


# --- a request's booths -----------------------------------------------------------------------


def test_broken_rules_none_for_a_valid_pick():
    assert judge([Booth(1), Booth(2, x=D("3"))], booth_type_id=1) == []


def test_broken_rules_refuses_mixed_types_when_the_request_names_none():
    booths = [Booth(1), Booth(2, x=D("3"), booth_type_id=2)]
    found = broken_rules(booths, needed=2, booth_type_id=None, category_ids=())
    assert [(rule.code, [b.id for b in rule.booths]) for rule in found] == [("mixed_types", [1, 2])]


def test_broken_rules_names_the_wrong_booths_when_the_request_names_a_type():
    booths = [Booth(1), Booth(2, x=D("3"), booth_type_id=2)]
    found = broken_rules(booths, needed=2, booth_type_id=1, category_ids=())
    assert [(rule.code, [b.id for b in rule.booths]) for rule in found] == [("booth_type", [2])]
    assert judge(booths, booth_type_id=2) == ["booth_type"]


def test_broken_rules_any_single_type_when_the_request_names_none():
    assert judge([Booth(1, booth_type_id=2), Booth(2, x=D("3"), booth_type_id=2)]) == []


def test_broken_rules_zone_categories_passed_in_or_read_off_the_booths():
    booth = Booth(1, zone_categories=frozenset({5}))
    assert judge([booth], category_ids={6}) == ["zone_category"]
    assert judge([booth], category_ids={5, 6}) == []
    assert judge([booth], category_ids={6}, zone_categories={1: {6}}) == []
    assert judge([booth], category_ids={6}, zone_categories={}) == []  # a zone without categories


def test_broken_rules_every_rule_in_order():
    booths = [
        Booth(1, blocked=True, zone_categories=frozenset({5})),
        Booth(2, x=D("9"), booth_type_id=2, zone_categories=frozenset({5})),
    ]
    assert judge(booths, needed=3, category_ids={6}) == [
        "booth_count",
        "blocked",
        "zone_category",
        "not_adjacent",
        "mixed_types",
    ]
    assert judge(booths, needed=3, booth_type_id=1, category_ids={6}) == [
        "booth_count",
        "blocked",
        "booth_type",
        "zone_category",
        "not_adjacent",
    ]
    assert set(RULES) == {"booth_count", "blocked", "booth_type", "zone_category", "not_adjacent", "mixed_types"}


def test_broken_rules_counts_what_was_chosen_when_told():
    assert judge([Booth(1)], needed=2, chosen=2) == []
    assert judge([Booth(1)], needed=1, chosen=2) == ["booth_count"]
