"""Reads of who holds a booth, shared by pages that ask it of many rows at once."""

from django.db.models import Subquery

from ..models import Assignment


def active_assignment_id(**outer) -> Subquery:
    """The id of a held or confirmed assignment matching `outer` (booth=OuterRef("pk") or
    application=OuterRef("pk")), else NULL: a scalar subquery with LIMIT 1, for `…__isnull`.

    PostgreSQL runs it per outer row through an index (booth_one_active_assignment, or the
    application's), so its cost follows the fair's rows. The same test as an EXISTS may be
    planned as a hash of every active assignment of every fair: with 20 past fairs the review
    list's "has a booth" column and its free-booth count read 17,000 assignments a request
    (issue 21, bench/bench_growth.py)."""
    return Subquery(Assignment.objects.filter(status__in=Assignment.ACTIVE, **outer).order_by().values("pk")[:1])
