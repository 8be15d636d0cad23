"""Spreadsheet of booths (the fair's, or those picked in the admin), registered with
events.generated: code, zone, type, size, place, status and who holds it."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from events.generated import Export, register_export
from tuanhang.kernel.spreadsheets import Column, Table
from tuanhang.kernel.vn import format_phone

from .codes import booth_code_key
from .models import Assignment, Booth


def booth_export_rows(booths: QuerySet[Booth]) -> list[list]:
    """One row per booth, by fair then natural booth order (two queries)."""
    picked = booths.order_by().values("pk")
    booths = list(booths.select_related("event", "zone", "booth_type").order_by())
    active = {
        a.booth_id: a
        for a in Assignment.objects.filter(booth__in=picked, status__in=Assignment.ACTIVE)
        .select_related("application__vendor__province")
        .order_by()
    }
    statuses = dict(Assignment.Status.choices)
    rows = []
    for booth in sorted(booths, key=lambda b: (b.event.name, b.event_id, booth_code_key(b.code))):
        assignment = active.get(booth.pk)
        vendor = assignment.application.vendor if assignment else None
        if booth.blocked:
            status = _("Blocked")
        elif assignment:
            status = str(statuses[assignment.status])
        else:
            status = _("Free")
        rows.append(
            [
                booth.event.name,
                booth.code,
                f"{booth.zone.code} – {booth.zone.name}",
                booth.booth_type.name,
                float(booth.width),
                float(booth.depth),
                float(booth.width * booth.depth),
                float(booth.x),
                float(booth.y),
                booth.row,
                status,
                booth.blocked_reason if booth.blocked else "",
                vendor.name if vendor else "",
                (vendor.short_name or vendor.name) if vendor else "",
                vendor.province.name if vendor else "",
                vendor.contact_name if vendor else "",
                format_phone(vendor.phone) if vendor else "",
            ]
        )
    return rows


def booth_table(booths: QuerySet[Booth]) -> Table:
    columns = [
        Column(_("Fair"), 30),
        Column(_("Booth"), 9),
        Column(_("Zone"), 24),
        Column(_("Booth type"), 18),
        Column(_("Width (m)"), 10, "number"),
        Column(_("Depth (m)"), 10, "number"),
        Column(_("Area (m²)"), 10, "number"),
        Column(_("x (m)"), 8, "number"),
        Column(_("y (m)"), 8, "number"),
        Column(_("Row"), 8),
        Column(_("Status"), 12),
        Column(_("Why blocked"), 20),
        Column(_("Participant"), 40),
        Column(_("Name on the sign"), 24),
        Column(_("Province / city"), 16),
        Column(_("Contact person"), 20),
        Column(_("Phone"), 14),
    ]
    return Table(title=_("Booths"), columns=columns, rows=booth_export_rows(booths))


register_export(
    Export(
        key="booths",
        label=gettext_lazy("Booths: code, zone, size, status and who holds it"),
        table=lambda event: booth_table(Booth.objects.filter(event=event)),
        filename=lambda event: f"gian-hang-{event.slug}",
        position=30,
    )
)
