"""Admin for participants, products and applications: query counts, accent-insensitive
search, Vietnamese order, and the decision actions through their confirmation page."""

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from booths.models import Assignment
from events.models import Commune, Province
from tests import factories
from tests.events.test_admin import posted_form
from vendors.models import Application, ApplicationStatusChange, ZonePreference

pytestmark = pytest.mark.django_db
A = Application.Status


def admin_url(name, *args):
    # English URLs (/en/admin/…) keep the assertions independent of the Vietnamese catalogue.
    with translation.override("en"):
        return reverse(name, args=args)


def count_queries(client, url, params=None):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(ctx.captured_queries), response


def messages_of(response):
    return [str(m) for m in response.context["messages"]]


@pytest.fixture(autouse=True)
def _default_language_afterwards():
    # Requests to /en/… leave English active in this thread; later tests expect the default.
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def admin_client(client, organiser_user):
    client.force_login(organiser_user)
    return client


# --- query counts ------------------------------------------------------------------------


def add_vendors(n, event):
    category = factories.CategoryFactory()
    for vendor in factories.VendorFactory.create_batch(n):
        vendor.categories.add(category)
        factories.ProductFactory(vendor=vendor, category=category)
        factories.ApplicationFactory(vendor=vendor, event=event)


def test_vendor_changelist_same_query_count_for_few_and_many_vendors(admin_client, event):
    url = admin_url("admin:vendors_vendor_changelist")
    add_vendors(3, event)
    admin_client.get(url)
    few, _ = count_queries(admin_client, url)
    add_vendors(57, event)
    many, response = count_queries(admin_client, url)
    assert few == many
    assert response.context["cl"].result_count == 60


def add_products_and_applications(vendor, n):
    for _ in range(n):
        factories.ProductFactory(vendor=vendor, origin_province=vendor.province)
        factories.ApplicationFactory(vendor=vendor)


def test_vendor_change_page_same_query_count_for_few_and_many_rows(admin_client):
    vendor = factories.VendorFactory()
    url = admin_url("admin:vendors_vendor_change", vendor.pk)
    add_products_and_applications(vendor, 3)
    admin_client.get(url)
    few, _ = count_queries(admin_client, url)
    add_products_and_applications(vendor, 57)
    many, response = count_queries(admin_client, url)
    assert few == many
    content = response.content.decode()
    assert vendor.products.order_by("-pk").first().name in content
    assert vendor.applications.order_by("-pk").first().event.name in content


def test_product_changelist_same_query_count_for_few_and_many_products(admin_client):
    url = admin_url("admin:vendors_product_changelist")
    factories.ProductFactory.create_batch(3, origin_province=Province.objects.get(pk="31"), ocop_stars=4)
    admin_client.get(url)
    few, _ = count_queries(admin_client, url)
    factories.ProductFactory.create_batch(57, origin_province=Province.objects.get(pk="01"))
    many, response = count_queries(admin_client, url)
    assert few == many
    assert response.context["cl"].result_count == 60


def add_applications(event, n):
    zones = factories.ZoneFactory.create_batch(2, event=event)
    for application in factories.ApplicationFactory.create_batch(n, event=event):
        ZonePreference.objects.create(application=application, zone=zones[0], rank=1)
        ZonePreference.objects.create(application=application, zone=zones[1], rank=2)
        factories.AssignmentFactory(application=application, booth__event=event, booth__zone=zones[0])


def test_application_changelist_same_query_count_for_few_and_many_applications(admin_client, event):
    url = admin_url("admin:vendors_application_changelist")
    add_applications(event, 3)
    admin_client.get(url)
    few, _ = count_queries(admin_client, url)
    add_applications(event, 57)
    many, response = count_queries(admin_client, url)
    assert few == many
    assert response.context["cl"].result_count == 60
    row = response.context["cl"].result_list[0]
    assert [a.booth.code for a in row.active_assignments] == [row.assignments.get().booth.code]


