"""The receipt (phiếu thu / biên nhận) of a payment and the voucher (phiếu chi) of a refund as
one-page PDFs (WeasyPrint, templates/pdf/voucher.html, the letter's styles), and the querysets the
download views narrow to what the user may read. A household's tax code is its owner's personal ID:
printed in full only on the business's own download (vendors.privacy)."""

from django.http import HttpResponse
from django.utils.translation import gettext as _

from tuanhang.kernel.amount_words import vnd_in_words
from tuanhang.kernel.pdf import template_to_pdf

from .models import Payment, Refund
from .privacy import tax_code_shown
from .selectors.money import amount_due

TEMPLATE = "pdf/voucher.html"
RELATED = ("application__vendor__province", "application__vendor__commune", "application__event__organiser")


def payments_with_receipts():
    """Payments with a receipt, with what their receipt prints (the views narrow it)."""
    return Payment.objects.filter(receipt__isnull=False).select_related(
        "receipt", "recorded_by", "application__owed", *RELATED
    )


def refunds_for_vouchers():
    return Refund.objects.select_related("recorded_by", *RELATED)


def _person(user) -> str:
    return (user.get_full_name() or user.get_username()) if user else ""


def _context(record, *, personal: bool) -> dict:
    application = record.application
    vendor, event = application.vendor, application.event
    return {
        "organiser": event.organiser,
        "event": event,
        "vendor": vendor,
        "vendor_tax_code": tax_code_shown(vendor.kind, vendor.tax_code, personal),
        "amount": record.amount,
        "amount_words": vnd_in_words(record.amount),
        "method": record.get_method_display(),
        "reference": record.reference,
        "cashier": _person(record.recorded_by),
    }


def _purpose(payment: Payment) -> str:
    """What the money was for: the deposit while the payments so far do not reach it, else the balance."""
    owed = getattr(payment.application, "owed", None)
    fair = payment.application.event.name
    if owed is None or not owed.deposit or amount_due(payment.application) == 0:
        return _("Booth fee — %(fair)s") % {"fair": fair}
    before = sum(p.amount for p in payment.application.payments.filter(pk__lt=payment.pk).only("amount"))
    if before + payment.amount <= owed.deposit:
        return _("Deposit of the booth fee — %(fair)s") % {"fair": fair}
    if before >= owed.deposit:
        return _("Balance of the booth fee — %(fair)s") % {"fair": fair}
    return _("Deposit and balance of the booth fee — %(fair)s") % {"fair": fair}


def receipt_pdf(payment: Payment, *, personal: bool) -> bytes:
    receipt = payment.receipt
    context = _context(payment, personal=personal) | {
        "kind": "receipt",
        "title": _("PAYMENT RECEIPT"),
        "number": receipt.number,
        "issued_on": receipt.issued_on,
        "money_on": payment.paid_on,
        "purpose": _purpose(payment),
        "void": receipt.voided_at is not None,
    }
    return template_to_pdf(TEMPLATE, context)


def refund_pdf(refund: Refund, *, personal: bool) -> bytes:
    context = _context(refund, personal=personal) | {
        "kind": "refund",
        "title": _("REFUND VOUCHER"),
        "number": refund.number,
        "issued_on": refund.recorded_at.date(),
        "money_on": refund.refunded_on,
        "purpose": _("Refund of the booth fee — %(fair)s") % {"fair": refund.application.event.name},
        "reason": refund.reason,
        "void": False,
    }
    return template_to_pdf(TEMPLATE, context)


def pdf_response(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response
