"""Reads for prints and exports of a fair's participants: one plain row per approved application
(its business, booths, categories, main products, OCOP stars, fee), in six queries whatever the
number of participants, and the orders the printed list offers.

Orders are computed in Python with tuanhang.kernel.vn.sort_key, so the printed order is the same on
SQLite and PostgreSQL (Vietnamese collation: Đ after D, Ư after U, tones as second key).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import IntegerField, QuerySet, Subquery
from django.utils.translation import gettext as _

from booths.codes import booth_code_key
from booths.models import Assignment
from events.models import Event
from tuanhang.kernel.pdf import clean_text
from tuanhang.kernel.vn import format_phone, sort_key
from vendors.models import Application, Product, Vendor
from vendors.ocop import counting_day, ocop_valid_on
from vendors.privacy import tax_code_shown
from vendors.selectors.figures import shown_products
from vendors.selectors.money import owed_for, with_money

A = Application.Status
ORDER_BOOTH, ORDER_NAME, ORDER_PROVINCE = "booth", "name", "province"
ORDERS = (ORDER_BOOTH, ORDER_NAME, ORDER_PROVINCE)
MAIN_PRODUCTS = 3  # products named per participant


@dataclass(frozen=True)
class ParticipantRow:
    application_id: int
    vendor_id: int
    name: str
    sign_name: str
    kind: str  # DN, HTX, HKD
    tax_code: str
    province: str
    address: str  # complete: address, commune, province (Vendor.full_address)
    representative: str
    contact_name: str
    phone: str  # as shown: 0912 345 678
    email: str
    booths: tuple[str, ...]  # codes, in natural order (A2 before A10)
    booths_requested: int
    categories: tuple[str, ...]
    products: tuple[str, ...]
    ocop_stars: int | None
    amount_due: int
    paid: int
    note: str
    # What is owed (vendors.models.AmountDue): booths by type, subsidy, deposit and balance with deadlines.
    fee_lines: tuple = ()
    subsidy: int = 0
    deposit: int = 0
    deposit_due_on: dt.date | None = None
    balance: int = 0
    balance_due_on: dt.date | None = None
    # "đổi sau khi duyệt: …" with the identity the business has now, when it changed after approval
    # (name, kind and tax code above are the approved ones); empty otherwise.
    identity_note: str = ""

    @property
    def booth_text(self) -> str:
        return ", ".join(self.booths)

    @property
    def outstanding(self) -> int:
        return max(self.amount_due - self.paid, 0)

    @property
    def goods_text(self) -> str:
        """ "Categories; main products" for the list's goods column."""
        return "; ".join(part for part in (", ".join(self.categories), ", ".join(self.products)) if part)

    @property
    def stars_text(self) -> str:
        return "★" * self.ocop_stars if self.ocop_stars else ""


def approved_applications(event: Event) -> QuerySet[Application]:
    return Application.objects.filter(event=event, status=A.APPROVED)


def participant_rows(
    event: Event, *, applications: QuerySet[Application] | None = None, personal: bool = False
) -> list[ParticipantRow]:
    """Every approved participant of the fair (or the given applications of it), in booth order.
    A household's tax code (its owner's personal ID number) is masked unless `personal` (only an
    export for a role with personal.view passes it; prints never do).
    Six queries: applications with business, province, money and OCOP; booths; application
    categories; business categories; application products; business products."""
    applications = approved_applications(event) if applications is None else applications
    # The most stars among the products it shows that are certified on the opening day: the rule
    # of the fair's figures (vendors.selectors.figures), so the list and the reports agree.
    best_stars = (
        shown_products().filter(ocop_valid_on(counting_day(event))).order_by("-ocop_stars").values("ocop_stars")[:1]
    )
    rows = list(
        with_money(applications.select_related("vendor__province", "vendor__commune", "owed"), event)
        .annotate(ocop=Subquery(best_stars, output_field=IntegerField()))
        .order_by("pk")
    )
    # Subqueries rather than lists of ids: no limit on the number of participants (SQLite's
    # variables) and the same six queries at 5 or 5,000 rows.
    ids = applications.order_by().values("pk")
    vendor_ids = applications.order_by().values("vendor_id")
    booths = _booths(ids)
    app_categories = _categories(Application.categories.through, "application_id", ids)
    vendor_categories = _categories(Vendor.categories.through, "vendor_id", vendor_ids)
    app_products = _products(
        Application.products.through.objects.filter(application_id__in=ids),
        "application_id",
        "product__name",
        "product__ocop_stars",
    )
    vendor_products = _products(Product.objects.filter(vendor_id__in=vendor_ids), "vendor_id", "name", "ocop_stars")
    participants = [
        _row(
            a,
            booths=booths.get(a.pk, ()),
            categories=app_categories.get(a.pk) or vendor_categories.get(a.vendor_id) or (),
            products=(app_products.get(a.pk) or vendor_products.get(a.vendor_id) or ())[:MAIN_PRODUCTS],
            personal=personal,
        )
        for a in rows
    ]
    return order_participants(participants, ORDER_BOOTH)