def test_application_change_page_same_query_count_for_few_and_many_history_rows(admin_client, event):
    application = factories.ApplicationFactory(event=event)
    url = admin_url("admin:vendors_application_change", application.pk)
    zones = factories.ZoneFactory.create_batch(2, event=event)
    ZonePreference.objects.create(application=application, zone=zones[0], rank=1)
    admin_client.get(url)
    few, _ = count_queries(admin_client, url)
    ZonePreference.objects.create(application=application, zone=zones[1], rank=2)
    for _ in range(10):
        ApplicationStatusChange.objects.create(application=application, from_status="submitted", to_status="waitlisted")
    many, response = count_queries(admin_client, url)
    assert few == many
    assert response.context["adminform"].form.instance == application


# --- search and order --------------------------------------------------------------------


@pytest.mark.parametrize("term", ["dong thap", "ĐỒNG THÁP", "Đồng Tháp", "nong nghiep dong"])
def test_vendor_search_finds_name_whatever_the_accents(admin_client, term):
    factories.VendorFactory(name="HTX Nông nghiệp Đồng Tháp", short_name="HTX Đồng Tháp")
    factories.VendorFactory(name="Công ty TNHH Hải Sản Đông Hải", short_name="Đông Hải")
    _, response = count_queries(admin_client, admin_url("admin:vendors_vendor_changelist"), {"q": term})
    assert [v.name for v in response.context["cl"].result_list] == ["HTX Nông nghiệp Đồng Tháp"]


def test_vendor_search_other_word_does_not_find_it(admin_client):
    factories.VendorFactory(name="HTX Nông nghiệp Đồng Tháp", short_name="HTX Đồng Tháp")
    _, response = count_queries(admin_client, admin_url("admin:vendors_vendor_changelist"), {"q": "dang"})
    assert list(response.context["cl"].result_list) == []


def test_vendor_search_finds_exact_tax_code(admin_client):
    vendor = factories.VendorFactory(tax_code="0100109106", name="Công ty Cổ phần Sữa Hà Nội")
    factories.VendorFactory()
    _, response = count_queries(admin_client, admin_url("admin:vendors_vendor_changelist"), {"q": "0100109106"})
    assert list(response.context["cl"].result_list) == [vendor]


@pytest.mark.parametrize("term", ["0912 345 678", "+84 912.345.678"])
def test_vendor_search_finds_phone_written_any_way(admin_client, term):
    vendor = factories.VendorFactory(phone="+84912345678")
    factories.VendorFactory()
    _, response = count_queries(admin_client, admin_url("admin:vendors_vendor_changelist"), {"q": term})
    assert list(response.context["cl"].result_list) == [vendor]


def test_application_search_finds_vendor_without_accents(admin_client, event):
    wanted = factories.ApplicationFactory(event=event, vendor__name="Hộ kinh doanh Bánh đa Kế")
    factories.ApplicationFactory(event=event)
    url = admin_url("admin:vendors_application_changelist")
    _, response = count_queries(admin_client, url, {"q": "banh da ke"})
    assert list(response.context["cl"].result_list) == [wanted]


def test_product_search_finds_product_without_accents(admin_client):
    wanted = factories.ProductFactory(name="Nước mắm Cát Hải")
    factories.ProductFactory(name="Chè Thái Nguyên")
    url = admin_url("admin:vendors_product_changelist")
    _, response = count_queries(admin_client, url, {"q": "NUOC MAM cat hai"})
    assert list(response.context["cl"].result_list) == [wanted]


def test_vendor_changelist_lists_names_in_vietnamese_order(admin_client):
    for name in ["Công ty Em", "Công ty Đại Phát", "Công ty Dũng Tiến", "Công ty Anh Đào", "Công ty Ưu Việt"]:
        factories.VendorFactory(name=name)
    _, response = count_queries(admin_client, admin_url("admin:vendors_vendor_changelist"))
    assert [v.name for v in response.context["cl"].result_list] == [
        "Công ty Anh Đào",
        "Công ty Dũng Tiến",
        "Công ty Đại Phát",
        "Công ty Em",
        "Công ty Ưu Việt",
    ]


