"""Reads for the reports: the chart data of a fair's reports page, the organisers' daily
summary and the closing report. Each runs a fixed number of queries, whatever the number of
participants (grouped counts in the database, nothing per row)."""

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Count, Q, Sum
from django.db.models.functions import TruncDate
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from booths.models import Assignment, Booth
from tuanhang.kernel.vn import sort_key
from tuanhang.office.selectors.dashboard import event_dashboard
from vendors.models import Application, ApplicationStatusChange, Product, Vendor
from vendors.selectors.figures import FairFigures, fair_figures

from .models import SalesEntry

A = Application.Status
DECISIONS = (A.APPROVED, A.WAITLISTED, A.REJECTED, A.CANCELLED)


def fair_days(event) -> list[dt.date]:
    """The calendar days the fair is open, in its time zone."""
    first, last = timezone.localdate(event.opens_at), timezone.localdate(event.closes_at)
    return [first + dt.timedelta(days=n) for n in range((last - first).days + 1)]


@dataclass
class ChartData:
    """One chart: rows of (label, values per series), for the SVG and the CSV alike."""

    key: str
    title: str
    description: str
    label_header: str
    series: list[str]
    rows: list[tuple[str, list[int]]] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(sum(values) for _label, values in self.rows)


def _vi_sorted(pairs):
    return sorted(pairs, key=lambda pair: (-pair[1], sort_key(pair[0])))


def applications_over_time(event) -> ChartData:
    """Applications submitted per day (drafts never submitted are left out). One query."""
    rows = (
        Application.objects.filter(event=event, submitted_at__isnull=False)
        .annotate(day=TruncDate("submitted_at", tzinfo=timezone.get_current_timezone()))
        .values("day")
        .annotate(n=Count("pk"))
        .order_by("day")
    )
    return ChartData(
        key="applications",
        title=str(_("Applications over time")),
        description=str(_("Applications submitted each day, by the day they were submitted.")),
        label_header=str(_("Day")),
        series=[str(_("Applications"))],
        rows=[(row["day"].strftime("%d/%m/%Y"), [row["n"]]) for row in rows],
    )


def participants_by_province(event) -> ChartData:
    """Approved participants by their province. One query."""
    rows = (
        Application.objects.filter(event=event, status=A.APPROVED)
        .values("vendor__province__name")
        .annotate(n=Count("pk"))
        .order_by()
    )
    pairs = _vi_sorted((row["vendor__province__name"], row["n"]) for row in rows)
    return ChartData(
        key="provinces",
        title=str(_("Participants by province")),
        description=str(_("Approved participants by the province or city of their business.")),
        label_header=str(_("Province / city")),
        series=[str(_("Participants"))],
        rows=[(label, [n]) for label, n in pairs],
    )


def participants_by_category(event, figures: FairFigures | None = None) -> ChartData:
    """Approved participants by the categories they show (named on the application, else their
    profile's; one participant may show several): the fair's figure (vendors.selectors.figures)."""
    figures = figures or fair_figures(event)
    pairs = _vi_sorted((name, n) for _pk, name, n in figures.category_participants)
    return ChartData(
        key="categories",
        title=str(_("Participants by category")),
        description=str(_("Approved participants by product category; one showing two categories counts in both.")),
        label_header=str(_("Category")),
        series=[str(_("Participants"))],
        rows=[(label, [n]) for label, n in pairs],
    )


def booth_occupancy(event) -> ChartData:
    """Booths of each zone: assigned, blocked, free. Two queries (the dashboard's)."""
    zones = event_dashboard(event=event).zones
    return ChartData(
        key="booths",
        title=str(_("Booth occupancy by zone")),
        description=str(_("Booths of each zone that are assigned, blocked or still free.")),
        label_header=str(_("Zone")),
        series=[str(_("Assigned")), str(_("Blocked")), str(_("Free"))],
        rows=[(f"{z.code} – {z.name}", [z.booths.assigned, z.booths.blocked, z.booths.free]) for z in zones],
    )


def ocop_by_stars(event, figures: FairFigures | None = None) -> ChartData:
    """OCOP products shown by approved participants and certified on the opening day, by stars:
    the fair's figure (vendors.selectors.figures), the directory's and the lists'."""
    figures = figures or fair_figures(event)
    description = str(_("OCOP products the approved participants show, certified on the fair's opening day."))
    if figures.ocop_undated:
        description += " " + ngettext(
            "%(count)s of them has no decision date: counted with the stars declared, to be checked.",
            "%(count)s of them have no decision date: counted with the stars declared, to be checked.",
            figures.ocop_undated,
        ) % {"count": figures.ocop_undated}
    return ChartData(
        key="ocop",
        title=str(_("OCOP products by stars")),
        description=description,
        label_header=str(_("Stars")),
        series=[str(_("Products"))],
        rows=[(str(Product.Stars(stars).label), [n]) for stars, n in sorted(figures.ocop_by_stars.items())],
    )


CHARTS = {
    "applications": applications_over_time,
    "provinces": participants_by_province,
    "categories": participants_by_category,
    "booths": booth_occupancy,
    "ocop": ocop_by_stars,
}


FROM_FIGURES = {"categories", "ocop"}


def report_charts(event, figures: FairFigures | None = None) -> list[ChartData]:
    figures = figures or fair_figures(event)
    return [build(event, figures) if key in FROM_FIGURES else build(event) for key, build in CHARTS.items()]


# --- the daily summary ---------------------------------------------------------------------------


@dataclass
class DailyFigures:
    day: dt.date
    new_applications: int
    decisions: dict  # status label → count
    booths_filled: int
    booths_total: int
    new_by_province: list[tuple[str, int]]
    new_by_category: list[tuple[str, int]]
    new_rows: list[dict]  # the day's new applications, for the attached sheet


