"""Receipts, refunds and e-invoices (issue 20 item 4): gap-free numbering per organiser, series and
year; paid = payments − refunds everywhere; the PDFs; who may download what; the xlsx export."""

import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook

from events.models import Membership
from tests import factories
from tests.printing.support import pdf_pages, pdf_text
from tests.vendors._boundary_support import member
from vendors.models import Application, Payment, Vendor
from vendors.selectors.money import with_money
from vendors.services.payments import payment_record
from vendors.services.receipts import invoice_record, refund_record

pytestmark = pytest.mark.django_db
A = Application.Status
TODAY = timezone.localdate


@pytest.fixture
def world():
    organiser = factories.OrganiserFactory()
    organiser.tax_code = "0201234567"
    organiser.address = "Số 1 Lạch Tray, Hải Phòng"
    organiser.save()
    event = factories.EventFactory(
        organiser=organiser, booth_fee=2_500_000, subsidy_percent=0, name="Hội chợ OCOP Hải Phòng"
    )
    vendor = factories.VendorFactory(name="Hộ kinh doanh Bà Lan", kind=Vendor.Kind.HKD, tax_code="031234567890")
    application = factories.ApplicationFactory(vendor=vendor, event=event, status=A.APPROVED)
    staff = factories.StaffUserFactory(username="ke.toan", first_name="Trần", last_name="Thu", organiser=organiser)
    return event, vendor, application, staff


def pay(application, staff, amount=2_500_000, **kw):
    return payment_record(
        application=application, amount=amount, paid_on=TODAY(), method=Payment.Method.TRANSFER, by=staff, **kw
    )


def test_receipts_are_numbered_per_organiser_and_year_without_gaps(world):
    event, vendor, application, staff = world
    year = TODAY().year
    numbers = [pay(application, staff, 1_000).receipt.number for _ in range(3)]
    other = factories.ApplicationFactory(
        event=factories.EventFactory(organiser=factories.OrganiserFactory(name="Khác"))
    )
    assert numbers == [f"PT-{year}-000001", f"PT-{year}-000002", f"PT-{year}-000003"]
    assert pay(other, staff, 1_000).receipt.number == f"PT-{year}-000001"


def test_a_refused_refund_takes_no_number_and_refunds_have_their_own_series(world):
    event, vendor, application, staff = world
    pay(application, staff, 3_000_000)  # 500,000 more than due
    with pytest.raises(ValidationError) as refused:
        refund_record(
            application=application, amount=600_000, refunded_on=TODAY(), method="transfer", reason="Thừa", by=staff
        )
    assert "amount" in refused.value.message_dict
    refund = refund_record(
        application=application, amount=500_000, refunded_on=TODAY(), method="transfer", reason="Thừa", by=staff
    )
    assert refund.number == f"PC-{TODAY().year}-000001"


def test_a_refund_lowers_what_was_paid_on_the_list_the_review_page_and_the_dashboard(world, client):
    event, vendor, application, staff = world
    pay(application, staff, 2_500_000)
    Application.objects.filter(pk=application.pk).update(status=A.CANCELLED)
    application.refresh_from_db()
    refund_record(
        application=application, amount=2_000_000, refunded_on=TODAY(), method="transfer", reason="Hủy", by=staff
    )
    row = with_money(Application.objects.filter(pk=application.pk)).get()
    assert (row.paid, row.outstanding) == (500_000, -500_000)
    client.force_login(staff)
    page = client.get(reverse("vendors:review_detail", args=[application.pk])).content.decode()
    assert 'id="paid">500.000' in page.replace("\xa0", "")
    assert f"PC-{TODAY().year}-000001" in page
    owner = member(vendor, username="ba.lan@example.vn")
    client.force_login(owner)
    mine = client.get(reverse("vendors:my_payments")).content.decode()
    assert f"PT-{TODAY().year}-000001" in mine and f"PC-{TODAY().year}-000001" in mine


def test_the_receipt_is_one_page_with_number_amount_in_words_and_names(world, client):
    event, vendor, application, staff = world
    payment = pay(application, staff, reference="FT2617")
    owner = member(vendor, username="ba.lan@example.vn")
    client.force_login(owner)
    response = client.get(reverse("vendors:my_receipt", args=[payment.pk]))
    assert response["Content-Type"] == "application/pdf"
    pages = pdf_pages(response.content)
    text = " ".join(pages[0].split())
    assert len(pages) == 1
    for expected in [
        payment.receipt.number,
        "Hai triệu năm trăm nghìn đồng",
        "Hộ kinh doanh Bà Lan",
        "031234567890",  # the business's own download: its tax code in full
        "Hội chợ OCOP Hải Phòng",
        "0201234567",
        "FT2617",
        "Trần Thu",
    ]:
        assert expected in text
    assert "BIÊN NHẬN THANH TOÁN" in text and "không thay thế hóa đơn" in text


