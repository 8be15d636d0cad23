"""Reads of the applying part: the public list of fairs, one fair, a business's application and
its dashboard. Each function runs a fixed number of queries whatever the number of fairs,
applications, payments, booths or documents."""

from dataclasses import dataclass, field

from django.db.models import BooleanField, ExpressionWrapper, OuterRef, Prefetch, Q, Subquery
from django.shortcuts import get_object_or_404
from django.utils import timezone

from booths.models import Assignment
from booths.selection import pinned_refusal, selection_refusal
from events.models import Event, FairDocumentRule
from tuanhang.kernel.db import SubqueryCount
from vendors.models import Application, ApplicationDocument, ZonePreference
from vendors.permissions import owned_or_404
from vendors.selectors.instalments import PAYMENTS_RECEIVED
from vendors.selectors.money import Terms, amount_due, payment_terms, with_money
from vendors.services.applying import application_can_withdraw, application_edit_refusal
from vendors.services.documents import application_documents

# A fair's document rules with their document types, in one query.
RULES = Prefetch("event__document_rules", queryset=FairDocumentRule.objects.select_related("document_type"))

A = Application.Status
E = Event.Status

# Applications that still go somewhere: their missing items are worth showing.
LIVE_STATUSES = frozenset({A.DRAFT, A.SUBMITTED, A.WAITLISTED, A.APPROVED})


def _open_q(now) -> Q:
    return Q(status=E.REGISTRATION_OPEN, registration_opens_at__lte=now, registration_closes_at__gt=now)


def _upcoming_q(now) -> Q:
    """Published fairs still to come whose registration has not opened yet."""
    return Q(opens_at__gt=now, registration_closes_at__gt=now) & (
        Q(status=E.PUBLISHED) | Q(status=E.REGISTRATION_OPEN, registration_opens_at__gt=now)
    )


def _with_vendor_application(queryset, vendor):
    """Annotate my_application_id / my_application_status: the business's application to each fair, if any."""
    if vendor is None:
        return queryset
    mine = Application.objects.filter(event=OuterRef("pk"), vendor=vendor)
    return queryset.annotate(
        my_application_id=Subquery(mine.values("pk")[:1]),
        my_application_status=Subquery(mine.values("status")[:1]),
    )


@dataclass(frozen=True)
class FairListing:
    open: list = field(default_factory=list)
    upcoming: list = field(default_factory=list)


def fairs_for_listing(*, vendor=None, now=None) -> FairListing:
    """Fairs open for applications (closing soonest first) and upcoming published ones (opening
    soonest first), each with organiser and province and, for a business, its application. One query."""
    now = now or timezone.now()
    events = (
        Event.objects.filter(_open_q(now) | _upcoming_q(now))
        .select_related("organiser", "province")
        .annotate(is_open=ExpressionWrapper(_open_q(now), output_field=BooleanField()))
        .order_by("registration_closes_at", "opens_at", "pk")
    )
    listing = FairListing()
    for event in _with_vendor_application(events, vendor):
        _label_application(event)
        (listing.open if event.is_open else listing.upcoming).append(event)
    listing.upcoming.sort(key=lambda e: (e.registration_opens_at, e.opens_at, e.pk))
    return listing


def _label_application(event):
    status = getattr(event, "my_application_status", None)
    event.my_application_label = A(status).label if status else ""


def fair_for_application(*, slug) -> Event:
    """A public fair to apply to (with its allowed categories and required documents prefetched); 404 otherwise."""
    return get_object_or_404(
        Event.objects.exclude(status=E.DRAFT)
        .select_related("organiser", "province")
        .prefetch_related(
            "categories",
            "required_documents",
            Prefetch("document_rules", queryset=FairDocumentRule.objects.select_related("document_type")),
        ),
        slug=slug,
    )


def vendor_application_id(*, vendor, event) -> int | None:
    """The id of the business's application to the fair, if it has one."""
    return Application.objects.filter(vendor=vendor, event=event).values_list("pk", flat=True).first()


def with_payments_received(application: Application) -> Application:
    """The application with paid / amount_due / outstanding (vendors.selectors.money.with_money) and
    its payments, oldest first, as `payments_received`, for its read-only page: two queries."""
    money = with_money(Application.objects.filter(pk=application.pk)).prefetch_related(PAYMENTS_RECEIVED).get()
    application.paid, application.outstanding = money.paid, money.outstanding
    application.payments_received = money.payments_received
    return application


