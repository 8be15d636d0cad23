"""The VietQR a business scans to pay what it still owes for an application: one rule for the
dashboard, the review page, the approval e-mail, the confirmation letter and the link the Zalo
message carries.

What is asked: while a deposit is asked and not fully paid (and the balance is not yet due), the
rest of the deposit; else everything still outstanding. The QR carries the fair's receiving account
(BIN and number), that amount, and the application's payment code (vendors.payment_codes) as the
memo, so the statement matcher finds the application again.

The link sent by Zalo (ZNS templates carry no per-message image) is a signed, expiring URL that
serves the PNG without a login: the token signs the application's id, so no other id can be put in
its place, and the image is made afresh from what is owed when it is opened."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db.models import Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tuanhang.kernel.sites import site_url
from tuanhang.kernel.vietqr import build_payload, qr_png, qr_svg

from ..models import AmountDue, Application, Payment
from ..payment_codes import code_for

A = Application.Status
SIGNING_SALT = "vendors.vietqr.image"

DEPOSIT = "deposit"
BALANCE = "balance"
PURPOSES = {DEPOSIT: _("Deposit"), BALANCE: _("Amount to pay")}

# Why an application has no QR (NoQR.reason), with what the business or staff are told.
NOT_APPROVED = "not_approved"
NOTHING_OWED = "nothing_owed"
NO_ACCOUNT = "no_account"
BAD_ACCOUNT = "bad_account"
REASONS = {
    NOT_APPROVED: _("The QR code for paying comes once the application is approved."),
    NOTHING_OWED: _("Nothing is left to pay."),
    NO_ACCOUNT: _("The organisers have not yet named the account that receives the fees."),
    BAD_ACCOUNT: _("The organisers' receiving account cannot be put in a VietQR code; pay by transfer as written."),
}


@dataclass(frozen=True)
class PaymentQR:
    """A VietQR payload and what is written beside its image for those who type the transfer."""

    application_id: int
    payload: str
    amount: int
    purpose: str  # DEPOSIT or BALANCE
    memo: str  # the application's payment code
    bank_bin: str
    bank_name: str
    account_number: str
    account_name: str

    @property
    def purpose_label(self) -> str:
        return str(PURPOSES[self.purpose])

    @cached_property
    def svg(self) -> str:
        """The inline <svg> of the code (for pages and the letter)."""
        return qr_svg(self.payload)

    @cached_property
    def print_svg(self) -> str:
        """The inline <svg> sized by CSS (a viewBox, no width and height): for the printed letter."""
        return qr_svg(self.payload, scale=1, fluid=True)

    def png(self) -> bytes:
        return qr_png(self.payload)

    @property
    def image_url(self) -> str:
        """The signed link that serves the PNG without a login (Zalo, the dashboard's download)."""
        return qr_image_url(self.application_id)


@dataclass(frozen=True)
class NoQR:
    reason: str

    @property
    def message(self) -> str:
        return str(REASONS[self.reason])


def amount_to_ask(
    *, deposit: int, paid: int, outstanding: int, balance_due_on: dt.date | None, today: dt.date
) -> tuple[int, str]:
    """(amount, purpose) the QR asks for: the rest of the deposit while it is unpaid and the
    balance not yet due, else everything outstanding (0 when nothing is)."""
    outstanding = max(outstanding, 0)
    balance_due = balance_due_on is not None and today >= balance_due_on
    if deposit and paid < deposit and not balance_due:
        return min(deposit - paid, outstanding), DEPOSIT
    return outstanding, BALANCE


def qr_for(*, application_id: int, amount: int, purpose: str, account) -> PaymentQR | NoQR:
    """The QR for `amount` to the receiving `account` (anything with bank_bin, bank_name,
    account_number and account_name: an OrganiserBankAccount or a print's header), the memo being
    the application's payment code."""
    if amount <= 0:
        return NoQR(NOTHING_OWED)
    if account is None or not account.account_number:
        return NoQR(NO_ACCOUNT)
    memo = code_for(application_id)
    try:
        payload = build_payload(account.bank_bin, account.account_number, amount, memo)
    except ValidationError:
        return NoQR(BAD_ACCOUNT)
    return PaymentQR(
        application_id=application_id,
        payload=payload,
        amount=amount,
        purpose=purpose,
        memo=memo,
        bank_bin=account.bank_bin,
        bank_name=account.bank_name,
        account_number=account.account_number,
        account_name=account.account_name,
    )


def _paid(application: Application) -> int:
    paid = getattr(application, "paid", None)  # annotated by with_money / paid_total on lists
    if paid is None:
        paid = Payment.objects.filter(application=application).aggregate(total=Sum("amount"))["total"] or 0
    return paid


def payment_qr(application: Application, event, *, today: dt.date | None = None) -> PaymentQR | NoQR:
    """The QR of what `application` (of `event`, whose bank_account should be select_related) still
    owes, or NoQR with the reason. One query for the payments unless `paid` is annotated, one for
    the amount due unless select_related("owed") fetched it."""
    if application.status != A.APPROVED:
        return NoQR(NOT_APPROVED)
    try:
        owed = application.owed
    except AmountDue.DoesNotExist:
        return NoQR(NOTHING_OWED)
    paid = _paid(application)
    amount, purpose = amount_to_ask(
        deposit=owed.deposit,
        paid=paid,
        outstanding=owed.due - paid,
        balance_due_on=owed.balance_due_on,
        today=today or timezone.localdate(),
    )
    return qr_for(application_id=application.pk, amount=amount, purpose=purpose, account=event.bank_account)


# --- the signed link ------------------------------------------------------------------------


def link_max_age() -> dt.timedelta:
    return dt.timedelta(days=settings.PAYMENT_QR_LINK_DAYS)


def qr_token(application_id: int) -> str:
    """A token that names the application, signed (with a time stamp) by the site's secret key."""
    return signing.TimestampSigner(salt=SIGNING_SALT).sign(str(application_id))


def application_id_from_token(token: str) -> int | None:
    """The application id the token was made for, or None when it was forged, altered or is older
    than link_max_age()."""
    try:
        value = signing.TimestampSigner(salt=SIGNING_SALT).unsign(token, max_age=link_max_age())
    except signing.BadSignature:  # SignatureExpired is one
        return None
    return int(value) if value.isdigit() else None


def qr_image_url(application_id: int) -> str:
    """The absolute link to the application's QR image (valid for PAYMENT_QR_LINK_DAYS days)."""
    return site_url(reverse("vendors:payment_qr_png", kwargs={"token": qr_token(application_id)}))
