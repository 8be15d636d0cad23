"""Reads of the reminders: which businesses a rule is due for, what one reminder needs, and
the per-fair delivery log. A fixed number of queries each, whatever the number of rows."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db.models import Count, DateTimeField, Exists, F, IntegerField, Min, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from booths.models import Assignment
from events.models import Event
from tuanhang.office.reports.models import SalesEntry
from tuanhang.office.reports.selectors import fair_days
from vendors.models import Application, VendorMember
from vendors.selectors.instalments import deposit_unmet_q
from vendors.selectors.money import amount_due, paid_total, with_money
from vendors.services.documents import documents_by_application

from .messages import ReminderContext
from .models import OutboxStatus, ReminderDelivery, ReminderRule
from .unconfirmed import flagged_q, flagged_unconfirmed, unconfirmed_grace

R = ReminderRule
# Fairs whose reminders run: not drafts (nobody applied yet) and not archived.
ACTIVE_EVENT_STATUSES = (
    Event.Status.PUBLISHED,
    Event.Status.REGISTRATION_OPEN,
    Event.Status.REGISTRATION_CLOSED,
    Event.Status.RUNNING,
    Event.Status.FINISHED,
)
# Only while registration is open does "registration closing" make sense.
KIND_EVENT_STATUSES = {R.Kind.REGISTRATION_CLOSING: (Event.Status.REGISTRATION_OPEN,)}


def late_limit() -> timedelta:
    """A reminder more than this late (beat was down, the rule was added afterwards) is not sent."""
    return timedelta(hours=getattr(settings, "REMINDERS_LATE_LIMIT_HOURS", 24))


def active_rules() -> QuerySet[ReminderRule]:
    return (
        ReminderRule.objects.filter(enabled=True, event__status__in=ACTIVE_EVENT_STATUSES)
        .select_related("event")
        .order_by("event_id", "pk")
    )


def _lacking_documents(applications: QuerySet[Application]) -> QuerySet[Application]:
    """Those of `applications` that lack a document their fair's rules ask of them
    (vendors.services.documents decides, evaluated over prefetched rows: a fixed number of queries)."""
    candidates = Application.objects.filter(pk__in=applications.order_by().values("pk")).select_related(
        "vendor", "event"
    )
    return applications.filter(
        pk__in=[pk for pk, required in documents_by_application(candidates).items() if required.missing]
    )


def _first_booth_at():
    first = (
        Assignment.objects.filter(application=OuterRef("pk"), status__in=Assignment.ACTIVE)
        .order_by()
        .values("application")
        .annotate(first=Min("created_at"))
        .values("first")[:1]
    )
    return Subquery(first, output_field=DateTimeField())


def due_applications(rule: ReminderRule, now) -> list[tuple[int, object]]:
    """(application id, due time) of the businesses this rule is due for now and has no
    delivery yet. One query; a fixed few more for a "documents missing" rule."""
    event = rule.event
    allowed = KIND_EVENT_STATUSES.get(rule.kind)
    if allowed and event.status not in allowed:
        return []
    offset = timedelta(hours=rule.offset_hours)
    applications = Application.objects.filter(event_id=event.pk, status__in=rule.statuses or []).exclude(
        Exists(ReminderDelivery.objects.filter(rule=rule, application=OuterRef("pk"), is_resend=False))
    )
    if rule.kind == R.Kind.DOCUMENTS_MISSING:
        applications = _lacking_documents(applications)
    if rule.kind == R.Kind.SALES_FIGURES:
        applications = _without_all_sales_days(applications, event)
    if rule.kind == R.Kind.PAYMENT_DUE:
        applications = with_money(applications).filter(outstanding__gt=0)
        if rule.anchor == R.Anchor.DEPOSIT_DUE:
            applications = applications.filter(deposit_unmet_q())
    if rule.payment_deadline_anchor:
        return _due_by_deadline(rule, applications, now, offset)
    if rule.per_application_anchor:
        if rule.anchor == R.Anchor.DECIDED:
            applications = applications.annotate(anchor_at=F("decided_at"))
        else:
            applications = applications.annotate(anchor_at=_first_booth_at())
        window = {"anchor_at__lte": now - offset, "anchor_at__gte": now - offset - late_limit()}
        return [(pk, at + offset) for pk, at in applications.filter(**window).values_list("pk", "anchor_at")]
    anchor_at = getattr(event, rule.anchor)
    if anchor_at is None:
        return []
    due_at = anchor_at + offset
    if not (due_at <= now <= due_at + late_limit()):
        return []
    return [(pk, due_at) for pk in applications.values_list("pk", flat=True)]


DEADLINE_OF_ANCHOR = {R.Anchor.DEPOSIT_DUE: "deposit", R.Anchor.BALANCE_DUE: "balance"}
# A payment deadline is a date: reminders timed by it are reckoned from this local time that day.
DEADLINE_TIME = time(8, 0)


def deadline_at(day: date) -> datetime:
    """The moment reminders about a payment deadline on `day` are reckoned from (8:00 local)."""
    return timezone.make_aware(datetime.combine(day, DEADLINE_TIME))


def _deadline_dates(earliest: datetime, latest: datetime) -> tuple[date, date]:
    """The first and last deadline dates whose deadline_at() falls within [earliest, latest]."""
    first = timezone.localtime(earliest).date()
    if deadline_at(first) < earliest:
        first += timedelta(days=1)
    last = timezone.localtime(latest).date()
    if deadline_at(last) > latest:
        last -= timedelta(days=1)
    return first, last


def _due_by_deadline(rule, applications, now, offset) -> list[tuple[int, object]]:
    """Applications whose own deposit or balance deadline (their AmountDue), moved by the rule's
    offset, has come and is not more than the late limit ago. The window is turned into a range of
    deadline dates, so this stays one query on any database."""
    first, last = _deadline_dates(now - offset - late_limit(), now - offset)
    if first > last:
        return []
    deadline = f"owed__{rule.anchor}"
    rows = applications.filter(**{f"{deadline}__range": (first, last)}).values_list("pk", deadline)
    return [(pk, deadline_at(day) + offset) for pk, day in rows]


def _without_all_sales_days(applications, event):
    """Only businesses that have not yet given figures for every day of the fair."""
    entered = (
        SalesEntry.objects.filter(application=OuterRef("pk"))
        .order_by()
        .values("application")
        .annotate(n=Count("pk"))
        .values("n")[:1]
    )
    return applications.annotate(sales_days=Coalesce(Subquery(entered, output_field=IntegerField()), 0)).filter(
        sales_days__lt=len(fair_days(event))
    )


def pending_to_queue(now, requeue_after: timedelta) -> QuerySet[ReminderDelivery]:
    """Pending deliveries that are due and not queued recently (new ones, retries whose time
    has come, and those whose task was lost with a worker)."""
    return ReminderDelivery.objects.filter(
        Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now),
        Q(queued_at__isnull=True) | Q(queued_at__lt=now - requeue_after),
        status=OutboxStatus.PENDING,
    )


# --- one delivery ------------------------------------------------------------------------------


def deliveries_for_sending(ids) -> list[ReminderDelivery]:
    """The deliveries with their rule, business, fair, organiser and receiving account, each with
    `.context` (the addresses, booths, missing documents and money its message names). Four queries for the whole
    batch, a fixed few more when it has a "documents missing" rule; nothing is locked here (the outbox locks
    each row when it sends it)."""
    deliveries = list(
        ReminderDelivery.objects.filter(pk__in=list(ids))
        .select_related(
            "rule",
            "application__vendor",
            "application__event__organiser",
            "application__event__bank_account",
            "application__owed",
        )
        .annotate(application_paid=paid_total("application_id"))
        .order_by("pk")
    )
    applications = {d.application_id: d.application for d in deliveries}
    recipients = _member_emails({a.vendor_id for a in applications.values()})
    booths = {}
    for application_id, code in (
        Assignment.objects.filter(application_id__in=list(applications), status__in=Assignment.ACTIVE)
        .order_by("booth__code")
        .values_list("application_id", "booth__code")
    ):
        booths.setdefault(application_id, []).append(code)
    missing = _missing_documents(
        [applications[d.application_id] for d in deliveries if d.rule.kind == R.Kind.DOCUMENTS_MISSING]
    )
    for delivery in deliveries:
        application = delivery.application
        vendor = application.vendor
        asks_documents = delivery.rule.kind == R.Kind.DOCUMENTS_MISSING
        delivery.context = ReminderContext(
            application=application,
            recipients=recipients.get(vendor.pk) or ([vendor.email] if vendor.email else []),
            phone=vendor.phone,
            booth_codes=booths.get(application.pk, []),
            missing_documents=missing.get(application.pk, []) if asks_documents else [],
            paid=delivery.application_paid,
            # with_money's outstanding, from the same stored amount due and the same sum of payments.
            outstanding=amount_due(application) - delivery.application_paid,
            deadline=DEADLINE_OF_ANCHOR.get(delivery.rule.anchor, ""),
        )
    return deliveries


def _member_emails(vendor_ids) -> dict[int, list[str]]:
    """The e-mail addresses of each business's active members, oldest member first (one query)."""
    emails: dict[int, list[str]] = {}
    members = (
        VendorMember.objects.filter(vendor_id__in=list(vendor_ids), user__is_active=True)
        .exclude(user__email="")
        .order_by("created_at", "pk")
        .values_list("vendor_id", "user__email")
    )
    for vendor_id, email in members:
        addresses = emails.setdefault(vendor_id, [])
        if email not in addresses:
            addresses.append(email)
    return emails


