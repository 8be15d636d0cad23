"""Documents by rule (issue 18, item 1): a fair asks for documents by the kind of business, what
it shows and what it answers; alternatives form one-of groups; templates are offered for download."""

import io
import zipfile

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from pytest_django.asserts import assertContains, assertNotContains, assertRedirects

from events.models import DocumentType, Event, FairDocumentRule
from tests import factories
from tests.vendors._applying_support import PDF, Fair, count_queries, en, pdf_upload, use_media_root
from tuanhang.kernel.uploads import checked_template
from vendors.models import Application, Vendor
from vendors.services.applying import application_document_upload, application_save_draft, application_submit
from vendors.services.documents import application_documents

A = Application.Status


class RuledFair(Fair):
    """The Fair of the applying tests with the real rules: the registration asked of everyone, the
    ATTP certificate or commitment for food by the answer, the self-declaration for packaged food,
    the OCOP certificate for OCOP products."""

    def __init__(self):
        super().__init__()
        self.food.is_food = self.farm.is_food = True
        self.food.save(update_fields=["is_food"])
        self.farm.save(update_fields=["is_food"])
        self.commitment = DocumentType.objects.create(name="Bản cam kết bảo đảm ATTP", slug="cam-ket-attp")
        self.declaration = DocumentType.objects.create(name="Bản tự công bố sản phẩm", slug="tu-cong-bo")
        self.ocop = self.unrelated
        self.event.required_documents.set([self.registration])
        self.rule(self.food_safety, shows_food=True, attp_certificate_required=True, position=1)
        self.rule(self.commitment, shows_food=True, attp_certificate_required=False, position=2)
        self.rule(self.declaration, sells_packaged_food=True, position=3)
        self.rule(self.ocop, shows_ocop=True, position=4)

    def rule(self, document_type, **conditions):
        return FairDocumentRule.objects.create(event=self.event, document_type=document_type, **conditions)

    def household(self):
        self.vendor.kind = Vendor.Kind.HKD
        self.vendor.save(update_fields=["kind"])


@pytest.fixture
def fair(db):
    return RuledFair()


@pytest.fixture
def media_root(settings, tmp_path):
    return use_media_root(settings, tmp_path)


@pytest.fixture
def vendor_client(client, fair):
    client.force_login(fair.user)
    return client


def vi(name, **kwargs):
    with translation.override("vi"):
        return reverse(name, kwargs=kwargs or None)


def draft(fair, products, **answers):
    return application_save_draft(
        vendor=fair.vendor,
        event=fair.event,
        by=fair.user,
        booths_requested=1,
        booth_type=fair.standard,
        products=products,
        categories=[],
        accept_terms=True,
        **answers,
    )


def names(requirements):
    return [r.name for r in requirements]


# --- what is asked of whom --------------------------------------------------------------------


def test_honest_household_without_ocop_exempt_from_attp_submits_with_only_its_documents(
    vendor_client, fair, media_root
):
    fair.household()
    application = draft(fair, [fair.rice])
    for document_type in (fair.registration, fair.commitment):
        application_document_upload(
            application=application, document_type=document_type, upload=pdf_upload(), by=fair.user
        )

    response = vendor_client.post(
        en("vendors:application_edit", pk=application.pk),
        fair.form_data(
            products=[str(fair.rice.pk)],
            accept_terms="on",
            attp_certificate_required="no",
            sells_packaged_food="no",
            action="submit",
        ),
    )

    assertRedirects(response, en("vendors:dashboard"), fetch_redirect_response=False)
    application.refresh_from_db()
    assert (application.status, application.attp_certificate_required, application.sells_packaged_food) == (
        A.SUBMITTED,
        False,
        False,
    )
    assert names(application_documents(application).requirements) == [
        "Giấy chứng nhận đăng ký doanh nghiệp",
        "Bản cam kết bảo đảm ATTP",
    ]


def test_food_business_subject_to_certification_cannot_submit_without_the_certificate(vendor_client, fair, media_root):
    application = draft(fair, [fair.fish_sauce])
    for document_type in (fair.registration, fair.commitment):
        application_document_upload(
            application=application, document_type=document_type, upload=pdf_upload(), by=fair.user
        )

    response = vendor_client.post(
        vi("vendors:application_edit", pk=application.pk),
        fair.form_data(
            products=[str(fair.fish_sauce.pk)],
            accept_terms="on",
            attp_certificate_required="yes",
            sells_packaged_food="no",
            action="submit",
        ),
    )

    assert response.status_code == 200
    upload_forms = {slot.document_type.pk: form for slot, form in response.context["documents"]}
    assert upload_forms[fair.food_safety.pk].errors["file"] == [
        "Hãy tải lên “Giấy chứng nhận cơ sở đủ điều kiện ATTP” trước khi nộp đơn."
    ]
    assertContains(response, "Hãy tải lên “Giấy chứng nhận cơ sở đủ điều kiện ATTP” trước khi nộp đơn.")
    # The commitment is not what this business needs: it is no longer listed.
    assert fair.commitment.pk not in upload_forms
    application.refresh_from_db()
    assert (application.status, application.attp_certificate_required) == (A.DRAFT, None)


