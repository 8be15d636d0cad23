"""python manage.py seed_demo: the demo fair, realistic and idempotent."""

import datetime as dt
import io
import re
from itertools import combinations

import pytest
from django.contrib.auth import authenticate, get_user_model
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone, translation
from pytest_django.asserts import assertContains

from booths.models import Assignment, Booth
from events.generated.header import fair_header
from events.models import Category, DocumentType, Event, EventStatusChange, Organiser, SubsidyProgramme, Zone
from tests.shared_setup import made_once
from tuanhang.kernel.pdf.glyphs import validate_printable
from tuanhang.kernel.vn import clean_tax_code, parse_phone
from tuanhang.office.demo import USERNAME, data, plan_participants
from tuanhang.office.demo.rows import communes_by_province
from vendors.models import (
    Application,
    ApplicationDocument,
    ApplicationStatusChange,
    Product,
    SubsidyGrant,
    Vendor,
    ZonePreference,
)
from vendors.services.documents import application_documents

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
        "subsidy programmes": SubsidyProgramme.objects.count(),
        "subsidy grants": SubsidyGrant.objects.count(),
    }


def three_years_after(day):
    try:
        return day.replace(year=day.year + 3)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 3, day=28)


@pytest.fixture(scope="class")
def _seeded_once(django_db_setup, django_db_blocker):
    yield from made_once(django_db_blocker, seed)


@pytest.fixture
def demo(_seeded_once, db):
    return Event.objects.select_related("organiser").get(slug=SLUG), _seeded_once


def test_seed_demo_twice_creates_nothing_new(db):
    seed()
    first = counts()
    first_vendors = list(Vendor.objects.order_by("tax_code").values_list("tax_code", "name", "phone"))

    output = seed()

    assert counts() == first
    assert list(Vendor.objects.order_by("tax_code").values_list("tax_code", "name", "phone")) == first_vendors
    assert "Created: nothing (already there)" in output


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


# --- a coherent demo fair (issue 19 item 6) -----------------------------------------------------------------


def test_seed_demo_enlarges_the_hall_of_a_demo_seeded_before_and_never_shrinks_it(db):
    seed()
    # A development database seeded before the hall was 60 × 60 m.
    Event.objects.filter(slug=SLUG).update(hall_width_m=60, hall_depth_m=40)

    output = seed()

    assert "Created: nothing (already there)" in output
    event = Event.objects.get(slug=SLUG)
    assert (event.hall_width_m, event.hall_depth_m) == (60, 60)
    Event.objects.filter(slug=SLUG).update(hall_width_m=80, hall_depth_m=75)
    seed()
    event.refresh_from_db()
    assert (event.hall_width_m, event.hall_depth_m) == (80, 75)


