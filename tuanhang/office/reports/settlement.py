"""The settlement pack of a khuyến công programme for the Sở Công Thương: the subsidised businesses
(one row per grant in force: name, tax code, address, fair, booths, fee, subsidy, paid, a column
to sign for the subsidy) with totals, and the programme's summary against its budget. As a landscape
A4 PDF (WeasyPrint, templates/pdf/subsidy_settlement.html, the letters' fonts; the table header
repeats on every page; the organiser's signature block at the end) and as xlsx (two sheets).

Rows are limited to the fairs where the user may export (a fair-limited member sees its fairs'
rows); a household's tax code is its owner's personal ID, shown in full only with personal.view
at that fair. A fixed number of queries whatever the number of rows."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import BigIntegerField, OuterRef, Subquery, Sum, Value
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.translation import gettext as _

from booths.codes import booth_code_key
from booths.models import Assignment
from events.models import Event, SubsidyProgramme
from events.policy import can, fairs_filter
from tuanhang.kernel.pdf import clean_text, template_to_pdf
from tuanhang.kernel.spreadsheets import INT, MONEY, TEXT, Column, Table, tables_to_xlsx
from tuanhang.kernel.vn import sort_key
from tuanhang.office.printing.selectors import approved_identity
from vendors.models import Payment, SubsidyGrant
from vendors.selectors.subsidies import ProgrammeBudget, programme_budget


@dataclass(frozen=True)
class SettlementRow:
    number: int
    name: str
    tax_code: str
    address: str
    fair: str
    booths: str
    fee: int
    subsidy: int
    paid: int


@dataclass(frozen=True)
class Settlement:
    programme: SubsidyProgramme
    event: Event | None  # the fair the pack is limited to, or None for every fair
    rows: tuple[SettlementRow, ...]
    budget: ProgrammeBudget
    printed_at: object

    @property
    def fee_total(self) -> int:
        return sum(r.fee for r in self.rows)

    @property
    def subsidy_total(self) -> int:
        return sum(r.subsidy for r in self.rows)

    @property
    def paid_total(self) -> int:
        return sum(r.paid for r in self.rows)


def _paid():
    total = (
        Payment.objects.filter(application=OuterRef("application"))
        .order_by()
        .values("application")
        .annotate(total=Sum("amount"))
        .values("total")[:1]
    )
    return Coalesce(Subquery(total, output_field=BigIntegerField()), Value(0), output_field=BigIntegerField())


def _booth_codes(application_ids) -> dict[int, str]:
    found = defaultdict(list)
    rows = Assignment.objects.filter(application_id__in=application_ids, status__in=Assignment.ACTIVE)
    for application_id, code in rows.order_by().values_list("application_id", "booth__code"):
        found[application_id].append(code)
    return {key: ", ".join(sorted(codes, key=booth_code_key)) for key, codes in found.items()}


def settlement(programme: SubsidyProgramme, user, event: Event | None = None) -> Settlement:
    """The pack's data: the grants in force of `programme` (at `event` only, when given) at the
    fairs where `user` may export, by fair (opening day) then by name in Vietnamese order; and the
    programme's budget figures. Four queries."""
    grants = (
        SubsidyGrant.objects.filter(programme=programme, status=SubsidyGrant.Status.GRANTED)
        .filter(fairs_filter(user, "export", prefix="application__event__"))
        .select_related(
            "application__event", "application__owed", "application__vendor__province", "application__vendor__commune"
        )
        .annotate(paid=_paid())
    )
    if event is not None:
        grants = grants.filter(application__event=event)
    grants = list(grants)
    codes = _booth_codes([g.application_id for g in grants])
    grants.sort(
        key=lambda g: (g.application.event.opens_at, g.application.event_id, sort_key(g.application.vendor.name))
    )
    rows = []
    for number, grant in enumerate(grants, start=1):
        application = grant.application
        personal = can(user, "personal.view", application.event)
        name, _kind, tax_code, _note = approved_identity(application, personal=personal)
        owed = getattr(application, "owed", None)
        rows.append(
            SettlementRow(
                number=number,
                name=clean_text(name),
                tax_code=tax_code,
                address=clean_text(application.vendor.full_address),
                fair=clean_text(application.event.name),
                booths=codes.get(application.pk, "") or str(grant.booths),
                fee=owed.fee if owed else 0,
                subsidy=grant.amount,
                paid=grant.paid,
            )
        )
    return Settlement(programme, event, tuple(rows), programme_budget(programme, event), timezone.localtime())


def settlement_pdf(pack: Settlement) -> bytes:
    return template_to_pdf("pdf/subsidy_settlement.html", {"pack": pack, "organiser": pack.programme.organiser})


def _columns() -> list[Column]:
    return [
        Column(_("No."), 6, INT),
        Column(_("Name of the participant"), 40),
        Column(_("Tax code"), 16),
        Column(_("Address"), 50),
        Column(_("Fair"), 36),
        Column(_("Booths"), 12),
        Column(_("Booth fee (VND)"), 16, MONEY),
        Column(_("Subsidy (VND)"), 16, MONEY),
        Column(_("Paid (VND)"), 16, MONEY),
        Column(_("Signed for"), 24, TEXT),
    ]


def summary_lines(pack: Settlement) -> list[tuple[str, object]]:
    """The summary against the budget, as (label, value) pairs: the PDF's and the xlsx's."""
    budget = pack.budget
    lines = [
        (_("Programme"), pack.programme.name),
        (_("Legal basis"), pack.programme.legal_basis),
        (_("Budget (VND)"), budget.budget),
        (_("Granted (VND)"), budget.granted),
        (_("Left (VND)"), budget.left),
        (_("Businesses subsidised"), budget.businesses),
        (_("Number of fairs"), budget.fairs),
    ]
    if pack.event is not None:
        lines += [
            (_("This fair"), pack.event.name),
            (_("Granted at this fair (VND)"), budget.granted_here),
            (_("Businesses at this fair"), budget.businesses_here),
        ]
    return lines


def settlement_xlsx(pack: Settlement) -> bytes:
    rows = [
        [r.number, r.name, r.tax_code, r.address, r.fair, r.booths, r.fee, r.subsidy, r.paid, ""] for r in pack.rows
    ]
    rows.append(["", _("Total"), "", "", "", "", pack.fee_total, pack.subsidy_total, pack.paid_total, ""])
    listing = Table(title=_("Subsidised businesses"), columns=_columns(), rows=rows)
    summary = Table(
        title=_("Summary"),
        columns=[Column(_("Item"), 36), Column(_("Value"), 60)],
        rows=[[label, value] for label, value in summary_lines(pack)],
    )
    return tables_to_xlsx([listing, summary])
