"""Spreadsheets of participants and applications (a fair's, or those picked in the admin),
registered with events.generated for the fair's printing page. A household's tax code (its owner's
personal ID number) is masked unless the table is asked for with `personal=True`."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from booths.codes import booth_code_key
from booths.models import Assignment
from events.generated import Export, register_export
from tuanhang.kernel.spreadsheets import DATETIME, INT, MONEY, Column, Table
from tuanhang.kernel.vn import format_phone, sort_key
from tuanhang.office.printing.selectors import ORDER_BOOTH, approved_identity, order_participants, participant_rows
from vendors.models import Application, Vendor
from vendors.privacy import tax_code_shown
from vendors.selectors.money import amount_due, paid_total


def _shows(personal, key) -> bool:
    """`personal` is True/False for every row, or the set of keys (fair or business ids) whose
    rows may show personal data in full."""
    return personal if isinstance(personal, bool) else key in personal


def business_columns() -> list[Column]:
    """The columns that describe a business, in the participant list and the list of businesses."""
    return [
        Column(_("Legal name"), 45),
        Column(_("Name on the sign"), 25),
        Column(_("Kind"), 22),
        Column(_("Tax code"), 16),
        Column(_("Province / city"), 16),
        Column(_("Address"), 35),
        Column(_("Representative"), 22),
        Column(_("Contact person"), 22),
        Column(_("Phone"), 14),
        Column(_("Email"), 28),
    ]


def participants_table(event, *, personal: bool = False) -> Table:
    """The fair's approved participants, by booth (six queries)."""
    kinds = dict(Vendor.Kind.choices)
    columns = [
        Column(_("Booths"), 14),
        *business_columns(),
        Column(_("Booths requested"), 10, INT),
        Column(_("Product categories"), 30),
        Column(_("Main products"), 40),
        Column(capfirst(_("OCOP stars")), 8, INT),  # the model's label is lower-case
        Column(_("Fee due (VND)"), 14, MONEY),
        Column(_("Paid (VND)"), 14, MONEY),
        Column(_("Still to pay (VND)"), 14, MONEY),
        Column(_("Identity changed after approval"), 40),
    ]
    rows = [
        [
            r.booth_text,
            r.name,
            r.sign_name,
            str(kinds.get(r.kind, r.kind)),
            r.tax_code,
            r.province,
            r.address,
            r.representative,
            r.contact_name,
            r.phone,
            r.email,
            r.booths_requested,
            ", ".join(r.categories),
            ", ".join(r.products),
            r.ocop_stars,
            r.amount_due,
            r.paid,
            r.outstanding,
            r.identity_note,
        ]
        for r in order_participants(participant_rows(event, personal=personal), ORDER_BOOTH)
    ]
    return Table(title=_("Participants"), columns=columns, rows=rows)


def application_table(applications: QuerySet[Application], *, personal: bool | set = False) -> Table:
    """Applications of any status with their business, fair, booths and money (three queries).
    `personal`: for every row, or the set of fair ids where the tax codes show in full."""
    active = Assignment.objects.filter(status__in=Assignment.ACTIVE).select_related("booth")
    rows = list(
        applications.select_related("vendor__province", "event", "booth_type", "owed")
        .prefetch_related(Prefetch("assignments", queryset=active, to_attr="export_booths"))
        .annotate(paid_total=paid_total())
        .order_by()
    )
    rows.sort(key=lambda a: (sort_key(a.event.name), a.event_id, sort_key(a.vendor.name), a.pk))
    statuses, kinds = dict(Application.Status.choices), dict(Vendor.Kind.choices)
    columns = [
        Column(_("Application no."), 10, INT),
        Column(_("Fair"), 30),
        Column(_("Participant"), 45),
        Column(_("Tax code"), 16),
        Column(_("Kind"), 22),
        Column(_("Province / city"), 16),
        Column(_("Status"), 14),
        Column(_("Booths requested"), 10, INT),
        Column(_("Booth type"), 18),
        Column(_("Booths"), 14),
        Column(_("Submitted at"), 17, DATETIME),
        Column(_("Decided at"), 17, DATETIME),
        Column(_("Fee due (VND)"), 14, MONEY),
        Column(_("Paid (VND)"), 14, MONEY),
        Column(_("Contact person"), 22),
        Column(_("Phone"), 14),
        Column(_("Note"), 40),
        Column(_("Identity changed after approval"), 40),
    ]
    identities = {a.pk: approved_identity(a, personal=_shows(personal, a.event_id)) for a in rows}
    table_rows = [
        [
            a.pk,
            a.event.name,
            identities[a.pk][0],
            identities[a.pk][2],
            str(kinds.get(identities[a.pk][1], identities[a.pk][1])),
            a.vendor.province.name,
            str(statuses.get(a.status, a.status)),
            a.booths_requested,
            a.booth_type.name if a.booth_type else "",
            ", ".join(sorted((x.booth.code for x in a.export_booths), key=booth_code_key)),
            a.submitted_at,
            a.decided_at,
            amount_due(a),
            a.paid_total,
            a.vendor.contact_name,
            format_phone(a.vendor.phone),
            a.note,
            identities[a.pk][3],
        ]
        for a in rows
    ]
    return Table(title=_("Applications"), columns=columns, rows=table_rows)


def vendor_table(vendors: QuerySet[Vendor], *, personal: bool | set = False) -> Table:
    """Businesses with their contacts and categories (two queries), in Vietnamese name order.
    `personal`: for every row, or the set of business ids whose tax codes show in full."""
    rows = sorted(
        vendors.select_related("province", "commune").prefetch_related("categories").order_by(),
        key=lambda v: (sort_key(v.name), v.pk),
    )
    kinds = dict(Vendor.Kind.choices)
    columns = [
        *business_columns(),
        Column(_("Website"), 28),
        Column(_("Product categories"), 30),
        Column(_("Registered at"), 17, DATETIME),
    ]
    table_rows = [
        [
            v.name,
            v.short_name,
            str(kinds.get(v.kind, v.kind)),
            tax_code_shown(v.kind, v.tax_code, _shows(personal, v.pk)),
            v.province.name,
            v.full_address,
            v.representative,
            v.contact_name,
            format_phone(v.phone),
            v.email,
            v.website,
            ", ".join(c.name for c in v.categories.all()),
            v.created_at,
        ]
        for v in rows
    ]
    return Table(title=_("Participants"), columns=columns, rows=table_rows)


def export_stem(name: str) -> str:
    return f"{name}-{timezone.localdate():%Y%m%d}"


register_export(
    Export(
        key="participants",
        label=gettext_lazy("Participants: approved businesses with booths, contacts and fees"),
        table=participants_table,
        filename=lambda event: f"don-vi-tham-gia-{event.slug}",
        position=10,
        personal_data=True,
    )
)
register_export(
    Export(
        key="applications",
        label=gettext_lazy("Applications: every application with its status, booths and payments"),
        table=lambda event, personal: application_table(Application.objects.filter(event=event), personal=personal),
        filename=lambda event: f"ho-so-dang-ky-{event.slug}",
        position=20,
        personal_data=True,
    )
)
