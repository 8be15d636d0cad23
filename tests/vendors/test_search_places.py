"""Issue 18, item 3: the searches of the public directory, the check-in page and the staff review
list find businesses by their province (without accents, and by the names of the provinces merged
into it in 2025), by their commune, and by the code of the booth they hold at that fair; a
household's personal ID stays out of what the public search looks in."""

import io

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from booths.models import Assignment
from events.models import Commune, Event
from tests import factories
from tests.vendors._directory_support import crowd, en, exhibitor
from tests.vendors.test_checkin import _results as checkin_names
from tests.vendors.test_directory import names as directory_names
from tests.vendors.test_review import listed_names as review_names
from tuanhang.kernel.codes import code_search_key
from tuanhang.public.directory import selectors as directory
from vendors.models import Application, Vendor
from vendors.search import HOUSEHOLD, vendor_search_text

A = Application.Status
E = Event.Status

SEN = "Hợp tác xã Hoa Sen"  # Đồng Tháp (merged with Tiền Giang), booths B40 and B41
BANH = "Công ty Bánh Rồng Vàng"  # Hải Phòng (merged with Hải Dương)
MAI = "Hộ kinh doanh Trần Thị Mai"  # Hà Nội, Phường Hoàn Kiếm
NANG = "Công ty Cổ phần Nắng Mới"  # Thái Nguyên (merged with Bắc Kạn), booth B04
MAY = "Công ty TNHH Mây Tre"  # Thái Nguyên, booth B-12
KHAC = "Công ty Gốm Men Lam"  # Hà Nội, holds B04 at another fair only

PERSONAL_ID = "001190012345"


@pytest.fixture
def fair(db):
    event = factories.EventFactory(name="Tuần hàng Việt Nam VSIP", slug="vsip", status=E.REGISTRATION_CLOSED)
    other_fair = factories.EventFactory(name="Hội chợ khác", slug="khac", status=E.REGISTRATION_CLOSED)
    zone = factories.ZoneFactory(event=event, code="B")
    standard = factories.BoothTypeFactory(event=event)

    def booth(code, x, on=event, zone=zone, booth_type=standard):
        return factories.BoothFactory(event=on, zone=zone, booth_type=booth_type, code=code, x=x, y=0)

    exhibitor(event, SEN, province="82", short_name="", booths=[booth("B40", 9), booth("B41", 12)])
    exhibitor(event, BANH, province="31", short_name="")
    exhibitor(
        event,
        MAI,
        province="01",
        short_name="",
        kind=Vendor.Kind.HKD,
        tax_code=PERSONAL_ID,
        commune=Commune.objects.get(name="Phường Hoàn Kiếm"),
    )
    exhibitor(event, NANG, province="19", short_name="", booths=[booth("B04", 0)])
    released = exhibitor(event, MAY, province="19", short_name="", booths=[booth("B-12", 3)])
    Assignment.objects.create(
        booth=booth("B05", 6), application=released, status=Assignment.Status.RELEASED, released_at=timezone.now()
    )
    gom = exhibitor(event, KHAC, province="01", short_name="")
    other_zone = factories.ZoneFactory(event=other_fair, code="B")
    Assignment.objects.create(
        booth=booth("B04", 0, on=other_fair, zone=other_zone, booth_type=factories.BoothTypeFactory(event=other_fair)),
        application=factories.ApplicationFactory(vendor=gom.vendor, event=other_fair, status=A.APPROVED),
        status=Assignment.Status.CONFIRMED,
    )
    return event


@pytest.fixture
def staff_client(client, db):
    client.force_login(factories.StaffUserFactory())
    return client


def in_directory(client, query):
    return directory_names(client.get(en("vendors:exhibitors", slug="vsip"), {"q": query}))


def at_checkin(client, query):
    return checkin_names(client.get(en("vendors:checkin", slug="vsip"), {"q": query}))


def in_review_list(client, query):
    return sorted(review_names(client.get(en("vendors:review_list", "vsip"), {"status": "approved", "q": query})))