def test_an_unanswered_question_a_rule_depends_on_is_asked_at_submit(vendor_client, fair, media_root):
    application = draft(fair, [fair.rice])
    application_document_upload(
        application=application, document_type=fair.registration, upload=pdf_upload(), by=fair.user
    )

    response = vendor_client.post(
        vi("vendors:application_edit", pk=application.pk),
        fair.form_data(products=[str(fair.rice.pk)], accept_terms="on", action="submit"),
    )

    form = response.context["form"]
    assert form.errors["attp_certificate_required"] == [
        "Hãy trả lời câu hỏi này: giấy tờ Ban tổ chức yêu cầu phụ thuộc vào câu trả lời."
    ]
    assert form.errors["sells_packaged_food"] == form.errors["attp_certificate_required"]
    assertContains(response, "Nghị định 15/2018/NĐ-CP")
    assertContains(response, "trả lời các câu hỏi về hoạt động kinh doanh thực phẩm (trong biểu mẫu)")


def test_questions_are_asked_only_when_a_rule_depends_on_them(vendor_client, fair):
    FairDocumentRule.objects.filter(event=fair.event, sells_packaged_food__isnull=False).delete()

    response = vendor_client.get(en("vendors:application_create", slug="vsip-2024"))

    assert "attp_certificate_required" in response.context["form"].fields
    assert "sells_packaged_food" not in response.context["form"].fields
    FairDocumentRule.objects.filter(event=fair.event).delete()
    response = vendor_client.get(en("vendors:application_create", slug="vsip-2024"))
    assert "attp_certificate_required" not in response.context["form"].fields


def test_ocop_certificate_only_for_a_business_showing_ocop_products(fair):
    fair.fish_sauce.ocop_stars = 4
    fair.fish_sauce.save(update_fields=["ocop_stars"])

    with_ocop = draft(fair, [fair.fish_sauce], attp_certificate_required=False, sells_packaged_food=True)
    required = names(application_documents(with_ocop).requirements)
    assert required == [
        "Giấy chứng nhận đăng ký doanh nghiệp",
        "Bản cam kết bảo đảm ATTP",
        "Bản tự công bố sản phẩm",
        "Giấy chứng nhận OCOP",
    ]
    with_ocop.products.set([fair.rice])
    assert "Giấy chứng nhận OCOP" not in names(application_documents(with_ocop).requirements)


def test_rule_by_business_kind(fair):
    household_id = DocumentType.objects.create(name="Căn cước của chủ hộ", slug="cccd", personal=True)
    fair.rule(household_id, kinds="HKD")
    application = draft(fair, [], attp_certificate_required=True, sells_packaged_food=False)

    assert "Căn cước của chủ hộ" not in names(application_documents(application).requirements)
    fair.household()
    application = Application.objects.select_related("vendor", "event").get(pk=application.pk)
    assert "Căn cước của chủ hộ" in names(application_documents(application).requirements)


def test_one_of_group_is_satisfied_by_any_one_of_its_documents(fair, media_root):
    FairDocumentRule.objects.filter(event=fair.event).delete()
    fair.event.required_documents.clear()
    fair.rule(fair.food_safety, group="ATTP", note="Một trong hai giấy")
    fair.rule(fair.commitment, group="ATTP")
    application = draft(fair, [])

    missing = application_documents(application).missing
    assert [(r.group, r.name, r.notes) for r in missing] == [
        ("ATTP", "Giấy chứng nhận cơ sở đủ điều kiện ATTP / Bản cam kết bảo đảm ATTP", ("Một trong hai giấy",))
    ]
    with pytest.raises(ValidationError) as refused:
        application_submit(application=application, by=fair.user)
    assert refused.value.messages == [
        "Hãy tải lên một trong các giấy tờ sau trước khi nộp đơn: “Giấy chứng nhận cơ sở đủ điều kiện ATTP” hoặc "
        "“Bản cam kết bảo đảm ATTP”."
    ]

    application_document_upload(
        application=application, document_type=fair.commitment, upload=pdf_upload(), by=fair.user
    )
    application = Application.objects.select_related("vendor", "event").get(pk=application.pk)
    assert application_documents(application).missing == []
    application_submit(application=application, by=fair.user)
    assert application.status == A.SUBMITTED


def test_a_document_the_fair_never_asks_for_cannot_be_uploaded(fair, media_root):
    other = DocumentType.objects.create(name="Giấy phép khác", slug="khac")
    application = draft(fair, [])

    with pytest.raises(ValidationError, match="không yêu cầu hồ sơ này"):
        application_document_upload(application=application, document_type=other, upload=pdf_upload(), by=fair.user)
    # A rule's document can be uploaded before the answers make it required.
    application_document_upload(
        application=application, document_type=fair.declaration, upload=pdf_upload(), by=fair.user
    )


