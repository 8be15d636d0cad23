"""The VietQR where the business pays: the dashboard shows it beside the amount due (decoded from
the page's SVG), the approval e-mail carries it as an inline image, the signed link serves it
without a login, expires, and cannot be turned to another application; the rule of what is asked
(deposit first); the receiving bank chosen from the bundled NAPAS list."""

import datetime as dt
import re
import time

import pytest
from django.core import mail, signing
from django.core.exceptions import ValidationError
from django.urls import reverse

from events.models import OrganiserBankAccount
from tests import factories
from tests.qr_decoding import decode_png, decode_svg, read_vietqr
from tests.vendors._applying_support import Fair, en
from tuanhang.office.admin.organisers import BankAccountForm
from vendors.models import Application, ApplicationStatusChange, Payment
from vendors.payment_codes import code_for
from vendors.selectors.vietqr import (
    BALANCE,
    DEPOSIT,
    NO_ACCOUNT,
    NOT_APPROVED,
    NOTHING_OWED,
    SIGNING_SALT,
    NoQR,
    amount_to_ask,
    payment_qr,
    qr_image_url,
    qr_token,
)
from vendors.tasks import decision_message

A = Application.Status
TODAY = dt.date(2026, 3, 1)

pytestmark = pytest.mark.django_db


@pytest.fixture
def fair(db):
    return Fair()


@pytest.fixture
def account(fair):
    account = OrganiserBankAccount.objects.create(
        organiser=fair.event.organiser,
        bank_bin="970436",
        account_number="0011001234567",
        account_name="TRUNG TAM KHUYEN CONG HAI PHONG",
    )
    fair.event.bank_account = account
    fair.event.save(update_fields=["bank_account"])
    return account


@pytest.fixture
def approved(fair, account):
    """Approved for 2 booths, the fair asking a deposit of 1.000.000 ₫ first."""
    fair.event.deposit = 1_000_000
    fair.event.save(update_fields=["deposit"])
    return factories.ApplicationFactory(vendor=fair.vendor, event=fair.event, status=A.APPROVED, booths_requested=2)


def _pay(application, amount):
    Payment.objects.create(application=application, amount=amount, paid_on=dt.date(2026, 2, 1))


def _qr_path(url: str) -> str:
    return re.sub(r"^https?://[^/]+", "", url)


# --- what is asked ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("deposit", "paid", "outstanding", "balance_due_on", "expected"),
    [
        (1_000_000, 0, 5_000_000, None, (1_000_000, DEPOSIT)),  # the deposit first
        (1_000_000, 400_000, 4_600_000, None, (600_000, DEPOSIT)),  # the rest of the deposit
        (1_000_000, 1_000_000, 4_000_000, None, (4_000_000, BALANCE)),  # deposit paid: the balance
        (1_000_000, 0, 5_000_000, TODAY, (5_000_000, BALANCE)),  # balance due: everything
        (0, 0, 5_000_000, None, (5_000_000, BALANCE)),  # no deposit asked
        (1_000_000, 6_000_000, -1_000_000, None, (0, BALANCE)),  # over-paid: nothing
    ],
)
def test_amount_to_ask(deposit, paid, outstanding, balance_due_on, expected):
    assert (
        amount_to_ask(deposit=deposit, paid=paid, outstanding=outstanding, balance_due_on=balance_due_on, today=TODAY)
        == expected
    )


def test_payment_qr_none_with_reason(fair, account):
    submitted = factories.ApplicationFactory(event=fair.event, status=A.SUBMITTED)
    assert payment_qr(submitted, fair.event) == NoQR(NOT_APPROVED)

    paid_up = factories.ApplicationFactory(event=fair.event, status=A.APPROVED)
    _pay(paid_up, paid_up.owed.due)
    assert payment_qr(paid_up, fair.event) == NoQR(NOTHING_OWED)

    fair.event.bank_account = None
    owing = factories.ApplicationFactory(event=fair.event, status=A.APPROVED)
    assert payment_qr(owing, fair.event) == NoQR(NO_ACCOUNT)


# --- the dashboard ------------------------------------------------------------------------


def test_dashboard_qr_decodes_to_the_account_the_amount_and_the_code(client, fair, approved):
    paid = approved.owed.deposit + 1_000_000  # the deposit and some more: the rest is asked
    _pay(approved, paid)
    client.force_login(fair.user)

    html = client.get(en("vendors:dashboard")).content.decode()

    svg = re.search(r'<figure[^>]*data-field="payment-qr-image"[^>]*>(<svg.*?</svg>)', html, re.S).group(1)
    (payload,) = decode_svg(svg)
    expected = approved.owed.due - paid
    assert expected > 0
    assert read_vietqr(payload) == {
        "bin": "970436",
        "account": "0011001234567",
        "amount": expected,
        "memo": code_for(approved.pk),
    }
    written = re.search(r'data-field="qr-amount">([^<]+)<', html).group(1)
    assert written == f"{expected:,} ₫".replace(",", ".")
    assert f'data-field="qr-memo">{code_for(approved.pk)}<' in html
    assert 'data-field="qr-download"' in html


