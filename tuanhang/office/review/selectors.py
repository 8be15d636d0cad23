"""Reads for the organisers' review: the per-fair list of applications with its filters, one
application with everything its review page shows, and the fair's free booths.

Every function runs a fixed number of queries whatever the number of applications, documents or
payments: per-row figures (paid, OCOP stars) are correlated subqueries, lists shown per row are
prefetched, and the documents a fair's rules ask of each application are evaluated in Python
over prefetched rows (vendors.services.documents.documents_by_application).
"""

from dataclasses import dataclass

from django.db.models import (
    BooleanField,
    Case,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Collate

from booths.models import Assignment, Booth
from booths.selectors.assignments import active_assignment_id
from booths.selectors.search import every_word_matches
from events.models import Event
from tuanhang.kernel.collation import VI_COLLATION
from tuanhang.kernel.db import SubqueryCount
from vendors.models import (
    Application,
    ApplicationDocument,
    ApplicationStatusChange,
    Payment,
    PaymentVoid,
    Product,
    Refund,
    VendorMember,
    ZonePreference,
)
from vendors.selectors.money import amount_due, paid_total, payment_terms, with_money
from vendors.services.documents import application_documents, documents_by_application, one_of_label

A = Application.Status

# The list's sort orders: key → (label is in the form) ordering. Ties fall back to the id so pages are stable.
# The list opens on what needs a decision: submitted applications first (oldest first), then the
# waiting list, the approved ones, and last those that are over (withdrawn, rejected, cancelled).
REVIEW_ORDER = [A.SUBMITTED, A.WAITLISTED, A.APPROVED, A.WITHDRAWN, A.REJECTED, A.CANCELLED]
_NEEDS_REVIEW = Case(
    *(When(status=status, then=Value(rank)) for rank, status in enumerate(REVIEW_ORDER)),
    default=Value(len(REVIEW_ORDER)),
)
SORTS = {
    "needs_review": (_NEEDS_REVIEW.asc(), F("submitted_at").asc(nulls_last=True), "pk"),
    "submitted": (F("submitted_at").asc(nulls_last=True), "pk"),
    "-submitted": (F("submitted_at").desc(nulls_last=True), "-pk"),
    "name": (Collate("vendor__name", VI_COLLATION).asc(), "pk"),
    "-name": (Collate("vendor__name", VI_COLLATION).desc(), "-pk"),
}
DEFAULT_SORT = "needs_review"


def _has_active_booth():
    return Exists(Assignment.objects.filter(application=OuterRef("pk"), status__in=Assignment.ACTIVE))


def _ocop_stars():
    """The highest OCOP rating among the business's products (None: no OCOP product)."""
    best = (
        Product.objects.filter(vendor=OuterRef("vendor"), ocop_stars__isnull=False)
        .order_by("-ocop_stars")
        .values("ocop_stars")[:1]
    )
    return Subquery(best, output_field=IntegerField())


def with_document_figures(applications) -> list[Application]:
    """The applications (a page of the list) as a list, each with documents_required (what the
    fair's rules ask of it, a one-of group counting once) and documents_present (how many of those
    it has): vendors.services.documents decides, in a fixed number of queries."""
    applications = list(applications)
    figures = documents_by_application(applications)
    for application in applications:
        requirements = figures[application.pk].requirements
        application.documents_required = len(requirements)
        application.documents_present = sum(1 for requirement in requirements if requirement.satisfied)
    return applications


def _missing_documents_q(applications: QuerySet[Application]) -> Q:
    """Keeps those of `applications` that lack a document the fair's rules ask of them: the rules
    are evaluated in Python over the applications (with prefetches, a fixed number of queries),
    then the list filters by id so that sorting and pagination stay in the database."""
    candidates = Application.objects.filter(pk__in=applications.order_by().values("pk")).select_related(
        "vendor", "event"
    )
    return Q(pk__in=[pk for pk, required in documents_by_application(candidates).items() if required.missing])


def review_applications(
    *,
    event: Event,
    status: str = "",
    province=None,
    kind: str = "",
    category=None,
    ocop: str = "",
    missing_documents: bool = False,
    q: str = "",
    sort: str = DEFAULT_SORT,
) -> QuerySet[Application]:
    """The fair's applications for the review list, filtered and sorted.

    Without a status, drafts are left out (nobody reviews an unsent application). `ocop` is "yes"
    (the business has a product with OCOP stars) or "no"; `missing_documents` keeps the applications
    that lack a document the fair's rules ask of them (vendors.services.documents decides); `q`
    finds by every word (booths.selectors.search: name, short name, tax code, province or its
    pre-2025 name, commune, with or without accents, or the booth's code). Each row carries vendor
    (with province), amount_due, paid, outstanding, ocop_stars, has_booth and its prefetched
    categories; with_document_figures() adds the documents column to a page of it.
    """
    queryset = (
        Application.objects.filter(event=event)
        .select_related("vendor__province")
        .prefetch_related("categories")
        .alias(active_assignment=active_assignment_id(application=OuterRef("pk")))
        .annotate(
            ocop_stars=_ocop_stars(),
            has_booth=ExpressionWrapper(Q(active_assignment__isnull=False), output_field=BooleanField()),
        )
    )
    queryset = with_money(queryset, event)
    queryset = queryset.filter(status=status) if status else queryset.exclude(status=A.DRAFT)
    if province is not None:
        queryset = queryset.filter(vendor__province=province)
    if kind:
        queryset = queryset.filter(vendor__kind=kind)
    if category is not None:
        queryset = queryset.filter(
            Exists(Application.categories.through.objects.filter(application=OuterRef("pk"), category=category))
        )
    if ocop == "yes":
        queryset = queryset.filter(ocop_stars__isnull=False)
    elif ocop == "no":
        queryset = queryset.filter(ocop_stars__isnull=True)
    # A household's personal ID is not in search_text (vendors/privacy.py): typed in full, it finds.
    found = every_word_matches(q, event=event, also=lambda word: Q(vendor__tax_code=word))
    if found is not None:
        queryset = queryset.filter(found)
    if missing_documents:
        queryset = queryset.filter(_missing_documents_q(queryset))
    return queryset.order_by(*SORTS.get(sort, SORTS[DEFAULT_SORT]))


# --- free booths ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Capacity:
    """Booths a fair can still give: free booths (not blocked, no held or confirmed assignment)
    minus the booths asked for by approved applications that have no booth yet."""

    free_booths: int
    promised: int

    @property
    def free(self) -> int:
        return self.free_booths - self.promised


def event_capacity(event: Event) -> Capacity:
    """The fair's free booths and the booths already promised to approved applications (one query)."""
    free_booths = (
        Booth.objects.filter(event=event, blocked=False)
        .alias(active_assignment=active_assignment_id(booth=OuterRef("pk")))
        .filter(active_assignment__isnull=True)
        .order_by()
        .values("pk")
    )
    promised = (
        Application.objects.filter(event=event, status=A.APPROVED)
        .exclude(_has_active_booth())
        .order_by()
        .values("event")
        .annotate(total=Sum("booths_requested"))
        .values("total")[:1]
    )
    figures = (
        Event.objects.filter(pk=event.pk)
        .annotate(
            free_booths=SubqueryCount(free_booths),
            promised=Coalesce(Subquery(promised, output_field=IntegerField()), 0),
        )
        .values("free_booths", "promised")
        .get()
    )
    return Capacity(free_booths=figures["free_booths"], promised=figures["promised"])


def booths_without_assignment(applications: QuerySet[Application]) -> int:
    """Booths asked for by those of `applications` that hold no booth yet (one query)."""
    total = applications.exclude(_has_active_booth()).aggregate(total=Sum("booths_requested"))["total"]
    return total or 0


# --- one application ---------------------------------------------------------------------


@dataclass(frozen=True)
class RequiredDocument:
    """One requirement of the fair's rules as the review page shows it: a single document type or a
    one-of group ("A or B"), and the application's file that satisfies it, or None."""

    name: str
    type_ids: frozenset
    document: ApplicationDocument | None
    # The type of this requirement the site prints prefilled (DocumentType.generated_form), or None.
    generated_form_id: int | None = None


def review_application_queryset() -> QuerySet[Application]:
    """Applications read for their review page, with their business, fair, booth type, decider,
    documents, status history, booths (active first), payments, categories, products, zone wishes
    and the business's accounts. The view narrows it to the user's fairs and one id; then
    with_money_figures() adds the money."""
    return (
        Application.objects.annotate(paid=paid_total())
        .select_related(
            "vendor__province",
            "vendor__commune",
            "event__organiser",
            "event__province",
            "event__bank_account",
            "booth_type",
            "decided_by",
            "owed",
        )
        .prefetch_related(
            Prefetch("documents", queryset=ApplicationDocument.objects.select_related("document_type", "uploaded_by")),
            Prefetch("status_changes", queryset=ApplicationStatusChange.objects.select_related("changed_by")),
            Prefetch(
                "assignments",
                queryset=Assignment.objects.select_related("booth__zone", "created_by").order_by(
                    "status", "booth__code"
                ),
            ),
            Prefetch(
                "payments",
                queryset=Payment.objects.select_related("recorded_by", "receipt", "invoice", "statement_line").order_by(
                    "paid_on", "pk"
                ),
            ),
            Prefetch("payment_voids", queryset=PaymentVoid.objects.select_related("receipt", "voided_by")),
            Prefetch("refunds", queryset=Refund.objects.select_related("recorded_by").order_by("refunded_on", "pk")),
            "categories",
            Prefetch("products", queryset=Product.objects.select_related("category").order_by("name")),
            Prefetch("zone_ranks", queryset=ZonePreference.objects.select_related("zone")),
            Prefetch("vendor__memberships", queryset=VendorMember.objects.select_related("user")),
        )
    )


def with_money_figures(application: Application) -> Application:
    """The same figures as with_money() gives the list (amount_due, paid, outstanding), and the
    payment terms, from the rows already read (owed selected, paid annotated by
    review_application_queryset): no query."""
    application.amount_due = amount_due(application)
    application.terms = payment_terms(application, application.event)  # its VietQR reads paid
    application.outstanding = application.amount_due - application.paid
    return application


def required_documents(application: Application) -> list[RequiredDocument]:
    """Each requirement the fair's rules ask of this application (vendors.services.documents
    decides; a one-of group counts once, as the review list counts it), with the application's
    file that satisfies it or None (the application's documents must be prefetched)."""
    by_type = {doc.document_type_id: doc for doc in application.documents.all()}
    rows = []
    for requirement in application_documents(application).requirements:
        types = requirement.document_types
        found = next((by_type[t.pk] for t in types if t.pk in by_type), None)
        printed = next((t.pk for t in types if t.generated_form), None)
        rows.append(
            RequiredDocument(one_of_label([t.name for t in types]), frozenset(t.pk for t in types), found, printed)
        )
    return sorted(rows, key=lambda row: row.name)
