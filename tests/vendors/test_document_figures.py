"""One definition of "missing documents" (issue 18 leftovers): the staff review list (its
"Missing documents only" filter and its N/M column), the documents-missing reminder's due list and
the reminder's text all count what the fair's rules ask of each application
(vendors.services.documents), not the fair's flat list alone."""

import datetime as dt
import re
from types import SimpleNamespace

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from events.models import DocumentType, FairDocumentRule
from tests import factories
from tests.reminders.support import rule
from tests.vendors.test_review import listed_names, table_rows
from tuanhang.office.reminders.messages import values_for
from tuanhang.office.reminders.models import ReminderDelivery, ReminderRule
from tuanhang.office.reminders.selectors import deliveries_for_sending, due_applications
from tuanhang.office.reminders.services import reminders_sweep
from vendors.models import Application, Vendor
from vendors.services.documents import documents_by_application

pytestmark = pytest.mark.django_db

HOUSEHOLD = "Hộ kinh doanh Bánh đa Kinh Đô"
FOOD = "Công ty TNHH Nước mắm Cát Hải"
OCOP = "Hợp tác xã Mây tre đan Chúc Sơn"
HOUSEHOLD_WITHOUT_REGISTRATION = "Hộ kinh doanh Bún Thủy Nguyên"
CERTIFICATE = "Giấy chứng nhận cơ sở đủ điều kiện ATTP"


def _document_type(name, slug):
    return DocumentType.objects.create(name=name, slug=slug)


def _application(event, *, name, kind, category, ocop=None, attp=None, uploaded=()):
    vendor = factories.VendorFactory(name=name, kind=kind, email="")
    product = factories.ProductFactory(vendor=vendor, category=category, ocop_stars=ocop)
    application = factories.ApplicationFactory(
        vendor=vendor,
        event=event,
        status=Application.Status.SUBMITTED,
        submitted_at=timezone.now() - dt.timedelta(days=len(name)),
        attp_certificate_required=attp,
    )
    application.products.set([product])
    for document_type in uploaded:
        application.documents.create(
            document_type=document_type, file="x.pdf", original_name="x.pdf", content_type="application/pdf", size=1
        )
    return application


@pytest.fixture
def ruled(db):
    """A fair open for registration whose rules are the real ones: the registration form from
    everyone; for food, the ATTP certificate or, when exempt, the commitment; the OCOP
    certificate for OCOP products; for a household, its registration or the commune's
    confirmation (one of)."""
    now = timezone.now()
    event = factories.EventFactory(
        status="registration_open",
        registration_opens_at=now - dt.timedelta(days=10),
        registration_closes_at=now + dt.timedelta(days=5, hours=-1),
        setup_at=now + dt.timedelta(days=9),
        opens_at=now + dt.timedelta(days=10),
        closes_at=now + dt.timedelta(days=14),
    )
    form = _document_type("Phiếu đăng ký tham gia", "phieu-dang-ky")
    certificate = _document_type(CERTIFICATE, "gcn-attp")
    commitment = _document_type("Bản cam kết bảo đảm ATTP", "cam-ket-attp")
    ocop = _document_type("Giấy chứng nhận OCOP", "ocop")
    hkd = _document_type("Giấy chứng nhận đăng ký hộ kinh doanh", "dk-hkd")
    commune = _document_type("Giấy xác nhận của UBND xã", "xac-nhan-xa")
    event.required_documents.set([form])
    for position, (document_type, conditions) in enumerate(
        [
            (certificate, {"shows_food": True, "attp_certificate_required": True}),
            (commitment, {"shows_food": True, "attp_certificate_required": False}),
            (ocop, {"shows_ocop": True}),
            (hkd, {"kinds": Vendor.Kind.HKD, "group": "Đăng ký hộ kinh doanh"}),
            (commune, {"kinds": Vendor.Kind.HKD, "group": "Đăng ký hộ kinh doanh"}),
        ]
    ):
        FairDocumentRule.objects.create(event=event, document_type=document_type, position=position, **conditions)
    food = factories.CategoryFactory(name="Thực phẩm chế biến", is_food=True)
    craft = factories.CategoryFactory(name="Thủ công mỹ nghệ", is_food=False)
    return SimpleNamespace(
        event=event,
        household=_application(
            event,
            name=HOUSEHOLD,
            kind=Vendor.Kind.HKD,
            category=food,
            attp=False,
            uploaded=(form, commitment, hkd),
        ),
        food=_application(event, name=FOOD, kind=Vendor.Kind.DN, category=food, attp=True, uploaded=(form,)),
        ocop=_application(event, name=OCOP, kind=Vendor.Kind.HTX, category=craft, ocop=4, uploaded=(form,)),
        household_without_registration=_application(
            event,
            name=HOUSEHOLD_WITHOUT_REGISTRATION,
            kind=Vendor.Kind.HKD,
            category=food,
            attp=False,
            uploaded=(form, commitment),
        ),
    )