def _day_bounds(day: dt.date):
    tz = timezone.get_current_timezone()
    start = timezone.make_aware(dt.datetime.combine(day, dt.time()), tz)
    return start, start + dt.timedelta(days=1)


def daily_figures(event, day: dt.date) -> DailyFigures:
    """What happened at the fair on `day` (local time): applications submitted, decisions taken,
    booths filled. Five queries."""
    start, end = _day_bounds(day)
    new = Application.objects.filter(event=event, submitted_at__gte=start, submitted_at__lt=end)
    new_rows = list(
        new.order_by("submitted_at", "pk").values(
            "pk", "vendor__name", "vendor__kind", "vendor__province__name", "booths_requested", "status", "submitted_at"
        )
    )
    decisions = (
        ApplicationStatusChange.objects.filter(
            application__event=event, to_status__in=DECISIONS, changed_at__gte=start, changed_at__lt=end
        )
        .values("to_status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    categories = (
        Application.categories.through.objects.filter(application__in=new)
        .values("category__name")
        .annotate(n=Count("application", distinct=True))
        .order_by()
    )
    booths = event_booth_totals(event)
    provinces = {}
    for row in new_rows:
        provinces[row["vendor__province__name"]] = provinces.get(row["vendor__province__name"], 0) + 1
    return DailyFigures(
        day=day,
        new_applications=len(new_rows),
        decisions={str(A(row["to_status"]).label): row["n"] for row in decisions},
        booths_filled=booths["filled"],
        booths_total=booths["total"],
        new_by_province=_vi_sorted(provinces.items()),
        new_by_category=_vi_sorted((row["category__name"], row["n"]) for row in categories),
        new_rows=new_rows,
    )


def event_booth_totals(event) -> dict:
    """Booths of the fair and how many are held or confirmed. One query."""
    return Booth.objects.filter(event=event).aggregate(
        total=Count("pk"), filled=Count("pk", filter=Q(assignments__status__in=Assignment.ACTIVE), distinct=True)
    )


# --- the closing report -------------------------------------------------------------------------


@dataclass(frozen=True)
class ClosingTotals:
    """Sales and visitors reported by participants, totalled by day, province, category and kind.
    Every row is (label, participants reporting, sales in VND, visitors). Plain values: the
    closing report's files are fingerprinted from them (events.generated)."""

    days: tuple[dt.date, ...]
    participants: int
    reporting: int
    sales: int
    visitors: int
    by_day: tuple[tuple[str, int, int, int], ...]
    by_province: tuple[tuple[str, int, int, int], ...]
    by_category: tuple[tuple[str, int, int, int], ...]
    by_kind: tuple[tuple[str, int, int, int], ...]


@dataclass(frozen=True)
class ParticipantSales:
    """One approved participant's figures over the whole fair (zeros when it reported nothing)."""

    name: str
    kind: str
    province: str
    days_reported: int
    sales: int
    visitors: int


def _grouped(entries, field_name):
    rows = (
        entries.values(field_name)
        .annotate(n=Count("application", distinct=True), sales=Sum("sales"), visitors=Sum("visitors"))
        .order_by()
    )
    return [(row[field_name] or "—", row["n"], row["sales"] or 0, row["visitors"] or 0) for row in rows]


def _by_sales(rows):
    return tuple(sorted(rows, key=lambda r: (-r[2], sort_key(r[0]))))


def closing_totals(event) -> ClosingTotals:
    """Totals of the figures entered on the sales form. Six queries, whatever the number of
    participants."""
    entries = SalesEntry.objects.filter(application__event=event, application__status=A.APPROVED)
    overall = entries.aggregate(
        reporting=Count("application", distinct=True), sales=Sum("sales"), visitors=Sum("visitors")
    )
    by_day = (
        entries.values("day")
        .annotate(n=Count("application", distinct=True), sales=Sum("sales"), visitors=Sum("visitors"))
        .order_by("day")
    )
    kinds = {row[0]: row for row in _grouped(entries, "application__vendor__kind")}
    return ClosingTotals(
        days=tuple(fair_days(event)),
        participants=Application.objects.filter(event=event, status=A.APPROVED).count(),
        reporting=overall["reporting"] or 0,
        sales=overall["sales"] or 0,
        visitors=overall["visitors"] or 0,
        by_day=tuple((row["day"].strftime("%d/%m/%Y"), row["n"], row["sales"], row["visitors"]) for row in by_day),
        by_province=_by_sales(_grouped(entries, "application__vendor__province__name")),
        # A participant showing two categories counts in both.
        by_category=_by_sales(_grouped(entries, "application__categories__name")),
        by_kind=tuple((str(label), *kinds[code][1:]) for code, label in Vendor.Kind.choices if code in kinds),
    )


def participant_sales(event) -> tuple[ParticipantSales, ...]:
    """Every approved participant with its days reported and totals, in Vietnamese order of
    names. One query."""
    kinds = dict(Vendor.Kind.choices)
    rows = (
        Application.objects.filter(event=event, status=A.APPROVED)
        .values("pk", "vendor__name", "vendor__kind", "vendor__province__name")
        .annotate(
            days=Count("sales_entries"), sales=Sum("sales_entries__sales"), visitors=Sum("sales_entries__visitors")
        )
        .order_by()
    )
    result = [
        ParticipantSales(
            name=row["vendor__name"],
            kind=str(kinds.get(row["vendor__kind"], row["vendor__kind"])),
            province=row["vendor__province__name"] or "",
            days_reported=row["days"],
            sales=row["sales"] or 0,
            visitors=row["visitors"] or 0,
        )
        for row in rows
    ]
    return tuple(sorted(result, key=lambda r: (sort_key(r.name), r.province)))