def test_application_edit_query_count_does_not_grow_with_rules(vendor_client, fair):
    application = draft(fair, [fair.rice, fair.fish_sauce])
    url = en("vendors:application_edit", pk=application.pk)
    few, _ = count_queries(vendor_client, url)
    for i in range(10):
        extra = DocumentType.objects.create(name=f"Giấy tờ {i}", slug=f"giay-{i}")
        fair.rule(extra, group=f"g{i % 3}", kinds="HKD,DN")

    many, response = count_queries(vendor_client, url)

    assert many == few
    assert len(response.context["documents"]) > 10


# --- terms ------------------------------------------------------------------------------------


def test_terms_are_shown_next_to_the_box_that_accepts_them(vendor_client, fair):
    fair.event.terms = "Niêm yết giá và bán đúng giá niêm yết."
    fair.event.save(update_fields=["terms"])

    response = vendor_client.get(en("vendors:application_create", slug="vsip-2024"))

    html = response.content.decode()
    assert html.index("Niêm yết giá và bán đúng giá niêm yết.") < html.index('name="accept_terms"')
    assertContains(response, 'id="fair-terms"')


# --- templates --------------------------------------------------------------------------------


def _office(parts: dict) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for name, content in parts.items():
            archive.writestr(name, content)
    return out.getvalue()


DOCX = _office({"[Content_Types].xml": "<Types/>", "word/document.xml": "<w:document/>"})


def test_template_check_accepts_pdf_docx_xlsx_and_refuses_macros_and_others():
    assert checked_template(SimpleUploadedFile("a.pdf", PDF)).content_type == "application/pdf"
    assert checked_template(SimpleUploadedFile("a.docx", DOCX)).content_type.endswith("wordprocessingml.document")
    xlsx = _office({"[Content_Types].xml": "<Types/>", "xl/workbook.xml": "<workbook/>"})
    assert checked_template(SimpleUploadedFile("a.xlsx", xlsx)).file.name == "template.xlsx"
    macro = _office({"[Content_Types].xml": "<Types/>", "word/document.xml": "x", "word/vbaProject.bin": "x"})
    for refused in (macro, b"<html><script>alert(1)</script></html>", b"MZ\x90\x00"):
        with pytest.raises(ValidationError):
            checked_template(SimpleUploadedFile("a.docx", refused))


def _with_template(document_type):
    checked = checked_template(SimpleUploadedFile("mau.docx", DOCX))
    document_type.template.save(checked.file.name, checked.file, save=False)
    document_type.template_content_type = checked.content_type
    document_type.save()


def test_template_download_is_public_for_a_published_fair(client, fair, media_root):
    _with_template(fair.registration)
    url = en("public:document_template", slug="vsip-2024", document_type_id=fair.registration.pk)

    response = client.get(url)

    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="mau-gcn-dkdn.docx"'
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Type"].endswith("wordprocessingml.document")
    assert b"".join(response.streaming_content) == DOCX
    # The fair page and the application page offer it.
    assertContains(client.get(en("public:fair", slug="vsip-2024")), url)


def test_template_download_answers_404_for_a_draft_fair_or_a_document_it_does_not_ask(client, fair, media_root):
    _with_template(fair.registration)
    other = DocumentType.objects.create(name="Giấy khác", slug="khac")
    _with_template(other)

    assert client.get(en("public:document_template", slug="vsip-2024", document_type_id=other.pk)).status_code == 404
    Event.objects.filter(pk=fair.event.pk).update(status=Event.Status.DRAFT)
    url = en("public:document_template", slug="vsip-2024", document_type_id=fair.registration.pk)
    assert client.get(url).status_code == 404


def test_application_page_offers_the_template_next_to_the_document(vendor_client, fair, media_root):
    _with_template(fair.registration)
    application = draft(fair, [])

    response = vendor_client.get(en("vendors:application_edit", pk=application.pk))

    url = en("public:document_template", slug="vsip-2024", document_type_id=fair.registration.pk)
    assertContains(response, f'<a href="{url}" data-field="template">Download the form</a>', html=True)
    assertNotContains(response, f"document_type_id={fair.food_safety.pk}")


# --- admin ------------------------------------------------------------------------------------


def test_rules_inline_is_on_the_fair_admin_of_its_organiser_only(client, fair):
    FairDocumentRule.objects.filter(event=fair.event).update(kinds="HKD,HTX")
    own = factories.StaffUserFactory()
    other = factories.StaffUserFactory(organiser=factories.OrganiserFactory(name="Sở Công Thương khác"))
    url = reverse("admin:events_event_change", args=[fair.event.pk])

    client.force_login(own)
    response = client.get(url)
    assert response.status_code == 200
    formset = next(f for f in response.context["inline_admin_formsets"] if f.opts.model is FairDocumentRule)
    assert [form.initial["kinds"] for form in formset.formset.forms] == [["HKD", "HTX"]] * 4
    client.force_login(other)
    assert client.get(url).status_code == 404