def _booths(application_ids) -> dict[int, tuple[str, ...]]:
    found = defaultdict(list)
    rows = (
        Assignment.objects.filter(application_id__in=application_ids, status__in=Assignment.ACTIVE)
        .order_by()
        .values_list("application_id", "booth__code")
    )
    for application_id, code in rows:
        found[application_id].append(code)
    return {key: tuple(sorted(codes, key=booth_code_key)) for key, codes in found.items()}


def _categories(through, owner: str, ids) -> dict[int, tuple[str, ...]]:
    """owner id → its category names, in the categories' own order (one query)."""
    found = defaultdict(list)
    rows = (
        through.objects.filter(**{f"{owner}__in": ids})
        .order_by()
        .values_list(owner, "category__position", "category__name")
    )
    for owner_id, position, name in rows:
        found[owner_id].append((position, sort_key(name), clean_text(name)))
    return {key: tuple(name for *_, name in sorted(values)) for key, values in found.items()}


def _products(queryset, owner: str, name: str, stars: str) -> dict[int, tuple[str, ...]]:
    """owner id → product names, OCOP-rated first (most stars first), then by name (one query)."""
    found = defaultdict(list)
    for owner_id, product, rating in queryset.order_by().values_list(owner, name, stars):
        found[owner_id].append((-(rating or 0), sort_key(product), clean_text(product)))
    return {key: tuple(text for *_, text in sorted(values)) for key, values in found.items()}


def approved_identity(application: Application, *, personal: bool) -> tuple[str, str, str, str]:
    """(legal name, kind, tax code as it may be shown, note): the identity the application was
    approved with, and a note giving today's when the business changed it after the approval."""
    vendor = application.vendor
    if not application.approved_tax_code:  # not approved (yet), or approved before snapshots: live
        return vendor.name, vendor.kind, tax_code_shown(vendor.kind, vendor.tax_code, personal), ""
    name, kind = application.approved_name, application.approved_kind
    code = tax_code_shown(kind, application.approved_tax_code, personal)
    note = ""
    if application.identity_changed_since_approval:
        now = f"{vendor.name}, {vendor.kind}, {tax_code_shown(vendor.kind, vendor.tax_code, personal)}"
        note = _("changed after approval: %(now)s") % {"now": now}
    return name, kind, code, note


def _row(application: Application, *, booths, categories, products, personal) -> ParticipantRow:
    vendor = application.vendor
    name, kind, tax_code, identity_note = approved_identity(application, personal=personal)
    return ParticipantRow(
        application_id=application.pk,
        vendor_id=vendor.pk,
        name=clean_text(name),
        sign_name=clean_text(vendor.short_name or name),
        kind=kind,
        tax_code=tax_code,
        identity_note=clean_text(identity_note),
        province=clean_text(vendor.province.name),
        address=clean_text(vendor.full_address),  # address, commune, province
        representative=clean_text(vendor.representative),
        contact_name=clean_text(vendor.contact_name),
        phone=format_phone(vendor.phone),
        email=vendor.email,
        booths=booths,
        booths_requested=application.booths_requested,
        categories=categories,
        products=products,
        ocop_stars=application.ocop,
        amount_due=application.amount_due,
        paid=application.paid,
        note=clean_text(application.note),
        **_owed(application),
    )


def _owed(application: Application) -> dict:
    owed = owed_for(application)
    if owed is None or not application.amount_due:
        return {}
    return {
        "fee_lines": tuple(owed.lines),
        "subsidy": owed.subsidy,
        "deposit": owed.deposit,
        "deposit_due_on": owed.deposit_due_on,
        "balance": owed.balance,
        "balance_due_on": owed.balance_due_on,
    }


def order_participants(rows: list[ParticipantRow], order: str) -> list[ParticipantRow]:
    """By booth (participants without a booth last, by name), by name, or by province then name."""
    if order == ORDER_NAME:
        return sorted(rows, key=lambda r: (sort_key(r.name), r.application_id))
    if order == ORDER_PROVINCE:
        return sorted(rows, key=lambda r: (sort_key(r.province), sort_key(r.name), r.application_id))
    return sorted(
        rows,
        key=lambda r: (not r.booths, booth_code_key(r.booths[0]) if r.booths else (), sort_key(r.name)),
    )


def by_province(rows: list[ParticipantRow]) -> list[tuple[str, list[ParticipantRow]]]:
    """Rows (already in province order) grouped by province: [(province, rows), …]."""
    groups: list[tuple[str, list[ParticipantRow]]] = []
    for row in rows:
        if not groups or groups[-1][0] != row.province:
            groups.append((row.province, []))
        groups[-1][1].append(row)
    return groups