FOUND = [
    ("dong thap", [SEN]),
    ("Đồng Tháp", [SEN]),
    ("ĐỒNG THÁP", [SEN]),
    ("tien giang", [SEN]),  # merged into Đồng Tháp
    ("Hải Dương", [BANH]),  # merged into Hải Phòng
    ("hai duong", [BANH]),
    ("Hải Phòng", [BANH]),
    ("Bắc Kạn", [NANG, MAY]),  # merged into Thái Nguyên
    ("hoan kiem", [MAI]),  # a commune
    ("Phường Hoàn Kiếm", [MAI]),
    ("B04", [NANG]),
    ("b04", [NANG]),
    ("B-04", [NANG]),
    ("b 04", [NANG]),
    ("B4", [NANG]),  # leading zeros do not count: B04 …
    ("b-4", [NANG]),
    ("B 004", [NANG]),
    ("B40", [SEN]),  # … but the number is compared whole: B40 is not B4
    ("b-041", [SEN]),
    ("B12", [MAY]),  # stored as B-12
    ("b-12", [MAY]),
]
NOT_FOUND = [
    "Quảng Bình",  # merged into Quảng Trị, where nobody here comes from
    "Gia Lai",
    "B05",  # released
    "B400",  # not B40
    "B14",
    "hai phong hai duong",  # across two names
    "xe máy",
    "%",
    "_",
    "' OR '1'='1",
    "B04' --",
    "<script>alert(1)</script>",
    "ha%noi",
    "B" * 100,
]


@pytest.mark.parametrize(("query", "expected"), FOUND)
def test_directory_finds_by_province_former_province_commune_and_booth_code(client, fair, query, expected):
    assert in_directory(client, query) == expected  # one, or two in Vietnamese order


@pytest.mark.parametrize(("query", "expected"), FOUND)
def test_checkin_finds_by_province_former_province_commune_and_booth_code(staff_client, fair, query, expected):
    assert sorted(at_checkin(staff_client, query)) == sorted(expected)


@pytest.mark.parametrize(("query", "expected"), FOUND)
def test_review_list_finds_by_province_former_province_commune_and_booth_code(staff_client, fair, query, expected):
    found = in_review_list(staff_client, query)
    if query == "b 04":
        # Each word on its own may also find a business ("b" in a name and "04" in its tax code).
        assert set(expected) <= set(found)
    else:
        assert found == sorted(expected)


@pytest.mark.parametrize("query", NOT_FOUND)
def test_directory_and_checkin_find_nothing_for_what_matches_no_business(client, staff_client, fair, query):
    assert in_directory(client, query) == []
    assert at_checkin(staff_client, query) == []


@pytest.mark.parametrize("query", [q for q in NOT_FOUND if q != "hai phong hai duong"])
def test_review_list_finds_nothing_for_what_matches_no_business(staff_client, fair, query):
    # Every word is looked for on its own here, so "hai phong hai duong" does find Hải Phòng.
    assert in_review_list(staff_client, query) == []


def test_a_booth_code_of_another_fair_does_not_find_its_holder(client, staff_client, fair):
    assert KHAC not in in_directory(client, "B04")
    assert KHAC not in at_checkin(staff_client, "B04")
    assert in_directory(client, "gom men lam") == [KHAC]


def test_checkin_lists_the_booth_holder_before_names_containing_the_code(staff_client, fair):
    named = exhibitor(fair, "Công ty A B04 Trading", province="31", short_name="")

    assert at_checkin(staff_client, "b04") == [NANG, named.vendor.name]


def test_the_public_search_text_holds_the_household_place_but_not_its_personal_id(fair):
    household = Vendor.objects.get(name=MAI)

    assert "phuong hoan kiem" in household.search_text
    assert "ha noi" in household.search_text
    assert PERSONAL_ID not in household.search_text
    assert in_directory_text(PERSONAL_ID) == []


def in_directory_text(query):
    event = Event.objects.get(slug="vsip")
    return [a.vendor.name for a in directory.exhibitors(event, directory.Filters(q=query))]


def test_moving_a_business_changes_the_places_it_is_found_by(client, fair):
    vendor = Vendor.objects.get(name=SEN)
    vendor.province_id = "44"  # Quảng Trị, merged with Quảng Bình
    vendor.save(update_fields=["province"])

    assert in_directory(client, "Quảng Bình") == [SEN]
    assert in_directory(client, "dong thap") == []


