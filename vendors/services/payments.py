"""Money received from a participant, recorded by the organisers, and a payment recorded by hand
voided again (a typo in the amount)."""

import datetime as dt
import logging

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Application, Payment, PaymentInvoice, PaymentVoid, Receipt, Refund, StatementLine
from .receipts import receipt_issue, receipts_issue

log = logging.getLogger(__name__)


def payment_record(
    *,
    application: Application,
    amount: int,
    paid_on: dt.date,
    method: str,
    reference: str = "",
    by,
    organiser_id: int | None = None,
) -> Payment:
    """Record money received for an application, with who recorded it and when (recorded_at),
    and issue its numbered receipt in the same transaction (vendors.services.receipts).

    Raises ValidationError (by field) for an amount below 1 ₫, a date in the future or an unknown
    method; nothing is written then. `organiser_id` (whose receipt series numbers it) is read from
    the application's fair unless the caller knows it (the statement matcher records many payments
    for one organiser and passes it, saving a query per payment)."""
    errors = payment_errors(amount=amount, paid_on=paid_on, method=method)
    if errors:
        raise ValidationError(errors)
    organiser_id = organiser_id or application.event.organiser_id
    with transaction.atomic():
        payment = Payment.objects.create(
            application=application,
            amount=amount,
            paid_on=paid_on,
            method=method,
            reference=(reference or "").strip(),
            recorded_by=by,
        )
        receipt_issue(payment, organiser_id=organiser_id)
    return payment


def payment_errors(*, amount, paid_on: dt.date, method: str) -> dict:
    """What is wrong with a payment to record, by field ({} when nothing): the one rule for
    payment_record and the statement matcher."""
    errors = {}
    if not isinstance(amount, int) or amount < 1:
        errors["amount"] = _("Enter an amount of at least 1 ₫.")
    if paid_on > timezone.localdate():
        errors["paid_on"] = _("The payment date cannot be in the future.")
    if method not in Payment.Method.values:
        errors["method"] = _("Choose how the money was paid.")
    return errors


def payments_record_many(payments: list[Payment], *, organiser_id: int) -> list[Payment]:
    """Store many payments of one organiser's applications, each checked by payment_errors first
    (the caller leaves out those with errors), with their numbered receipts: three inserts and one
    counter update whatever their number, in the caller's transaction."""
    if not payments:
        return []
    if any(payment_errors(amount=p.amount, paid_on=p.paid_on, method=p.method) for p in payments):
        raise ValueError("payments_record_many is given checked payments only")
    created = Payment.objects.bulk_create(payments, batch_size=1000)
    receipts_issue(created, organiser_id=organiser_id)
    return created


def payment_void_blocker(payment: Payment) -> tuple[str, str]:
    """Why `payment` cannot be voided by hand, as (code, sentence); ("", "") when it can. A
    statement-matched payment is undone by reversing its bank line; one with an e-invoice must first
    be cancelled at the provider."""
    if StatementLine.objects.filter(payment=payment).exists():
        return "statement_line", _(
            "This payment came from a bank statement line: undo it by reversing the line on the "
            "reconciliation page, which puts the transfer back in the queue."
        )
    invoice = PaymentInvoice.objects.filter(payment=payment).first()
    if invoice:
        return "invoiced", _(
            "E-invoice %(series)s %(number)s was recorded for this payment. Cancel or adjust it with the "
            "e-invoice provider first; a payment with an invoice cannot be voided here."
        ) % {"series": invoice.series, "number": invoice.number}
    return "", ""


def payment_void(*, payment: Payment, reason: str, by) -> PaymentVoid:
    """Void a payment recorded by hand: its receipt is marked void (the number stays used: no gap in
    the series), the payment is deleted, so paid and outstanding no longer count it, and a
    PaymentVoid row logs what it was, who voided it and why. The application's row is locked first
    (as a refund locks it), then the payment's.

    Raises ValidationError: no reason; the payment came from a bank statement line or has an
    e-invoice (payment_void_blocker); or, without it, the refunds would exceed what was paid."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the payment is voided.")})
    with transaction.atomic():
        Application.objects.select_for_update().filter(pk=payment.application_id).first()
        payment = Payment.objects.select_for_update().filter(pk=payment.pk).first()
        if payment is None:
            raise ValidationError(_("This payment was already voided."), code="voided")
        code, blocker = payment_void_blocker(payment)
        if blocker:
            raise ValidationError(blocker, code=code)
        _refuse_below_refunds(payment)
        receipt = Receipt.objects.select_for_update().filter(payment=payment).first()
        if receipt is not None:
            receipt.voided_at, receipt.void_reason = timezone.now(), reason[:255]
            receipt.save(update_fields=["voided_at", "void_reason"])
        voided = PaymentVoid.objects.create(
            application_id=payment.application_id,
            amount=payment.amount,
            paid_on=payment.paid_on,
            method=payment.method,
            reference=payment.reference,
            receipt=receipt,
            reason=reason[:255],
            voided_by=by,
        )
        payment.delete()
    log.info("payment of %s ₫ voided for application %s by user %s", voided.amount, voided.application_id, by.pk)
    return voided


def _refuse_below_refunds(payment: Payment) -> None:
    others = Payment.objects.filter(application_id=payment.application_id).exclude(pk=payment.pk)
    paid = sum(others.values_list("amount", flat=True))
    refunded = sum(Refund.objects.filter(application_id=payment.application_id).values_list("amount", flat=True))
    if refunded > paid:
        raise ValidationError(
            _("Money was refunded against this payment: without it the refunds would be more than what was paid."),
            code="refunded",
        )