@pytest.fixture
def staff_client(client):
    client.force_login(factories.StaffUserFactory(username="bantochuc"))
    return client


def _review_list(client, event, **params):
    with translation.override("en"):
        url = reverse("vendors:review_list", args=[event.slug])
    response = client.get(url, params)
    assert response.status_code == 200
    return response


MISSING = [FOOD, OCOP, HOUSEHOLD_WITHOUT_REGISTRATION]


def test_review_filter_keeps_those_the_rules_find_lacking(staff_client, ruled):
    response = _review_list(staff_client, ruled.event, missing_documents="on", sort="name")

    assert sorted(listed_names(response)) == sorted(MISSING)
    assert "3 applications" in " ".join(response.content.decode().split())


def test_review_column_counts_what_the_rules_ask_a_group_once(staff_client, ruled):
    response = _review_list(staff_client, ruled.event)

    documents = {row[1].rsplit(" ", 1)[0]: row[7] for row in table_rows(response, "review-applications")}
    assert documents == {
        HOUSEHOLD: "3/3",  # form, commitment, household registration (one of two)
        FOOD: "1/2",  # form; the ATTP certificate is missing
        OCOP: "1/2",  # form; the OCOP certificate is missing
        HOUSEHOLD_WITHOUT_REGISTRATION: "2/3",
    }


def test_reminder_due_list_is_the_review_filter(ruled):
    documents_rule = rule(
        ruled.event,
        kind=ReminderRule.Kind.DOCUMENTS_MISSING,
        anchor=ReminderRule.Anchor.REGISTRATION_CLOSES,
        days=5,
        hours=0,
        statuses=["submitted"],
    )

    due = due_applications(documents_rule, timezone.now())

    assert {pk for pk, _at in due} == {ruled.food.pk, ruled.ocop.pk, ruled.household_without_registration.pk}


def test_reminder_text_names_what_is_missing_and_a_group_as_either(ruled):
    rule(
        ruled.event,
        kind=ReminderRule.Kind.DOCUMENTS_MISSING,
        anchor=ReminderRule.Anchor.REGISTRATION_CLOSES,
        days=5,
        hours=0,
        statuses=["submitted"],
        body_vi="Còn thiếu: {missing_documents}.",
    )
    reminders_sweep()
    ids = ReminderDelivery.objects.values_list("pk", flat=True)

    texts = {
        d.application.vendor.name: (values_for(d.context, "vi")["missing_documents"], values_for(d.context, "en"))
        for d in deliveries_for_sending(ids)
    }

    assert {name: vi for name, (vi, _en) in texts.items()} == {
        FOOD: CERTIFICATE,
        OCOP: "Giấy chứng nhận OCOP",
        HOUSEHOLD_WITHOUT_REGISTRATION: "Giấy chứng nhận đăng ký hộ kinh doanh hoặc Giấy xác nhận của UBND xã",
    }
    assert texts[HOUSEHOLD_WITHOUT_REGISTRATION][1]["missing_documents"] == (
        "Giấy chứng nhận đăng ký hộ kinh doanh or Giấy xác nhận của UBND xã"
    )


def test_bulk_evaluation_agrees_with_one_by_one_in_fixed_queries(ruled, django_assert_num_queries):
    from vendors.services.documents import application_documents

    applications = Application.objects.filter(event=ruled.event).order_by("pk")
    one_by_one = {a.pk: [r.name for r in application_documents(a).missing] for a in applications}

    with django_assert_num_queries(10):
        bulk = documents_by_application(Application.objects.filter(event=ruled.event))

    assert {pk: [r.name for r in required.missing] for pk, required in bulk.items()} == one_by_one
    assert one_by_one[ruled.household.pk] == []


def test_review_page_counts_as_the_list_does_and_names_a_group_once(staff_client, ruled):
    with translation.override("en"):
        url = reverse("vendors:review_detail", args=[ruled.household.pk])
    html = staff_client.get(url).content.decode()

    badge = re.search(r'id="documents-heading">.*?<span class="badge[^"]*">([^<]+)</span>', html, re.S).group(1)
    required = " ".join(
        re.sub(r"<[^>]+>", " ", re.search(r'id="required-documents">(.*?)</ul>', html, re.S).group(1)).split()
    )
    assert badge == "3/3"  # as the list's column says: the household registration group counts once
    assert "Giấy chứng nhận đăng ký hộ kinh doanh or Giấy xác nhận của UBND xã received" in required
    assert "Giấy chứng nhận cơ sở đủ điều kiện ATTP" not in required  # exempt: the commitment is asked instead
