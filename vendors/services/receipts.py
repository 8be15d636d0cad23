"""Receipt and refund-voucher numbers, refunds and the e-invoice numbers staff bring back
(issue 20 item 4).

Numbering: every payment gets its receipt number in the transaction that records it
(payments.payment_record), every refund its voucher number in the transaction that records it.
The number comes from the organiser's VoucherCounter row for the series and calendar year, taken
with SELECT … FOR UPDATE: a second recording waits for the first to commit or roll back, so the
numbers are consecutive, distinct, and a rolled-back recording gives its number back (no gaps)."""

import datetime as dt
import logging

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Application, Payment, PaymentInvoice, Receipt, Refund, VoucherCounter
from ..models.receipts import Series
from ..selectors.money import amount_due, paid_total

log = logging.getLogger(__name__)


def counter_for_update(organiser_id: int, series: str, year: int) -> VoucherCounter:
    """The counter row, created at 0 when missing, locked until the transaction ends."""
    VoucherCounter.objects.get_or_create(organiser_id=organiser_id, series=series, year=year)
    return VoucherCounter.objects.select_for_update().get(organiser_id=organiser_id, series=series, year=year)


def take_sequences(*, organiser_id: int, series: str, year: int, count: int) -> range:
    """Take the next `count` consecutive numbers of the series with one update of its locked
    counter (call inside the recording's transaction)."""
    counter = counter_for_update(organiser_id, series, year)
    first = counter.last + 1
    counter.last += count
    counter.save(update_fields=["last"])
    return range(first, counter.last + 1)


def next_sequence(*, organiser_id: int, series: str, year: int) -> int:
    """Take the next number of the series (call inside the recording's transaction)."""
    return take_sequences(organiser_id=organiser_id, series=series, year=year, count=1)[0]


def receipts_issue(payments: list[Payment], *, organiser_id: int) -> list[Receipt]:
    """Number and store the receipts of `payments` (saved, in this order), dated today, in the
    caller's transaction: one counter update and one insert for any number of payments (a bank
    statement records thousands; updating the one counter row per payment made PostgreSQL walk
    ever longer chains of its versions)."""
    if not payments:
        return []
    today = timezone.localdate()
    numbers = take_sequences(organiser_id=organiser_id, series=Series.RECEIPT, year=today.year, count=len(payments))
    receipts = [
        Receipt(payment=payment, organiser_id=organiser_id, year=today.year, sequence=number, issued_on=today)
        for payment, number in zip(payments, numbers, strict=True)
    ]
    return Receipt.objects.bulk_create(receipts, batch_size=1000)


def receipt_issue(payment: Payment, *, organiser_id: int) -> Receipt:
    """Number and store the receipt of `payment`, dated today (in the caller's transaction)."""
    return receipts_issue([payment], organiser_id=organiser_id)[0]


def refundable(application: Application) -> int:
    """What may still be paid back: what was paid (payments less refunds) less what is due."""
    paid = Application.objects.filter(pk=application.pk).annotate(paid=paid_total()).values_list("paid", flat=True)
    return max(paid[0] - amount_due(application), 0)


def refund_record(
    *,
    application: Application,
    amount: int,
    refunded_on: dt.date,
    method: str,
    reference: str = "",
    reason: str,
    by,
) -> Refund:
    """Record money paid back for `application` with the next refund-voucher number, logged with
    who and when. The application's row is locked so that two refunds at once cannot together pay
    back more than was overpaid. Raises ValidationError (by field) for an amount below 1 ₫ or above
    what was paid less what is due, a date in the future, an unknown method or no reason."""
    errors = {}
    if refunded_on > timezone.localdate():
        errors["refunded_on"] = _("The refund date cannot be in the future.")
    if method not in Payment.Method.values:
        errors["method"] = _("Choose how the money was paid back.")
    if not (reason or "").strip():
        errors["reason"] = _("Say why the money is paid back.")
    with transaction.atomic():
        application = (
            Application.objects.select_for_update(of=("self",)).select_related("event", "owed").get(pk=application.pk)
        )
        limit = refundable(application)
        if not isinstance(amount, int) or amount < 1:
            errors["amount"] = _("Enter an amount of at least 1 ₫.")
        elif amount > limit:
            errors["amount"] = _("At most %(limit)s ₫ can be refunded: what was paid less what is due.") % {
                "limit": f"{limit:,}".replace(",", ".")
            }
        if errors:
            raise ValidationError(errors)
        year = timezone.localdate().year
        organiser_id = application.event.organiser_id
        refund = Refund.objects.create(
            application=application,
            amount=amount,
            refunded_on=refunded_on,
            method=method,
            reference=(reference or "").strip(),
            reason=reason.strip(),
            recorded_by=by,
            organiser_id=organiser_id,
            year=year,
            sequence=next_sequence(organiser_id=organiser_id, series=Series.REFUND, year=year),
        )
    log.info("refund %s of %s ₫ for application %s by user %s", refund.number, amount, application.pk, by.pk)
    return refund


def invoice_record(*, payment: Payment, series: str, number: str, issued_on: dt.date, by) -> PaymentInvoice:
    """Record (or correct) the e-invoice the organiser's provider issued for `payment`."""
    errors = {}
    series, number = (series or "").strip(), (number or "").strip()
    if not series:
        errors["series"] = _("Enter the invoice series (ký hiệu).")
    if not number:
        errors["number"] = _("Enter the invoice number.")
    if issued_on > timezone.localdate():
        errors["issued_on"] = _("The invoice date cannot be in the future.")
    if errors:
        raise ValidationError(errors)
    invoice, _created = PaymentInvoice.objects.update_or_create(
        payment=payment, defaults={"series": series, "number": number, "issued_on": issued_on, "recorded_by": by}
    )
    log.info("e-invoice %s %s recorded for payment %s by user %s", series, number, payment.pk, by.pk)
    return invoice
