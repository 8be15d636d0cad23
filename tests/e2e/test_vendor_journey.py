"""The whole vendor journey in a real browser (Debian's Chromium, phone-sized, Vietnamese): a business
signs up, opens the emailed link, fills its profile, adds a product, applies to an open fair with a
PDF and the terms, submits; an organiser approves it from the review page in another browser; the
business reloads its dashboard and sees the approval and the reason, picks two booths on the plan and
loses a race when it moves to a booth another business has just taken (the page reloads the free
booths and switches the taken one off)."""

import re

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import expect

from booths.models import Assignment
from booths.services.selection import booths_choose
from events.models import DocumentType
from tests import factories
from tests.e2e.conftest import ARTIFACTS
from vendors.models import Application, Vendor

EMAIL = "lan.nguyen@nuocmamcathai.vn"
PASSWORD = "Ca-com-bien-2025!"
REASON = "Hồ sơ đầy đủ, sản phẩm OCOP 4 sao phù hợp khu ẩm thực."
# A minimal valid PDF: the header, one object, a trailer and the end-of-file marker.
PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def vi(text) -> str:
    with translation.override("vi"):
        return str(text)


@pytest.mark.django_db(transaction=True)
def test_business_signs_up_applies_and_sees_the_organisers_approval(page, live_server, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    # --- a fair open for registration, asking for one document -------------------------------------
    fair = factories.EventFactory(name="Tuần hàng Việt Nam Hải Phòng 2025", slug="tuan-hang-hai-phong-2025")
    registration = DocumentType.objects.create(name="Giấy chứng nhận đăng ký doanh nghiệp", slug="gcn-dkdn")
    fair.required_documents.set([registration])
    fair.allow_self_selection = True  # approved businesses pick their booths on the map
    fair.save()
    zone = factories.ZoneFactory(event=fair, code="A", name="Khu ẩm thực", position=1)
    standard = factories.BoothTypeFactory(event=fair, code="std", name="Gian tiêu chuẩn")
    for i, code in enumerate(["A01", "A02", "A03", "A04"]):
        factories.BoothFactory(event=fair, zone=zone, booth_type=standard, code=code, row="A1", x=3 * i + 3, y=3)
    category = factories.CategoryFactory(name="Thực phẩm chế biến", slug="thuc-pham-che-bien")
    staff = factories.StaffUserFactory(username="bantochuc")

    # --- sign up and open the emailed link -------------------------------------------------------
    page.goto(reverse("vendors:signup"))
    page.fill("#id_email", EMAIL)
    page.fill("#id_password1", PASSWORD)
    page.fill("#id_password2", PASSWORD)
    page.click("form input[type=submit]")
    page.wait_for_url(f"**{reverse('vendors:verification_sent')}")
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [EMAIL]
    link = re.search(r"https?://\S+/account/verify/\S+/\S+/", mail.outbox[0].body).group(0)
    page.goto(link)
    page.wait_for_url(f"**{reverse('vendors:profile_create')}")

    # --- the business profile --------------------------------------------------------------------
    page.fill("#id_name", "Công ty TNHH Nước mắm Cát Hải")
    page.fill("#id_short_name", "Nước mắm Cát Hải")
    page.check("input[name=kind][value=DN]")
    page.fill("#id_tax_code", "0100109106")
    page.select_option("#id_province", "31")
    page.fill("#id_address", "Số 1 đường Cát Bà")
    page.fill("#id_contact_name", "Nguyễn Thị Lan")
    page.fill("#id_phone", "0912 345 678")
    page.fill("#id_email", EMAIL)
    page.check("#id_personal_data_consent")
    page.click("#vendor-profile-form input[type=submit]")
    page.wait_for_url(f"**{reverse('vendors:product_list')}")
    vendor = Vendor.objects.get(tax_code="0100109106")
    assert (vendor.phone, vendor.province_id, vendor.users.get().username) == ("+84912345678", "31", EMAIL)

    # --- a product ----------------------------------------------------------------------------------
    page.goto(reverse("vendors:product_create"))
    page.fill("#id_name", "Nước mắm Cát Hải 40 độ đạm")
    page.select_option("#id_category", str(category.pk))
    page.click("#product-form input[type=submit]")
    page.wait_for_url(f"**{reverse('vendors:product_list')}")
    assert "Nước mắm Cát Hải 40 độ đạm" in page.content()

    # --- apply: draft, the document, the terms, submit --------------------------------------------------
    page.goto(reverse("public:fair", kwargs={"slug": fair.slug}))
    page.click(f"#apply a[href='{reverse('vendors:application_create', kwargs={'slug': fair.slug})}']")
    page.fill("#id_booths_requested", "2")
    page.select_option("#id_zone_1", str(zone.pk))
    page.get_by_label("Thực phẩm chế biến", exact=True).check()
    page.get_by_label("Nước mắm Cát Hải 40 độ đạm").check()
    page.check("#id_accept_terms")
    page.click("#application-form button[value=draft]")
    application = Application.objects.get(vendor=vendor, event=fair)
    page.wait_for_url(f"**{reverse('vendors:application_edit', kwargs={'pk': application.pk})}")

    pdf = tmp_path / "giay-chung-nhan-dkdn.pdf"
    pdf.write_bytes(PDF)
    upload_form = page.locator(f"li[data-document-type='{registration.pk}'] form")
    upload_form.locator("input[type=file]").set_input_files(str(pdf))
    upload_form.locator("button[type=submit]").click()
    page.wait_for_selector(f"li[data-document-type='{registration.pk}'] [data-field=document-file]")
    assert "giay-chung-nhan-dkdn.pdf" in page.inner_text(f"li[data-document-type='{registration.pk}']")

    assert page.is_checked("#id_accept_terms")
    page.click("#application-form button[value=submit]")
    page.wait_for_url(f"**{reverse('vendors:dashboard')}")
    card = page.locator(f"article[data-application='{application.pk}']")
    assert card.locator("[data-field=status]").inner_text().strip() == vi(Application.Status.SUBMITTED.label)
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED
    assert application.terms_accepted_at is not None
    assert application.documents.get().original_name == "giay-chung-nhan-dkdn.pdf"

    # --- the organiser approves it, in another browser -------------------------------------------------
    organiser = page.context.browser.new_context(base_url=live_server.url, locale="vi-VN")
    try:
        staff_page = organiser.new_page()
        staff_page.set_default_timeout(15_000)
        review_list = reverse("vendors:review_list", kwargs={"slug": fair.slug})
        staff_page.goto(f"{reverse('vendors:login')}?next={review_list}")
        staff_page.fill("#id_username", staff.username)
        staff_page.fill("#id_password", "mat-khau-123")
        staff_page.click("form input[type=submit]")
        staff_page.wait_for_url(f"**{review_list}")
        staff_page.click(f"a[href='{reverse('vendors:review_detail', args=[application.pk])}']")
        staff_page.fill("#id_reason", REASON)
        staff_page.click("#decide button[value=approve]")
        staff_page.wait_for_selector("#last-decision")
        assert staff_page.inner_text("#application-status").strip() == vi(Application.Status.APPROVED.label)
    finally:
        organiser.close()

    # --- the business sees the approval and the reason ---------------------------------------------------
    page.reload()
    card = page.locator(f"article[data-application='{application.pk}']")
    assert card.locator("[data-field=status]").inner_text().strip() == vi(Application.Status.APPROVED.label)
    assert REASON in card.locator("[data-field=reason]").inner_text()
    assert card.locator("[data-field=booths-requested]").inner_text().strip() == "2"
    assert card.locator("[data-field=missing]").count() == 0  # nothing left to provide
    assert page.get_attribute("html", "lang") == "vi"
    application.refresh_from_db()
    assert (application.status, application.decided_by, application.decision_reason) == (
        Application.Status.APPROVED,
        staff,
        REASON,
    )

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "vendor_journey_approved.png"), full_page=True)

    # --- it picks its two booths, side by side, on the hall plan ------------------------------------------
    card.locator("[data-field=choose-booths]").click()
    page.wait_for_url(f"**{reverse('booths:select', kwargs={'slug': fair.slug})}")
    page.locator('svg.booth-map .booth[data-code="A02"] rect').click()
    page.locator('svg.booth-map .booth[data-code="A03"] rect').click()
    assert page.is_checked(f"#booth-{fair.booths.get(code='A02').pk}")
    page.click("#selection-form button[type=submit]")
    expect(page.locator("#selection-feedback")).to_contain_text("A02, A03")
    held = Assignment.objects.filter(application=application, status__in=Assignment.ACTIVE)
    assert sorted(held.values_list("booth__code", flat=True)) == ["A02", "A03"]

    # --- a lost race: another business takes A04 while this page is open -----------------------------
    rival = factories.ApplicationFactory(event=fair, status=Application.Status.APPROVED, booths_requested=1)
    booths_choose(application=rival, booths=[fair.booths.get(code="A04")])
    a01, a02, a04 = (fair.booths.get(code=code).pk for code in ("A01", "A02", "A04"))
    page.locator('svg.booth-map .booth[data-code="A02"] rect').click()  # untick A02: A03 and A04 instead
    page.locator('svg.booth-map .booth[data-code="A04"] rect').click()
    assert page.is_checked(f"#booth-{a04}") and not page.is_checked(f"#booth-{a02}")
    page.click("#selection-form button[type=submit]")
    expect(page.locator("#selection-feedback")).to_contain_text("A04")  # "… just taken by another participant"
    expect(page.locator(f"#booth-{a04}")).to_be_disabled()  # the list was loaded again: A04 is gone
    expect(page.locator(f"#booth-{a02}")).to_be_enabled()  # its own booths stay available to it
    expect(page.locator(f"#booth-{a01}")).to_be_enabled()  # and so do the booths still free
    assert sorted(held.values_list("booth__code", flat=True)) == ["A02", "A03"]  # nothing changed
    page.goto(reverse("vendors:dashboard"))
    assert page.locator(f"article[data-application='{application.pk}'] [data-field=booths]").inner_text() == "A02, A03"
