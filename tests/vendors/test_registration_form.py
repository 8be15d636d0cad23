"""The registration form printed by the site (issue 18, item 1): a document type marked
`generated_form` is offered blank on the fair's page and prefilled on the application (new, draft,
submitted) and to the organiser's staff; one A4 page; only the business itself sees a household's
personal ID in full on it."""

import io
import subprocess

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from pypdf import PdfReader
from pytest_django.asserts import assertContains, assertNotContains

from events.models import Commune, DocumentType
from tests import factories
from tests.vendors._applying_support import Fair, en, member_of
from tuanhang.kernel.vn import mask_personal_id
from vendors.models import Application, Vendor
from vendors.services.applying import application_save_draft

A = Application.Status
PERSONAL_ID = "031185001345"


class FormFair(Fair):
    """The applying tests' fair asking for a registration form printed by the site; the business
    has an address in a commune of Hải Phòng and a representative."""

    def __init__(self):
        super().__init__()
        self.form_type = DocumentType.objects.create(
            name="Phiếu đăng ký tham gia", slug="phieu-dang-ky", generated_form=True
        )
        self.event.required_documents.add(self.form_type)
        self.commune = Commune.objects.filter(province_id="31").order_by("code").first()
        self.vendor.address = "Số 12 đường Hoàng Sa"
        self.vendor.commune = self.commune
        self.vendor.representative = "Trần Văn Hải"
        self.vendor.save()
        self.fish_sauce.ocop_stars = 4
        self.fish_sauce.save()

    def draft(self, **fields):
        return application_save_draft(
            vendor=self.vendor,
            event=self.event,
            by=self.user,
            booths_requested=fields.get("booths_requested", 2),
            booth_type=self.double,
            products=[self.fish_sauce, self.rice],
            categories=[self.food],
            accept_terms=True,
        )


@pytest.fixture
def fair(db):
    return FormFair()


def pdf_text(content: bytes) -> tuple[int, str]:
    """(pages, text) of a PDF: pages by pypdf, text by pdftotext (keeps Vietnamese words whole)."""
    pages = len(PdfReader(io.BytesIO(content)).pages)
    text = subprocess.run(["pdftotext", "-", "-"], input=content, capture_output=True, check=True).stdout.decode()
    return pages, " ".join(text.split())