def test_staff_receipt_masks_a_households_personal_id(world, client):
    event, vendor, application, staff = world
    payment = pay(application, staff)
    client.force_login(staff)
    text = pdf_text(client.get(reverse("vendors:receipt_download", args=[payment.pk])).content)
    assert "031234567890" not in text and "Hộ kinh doanh Bà Lan" in text


def test_another_business_and_another_organiser_get_404(world, client):
    event, vendor, application, staff = world
    payment = pay(application, staff, 3_000_000)
    refund = refund_record(
        application=application, amount=500_000, refunded_on=TODAY(), method="cash", reason="Thừa", by=staff
    )
    client.force_login(member(factories.VendorFactory(), username="khac@example.vn"))
    assert client.get(reverse("vendors:my_receipt", args=[payment.pk])).status_code == 404
    assert client.get(reverse("vendors:my_refund_voucher", args=[refund.pk])).status_code == 404
    other_org = factories.OrganiserFactory(name="Trung tâm khác")
    client.force_login(factories.StaffUserFactory(username="khac", role=Membership.Role.ADMIN, organiser=other_org))
    assert client.get(reverse("vendors:receipt_download", args=[payment.pk])).status_code == 404
    assert client.get(reverse("vendors:refund_voucher_download", args=[refund.pk])).status_code == 404
    assert client.post(reverse("vendors:refund_create", args=[application.pk]), {}).status_code == 404
    assert client.get(reverse("vendors:einvoice_export", args=[event.slug])).status_code == 404


def test_the_einvoice_export_lists_what_the_provider_needs_and_the_recorded_invoice(world, client):
    event, vendor, application, staff = world
    event.invoice_vat_rate = "8"
    event.save()
    payment = pay(application, staff, reference="FT2617")
    invoice_record(payment=payment, series="1C26TAA", number="0000123", issued_on=TODAY(), by=staff)
    client.force_login(staff)
    response = client.get(reverse("vendors:einvoice_export", args=[event.slug]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows[0] == [
        "Số biên nhận", "Ngày thanh toán", "Mã giao dịch", "Mã số thuế người mua", "Tên người mua", "Địa chỉ người mua",
        "Email người mua", "Hàng hóa, dịch vụ", "Đơn vị tính", "Số lượng", "Đơn giá", "Số tiền", "Thuế suất GTGT",
        "Ký hiệu hóa đơn", "Số hóa đơn", "Ngày hóa đơn",
    ]  # fmt: skip
    row = rows[1]
    assert row[0] == payment.receipt.number and row[2] == "FT2617" and row[4] == "Hộ kinh doanh Bà Lan"
    assert row[7] == "Phí thuê gian hàng — Hội chợ OCOP Hải Phòng"
    assert (row[9], row[10], row[11], row[12], row[13], row[14]) == (1, 2_500_000, 2_500_000, "8", "1C26TAA", "0000123")
    client.get("/")  # the business sees the invoice number on its payments list
    client.force_login(member(vendor, username="ba.lan@example.vn"))
    assert "1C26TAA · 0000123" in client.get(reverse("vendors:my_payments")).content.decode()


def test_the_export_takes_a_date_range(world, client):
    event, vendor, application, staff = world
    pay(application, staff, 1_000)
    Payment.objects.create(application=application, amount=2_000, paid_on=TODAY() - dt.timedelta(days=30))
    client.force_login(staff)
    start = (TODAY() - dt.timedelta(days=2)).strftime("%d/%m/%Y")
    response = client.get(reverse("vendors:einvoice_export", args=[event.slug]), {"start": start})
    rows = list(load_workbook(io.BytesIO(response.content)).active.iter_rows(values_only=True))
    assert [r[11] for r in rows[1:]] == [1_000]


def test_refunds_are_listed_in_the_payments_table_layout_with_method_and_reference(world, client):
    from tests.vendors.test_review import table_rows

    event, vendor, application, staff = world
    pay(application, staff, 3_000_000)
    refund_record(
        application=application,
        amount=500_000,
        refunded_on=TODAY(),
        method="transfer",
        reference="UNC-0042",
        reason="Thừa",
        by=staff,
    )
    client.force_login(staff)

    with translation.override("en"):
        response = client.get(reverse("vendors:review_detail", args=[application.pk]))

    payments, refunds = table_rows(response, "payment-rows"), table_rows(response, "refund-rows")
    assert [row[:4] for row in payments] == [[TODAY().strftime("%d/%m/%Y"), "3.000.000 ₫", "Bank transfer", ""]]
    assert [row[:5] for row in refunds] == [
        [TODAY().strftime("%d/%m/%Y"), "500.000 ₫", "Bank transfer", "UNC-0042", "Thừa"]
    ]
    assert refunds[0][5].endswith("ke.toan") and refunds[0][6] == f"PC-{TODAY().year}-000001"
