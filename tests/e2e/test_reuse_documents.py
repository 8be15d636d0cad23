"""A business with an account applies to the next fair in one screen (issue 18), in Chromium on a
390×844 screen: it applied to fair A with its papers; on fair B's page it presses "Đăng ký", and on
the new-application page alone it finds its business registration and food-safety certificate
offered as ticked "Dùng lại tệp đã nộp ngày …" boxes, photographs only the registration form fair B
asks anew (a paper filled in for each fair is never reused), ticks the terms and submits. Nothing
is typed. The organiser sees the reused document as an ordinary one of the new application."""

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from events.models import DocumentType
from tests import factories
from tests.e2e.test_autosave import _logged_in
from tests.e2e.test_household_phone import Walk, _phone_photo
from tests.vendors.test_document_reuse import _document
from vendors.models import Application, ApplicationDocument, VendorMember

A = Application.Status


@pytest.mark.django_db(transaction=True)
def test_a_returning_business_applies_to_the_next_fair_in_one_screen(page, live_server, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    licence = DocumentType.objects.create(name="Giấy chứng nhận đăng ký hộ kinh doanh", slug="gcn-hkd")
    food_safety = DocumentType.objects.create(name="Giấy chứng nhận cơ sở đủ điều kiện ATTP", slug="gcn-attp")
    form = DocumentType.objects.create(name="Phiếu đăng ký tham gia", slug="phieu-dang-ky", reusable=False)
    fair_a = factories.EventFactory(name="Hội chợ Công Thương Hải Phòng 2025", slug="hoi-cho-2025")
    fair_b = factories.EventFactory(name="Tuần hàng Việt Nam tại KCN VSIP Thủy Nguyên", slug="vsip-thuy-nguyen")
    for fair in (fair_a, fair_b):
        fair.required_documents.set([licence, food_safety, form])
        factories.BoothTypeFactory(event=fair, code="std", name="Gian tiêu chuẩn")
    vendor = factories.VendorFactory(name="Hộ kinh doanh Nguyễn Thị Hoa")
    user = factories.UserFactory()
    VendorMember.objects.create(vendor=vendor, user=user, role=VendorMember.Role.OWNER)
    earlier = factories.ApplicationFactory(vendor=vendor, event=fair_a, status=A.APPROVED, booths_requested=1)
    sent_licence = _document(earlier, licence, name="dkhkd-nguyen-thi-hoa.pdf", days_ago=60)
    _document(earlier, food_safety, name="attp-nguyen-thi-hoa.pdf", days_ago=60)
    _document(earlier, form, name="phieu-dang-ky-2025.pdf", days_ago=60)
    staff = factories.StaffUserFactory(username="duyet.hoso", organiser=fair_b.organiser, role="reviewer")
    _logged_in(page, live_server, user)
    walk = Walk(page)

    # --- fair B's page: "Đăng ký" ---------------------------------------------------------------------
    page.goto(reverse("public:fair", kwargs={"slug": fair_b.slug}))
    create = reverse("vendors:application_create", kwargs={"slug": fair_b.slug})
    page.click(f"main a.btn-primary[href='{create}']")

    # --- the one screen: the application, its papers already there -----------------------------------
    page.wait_for_url(f"**{create}")
    walk.screen("application")
    sent_on = timezone.localtime(sent_licence.uploaded_at).strftime("%d/%m/%Y")
    reuse_licence = page.locator(f"#id_reuse_{licence.pk}")
    assert reuse_licence.is_checked()
    assert page.locator(f"label[for=id_reuse_{licence.pk}]").inner_text().strip() == (
        f"Dùng lại tệp đã nộp ngày {sent_on} (dkhkd-nguyen-thi-hoa.pdf)"
    )
    assert page.locator(f"#id_reuse_{food_safety.pk}").is_checked()
    assert page.locator(f"#id_reuse_{form.pk}").count() == 0  # filled in for each fair: asked anew
    assert page.input_value("#id_booths_requested") == "1"
    page.set_input_files(f"input[name=document_{form.pk}]", str(_phone_photo(tmp_path / "IMG_3107.jpg")))
    page.check("#id_accept_terms")
    page.click("#application-form button[value=submit]")
    page.wait_for_url(f"**{reverse('vendors:dashboard')}")

    application = Application.objects.get(vendor=vendor, event=fair_b)
    assert application.status == A.SUBMITTED
    documents = {d.document_type_id: d for d in ApplicationDocument.objects.filter(application=application)}
    assert {t: d.original_name for t, d in documents.items()} == {
        licence.pk: "dkhkd-nguyen-thi-hoa.pdf",
        food_safety.pk: "attp-nguyen-thi-hoa.pdf",
        form.pk: "IMG_3107.jpg",
    }
    assert documents[licence.pk].copied_from == sent_licence
    assert documents[licence.pk].file.name != sent_licence.file.name  # a copy, not a shared file

    # --- the figures the README gives: one screen, nothing typed -------------------------------------
    assert [name for name, _ in walk.screens] == ["application"]
    assert walk.typed == []

    # --- the organiser sees the reused document as an ordinary one -------------------------------------
    office = Client()
    office.force_login(staff)
    review = office.get(reverse("vendors:review_detail", kwargs={"pk": application.pk})).content.decode()
    assert "dkhkd-nguyen-thi-hoa.pdf" in review
    assert reverse("vendors:file", kwargs={"kind": "document", "pk": documents[licence.pk].pk}) in review
