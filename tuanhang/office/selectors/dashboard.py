"""Reads for the staff pages: the list of fairs and one fair's dashboard.

Every function here runs a fixed number of queries, whatever the number of fairs,
applications or booths: counts come from correlated subqueries and conditional aggregates.
"""

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from booths.models import Assignment, Booth
from events.models import Event, Province, Zone
from tuanhang.kernel.db import SubqueryCount
from tuanhang.office.reminders.unconfirmed import flagged_unconfirmed
from vendors.models import Application, Vendor
from vendors.selectors.figures import ocop_products_by_fair
from vendors.selectors.subsidies import ProgrammeBudget, programme_budget


def events_with_counts(user) -> QuerySet[Event]:
    """The fairs `user` may see, newest first, each with its organiser and: application_count (every
    application), business_count (businesses taking part: an approved application), province_count
    (their distinct provinces) and booth_count. One query, whatever the number of fairs: every count
    is a correlated subquery. The OCOP column is with_ocop_counts', on the page shown."""
    approved = Application.Status.APPROVED
    taking_part = {"applications__event": OuterRef("pk"), "applications__status": approved}
    return (
        Event.objects.for_user(user)
        .select_related("organiser")
        .annotate(
            application_count=SubqueryCount(Application.objects.filter(event=OuterRef("pk"))),
            # one application per business and fair (a constraint): no business is counted twice
            business_count=SubqueryCount(Vendor.objects.filter(**taking_part)),
            province_count=SubqueryCount(
                Province.objects.filter(**{f"vendors__{k}": v for k, v in taking_part.items()}).distinct()
            ),
            booth_count=SubqueryCount(Booth.objects.filter(event=OuterRef("pk"))),
        )
        .order_by("-opens_at", "-pk")
    )


def with_ocop_counts(events) -> list[Event]:
    """`events` (a page of the fair list) each given `ocop_count`: the OCOP products its approved
    participants show, certified on its opening day, as the fair's figures count them. Two queries."""
    events = list(events)
    counts = ocop_products_by_fair(events)
    for event in events:
        event.ocop_count = counts[event.pk]
    return events


def dashboard_fairs():
    """The queryset a fair's dashboard reads its fair from (with its organiser, province and subsidy
    programme, and `unconfirmed_reminders`: its reminders flagged unconfirmed after the grace
    period), one query."""
    return Event.objects.select_related("organiser", "province", "subsidy_programme").annotate(
        unconfirmed_reminders=SubqueryCount(flagged_unconfirmed().filter(event=OuterRef("pk")))
    )


@dataclass(frozen=True)
class StatusCount:
    status: str
    label: str
    count: int


@dataclass(frozen=True)
class BoothCounts:
    """Booths of a zone (or of the whole fair). Every booth is in exactly one of: held or
    confirmed by an application (assigned), blocked by the organiser, or free."""

    total: int
    held: int
    confirmed: int
    blocked: int

    @property
    def assigned(self) -> int:
        return self.held + self.confirmed

    @property
    def free(self) -> int:
        return self.total - self.assigned - self.blocked


@dataclass(frozen=True)
class ZoneBooths:
    code: str
    name: str
    colour: str
    booths: BoothCounts


@dataclass(frozen=True)
class Deadline:
    key: str
    label: str
    at: dt.datetime | None
    days: int | None  # whole calendar days from today (negative: past); None when the date is not set


@dataclass(frozen=True)
class Dashboard:
    applications: list[StatusCount]
    applications_total: int
    booths_requested_approved: int
    approved_without_booth: int
    booths: BoothCounts
    zones: list[ZoneBooths]
    deadlines: list[Deadline]
    subsidy: ProgrammeBudget | None = None  # the fair's khuyến công programme, when it has one


DEADLINES = [
    ("registration_opens_at", _("Registration opens")),
    ("registration_closes_at", _("Registration closes")),
    ("setup_at", _("Booth handover")),
    ("opens_at", _("Opening")),
    ("closes_at", _("Closing")),
]


def event_dashboard(*, event: Event, today: dt.date | None = None) -> Dashboard:
    """Applications by status (every status, zeros included), booths free / assigned / blocked for
    the fair and per zone, the days to each deadline, and for a fair under a subsidy programme the
    programme's budget used and left (load the programme with the fair). Two queries, three with a
    programme."""
    applications = _application_counts(event)
    zones = _zone_booths(event)
    return Dashboard(
        applications=[StatusCount(s.value, s.label, applications[s.value] or 0) for s in Application.Status],
        applications_total=sum(applications[s.value] or 0 for s in Application.Status),
        booths_requested_approved=applications["booths_requested_approved"] or 0,
        approved_without_booth=applications["approved_without_booth"] or 0,
        booths=BoothCounts(
            total=sum(z.booths.total for z in zones),
            held=sum(z.booths.held for z in zones),
            confirmed=sum(z.booths.confirmed for z in zones),
            blocked=sum(z.booths.blocked for z in zones),
        ),
        zones=zones,
        deadlines=event_deadlines(event=event, today=today),
        subsidy=programme_budget(event.subsidy_programme, event) if event.subsidy_programme_id else None,
    )


def _application_counts(event: Event) -> dict:
    approved = Q(status=Application.Status.APPROVED)
    has_booth = Exists(Assignment.objects.filter(application=OuterRef("pk"), status__in=Assignment.ACTIVE))
    return (
        Application.objects.filter(event=event)
        .annotate(has_booth=has_booth)
        .aggregate(
            **{s.value: Count("pk", filter=Q(status=s.value)) for s in Application.Status},
            booths_requested_approved=Sum("booths_requested", filter=approved),
            approved_without_booth=Count("pk", filter=approved & Q(has_booth=False)),
        )
    )


def _zone_booths(event: Event) -> list[ZoneBooths]:
    booths = Booth.objects.filter(zone=OuterRef("pk"))
    active = Assignment.objects.filter(booth=OuterRef("pk"), status__in=Assignment.ACTIVE)
    # The zone's booths, each probed for its assignment by booth (a booth holds at most one held or
    # confirmed: booth_one_active_assignment). A join from the booths to `assignments` let
    # PostgreSQL scan every assignment of every past fair by status, once per zone: the dashboard
    # took 2.75 × its one-fair time with 20 past fairs (issue 21, bench/bench_growth.py).
    zones = (
        Zone.objects.filter(event=event)
        .annotate(
            total=SubqueryCount(booths),
            held=SubqueryCount(booths.filter(Exists(active.filter(status=Assignment.Status.HELD)))),
            confirmed=SubqueryCount(booths.filter(Exists(active.filter(status=Assignment.Status.CONFIRMED)))),
            # A blocked booth that still has an assignment counts as assigned, so the parts add up.
            blocked=SubqueryCount(booths.filter(blocked=True).exclude(Exists(active))),
        )
        .order_by("position", "code")
    )
    return [ZoneBooths(z.code, z.name, z.colour, BoothCounts(z.total, z.held, z.confirmed, z.blocked)) for z in zones]


def event_deadlines(*, event: Event, today: dt.date | None = None) -> list[Deadline]:
    """The fair's key dates in order, each with the whole days from today (in the fair's time zone)."""
    today = today or timezone.localdate()
    deadlines = []
    for key, label in DEADLINES:
        at = getattr(event, key)
        days = (timezone.localdate(at) - today).days if at else None
        deadlines.append(Deadline(key, label, at, days))
    return deadlines
