"""The OCOP rule every figure and list shares: when a product's certificate counts.

A certificate is valid 36 months from its decision (DOMAIN.md); a product counts as OCOP on a day
when it has stars and its decision was taken on or before that day and at most 36 months before
it (valid through the day its `add_months(decision, 36)` falls on). A product with stars and no
decision date (the web form requires one; the admin and older data may lack it) counts with the
stars declared and is flagged on the reports page (docs/DECISIONS.md). Fairs count on their
opening day."""

import datetime as dt

from django.db.models import Case, F, IntegerField, Q, When
from django.utils import timezone

OCOP_VALIDITY_MONTHS = 36


def add_months(day, months: int):
    """The same day `months` later (or earlier); the 29th–31st fall back to the month's last day."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    for candidate in (day.day, 30, 29, 28):
        try:
            return day.replace(year=year, month=month, day=min(day.day, candidate))
        except ValueError:
            continue
    raise ValueError(day)


def ocop_expiry(decision_date: dt.date) -> dt.date:
    """The last day a certificate decided on `decision_date` is valid."""
    return add_months(decision_date, OCOP_VALIDITY_MONTHS)


def _earliest_valid_decision(day: dt.date) -> dt.date:
    earliest = add_months(day, -OCOP_VALIDITY_MONTHS)
    # add_months clamps the 29th–31st: a decision on that clamped day may expire just before `day`.
    return earliest if ocop_expiry(earliest) >= day else earliest + dt.timedelta(days=1)


def ocop_valid_on(day: dt.date, prefix: str = "") -> Q:
    """Products (through `prefix`, e.g. "product__") whose OCOP certificate is valid on `day`
    (or declared without a decision date)."""
    in_force = Q(
        **{
            f"{prefix}ocop_decision_date__lte": day,
            f"{prefix}ocop_decision_date__gte": _earliest_valid_decision(day),
        }
    )
    undated = Q(**{f"{prefix}ocop_decision_date__isnull": True})
    return Q(**{f"{prefix}ocop_stars__isnull": False}) & (in_force | undated)


def valid_stars(day: dt.date, prefix: str = "") -> Case:
    """An annotation: the product's stars when its certificate is valid on `day`, else NULL."""
    return Case(When(ocop_valid_on(day, prefix), then=F(f"{prefix}ocop_stars")), output_field=IntegerField())


def counting_day(event) -> dt.date:
    """The day a fair's OCOP figures are counted on: its opening day, in its time zone."""
    return timezone.localdate(event.opens_at)
