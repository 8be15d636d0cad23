"""Receipts, refunds, e-invoice numbers and voided payments in the admin (issue 20): read-only,
found by number or tax code, filtered by organiser and year; an organiser's administrator sees only
its own organiser's rows (another's answer 404); the fair's VAT rate on invoices is in its form."""

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import override

from events.models import Membership
from tests import factories
from tests.events.test_admin import posted_form
from vendors.models import Application, Receipt
from vendors.services.payments import payment_record, payment_void
from vendors.services.receipts import invoice_record, refund_record

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


def url(name, *args):
    with override("en"):
        return reverse(name, args=args)


@pytest.fixture
def two_organisers():
    rows = []
    for name, tax_code in (("Trung tâm Khuyến công Hải Phòng", "0201234567"), ("XTTM Hải Dương", "0801234567")):
        organiser = factories.OrganiserFactory(name=name)
        event = factories.EventFactory(organiser=organiser, booth_fee=2_500_000, subsidy_percent=0)
        vendor = factories.VendorFactory(tax_code=tax_code)
        application = factories.ApplicationFactory(event=event, vendor=vendor, status=Application.Status.APPROVED)
        staff = factories.StaffUserFactory(organiser=organiser, role=Membership.Role.ADMIN)
        payment = payment_record(application=application, amount=3_000_000, paid_on=TODAY(), method="cash", by=staff)
        rows.append((organiser, event, application, staff, payment))
    return rows


def listed(client, name, **params):
    response = client.get(url(f"admin:vendors_{name}_changelist"), params)
    assert response.status_code == 200
    return list(response.context["cl"].result_list)


def test_receipts_found_by_number_or_tax_code_and_only_the_organisers_own(client, two_organisers):
    (one, _, application, staff, payment), (two, _, _, _, theirs) = two_organisers
    extra = payment_record(application=application, amount=10_000, paid_on=TODAY(), method="cash", by=staff)
    client.force_login(staff)
    year = TODAY().year

    by_number = listed(client, "receipt", q=f"PT-{year}-000002")
    by_tax_code = listed(client, "receipt", q="0201234567")
    everything = listed(client, "receipt")
    filtered = listed(client, "receipt", organiser__id__exact=one.pk, year=year)
    other = client.get(url("admin:vendors_receipt_change", theirs.receipt.pk))

    assert by_number == [extra.receipt]
    assert set(by_tax_code) == set(everything) == {payment.receipt, extra.receipt}
    assert set(filtered) == {payment.receipt, extra.receipt}
    assert other.status_code == 404


def test_the_organiser_filters_offer_only_the_users_organisers(client, two_organisers):
    (one, _, _, staff, _), (two, *_theirs) = two_organisers
    third = factories.OrganiserFactory(name="Sở Công Thương Hải Phòng")  # a second organiser of the same staff
    Membership.objects.create(organiser=third, user=staff, role=Membership.Role.ACCOUNTANT)
    client.force_login(staff)
    offered = {}
    for name in ("receipt", "refund", "paymentinvoice", "paymentvoid"):
        specs = client.get(url(f"admin:vendors_{name}_changelist")).context["cl"].filter_specs
        offered[name] = [spec.lookup_choices for spec in specs if spec.field_path.endswith("organiser")]

    mine = sorted([(one.pk, str(one)), (third.pk, str(third))])
    assert {name: [sorted(choices) for choices in found] for name, found in offered.items()} == dict.fromkeys(
        offered, [mine]
    )


def test_refunds_invoices_and_voided_payments_are_listed_read_only(client, two_organisers):
    (one, event, application, staff, payment), (_, _, _, _, theirs) = two_organisers
    refund = refund_record(
        application=application, amount=500_000, refunded_on=TODAY(), method="cash", reason="Thừa", by=staff
    )
    invoice_record(payment=payment, series="1C26TAA", number="0000123", issued_on=TODAY(), by=staff)
    typo = payment_record(application=application, amount=99_000, paid_on=TODAY(), method="cash", by=staff)
    voided = payment_void(payment=typo, reason="Nhập nhầm", by=staff)
    invoice_record(payment=theirs, series="1C26TBB", number="0000999", issued_on=TODAY(), by=staff)
    client.force_login(staff)

    assert listed(client, "refund", q=refund.number) == [refund]
    assert [i.number for i in listed(client, "paymentinvoice", q="0000123")] == ["0000123"]
    assert listed(client, "paymentinvoice", q="0000999") == []
    assert listed(client, "paymentvoid", q=voided.receipt.number) == [voided]
    change = client.get(url("admin:vendors_refund_change", refund.pk))
    assert change.status_code == 200 and "Thừa" in change.content.decode()
    assert client.get(url("admin:vendors_refund_add")).status_code == 403
    assert Receipt.objects.get(pk=voided.receipt.pk).voided_at is not None


def test_the_fair_form_sets_the_vat_rate_on_invoices(client, two_organisers):
    (_, event, _, staff, _), _other = two_organisers
    client.force_login(staff)
    change = url("admin:events_event_change", event.pk)
    data = posted_form(client.get(change))
    data["invoice_vat_rate"] = ["8"]

    response = client.post(change, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    event.refresh_from_db()
    assert event.invoice_vat_rate == "8"