def test_vendor_change_form_refuses_a_bad_tax_code(admin_client):
    vendor = factories.VendorFactory()
    url = admin_url("admin:vendors_vendor_change", vendor.pk)
    data = {
        "name": vendor.name,
        "kind": "DN",
        "tax_code": "0100109107",
        "province": "31",
        "products-TOTAL_FORMS": 0,
        "products-INITIAL_FORMS": 0,
        "applications-TOTAL_FORMS": 0,
        "applications-INITIAL_FORMS": 0,
    }
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["tax_code"] == [
        "Enter a valid 10-digit tax code (or a branch code such as 0100109106-001)."
    ]


def test_vendor_change_form_saves_products_inline_and_keeps_folded_names(admin_client):
    vendor = factories.VendorFactory(phone="+84912345678")
    product = factories.ProductFactory(vendor=vendor, name="Nước mắm")
    url = admin_url("admin:vendors_vendor_change", vendor.pk)
    data = posted_form(admin_client.get(url))
    assert data["phone"] == ["0912 345 678"]
    data["name"] = ["HTX Nông nghiệp Đồng Tháp"]
    data["products-0-name"] = ["Nước mắm Cát Hải"]
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    vendor.refresh_from_db()
    product.refresh_from_db()
    assert vendor.phone == "+84912345678"
    assert vendor.search_text.startswith("htx nong nghiep dong thap")
    assert product.search_text == "nuoc mam cat hai"


def test_vendor_change_form_refuses_commune_of_another_province(admin_client):
    vendor = factories.VendorFactory()
    url = admin_url("admin:vendors_vendor_change", vendor.pk)
    data = posted_form(admin_client.get(url))
    data["commune"] = [Commune.objects.exclude(province_id=vendor.province_id).first().pk]
    response = admin_client.post(url, data)
    assert response.status_code == 200
    error = response.context["adminform"].form.errors["commune"][0]
    assert error.endswith(" is not in Hải Phòng.")


# --- decisions ---------------------------------------------------------------------------


def run_action(client, action, applications, **confirm):
    """Pick the action on the list (the confirmation page), then confirm it when asked."""
    url = admin_url("admin:vendors_application_changelist")
    selected = [a.pk for a in applications]
    page = client.post(url, {"action": action, "_selected_action": selected, "index": 0})
    if not confirm:
        return page
    data = {"action": action, "_selected_action": selected, "confirm": "yes", **confirm}
    return client.post(url, data, follow=True)


def test_approve_action_shows_confirmation_page_listing_the_applications(admin_client, event):
    applications = [
        factories.ApplicationFactory(event=event, vendor__name="HTX Nông nghiệp Đồng Tháp"),
        factories.ApplicationFactory(event=event, vendor__name="Công ty Bánh kẹo Hải Hà", status=A.WITHDRAWN),
    ]
    response = run_action(admin_client, "approve", applications)
    assert response.status_code == 200
    assert response.templates[0].name == "admin/vendors/application/decision_confirmation.html"
    content = response.content.decode()
    assert "These 2 applications will be moved to “Approved”:" in content
    assert "HTX Nông nghiệp Đồng Tháp" in content
    assert "Cannot go from “Withdrawn” to “Approved”: it will be left unchanged." in content
    assert Application.objects.filter(status=A.APPROVED).count() == 0


def test_approve_action_approves_and_records_who_and_why(admin_client, organiser_user, event):
    applications = factories.ApplicationFactory.create_batch(3, event=event)
    response = run_action(admin_client, "approve", applications, reason="Đủ hồ sơ")
    assert messages_of(response) == ["3 applications approved."]
    for application in applications:
        application.refresh_from_db()
        assert application.status == A.APPROVED
        assert application.decided_by == organiser_user
        assert application.decision_reason == "Đủ hồ sơ"
    changes = ApplicationStatusChange.objects.filter(application__in=applications)
    assert (
        sorted(changes.values_list("from_status", "to_status", "reason", "changed_by"))
        == [("submitted", "approved", "Đủ hồ sơ", organiser_user.pk)] * 3
    )


