"""The settlement pack of a khuyến công programme: PDF and xlsx read back, the programmes page, who
may, and the programme admin's read-only ledger."""

import io
import subprocess

import pytest
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook
from pytest_django.asserts import assertContains, assertNotContains

from events.models import Membership
from tests import factories
from tests.office.test_subsidy_budget import approved, make_programme, under
from tuanhang.office.reports.settlement import settlement, settlement_pdf
from vendors.models import Vendor
from vendors.services.payments import payment_record

PERSONAL_ID = "031203012345"
MASKED = "0312•••••345"


def en(name, **kwargs):
    with translation.override("en"):
        return reverse(name, kwargs=kwargs or None)


def vi(name, **kwargs):
    """The Vietnamese interface's address (no prefix): files come out with Vietnamese headers."""
    with translation.override("vi"):
        return reverse(name, kwargs=kwargs or None)


def pdf_pages(content: bytes) -> list[str]:
    """The text of each page, as pdftotext reads it (pages end with a form feed)."""
    text = subprocess.run(["pdftotext", "-raw", "-", "-"], input=content, capture_output=True, check=True)
    return [page for page in text.stdout.decode().split("\f") if page.strip()]


@pytest.fixture
def pack(db):
    """A programme over two fairs: three subsidised businesses (one a household) and one paid."""
    first = factories.EventFactory(name="Hội chợ Xuân Thủy Nguyên")
    second = factories.EventFactory(name="Tuần hàng OCOP Kiến An")
    programme = make_programme(first.organiser, name="Chương trình khuyến công Hải Phòng", cap_per_fair=3_000_000)
    under(programme, first, second)
    household = factories.VendorFactory(
        name="Hộ kinh doanh Nước mắm Cát Hải", kind=Vendor.Kind.HKD, tax_code=PERSONAL_ID
    )
    company = factories.VendorFactory(name="Công ty TNHH Chè Shan Tuyết", address="Số 5 Lê Lợi")
    paid = approved(first, vendor=company, booths_requested=2)  # 2 × 2.500.000, capped at 3.000.000
    approved(first, vendor=household)
    approved(second, vendor=factories.VendorFactory(name="HTX Rau an toàn An Lão"))
    admin = factories.StaffUserFactory()
    payment_record(application=paid, amount=4_000_000, paid_on=timezone.localdate(), method="transfer", by=admin)
    return programme, first, second, household, company


def test_pdf_lists_every_business_with_fee_subsidy_paid_and_the_totals(pack):
    programme, *_ = pack
    content = settlement_pdf(settlement(programme, factories.StaffUserFactory(role="accountant")))

    text = " ".join(" ".join(page.split()) for page in pdf_pages(content))
    for name in ("Công ty TNHH Chè Shan Tuyết", "Hộ kinh doanh Nước mắm Cát Hải", "HTX Rau an toàn An Lão"):
        assert name in text
    assert "Số 5 Lê Lợi" in text  # full address
    assert "Hội chợ Xuân Thủy Nguyên" in text and "Tuần hàng OCOP Kiến An" in text
    assert MASKED in text and PERSONAL_ID not in text  # an accountant has no personal.view
    # fees 10.000.000 + 5.000.000 + 5.000.000; subsidies 3.000.000 + 2.500.000 + 2.500.000; paid 4.000.000
    assert "20.000.000 ₫ 8.000.000 ₫ 4.000.000 ₫" in text
    assert "200.000.000 ₫" in text and "192.000.000 ₫" in text  # budget and left


def test_pdf_shows_the_personal_id_to_a_role_with_personal_view(pack):
    programme, *_ = pack
    text = "".join(pdf_pages(settlement_pdf(settlement(programme, factories.StaffUserFactory(role="reviewer")))))
    assert PERSONAL_ID in text


def test_pdf_repeats_the_table_header_on_every_page_and_ends_with_the_signature_block(pack):
    programme, first, *_ = pack
    for n in range(30):
        approved(first, vendor=factories.VendorFactory(name=f"Công ty Cổ phần Thực phẩm {n:02}"))

    pages = pdf_pages(settlement_pdf(settlement(programme, factories.StaffUserFactory())))

    assert len(pages) >= 3
    for page in pages[:-1]:
        assert "Ký nhận" in page and "Tên đơn vị" in page
    assert "Công ty Cổ phần Thực phẩm 29" in "".join(pages)
    assert "NGƯỜI LẬP BIỂU" in pages[-1]


