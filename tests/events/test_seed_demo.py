"""python manage.py seed_demo: the demo fair, realistic and idempotent."""

import datetime as dt
import io
import re
from itertools import combinations

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.management import call_command
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone, translation
from pytest_django.asserts import assertContains

from booths.models import Assignment, Booth
from events.models import Category, DocumentType, Event, EventStatusChange, Organiser, Zone
from tuanhang.kernel.vn import clean_tax_code, parse_phone
from tuanhang.office.demo import plan_participants
from tuanhang.office.demo.rows import communes_by_province
from vendors.models import Application, ApplicationStatusChange, Product, Vendor, ZonePreference

SLUG = "tuan-hang-viet-nam-vsip-thuy-nguyen-2024"


def seed():
    out = io.StringIO()
    with translation.override("en"):
        call_command("seed_demo", stdout=out)
    return out.getvalue()


def counts():
    return {
        "users": get_user_model().objects.count(),
        "organisers": Organiser.objects.count(),
        "categories": Category.objects.count(),
        "document types": DocumentType.objects.count(),
        "fairs": Event.objects.count(),
        "fair status changes": EventStatusChange.objects.count(),
        "zones": Zone.objects.count(),
        "booths": Booth.objects.count(),
        "participants": Vendor.objects.count(),
        "products": Product.objects.count(),
        "applications": Application.objects.count(),
        "application status changes": ApplicationStatusChange.objects.count(),
        "zone preferences": ZonePreference.objects.count(),
        "assignments": Assignment.objects.count(),
        "active assignments": Assignment.objects.filter(status__in=Assignment.ACTIVE).count(),
    }


def three_years_after(day):
    try:
        return day.replace(year=day.year + 3)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 3, day=28)


@pytest.fixture
def demo(db):
    output = seed()
    return Event.objects.select_related("organiser").get(slug=SLUG), output


def test_seed_demo_twice_creates_nothing_new(db):
    seed()
    first = counts()
    first_vendors = list(Vendor.objects.order_by("tax_code").values_list("tax_code", "name", "phone"))

    output = seed()

    assert counts() == first
    assert list(Vendor.objects.order_by("tax_code").values_list("tax_code", "name", "phone")) == first_vendors
    assert "Created: nothing (already there)" in output


def test_seed_demo_creates_the_vsip_fair_with_registration_open(demo):
    event, _ = demo

    assert event.name == f"Tuần hàng Việt Nam tại KCN VSIP Thủy Nguyên năm {timezone.localtime(event.opens_at).year}"
    assert event.organiser.name == "Trung tâm Khuyến công và Tư vấn phát triển công nghiệp Hải Phòng"
    assert event.organiser.parent_body == "Sở Công Thương Hải Phòng"
    assert event.province.name == "Hải Phòng"
    assert event.status == Event.Status.REGISTRATION_OPEN
    steps = event.status_changes.order_by("id").values_list("from_status", "to_status")
    assert list(steps) == [("draft", "published"), ("published", "registration_open")]
    today = timezone.localdate()
    assert timezone.localdate(event.registration_opens_at) < today < timezone.localdate(event.registration_closes_at)
    assert timezone.localdate(event.opens_at) - today == dt.timedelta(days=21)
    assert event.categories.count() == 11
    assert sorted(event.required_documents.values_list("slug", flat=True)) == ["dang-ky-kinh-doanh", "phieu-dang-ky"]
    rules = {
        r.document_type.slug: (r.shows_food, r.attp_certificate_required, r.sells_packaged_food, r.shows_ocop)
        for r in event.document_rules.select_related("document_type")
    }
    assert rules == {
        "gcn-attp": (True, True, None, None),
        "cam-ket-attp": (True, False, None, None),
        "tu-cong-bo-san-pham": (None, None, True, None),
        "chung-nhan-ocop": (None, None, None, True),
    }
    assert "Niêm yết giá" in event.terms
    form = DocumentType.objects.get(slug="phieu-dang-ky")
    assert form.template.name.endswith(".xlsx")
    assert form.template_content_type.endswith("spreadsheetml.sheet")
    assert form.generated_form  # and the site prints it, blank and prefilled
    # Filled in for each fair: never offered for reuse with the next application; the others are.
    assert set(DocumentType.objects.filter(reusable=False).values_list("slug", flat=True)) == {"phieu-dang-ky"}


def test_seed_demo_lays_out_booths_in_themed_zones(demo):
    event, _ = demo
    booths = list(event.booths.select_related("zone", "booth_type"))

    zones = {z.code: z.name for z in event.zones.all()}
    assert zones == {
        "A": "Khu gian hàng Hải Phòng",
        "B": "Khu OCOP",
        "C": "Khu nông sản",
        "D": "Khu thực phẩm chế biến",
        "E": "Khu hàng tiêu dùng",
    }
    assert sorted(event.zones.get(code="C").categories.values_list("name", flat=True)) == [
        "Chè – cà phê",
        "Nông sản",
        "Thủy hải sản",
    ]
    standard = [b for b in booths if b.booth_type.is_standard]
    assert len(standard) >= 120
    assert all((b.width, b.depth) == (3, 3) for b in standard)
    assert sorted((b.width, b.depth) for b in booths if not b.booth_type.is_standard) == [(6, 3)] * 3
    assert all(re.fullmatch(rf"{b.zone.code}\d\d", b.code) for b in booths)
    assert {b.code for b in booths if b.blocked} == {"A07", "A08", "C13", "E20", "E21"}
    assert all(b.blocked_reason for b in booths if b.blocked)
    # No two booths overlap on the plan.
    for a, b in combinations(booths, 2):
        assert a.x + a.width <= b.x or b.x + b.width <= a.x or a.y + a.depth <= b.y or b.y + b.depth <= a.y, (a, b)
    # Rows are separated by aisles: the two back-to-back rows of a zone, then 4 m of aisle.
    rows = sorted({b.y for b in booths})
    assert rows == [10, 13, 20, 23, 30, 33, 40, 43, 50, 53]


