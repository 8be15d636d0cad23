"""Money received from a participant, recorded by the organisers."""

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Application, Payment
from .receipts import receipt_issue


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
    errors = {}
    if not isinstance(amount, int) or amount < 1:
        errors["amount"] = _("Enter an amount of at least 1 ₫.")
    if paid_on > timezone.localdate():
        errors["paid_on"] = _("The payment date cannot be in the future.")
    if method not in Payment.Method.values:
        errors["method"] = _("Choose how the money was paid.")
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