def test_rebuild_brings_texts_written_by_the_old_rule_up_to_date(client, fair):
    # What migration 0008 does to the rows written before places were searchable.
    Vendor.objects.filter(name=BANH).update(search_text="cong ty banh rong vang")
    assert in_directory(client, "Hải Dương") == []

    out = io.StringIO()
    with translation.override("en"):
        call_command("rebuild_search_text", stdout=out)

    assert out.getvalue().strip() == "Search text rebuilt for 1 businesses."
    assert in_directory(client, "Hải Dương") == [BANH]
    assert Vendor.objects.get(name=BANH).search_text == vendor_search_text(
        Vendor.objects.select_related("province", "commune").get(name=BANH)
    )


def test_the_search_rule_knows_the_household_kind():
    assert HOUSEHOLD == Vendor.Kind.HKD


@pytest.mark.parametrize(
    ("typed", "key"),
    [
        ("B04", "B4"),
        (" b-04 ", "B4"),
        ("b 04", "B4"),
        ("B4", "B4"),
        ("B40", "B40"),
        ("B00", "B0"),
        ("a0010-2", "A102"),
        ("merged-3x3", "MERGED3X3"),
        ("2", "2"),
        ("dong thap", ""),  # no digit: not a code
        ("B04%", ""),
        ("Bß04", ""),
        ("B０4", ""),  # full-width digit
        ("B" * 12 + "1", ""),  # longer than a booth code
        (None, ""),
    ],
)
def test_code_search_key(typed, key):
    assert code_search_key(typed) == key


# --- query counts and the index ----------------------------------------------------------------


@pytest.mark.parametrize("query", ["k-105", "Hải Dương"])
def test_directory_and_checkin_query_counts_do_not_grow_with_booth_or_place_searches(client, db, query):
    staff = factories.StaffUserFactory()
    counts = []
    for n in (10, 1000):
        event = factories.EventFactory(status=E.RUNNING)
        zone = factories.ZoneFactory(event=event, code="K")
        crowd(event, n, zone=zone, booth_type=factories.BoothTypeFactory(event=event))
        client.logout()
        public = _count(client, en("vendors:exhibitors", slug=event.slug), query)
        client.force_login(staff)
        counts.append((public, _count(client, en("vendors:checkin", slug=event.slug), query)))
    assert counts[0] == counts[1], counts


def _count(client, url, query):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, {"q": query})
    assert response.status_code == 200
    return len(queries)


@pytest.mark.postgres
def test_place_and_booth_searches_keep_the_directory_query_shape(db, on_postgres):
    """A place is one more word in the same `search_text LIKE` on the application's own text (its
    business's and its products', issue 21: no product table read), and a booth code adds one
    uncorrelated (hashed) subquery, not one per row."""
    event = factories.EventFactory(status=E.RUNNING)
    zone = factories.ZoneFactory(event=event, code="K")
    crowd(event, 1000, zone=zone, booth_type=factories.BoothTypeFactory(event=event))
    exhibitor(event, SEN, province="82")
    with connection.cursor() as cursor:
        for table in ("vendors_product", "vendors_vendor", "vendors_application", "booths_assignment", "booths_booth"):
            cursor.execute(f"ANALYZE {table}")
    plans = {}
    for query in ("Tiền Giang", "K-105"):
        found = directory.exhibitors(event, directory.Filters(q=query))
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
            plans[query] = found.explain()

    assert [a.vendor.name for a in directory.exhibitors(event, directory.Filters(q="Tiền Giang"))] == [SEN]
    assert [a.vendor.name for a in directory.exhibitors(event, directory.Filters(q="K-105"))] == [
        "Hợp tác xã Đông Hải 0005"
    ]
    assert "search_text ~~ '%tien giang%'" in plans["Tiền Giang"], plans["Tiền Giang"]
    assert "vendors_product" not in plans["Tiền Giang"], plans["Tiền Giang"]
    assert "hashed SubPlan" in plans["K-105"], plans["K-105"]
    assert "search_text ~~ '%k-105%'" in plans["K-105"], plans["K-105"]