class TestTheSeededDemo:
    """Checks of one demo fair, seeded once for the class (tests/shared_setup.py): each test runs
    in its own savepoint inside the seed's transaction, so it sees the fair exactly as seeded."""

    def test_seed_demo_creates_the_vsip_fair_with_registration_open(self, demo):
        event, _ = demo

        year = timezone.localtime(event.opens_at).year
        assert event.name == f"Tuần hàng Việt Nam tại KCN VSIP Thủy Nguyên năm {year}"
        assert event.organiser.name == "Trung tâm Khuyến công và Tư vấn phát triển công nghiệp Hải Phòng"
        assert event.organiser.parent_body == "Sở Công Thương Hải Phòng"
        assert event.province.name == "Hải Phòng"
        assert event.status == Event.Status.REGISTRATION_OPEN
        steps = event.status_changes.order_by("id").values_list("from_status", "to_status")
        assert list(steps) == [("draft", "published"), ("published", "registration_open")]
        today = timezone.localdate()
        opens = timezone.localdate(event.registration_opens_at)
        assert opens < today < timezone.localdate(event.registration_closes_at)
        assert timezone.localdate(event.opens_at) - today == dt.timedelta(days=21)
        assert event.categories.count() == 11
        required = sorted(event.required_documents.values_list("slug", flat=True))
        assert required == ["dang-ky-kinh-doanh", "phieu-dang-ky"]
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

    def test_seed_demo_lays_out_booths_in_themed_zones(self, demo):
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

    def test_seed_demo_participants_are_many_varied_and_valid(self, demo):
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

    def test_seed_demo_products_include_ocop_certificates(self, demo):
        ocop = list(Product.objects.exclude(ocop_stars=None))

        assert len(ocop) >= 20
        assert {p.ocop_stars for p in ocop} == {3, 4, 5}
        for product in ocop:
            assert re.fullmatch(r"\d+/QĐ-(UBND|BNN-VPĐP)", product.ocop_decision_number)
            assert product.ocop_expires_on == three_years_after(product.ocop_decision_date)
            assert product.ocop_issuer
        assert Vendor.objects.filter(categories__slug="san-pham-ocop").count() >= 10

    def test_seed_demo_applications_cover_every_status(self, demo):
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

    def test_seed_demo_gives_booths_only_to_approved_applications(self, demo):
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

    def test_seed_demo_prints_the_login_and_the_urls(self, demo):
        _, output = demo

        assert "Organiser login: organiser / tuanhang-demo" in output
        assert "http://127.0.0.1:8000/staff/" in output
        assert "http://127.0.0.1:8000/admin/" in output
        user = authenticate(RequestFactory().post("/"), username="organiser", password="tuanhang-demo")
        assert user is not None and user.is_staff and user.is_superuser

    def test_seed_demo_fair_shows_on_the_staff_pages(self, demo, client):
        event, _ = demo
        client.force_login(get_user_model().objects.get(username="organiser"))
        with translation.override("en"):
            home = client.get(reverse("events:staff_home"))
            dashboard = client.get(reverse("events:dashboard", kwargs={"slug": SLUG}))

        assert home.status_code == dashboard.status_code == 200
        year = timezone.localtime(event.opens_at).year
        assertContains(home, f"Tuần hàng Việt Nam tại KCN VSIP Thủy Nguyên năm {year}")
        total = event.applications.count()
        assertContains(dashboard, f'<div class="fs-3 fw-semibold" id="total-applications">{total}</div>', html=True)
        assertContains(
            dashboard, '<dt>Fee after subsidy</dt><dd class="text-nowrap fw-semibold">3.000.000 ₫</dd>', html=True
        )
        assertContains(dashboard, "A – Khu gian hàng Hải Phòng")

    def test_seed_demo_businesses_sell_what_their_name_says(self, demo):
        trades = {
            (province, name): trade
            for province, (_count, specialities) in data.PROVINCES.items()
            for name, _category, trade, _ocop in specialities
        }
        vendors = Vendor.objects.prefetch_related("products__category", "categories")

        checked = 0
        for vendor in vendors:
            categories = {c.slug for c in vendor.categories.all()}
            for product in vendor.products.all():
                # The trade the product belongs to is the one the business's name carries ("HTX Dệt may …").
                assert trades[(vendor.province_id, product.name)] in vendor.short_name, (vendor.name, product.name)
                assert product.category.slug in categories, (vendor.name, product.name)
                checked += 1
        assert checked >= 90
        assert not Product.objects.filter(name="Bánh gai Ninh Giang", vendor__short_name__contains="Dệt may").exists()

    def test_seed_demo_approved_applications_carry_their_documents(self, demo):
        event, _ = demo
        applications = list(
            event.applications.filter(status__in=["approved", "submitted"]).select_related("vendor", "event")
        )

        approved = [a for a in applications if a.status == "approved"]
        assert len(approved) == 44
        for application in approved:
            documents = application_documents(application)
            assert documents.unanswered == ()
            assert documents.missing == [], (application.vendor.name, [r.name for r in documents.missing])
        # The answers follow the business: a food-producing company holds the ATTP certificate, a
        # household signs the commitment, and a business showing OCOP products sends their certificate.
        uploaded = lambda app: {d.document_type.slug for d in app.documents.all()}  # noqa: E731
        assert any("gcn-attp" in uploaded(a) for a in approved if a.vendor.kind == "DN")
        assert any("cam-ket-attp" in uploaded(a) for a in approved if a.vendor.kind == "HKD")
        assert all("gcn-attp" not in uploaded(a) for a in approved if a.vendor.kind == "HKD")
        assert sum("chung-nhan-ocop" in uploaded(a) for a in approved) >= 5
        # Submitted ones are what staff review: some still lack a document.
        submitted = [a for a in applications if a.status == "submitted"]
        assert any(application_documents(a).missing for a in submitted)
        assert all(a.documents.exists() for a in submitted)
        stored = ApplicationDocument.objects.filter(application__event=event).first()
        assert stored.content_type == "application/pdf" and stored.file.read(5) == b"%PDF-"

    def test_seed_demo_names_print_and_the_venue_is_written_once(self, demo):
        event, _ = demo
        names = [
            *Vendor.objects.values_list("name", flat=True),
            *Vendor.objects.values_list("short_name", flat=True),
            *Product.objects.values_list("name", flat=True),
            *Event.objects.values_list("name", flat=True),
        ]
        refused = []
        for name in names:
            try:
                validate_printable(name)
            except ValidationError:
                refused.append(name)
        assert refused == []
        place = fair_header(event).place
        assert place == "Khu công nghiệp VSIP Hải Phòng, Đường Tràng Duệ, phường Thủy Nguyên, Hải Phòng"
        assert place.count("Khu công nghiệp VSIP") == 1

    def test_seed_demo_business_decodes_the_qr_on_its_printed_letter(self, demo):
        """Issue 20's first "Done when": the demo fair's letter, printed to an image and read by a
        standard decoder, gives the organiser's account, the exact amount and the payment code."""
        from events.generated import get_builder
        from events.generated.header import fair_for_print
        from tests.qr_decoding import decode_pdf_page, read_vietqr
        from tuanhang.office.demo import data
        from tuanhang.office.printing.selectors import participant_rows
        from vendors.payment_codes import code_for

        event, _ = demo
        event = fair_for_print(slug=event.slug)
        row = next(r for r in participant_rows(event) if r.amount_due > r.paid)
        builder = get_builder("letters")
        cleaned = builder.clean({"application": row.application_id}, event=event)
        content = builder.render(event, builder.collect(event, cleaned), cleaned, lambda done, total: None)

        (payload,) = decode_pdf_page(content)
        expected = min(row.deposit - row.paid, row.amount_due - row.paid) if row.paid < row.deposit else row.outstanding
        assert read_vietqr(payload) == {
            "bin": data.BANK_ACCOUNT["bank_bin"],
            "account": data.BANK_ACCOUNT["account_number"],
            "amount": expected,
            "memo": code_for(row.application_id),
        }

    def test_seed_demo_fair_runs_under_a_khuyen_cong_programme_with_grants(self, demo, client):
        event, _ = demo
        programme = event.subsidy_programme
        year = timezone.localtime(event.opens_at).year
        assert programme.name == f"Chương trình khuyến công thành phố Hải Phòng năm {year}"
        assert (programme.budget, programme.share_percent, programme.cap_per_fair, programme.max_fairs_per_year) == (
            200_000_000,
            50,
            3_000_000,
            2,
        )
        assert (programme.starts_on, programme.ends_on) == (dt.date(year, 1, 1), dt.date(year, 12, 31))
        approved = Application.objects.filter(event=event, status=Application.Status.APPROVED)
        grants = SubsidyGrant.objects.filter(programme=programme, status=SubsidyGrant.Status.GRANTED)
        assert grants.count() == approved.count() > 10
        # 50 % of the 6.000.000 ₫ booth fee, at most 3.000.000 ₫ per business: one booth or two, 3.000.000 ₫
        assert set(grants.values_list("amount", flat=True)) == {3_000_000}
        assert {a.owed.subsidy for a in approved.select_related("owed")} == {3_000_000}

        client.force_login(get_user_model().objects.get(username=USERNAME))
        with translation.override("en"):
            dashboard = client.get(reverse("events:dashboard", kwargs={"slug": event.slug}))
            pack = client.get(reverse("reports:subsidy_settlement", kwargs={"pk": programme.pk, "fmt": "xlsx"}))
        budget = dashboard.context["dashboard"].subsidy
        assert (budget.granted, budget.left) == (3_000_000 * grants.count(), 200_000_000 - 3_000_000 * grants.count())
        assert pack.status_code == 200 and pack["Content-Type"].startswith("application/vnd.openxmlformats")
