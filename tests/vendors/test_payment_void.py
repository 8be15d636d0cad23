"""Voiding a payment recorded by hand (a typo in the amount): a staff action with a confirmation
page and a required reason; the receipt is marked void and keeps its number (no gap, never given
again); an e-invoice recorded against the payment, or a payment that came from a bank statement
line, blocks it with a clear message; paid and outstanding follow; another organiser's payment is
a 404."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from events.models import Membership
from tests import factories
from tests.vendors._statement_support import account_for, memo_for, vcb_csv
from tuanhang.kernel.bank_statements import read_statement
from vendors.models import Application, Payment, PaymentVoid, Receipt
from vendors.selectors.money import with_money
from vendors.services.payments import payment_record, payment_void
from vendors.services.receipts import invoice_record, refund_record
from vendors.services.statements import statement_import

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


@pytest.fixture
def world():
    event = factories.EventFactory(booth_fee=2_500_000, subsidy_percent=0)
    application = factories.ApplicationFactory(event=event, status=Application.Status.APPROVED)
    staff = factories.StaffUserFactory(username="ke.toan", role=Membership.Role.ACCOUNTANT, organiser=event.organiser)
    return event, application, staff


def pay(application, staff, amount):
    return payment_record(application=application, amount=amount, paid_on=TODAY(), method="cash", by=staff)


def figures(application):
    row = with_money(Application.objects.filter(pk=application.pk)).get()
    return row.paid, row.outstanding


def test_voiding_a_typo_voids_the_receipt_keeps_its_number_and_the_figures_follow(world):
    event, application, staff = world
    typo = pay(application, staff, 25_000_000)
    number = typo.receipt.number

    voided = payment_void(payment=typo, reason="Gõ thừa số 0", by=staff)
    right = pay(application, staff, 2_500_000)

    receipt = Receipt.objects.get(pk=voided.receipt.pk)
    assert (receipt.number, receipt.void_reason, receipt.payment_id) == (number, "Gõ thừa số 0", None)
    assert receipt.voided_at is not None
    assert right.receipt.number != number and right.receipt.sequence == receipt.sequence + 1
    assert not Payment.objects.filter(pk=typo.pk).exists()
    assert (voided.amount, voided.voided_by, voided.application_id) == (25_000_000, staff, application.pk)
    assert figures(application) == (2_500_000, 0)


def test_a_void_needs_a_reason_and_writes_nothing_without_one(world):
    event, application, staff = world
    payment = pay(application, staff, 1_000_000)

    with pytest.raises(ValidationError) as refused:
        payment_void(payment=payment, reason="  ", by=staff)

    assert "reason" in refused.value.message_dict
    assert Payment.objects.filter(pk=payment.pk).exists() and not PaymentVoid.objects.exists()
    assert Receipt.objects.get(payment=payment).voided_at is None


def test_an_einvoice_recorded_against_the_payment_blocks_voiding(world):
    event, application, staff = world
    payment = pay(application, staff, 2_500_000)
    invoice_record(payment=payment, series="1C26TAA", number="0000123", issued_on=TODAY(), by=staff)

    with pytest.raises(ValidationError) as refused:
        payment_void(payment=payment, reason="Nhầm", by=staff)

    assert refused.value.error_list[0].code == "invoiced" and "1C26TAA 0000123" in refused.value.messages[0]
    assert Payment.objects.filter(pk=payment.pk).exists() and figures(application) == (2_500_000, 0)


def test_a_payment_from_a_bank_statement_line_is_undone_by_reversing_the_line_not_voided(world):
    event, application, staff = world
    account = account_for(event.organiser)
    csv = vcb_csv([("20/11/2026", "FT1", "", "2.500.000", "9.000.000", memo_for(application))])
    statement_import(account=account, statement=read_statement(io.BytesIO(csv), "s.csv"), file_name="s.csv", by=staff)
    payment = Payment.objects.get(application=application)

    with pytest.raises(ValidationError) as refused:
        payment_void(payment=payment, reason="Nhầm", by=staff)

    assert refused.value.error_list[0].code == "statement_line"
    assert Payment.objects.filter(pk=payment.pk).exists()


def test_a_void_that_would_leave_more_refunded_than_paid_is_refused(world):
    event, application, staff = world
    overpaid = pay(application, staff, 3_500_000)
    refund_record(
        application=application, amount=1_000_000, refunded_on=TODAY(), method="cash", reason="Thừa", by=staff
    )
    typo = pay(application, staff, 200_000)

    with pytest.raises(ValidationError) as refused:
        payment_void(payment=overpaid, reason="Nhầm", by=staff)
    payment_void(payment=typo, reason="Ghi trùng", by=staff)

    assert refused.value.error_list[0].code == "refunded"
    assert figures(application) == (2_500_000, 0)


def test_staff_void_from_the_review_page_after_confirming_with_a_reason(world, client):
    event, application, staff = world
    payment = pay(application, staff, 25_000_000)
    client.force_login(staff)
    detail = client.get(reverse("vendors:review_detail", args=[application.pk])).content.decode()
    url = reverse("vendors:payment_void", args=[payment.pk])

    confirm = client.get(url).content.decode()
    empty = client.post(url, {"reason": ""})
    kept = Payment.objects.filter(pk=payment.pk).exists()
    done = client.post(url, {"reason": "Gõ thừa số 0"}, follow=True).content.decode()

    assert f'href="{url}"' in detail
    assert payment.receipt.number in confirm and 'id="void-form"' in confirm
    assert empty.status_code == 400 and kept
    assert not Payment.objects.filter(pk=payment.pk).exists()
    assert 'id="voided-payments"' in done and "Gõ thừa số 0" in done and payment.receipt.number in done


def test_the_confirmation_page_says_why_an_invoiced_payment_cannot_be_voided(world, client):
    event, application, staff = world
    payment = pay(application, staff, 2_500_000)
    invoice_record(payment=payment, series="1C26TAA", number="0000123", issued_on=TODAY(), by=staff)
    client.force_login(staff)

    page = client.get(reverse("vendors:payment_void", args=[payment.pk])).content.decode()

    assert 'id="void-blocked"' in page and "0000123" in page and 'id="void-form"' not in page


def test_another_organisers_staff_get_404_and_a_floor_role_cannot_void(world, client):
    event, application, staff = world
    payment = pay(application, staff, 2_500_000)
    url = reverse("vendors:payment_void", args=[payment.pk])

    client.force_login(factories.StaffUserFactory(username="khac", organiser=factories.OrganiserFactory(name="Khác")))
    other = (client.get(url).status_code, client.post(url, {"reason": "x"}).status_code)
    client.force_login(
        factories.StaffUserFactory(username="san", role=Membership.Role.FLOOR, organiser=event.organiser)
    )
    floor = client.post(url, {"reason": "x"}).status_code

    assert other == (404, 404) and floor == 403
    assert Payment.objects.filter(pk=payment.pk).exists()
