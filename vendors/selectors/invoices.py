"""What the organiser's e-invoice provider needs per payment (issue 20 item 4): one row per
payment of a fair, optionally within dates paid, with the buyer, the item, the amounts, the fair's
VAT rate setting, the payment reference, the receipt number and the e-invoice recorded so far."""

import datetime as dt

from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from events.models import Event
from tuanhang.kernel.spreadsheets import DATE, INT, MONEY, Column, Table

from ..models import Payment
from ..privacy import tax_code_shown


def einvoice_payments(*, event: Event, start: dt.date | None = None, end: dt.date | None = None):
    payments = Payment.objects.filter(application__event=event).select_related(
        "receipt", "invoice", "application__vendor__province", "application__vendor__commune"
    )
    if start:
        payments = payments.filter(paid_on__gte=start)
    if end:
        payments = payments.filter(paid_on__lte=end)
    return payments.order_by("paid_on", "pk")


def _receipt_number(payment) -> str:
    receipt = getattr(payment, "receipt", None)
    return receipt.number if receipt else ""


def einvoice_table(*, event: Event, start=None, end=None, personal: bool) -> Table:
    """The xlsx table; a household's tax code (its owner's personal ID) only in full for `personal`."""
    item = _("Booth rental fee — %(fair)s") % {"fair": event.name}
    rows = []
    for payment in einvoice_payments(event=event, start=start, end=end):
        vendor = payment.application.vendor
        invoice = getattr(payment, "invoice", None)
        rows.append(
            [
                _receipt_number(payment),
                payment.paid_on,
                payment.reference,
                tax_code_shown(vendor.kind, vendor.tax_code, personal),
                vendor.name,
                vendor.full_address,
                vendor.email,
                item,
                _("service"),
                1,
                payment.amount,
                payment.amount,
                event.invoice_vat_rate,
                invoice.series if invoice else "",
                invoice.number if invoice else "",
                invoice.issued_on if invoice else None,
            ]
        )
    columns = [
        Column(_("Receipt number"), 16),
        Column(_("Paid on"), 11, DATE),
        Column(_("Payment reference"), 20),
        Column(_("Buyer's tax code"), 15),
        Column(_("Buyer's name"), 40),
        Column(_("Buyer's address"), 45),
        Column(_("Buyer's e-mail"), 28),
        Column(pgettext("e-invoice column", "Item"), 40),
        Column(_("Unit"), 8),
        Column(_("Quantity"), 8, INT),
        Column(_("Unit price"), 14, MONEY),
        Column(_("Amount"), 14, MONEY),
        Column(_("VAT rate"), 8),
        Column(_("Invoice series"), 12),
        Column(_("Invoice number"), 12),
        Column(_("Invoice date"), 11, DATE),
    ]
    return Table(title=_("E-invoices"), columns=columns, rows=rows)