def test_waitlist_action_without_reason_moves_to_waiting_list(admin_client, organiser_user, event):
    application = factories.ApplicationFactory(event=event)
    response = run_action(admin_client, "waitlist", [application], reason="")
    assert messages_of(response) == ["1 application put on the waiting list."]
    application.refresh_from_db()
    assert application.status == A.WAITLISTED
    change = ApplicationStatusChange.objects.get(application=application)
    assert (change.to_status, change.reason, change.changed_by) == ("waitlisted", "", organiser_user)


def test_reject_action_with_reason_rejects_and_releases_booths(admin_client, organiser_user, event):
    application = factories.ApplicationFactory(event=event)
    assignment = factories.AssignmentFactory(application=application, booth__event=event)
    response = run_action(admin_client, "reject", [application], reason="Hàng không thuộc nhóm được phép")
    assert messages_of(response) == ["1 application rejected."]
    application.refresh_from_db()
    assignment.refresh_from_db()
    assert application.status == A.REJECTED
    assert application.decision_reason == "Hàng không thuộc nhóm được phép"
    assert assignment.status == Assignment.Status.RELEASED
    change = ApplicationStatusChange.objects.get(application=application)
    assert (change.reason, change.changed_by) == ("Hàng không thuộc nhóm được phép", organiser_user)


@pytest.mark.parametrize("reason", ["", "   "])
def test_reject_action_without_reason_is_refused(admin_client, event, reason):
    application = factories.ApplicationFactory(event=event)
    response = run_action(admin_client, "reject", [application], reason=reason)
    assert response.status_code == 200
    assert response.templates[0].name == "admin/vendors/application/decision_confirmation.html"
    assert "Give a reason for the rejection." in response.content.decode()
    application.refresh_from_db()
    assert application.status == A.SUBMITTED
    assert not ApplicationStatusChange.objects.exists()


def test_approve_action_on_withdrawn_application_reports_error_and_changes_nothing(admin_client, event):
    withdrawn = factories.ApplicationFactory(event=event, vendor__name="Công ty Bánh kẹo Hải Hà", status=A.WITHDRAWN)
    submitted = factories.ApplicationFactory(event=event)
    response = run_action(admin_client, "approve", [withdrawn, submitted], reason="")
    assert messages_of(response) == [
        "1 application approved.",
        "1 application was not changed: Công ty Bánh kẹo Hải Hà: "
        "An application cannot go from “Withdrawn” to “Approved”.",
    ]
    withdrawn.refresh_from_db()
    assert withdrawn.status == A.WITHDRAWN
    assert withdrawn.decided_by is None
    assert not ApplicationStatusChange.objects.filter(application=withdrawn).exists()


def test_cancel_action_cancels_approved_application(admin_client, event):
    application = factories.ApplicationFactory(event=event, status=A.APPROVED)
    response = run_action(admin_client, "cancel", [application], reason="Đơn vị xin rút")
    assert messages_of(response) == ["1 application cancelled."]
    application.refresh_from_db()
    assert application.status == A.CANCELLED


def test_application_change_form_has_no_editable_status(admin_client, event):
    application = factories.ApplicationFactory(event=event)
    response = admin_client.get(admin_url("admin:vendors_application_change", application.pk))
    assert "status" not in response.context["adminform"].form.fields
    assert "Submitted" in response.content.decode()


def test_admin_shows_images_but_takes_no_unchecked_uploads(admin_client):
    """Images enter only through the business's profile (checked by content, re-encoded);
    the admin change pages show them and offer no file input."""
    vendor = factories.VendorFactory()
    product = factories.ProductFactory(vendor=vendor)
    for url in (
        admin_url("admin:vendors_vendor_change", vendor.pk),
        admin_url("admin:vendors_product_change", product.pk),
    ):
        html = admin_client.get(url).content.decode()
        assert 'type="file"' not in html
        assert "the business uploads it on its profile" in html