def application_for_vendor(*, vendor, pk) -> Application:
    """One application of the business with what its pages show; another business's answers 404."""
    queryset = Application.objects.select_related(
        "vendor", "event__organiser", "event__province", "booth_type", "owed"
    ).prefetch_related(
        Prefetch("zone_ranks", queryset=ZonePreference.objects.select_related("zone").order_by("rank")),
        "categories",
        Prefetch("products", queryset=vendor.products.select_related("category").order_by("name")),
        Prefetch("documents", queryset=ApplicationDocument.objects.select_related("document_type")),
        "event__categories",
        "event__required_documents",
        RULES,
    )
    return owned_or_404(queryset, vendor, pk=pk)


def active_booth_codes(application: Application) -> list[str]:
    """Codes of the booths the application holds or has confirmed, in order."""
    return list(
        Assignment.objects.filter(application=application, status__in=Assignment.ACTIVE)
        .order_by("booth__code")
        .values_list("booth__code", flat=True)
    )


@dataclass(frozen=True)
class DocumentSlot:
    """One document the fair asks for, with the file uploaded for it (or None). In a one-of group
    (`group` set) the slot is satisfied when any document of the group is uploaded."""

    document_type: object
    document: ApplicationDocument | None
    group: str = ""
    notes: tuple = ()
    satisfied: bool = False
    conditions: str = ""


def document_slots(application: Application, required=None) -> list[DocumentSlot]:
    """The documents the fair's rules ask of this application, in order, each with the
    application's file (vendors.services.documents decides). Uses the prefetches of
    application_for_vendor (no query)."""
    required = required or application_documents(application)
    by_type = {doc.document_type_id: doc for doc in application.documents.all()}
    return [
        DocumentSlot(t, by_type.get(t.pk), r.group if r.is_group else "", r.notes, r.satisfied)
        for r in required.requirements
        for t in r.document_types
    ]


@dataclass(frozen=True)
class DashboardRow:
    application: Application
    booth_codes: list[str]
    fee_due: int
    terms: Terms | None
    paid: int
    outstanding: int
    missing_documents: list
    missing_terms: bool
    missing_categories: bool
    missing_products: bool
    edit_refusal: str | None
    can_submit: bool
    can_withdraw: bool
    # Approved at a fair where participants pick their booths, before the deadline, none pinned.
    can_choose_booths: bool = False

    @property
    def can_edit(self) -> bool:
        return self.edit_refusal is None

    @property
    def missing_anything(self) -> bool:
        return bool(self.missing_documents or self.missing_terms or self.missing_categories or self.missing_products)


def application_dashboard(*, vendor, now=None) -> list[DashboardRow]:
    """Every application of the business, newest first, with its fair, active booths, the fee due,
    what was paid (with_money) and each payment received (`payments_received`), and what is still
    missing. A fixed number of queries whatever the number of rows."""
    now = now or timezone.now()
    applications = (
        with_money(Application.objects.filter(vendor=vendor))
        .select_related("event__bank_account", "vendor", "owed")
        .annotate(
            product_count=SubqueryCount(Application.products.through.objects.filter(application=OuterRef("pk"))),
            category_count=SubqueryCount(Application.categories.through.objects.filter(application=OuterRef("pk"))),
        )
        .prefetch_related(
            Prefetch(
                "assignments",
                queryset=Assignment.objects.filter(status__in=Assignment.ACTIVE)
                .select_related("booth")
                .order_by("booth__code"),
                to_attr="active_assignments",
            ),
            Prefetch("documents", queryset=ApplicationDocument.objects.only("pk", "application", "document_type")),
            "event__required_documents",
            RULES,
            "categories",
            Prefetch("products", queryset=vendor.products.select_related("category")),
            PAYMENTS_RECEIVED,
        )
        .order_by("-created_at", "-pk")
    )
    return [_dashboard_row(application, now) for application in applications]


def _dashboard_row(application: Application, now) -> DashboardRow:
    live = application.status in LIVE_STATUSES
    missing_documents = application_documents(application).missing if live else []
    fee_due = amount_due(application)
    refusal = application_edit_refusal(application, now=now)
    return DashboardRow(
        application=application,
        booth_codes=[a.booth.code for a in application.active_assignments],
        fee_due=fee_due,
        terms=payment_terms(application, application.event),
        paid=application.paid,
        outstanding=max(application.outstanding, 0),
        missing_documents=missing_documents,
        missing_terms=live and application.terms_accepted_at is None,
        missing_categories=live and application.category_count == 0,
        missing_products=live and application.product_count == 0,
        edit_refusal=refusal,
        can_submit=refusal is None and application.status == A.DRAFT,
        can_withdraw=application_can_withdraw(application),
        can_choose_booths=selection_refusal(application=application, event=application.event, now=now) is None
        and pinned_refusal(a.booth.code for a in application.active_assignments if a.pinned) is None,
    )