def test_xlsx_cells_hold_rows_totals_and_the_summary(pack, client):
    programme, first, *_ = pack
    client.force_login(factories.StaffUserFactory())

    response = client.get(vi("reports:subsidy_settlement", pk=programme.pk, fmt="xlsx"))

    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    rows, summary = (list(sheet.iter_rows(values_only=True)) for sheet in book.worksheets)
    assert rows[0][0] == "STT" and rows[0][-1] == "Ký nhận"
    assert [r[1] for r in rows[1:-1]] == [
        "Công ty TNHH Chè Shan Tuyết",
        "Hộ kinh doanh Nước mắm Cát Hải",
        "HTX Rau an toàn An Lão",
    ]
    assert rows[1][4:9] == ("Hội chợ Xuân Thủy Nguyên", "2", 10_000_000, 3_000_000, 4_000_000)
    assert rows[-1][6:9] == (20_000_000, 8_000_000, 4_000_000)
    figures = dict(summary[1:])
    assert (figures["Ngân sách (đồng)"], figures["Đã hỗ trợ (đồng)"], figures["Còn lại (đồng)"]) == (
        200_000_000,
        8_000_000,
        192_000_000,
    )
    assert (figures["Số đơn vị được hỗ trợ"], figures["Số hội chợ"]) == (3, 2)


def test_pack_filtered_by_fair_lists_that_fair_only(pack, client):
    programme, first, second, *_ = pack
    client.force_login(factories.StaffUserFactory())

    response = client.get(vi("reports:subsidy_settlement", pk=programme.pk, fmt="xlsx") + f"?fair={second.slug}")

    rows = list(load_workbook(io.BytesIO(response.content)).worksheets[0].iter_rows(values_only=True))
    assert [r[1] for r in rows[1:-1]] == ["HTX Rau an toàn An Lão"]


def test_another_organisers_programme_and_a_foreign_fair_answer_404(pack, client):
    programme, *_ = pack
    other = factories.OrganiserFactory(name="Trung tâm Xúc tiến Thương mại Quảng Ninh")
    client.force_login(factories.StaffUserFactory(organiser=other))
    assert client.get(en("reports:subsidy_settlement", pk=programme.pk, fmt="pdf")).status_code == 404
    page = client.get(en("reports:subsidies"))
    assertNotContains(page, programme.name)

    client.force_login(factories.StaffUserFactory())
    foreign = factories.EventFactory()  # same organiser, not under the programme
    url = en("reports:subsidy_settlement", pk=programme.pk, fmt="pdf") + f"?fair={foreign.slug}"
    assert client.get(url).status_code == 404


def test_a_role_reading_reports_without_export_sees_figures_but_no_pack(pack, client):
    programme, *_ = pack
    client.force_login(factories.StaffUserFactory(role=Membership.Role.VIEWER))

    page = client.get(en("reports:subsidies"))

    assertContains(page, programme.name)
    assertNotContains(page, en("reports:subsidy_settlement", pk=programme.pk, fmt="pdf"))
    assert client.get(en("reports:subsidy_settlement", pk=programme.pk, fmt="pdf")).status_code == 403


@pytest.mark.parametrize("programmes", [1, 8])
def test_programmes_page_query_count_does_not_grow(client, db, django_assert_num_queries, programmes):
    event = factories.EventFactory()
    for n in range(programmes):
        programme = make_programme(event.organiser, name=f"Chương trình {n}")
        fair = factories.EventFactory()
        under(programme, fair)
        factories.ApplicationFactory(event=fair, status="approved")
    client.force_login(factories.StaffUserFactory())

    # session, user, the user's memberships and their fair limits, the programmes, their fairs,
    # the budgets (one grouped aggregate)
    with django_assert_num_queries(7):
        response = client.get(en("reports:subsidies"))

    assert len(response.context["rows"]) == programmes
    assertContains(response, "PDF", count=2 * programmes)


def test_programme_admin_shows_its_grants_read_only_with_households_masked(pack, client):
    programme, first, second, household, company = pack
    client.force_login(factories.StaffUserFactory(role="accountant"))

    response = client.get(en("admin:events_subsidyprogramme_change", object_id=programme.pk))

    assert response.status_code == 200
    assertContains(response, "Công ty TNHH Chè Shan Tuyết")
    assertContains(response, MASKED)
    assertNotContains(response, PERSONAL_ID)
    assertNotContains(response, "subsidy_grants-0-amount")  # no editable field


def test_programme_admin_lists_the_applications_waiting_for_the_budget(client, db):
    event = factories.EventFactory()
    programme = make_programme(event.organiser, budget=2_500_000)
    under(programme, event)
    approved(event)
    waiting = approved(event, vendor=factories.VendorFactory(name="Công ty TNHH Gốm Chu Đậu"))
    client.force_login(factories.StaffUserFactory())

    response = client.get(en("admin:events_subsidyprogramme_change", object_id=programme.pk))

    assert list(response.context["inline_admin_formsets"][1].formset.queryset) == [waiting.subsidy_waiting.get()]
    assertContains(response, "Công ty TNHH Gốm Chu Đậu")
    assertContains(response, "Budget used up")