def test_dashboard_says_why_there_is_no_qr_without_an_account(client, fair):
    factories.ApplicationFactory(vendor=fair.vendor, event=fair.event, status=A.APPROVED)
    client.force_login(fair.user)

    html = client.get(en("vendors:dashboard")).content.decode()

    assert 'data-field="payment-qr"' not in html
    assert "have not yet named the account" in html


# --- the signed link ----------------------------------------------------------------------


def test_signed_link_serves_the_png_without_login(client, approved):
    response = client.get(_qr_path(qr_image_url(approved.pk)))

    assert response.status_code == 200
    assert response["Content-Type"] == "image/png"
    assert "no-cache" in response["Cache-Control"]
    (payload,) = decode_png(response.content)
    decoded = read_vietqr(payload)
    assert decoded["memo"] == code_for(approved.pk)
    assert decoded["amount"] == approved.owed.deposit  # the fair asks a deposit first


def test_signed_link_download_names_the_file(client, approved):
    response = client.get(_qr_path(qr_image_url(approved.pk)) + "?download=1")

    assert response["Content-Disposition"] == f'attachment; filename="vietqr-{code_for(approved.pk)}.png"'


def test_signed_link_expires(client, approved, settings, monkeypatch):
    settings.PAYMENT_QR_LINK_DAYS = 30
    url = _qr_path(qr_image_url(approved.pk))
    now = time.time()

    monkeypatch.setattr(signing.time, "time", lambda: now + 29 * 86400)
    assert client.get(url).status_code == 200  # the control: still valid on day 29
    monkeypatch.setattr(signing.time, "time", lambda: now + 31 * 86400)
    assert client.get(url).status_code == 404


def test_signed_link_cannot_be_turned_to_another_application(client, fair, approved):
    other = factories.ApplicationFactory(event=fair.event, status=A.APPROVED, booths_requested=1)
    token = qr_token(approved.pk)
    forged = str(other.pk) + token[len(str(approved.pk)) :]
    path = reverse("vendors:payment_qr_png", kwargs={"token": forged})

    assert client.get(path).status_code == 404
    # Signed with the key but for another purpose (salt): refused too.
    other_salt = signing.TimestampSigner(salt="other").sign(str(other.pk))
    assert client.get(reverse("vendors:payment_qr_png", kwargs={"token": other_salt})).status_code == 404
    # The control: the other application's own token works.
    assert client.get(reverse("vendors:payment_qr_png", kwargs={"token": qr_token(other.pk)})).status_code == 200
    assert signing.TimestampSigner(salt=SIGNING_SALT).unsign(token) == str(approved.pk)


def test_signed_link_once_paid_in_full_serves_nothing(client, approved):
    url = _qr_path(qr_image_url(approved.pk))
    _pay(approved, approved.owed.due)

    assert client.get(url).status_code == 404


# --- the approval e-mail ------------------------------------------------------------------


def test_approval_email_carries_the_qr_inline_and_the_text(approved):
    change = ApplicationStatusChange.objects.create(application=approved, from_status=A.SUBMITTED, to_status=A.APPROVED)

    message = decision_message(change, ["a@example.com"])
    message.send()

    sent = mail.outbox[-1].message()
    images = [part for part in sent.walk() if part.get_content_type() == "image/png"]
    assert len(images) == 1 and images[0]["Content-ID"] == "<vietqr>"
    (payload,) = decode_png(images[0].get_payload(decode=True))
    assert read_vietqr(payload) == {
        "bin": "970436",
        "account": "0011001234567",
        "amount": approved.owed.deposit,
        "memo": code_for(approved.pk),
    }
    html = next(part for part in sent.walk() if part.get_content_type() == "text/html").get_payload(decode=True)
    assert b'src="cid:vietqr"' in html
    assert code_for(approved.pk) in message.body
    assert "/pay/qr/" in message.body


# --- the bank list ------------------------------------------------------------------------


def test_bank_is_chosen_from_the_bundled_list(fair):
    form = BankAccountForm()
    choices = dict(form.fields["bank_bin"].choices)

    assert choices["970436"] == "Vietcombank — Ngân hàng TMCP Ngoại thương Việt Nam (970436)"
    assert len(choices) > 30


def test_unknown_bin_is_refused(fair):
    account = OrganiserBankAccount(
        organiser=fair.event.organiser, bank_bin="999999", account_number="0011001234567", account_name="TT KC"
    )
    with pytest.raises(ValidationError) as error:
        account.full_clean()

    assert "bank_bin" in error.value.message_dict
    data = {"bank_bin": "999999", "account_number": "0011001234567", "account_name": "TT KC"}
    assert "bank_bin" in BankAccountForm(data=data).errors
