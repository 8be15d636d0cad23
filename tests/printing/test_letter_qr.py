"""The confirmation letter carries the VietQR of what is still to pay: printed to an image and read
by a standard decoder, it gives the fair's account, the exact amount and the application's payment
code; the letter stays one page."""

import datetime as dt

import pytest

from booths.models import Assignment
from events.models import OrganiserBankAccount
from tests import factories
from tests.qr_decoding import decode_pdf_page, read_vietqr
from vendors.models import Payment
from vendors.payment_codes import code_for

from .test_documents import build
from .test_letter_pages import LONG, _full_fair, _pages

pytestmark = pytest.mark.django_db


def _with_account(event):
    account = OrganiserBankAccount.objects.create(
        organiser=event.organiser,
        bank_bin="970415",
        account_number="113000123456",
        account_name="TRUNG TAM KHUYEN CONG HAI PHONG",
    )
    event.bank_account = account
    event.save(update_fields=["bank_account"])
    return account


def test_letter_qr_decodes_to_the_account_the_outstanding_amount_and_the_code():
    # The deposit (2.000.000 ₫) is paid and some more: the QR asks for everything still outstanding.
    event, _booths, apps = _full_fair(["Hợp tác xã Nông nghiệp Sen Tháp Mười"])
    _with_account(event)
    application = apps[0]
    Payment.objects.create(
        application=application, amount=2_400_000, paid_on=dt.date(2026, 1, 5), recorded_by=factories.StaffUserFactory()
    )
    application.refresh_from_db()
    outstanding = application.owed.due - 2_400_000
    assert outstanding > 0

    content = build(event, "letters", application=application.pk)

    assert _pages(content) == 1
    (payload,) = decode_pdf_page(content)
    assert read_vietqr(payload) == {
        "bin": "970415",
        "account": "113000123456",
        "amount": outstanding,
        "memo": code_for(application.pk),
    }


def test_letter_qr_asks_for_the_deposit_first():
    event, _booths, apps = _full_fair(["Hộ kinh doanh Bánh đa cua"])  # deposit 2.000.000 ₫
    _with_account(event)

    (payload,) = decode_pdf_page(build(event, "letters", application=apps[0].pk))

    assert read_vietqr(payload)["amount"] == 2_000_000


def test_letter_with_qr_long_name_address_and_many_booths_is_one_page():
    event, booths, apps = _full_fair([LONG])
    _with_account(event)
    zone = booths[0].zone
    for i in range(12):
        booth = factories.BoothFactory(event=event, zone=zone, code=f"B{i + 1:03d}", x=3 * i, y=12)
        Assignment.objects.create(booth=booth, application=apps[0], status="confirmed")
    vendor = apps[0].vendor
    vendor.address = "Lô CN-07, Khu công nghiệp Tràng Duệ, thuộc Khu kinh tế Đình Vũ – Cát Hải, " * 2
    vendor.save()

    content = build(event, "letters", application=apps[0].pk)

    assert _pages(content) == 1
    assert len(decode_pdf_page(content)) == 1


def test_letter_without_account_has_no_qr():
    event, _booths, apps = _full_fair(["Hộ kinh doanh Bánh đa cua"])

    assert decode_pdf_page(build(event, "letters", application=apps[0].pk)) == []
