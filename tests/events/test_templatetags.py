from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import translation

from events.templatetags.vn import phone, relative_days, vnd


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (1_500_000, "1.500.000 ₫"),
        (0, "0 ₫"),
        (999, "999 ₫"),
        (1000, "1.000 ₫"),
        (12_345_678_900, "12.345.678.900 ₫"),
        (-2_500_000, "-2.500.000 ₫"),
        (Decimal("2500000.5"), "2.500.001 ₫"),
        ("3000000", "3.000.000 ₫"),
    ],
)
def test_vnd_formats_amounts_with_dots_and_dong_sign(value, expected):
    assert vnd(value) == expected


@pytest.mark.parametrize(("value", "expected"), [(None, ""), ("", ""), ("n/a", "n/a")])
def test_vnd_leaves_empty_and_non_numbers_alone(value, expected):
    assert vnd(value) == expected


def test_vnd_groups_with_dots_in_english_too():
    with translation.override("en"):
        assert Template("{% load vn %}{{ fee|vnd }}").render(Context({"fee": 6_000_000})) == "6.000.000 ₫"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("+84912345678", "0912 345 678"),
        ("+842253842123", "0225 3842 123"),
        ("", ""),
        (None, ""),
    ],
)
def test_phone_shows_national_form(value, expected):
    assert phone(value) == expected


@pytest.mark.parametrize(
    ("days", "expected"),
    [(0, "today"), (1, "in 1 day"), (21, "in 21 days"), (-1, "1 day ago"), (-12, "12 days ago"), (None, "")],
)
def test_relative_days_in_words(days, expected):
    with translation.override("en"):
        assert relative_days(days) == expected


def test_filters_escape_their_input_in_templates():
    html = Template("{% load vn %}{{ value|vnd }}").render(Context({"value": "<b>x</b>"}))
    assert html == "&lt;b&gt;x&lt;/b&gt;"