def _missing_documents(applications) -> dict[int, list[tuple[str, ...]]]:
    """What each application still lacks of what its fair's rules ask of it: one entry per
    requirement, the names of its document types (several for a one-of group, any of which will
    do). A fixed number of queries; none without applications."""
    if not applications:
        return {}
    return {
        pk: [tuple(t.name for t in requirement.document_types) for requirement in required.missing]
        for pk, required in documents_by_application(applications).items()
    }


# --- unconfirmed after the grace period -----------------------------------------------------------


def auto_resend_candidates(now) -> list[tuple[int, int, int, int]]:
    """(id, rule, application, fair) of the flagged original deliveries that their enabled rule
    resends automatically and that were never resent automatically, recorded sent no longer ago
    than the grace period and the late limit together (a rule switched on later does not resend
    last month's reminders). One query."""
    resent = ReminderDelivery.objects.filter(resent_from=OuterRef("pk"), resent_automatically=True)
    return list(
        flagged_unconfirmed(now=now)
        .filter(
            is_resend=False,
            rule__resend_unconfirmed=True,
            rule__enabled=True,
            sent_at__gte=now - unconfirmed_grace() - late_limit(),
        )
        .exclude(Exists(resent))
        .order_by("pk")
        .values_list("pk", "rule_id", "application_id", "event_id")
    )