def test_seed_demo_participants_are_many_varied_and_valid(demo):
    vendors = list(Vendor.objects.select_related("province", "commune"))

    assert len(vendors) >= 90
    assert len({v.province_id for v in vendors}) >= 15
    assert {v.kind for v in vendors} == {"DN", "HTX", "HKD"}
    for vendor in vendors:
        assert clean_tax_code(vendor.tax_code, vendor.kind) == vendor.tax_code, vendor
        assert parse_phone(vendor.phone) == vendor.phone, vendor
        assert vendor.email.endswith("@example.com")
        assert vendor.commune.province_id == vendor.province_id
    personal_ids = [v for v in vendors if len(v.tax_code) == 12]
    assert personal_ids
    assert {v.kind for v in personal_ids} == {"HKD"}
    assert sum(v.province.name == "Hải Phòng" for v in vendors) >= 20


def test_seed_demo_products_include_ocop_certificates(demo):
    ocop = list(Product.objects.exclude(ocop_stars=None))

    assert len(ocop) >= 20
    assert {p.ocop_stars for p in ocop} == {3, 4, 5}
    for product in ocop:
        assert re.fullmatch(r"\d+/QĐ-(UBND|BNN-VPĐP)", product.ocop_decision_number)
        assert product.ocop_expires_on == three_years_after(product.ocop_decision_date)
        assert product.ocop_issuer
    assert Vendor.objects.filter(categories__slug="san-pham-ocop").count() >= 10


def test_seed_demo_applications_cover_every_status(demo):
    event, _ = demo

    statuses = set(event.applications.values_list("status", flat=True))
    assert statuses == set(Application.Status.values)
    assert event.applications.count() >= 80
    # Every application reached its status through the service, which records each step.
    approved = event.applications.filter(status="approved").first()
    assert list(approved.status_changes.order_by("id").values_list("to_status", flat=True)) == [
        "submitted",
        "approved",
    ]


def test_seed_demo_gives_booths_only_to_approved_applications(demo):
    event, _ = demo
    active = Assignment.objects.filter(booth__event=event, status__in=Assignment.ACTIVE).select_related(
        "booth", "application"
    )

    assert active.count() >= 30
    assert {a.application.status for a in active} == {"approved"}
    assert not any(a.booth.blocked for a in active)
    assert {a.status for a in active} == {"held", "confirmed"}
    per_application = {}
    for assignment in active:
        per_application.setdefault(assignment.application, []).append(assignment.booth)
    for application, booths in per_application.items():
        standard_units = sum(int(b.width // 3) for b in booths)  # a 6 × 3 m double booth counts as two
        assert standard_units <= application.booths_requested
    # Cancelled participants gave their booths back.
    released = Assignment.objects.filter(booth__event=event, status=Assignment.Status.RELEASED)
    assert {a.application.status for a in released} == {"cancelled"}
    # Some approved participants still wait for a booth, for the allocation to do.
    assert event.applications.filter(status="approved").exclude(assignments__status__in=Assignment.ACTIVE).exists()


def test_seed_demo_prints_the_login_and_the_urls(demo):
    _, output = demo

    assert "Organiser login: organiser / tuanhang-demo" in output
    assert "http://127.0.0.1:8000/staff/" in output
    assert "http://127.0.0.1:8000/admin/" in output
    user = authenticate(RequestFactory().post("/"), username="organiser", password="tuanhang-demo")
    assert user is not None and user.is_staff and user.is_superuser


def test_seed_demo_takes_the_password_from_demo_password(db, monkeypatch):
    monkeypatch.setenv("DEMO_PASSWORD", "mat-khau-hoi-cho-2024")

    output = seed()

    assert "Organiser login: organiser / mat-khau-hoi-cho-2024" in output
    assert authenticate(RequestFactory().post("/"), username="organiser", password="mat-khau-hoi-cho-2024") is not None
    assert authenticate(RequestFactory().post("/"), username="organiser", password="tuanhang-demo") is None


def test_plan_participants_is_the_same_every_time(db):
    communes = communes_by_province()
    today = dt.date(2026, 11, 27)

    first = plan_participants(communes=communes, today=today)
    second = plan_participants(communes=communes, today=today)

    assert first == second
    assert len({p.tax_code for p in first}) == len(first)


def test_seed_demo_fair_shows_on_the_staff_pages(demo, client):
    event, _ = demo
    client.force_login(get_user_model().objects.get(username="organiser"))
    with translation.override("en"):
        home = client.get(reverse("events:staff_home"))
        dashboard = client.get(reverse("events:dashboard", kwargs={"slug": SLUG}))

    assert home.status_code == dashboard.status_code == 200
    assertContains(home, f"Tuần hàng Việt Nam tại KCN VSIP Thủy Nguyên năm {timezone.localtime(event.opens_at).year}")
    total = event.applications.count()
    assertContains(dashboard, f'<div class="fs-3 fw-semibold" id="total-applications">{total}</div>', html=True)
    assertContains(
        dashboard, '<dt>Fee after subsidy</dt><dd class="text-nowrap fw-semibold">3.000.000 ₫</dd>', html=True
    )
    assertContains(dashboard, "A – Khu gian hàng Hải Phòng")