def download(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == "application/pdf"
    return pdf_text(response.content)


def test_prefilled_form_of_a_draft_is_one_page_with_the_business_and_its_booths(client, fair):
    application = fair.draft()
    client.force_login(fair.user)

    response = client.get(en("vendors:registration_form", pk=application.pk, document_type_id=fair.form_type.pk))

    assert response["Content-Disposition"] == (
        f'attachment; filename="phieu-dang-ky-vsip-2024-{fair.vendor.tax_code}.pdf"'
    )
    assert response["Cache-Control"] == "private, no-store"
    pages, text = pdf_text(response.content)
    assert pages == 1
    for expected in (
        "CÔNG TY TNHH NƯỚC MẮM CÁT HẢI",  # the masthead
        "Công ty TNHH Nước mắm Cát Hải",
        fair.vendor.tax_code,
        "Số 12 đường Hoàng Sa",
        fair.commune.name,
        "Hải Phòng",
        "Trần Văn Hải",
        "Tuần hàng Việt Nam VSIP Thủy Nguyên",
        "Nước mắm Cát Hải",
        "Gạo nếp cái hoa vàng",
        "Gian đôi",
        "Thực phẩm chế biến",
    ):
        assert expected in text, expected
    assert "Number of booths requested 2" in text
    assert "☒ Enterprise (DN)" in text and "☐ Household business (HKD)" in text
    assert "4 stars" in text


def test_prefilled_form_is_in_vietnamese_for_the_vietnamese_interface(client, fair):
    application = fair.draft()
    client.force_login(fair.user)
    url = f"/applications/{application.pk}/forms/{fair.form_type.pk}/"

    pages, text = download(client, url)

    assert pages == 1
    assert "PHIẾU ĐĂNG KÝ THAM GIA" in text
    assert "Số gian hàng đăng ký 2" in text
    assert "(Ký, ghi rõ họ tên, đóng dấu)" in text


def test_submitted_application_offers_the_prefilled_form_on_its_page(client, fair):
    application = fair.draft()
    Application.objects.filter(pk=application.pk).update(status=A.SUBMITTED)
    client.force_login(fair.user)

    response = client.get(en("vendors:application_edit", pk=application.pk))

    url = en("vendors:registration_form", pk=application.pk, document_type_id=fair.form_type.pk)
    assertContains(response, f'href="{url}"')
    assertContains(response, "Download the prefilled registration form (PDF)")
    # Only the generated type offers it.
    assertNotContains(response, f"forms/{fair.registration.pk}/")


def test_new_application_page_offers_the_form_filled_from_the_profile(client, fair):
    client.force_login(fair.user)

    page = client.get(en("vendors:application_create", slug="vsip-2024"))
    url = en("vendors:registration_form_new", slug="vsip-2024", document_type_id=fair.form_type.pk)
    assertContains(page, f'href="{url}"')

    pages, text = download(client, url)
    assert pages == 1
    assert "Công ty TNHH Nước mắm Cát Hải" in text and fair.vendor.tax_code in text
    assert fair.commune.name in text and "Máy tiện mini" in text  # its products, before choosing
    assert "Number of booths requested Booth type" in text  # both left to fill in by hand


def test_blank_form_on_the_fair_page_carries_no_business_data(client, fair):
    fair.draft()

    page = client.get(en("public:fair", slug="vsip-2024"))
    url = en("public:registration_form_blank", slug="vsip-2024", document_type_id=fair.form_type.pk)
    assertContains(page, f'href="{url}"')

    response = client.get(url)
    assert response["Content-Disposition"] == 'attachment; filename="phieu-dang-ky-vsip-2024.pdf"'
    pages, text = pdf_text(response.content)
    assert pages == 1
    assert "Tuần hàng Việt Nam VSIP Thủy Nguyên" in text and "REGISTRATION FORM FOR PARTICIPATION" in text
    for business_data in ("Cát Hải", fair.vendor.tax_code, "Hoàng Sa", "Trần Văn Hải", "Gian đôi", "☒"):
        assert business_data not in text, business_data


def test_blank_form_answers_404_for_a_type_not_generated_or_not_asked_or_a_draft_fair(client, fair):
    other = DocumentType.objects.create(name="Phiếu khác", slug="phieu-khac", generated_form=True)

    assert (
        client.get(en("public:registration_form_blank", slug="vsip-2024", document_type_id=other.pk)).status_code == 404
    )
    url = en("public:registration_form_blank", slug="vsip-2024", document_type_id=fair.registration.pk)
    assert client.get(url).status_code == 404  # asked for, but not printed by the site
    fair.event.status = "draft"
    fair.event.save(update_fields=["status"])
    url = en("public:registration_form_blank", slug="vsip-2024", document_type_id=fair.form_type.pk)
    assert client.get(url).status_code == 404


def test_another_business_and_another_organiser_get_404(client, fair):
    application = fair.draft()
    url = en("vendors:registration_form", pk=application.pk, document_type_id=fair.form_type.pk)
    staff_url = en("vendors:review_registration_form", pk=application.pk, document_type_id=fair.form_type.pk)
    other_business = member_of(factories.VendorFactory(name="Công ty khác"))
    other_staff = factories.StaffUserFactory(organiser=factories.OrganiserFactory(name="Sở Công Thương Bắc Ninh"))

    client.force_login(other_business)
    assert client.get(url).status_code == 404
    client.force_login(other_staff)
    assert client.get(staff_url).status_code == 404
    # Controls: the business itself and its organiser's staff get it.
    client.force_login(fair.user)
    assert client.get(url).status_code == 200
    client.force_login(factories.StaffUserFactory(organiser=fair.event.organiser))
    assert client.get(staff_url).status_code == 200


def test_household_personal_id_is_printed_in_full_only_for_the_household(client, fair):
    Vendor.objects.filter(pk=fair.vendor.pk).update(kind=Vendor.Kind.HKD, tax_code=PERSONAL_ID)
    application = fair.draft()
    own_url = en("vendors:registration_form", pk=application.pk, document_type_id=fair.form_type.pk)
    staff_url = en("vendors:review_registration_form", pk=application.pk, document_type_id=fair.form_type.pk)

    client.force_login(fair.user)
    _pages, own = download(client, own_url)
    client.force_login(factories.StaffUserFactory(organiser=fair.event.organiser))
    _pages, staff = download(client, staff_url)

    assert PERSONAL_ID in own and "☒ Household business (HKD)" in own
    assert "(Sign and write your full name)" in own
    assert PERSONAL_ID not in staff and mask_personal_id(PERSONAL_ID) in staff


def test_long_lists_stay_on_one_page(client, fair):
    fair.vendor.name = "Công ty Trách nhiệm hữu hạn Một thành viên Thương mại Dịch vụ Xuất nhập khẩu " * 2
    fair.vendor.save()
    products = [
        factories.ProductFactory(vendor=fair.vendor, name=f"Sản phẩm đặc sản vùng biển số {n}", category=fair.food)
        for n in range(12)
    ]
    application = fair.draft()
    application.products.set(products)
    client.force_login(fair.user)

    # In Vietnamese, the longer of the two languages.
    pages, text = download(client, f"/applications/{application.pk}/forms/{fair.form_type.pk}/")

    assert pages == 1
    assert "và 7 sản phẩm khác" in text


@pytest.mark.parametrize("products", [1, 10])
def test_form_view_runs_a_fixed_number_of_queries(client, fair, products):
    application = fair.draft()
    application.products.set(
        [factories.ProductFactory(vendor=fair.vendor, category=fair.food) for _ in range(products)]
    )
    client.force_login(fair.user)
    url = en("vendors:registration_form", pk=application.pk, document_type_id=fair.form_type.pk)

    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200

    # session, user, membership+business; the application with its business, fair and places;
    # its categories; its products; the document type; whether the fair asks for it.
    assert len(ctx.captured_queries) == 8, [q["sql"] for q in ctx.captured_queries]