# --- the delivery log ------------------------------------------------------------------------------

LOG_STATUSES = ("pending", "sent", "unconfirmed", "flagged", "failed", "skipped")


@dataclass(frozen=True)
class LogCounts:
    pending: int
    sent: int
    unconfirmed: int
    flagged: int
    failed: int
    skipped: int


def delivery_log(event, *, status: str = "", rule_id: int | None = None) -> QuerySet[ReminderDelivery]:
    """The fair's deliveries, newest first, with what each row of the log shows (one query)."""
    deliveries = ReminderDelivery.objects.filter(event=event).select_related("rule", "application__vendor")
    if status == "unconfirmed":
        deliveries = deliveries.filter(status=OutboxStatus.SENT, confirmed_at__isnull=True)
    elif status == "flagged":
        deliveries = deliveries.filter(flagged_q(timezone.now()))
    elif status:
        deliveries = deliveries.filter(status=status)
    if rule_id:
        deliveries = deliveries.filter(rule_id=rule_id)
    return deliveries.order_by("-created_at", "-pk")


def delivery_counts(event) -> LogCounts:
    counts = ReminderDelivery.objects.filter(event=event).aggregate(
        pending=Count("pk", filter=Q(status=OutboxStatus.PENDING)),
        sent=Count("pk", filter=Q(status=OutboxStatus.SENT)),
        unconfirmed=Count("pk", filter=Q(status=OutboxStatus.SENT, confirmed_at__isnull=True)),
        flagged=Count("pk", filter=flagged_q(timezone.now())),
        failed=Count("pk", filter=Q(status=OutboxStatus.FAILED)),
        skipped=Count("pk", filter=Q(status=OutboxStatus.SKIPPED)),
    )
    return LogCounts(**counts)


def rules_of(event) -> QuerySet[ReminderRule]:
    return (
        ReminderRule.objects.filter(event=event)
        .annotate(
            sent=Count("deliveries", filter=Q(deliveries__status=OutboxStatus.SENT)),
            failed=Count("deliveries", filter=Q(deliveries__status=OutboxStatus.FAILED)),
        )
        .order_by("pk")
    )
