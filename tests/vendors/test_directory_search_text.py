"""The application's folded search text (issue 21, migration vendors 0023): the directory finds
the same businesses as the rule read from the business and product tables, and follows every
change of a business, its products or the products an application lists, whatever writes it
(PostgreSQL triggers keep the column)."""

import pytest
from django.db import connection

from events.models import Event
from tests import factories
from tests.vendors._directory_support import crowd, exhibitor
from tuanhang.kernel.vn import fold
from tuanhang.public.directory import selectors
from vendors.models import Application, Product, Vendor

pytestmark = pytest.mark.postgres
E = Event.Status
A = Application.Status


@pytest.fixture
def fair(db, on_postgres):
    event = factories.EventFactory(slug="vsip", status=E.RUNNING)
    zone = factories.ZoneFactory(event=event, code="B", name="Khu B")
    booth = factories.BoothFactory(
        event=event, zone=zone, booth_type=factories.BoothTypeFactory(event=event), code="B04"
    )
    exhibitor(event, "Hợp tác xã Sen Đồng Tháp", province="82", products=[("Hạt sen sấy", 4)], booths=[booth])
    exhibitor(event, "Công ty TNHH Thuỷ sản Hoà Bình", products=[("Chả mực Hạ Long", 5), ("Mắm tôm", None)])
    exhibitor(event, "Hộ kinh doanh Đào Văn An", products=[("Mật ong rừng", None)])
    listing = exhibitor(event, "Công ty Cổ phần An Phát", products=[("Nước mắm Cát Hải", 3), ("Bánh đa cua", None)])
    listing.products.set(listing.vendor.products.filter(name="Nước mắm Cát Hải"))
    exhibitor(event, "Hợp tác xã Chưa Duyệt", status=A.SUBMITTED, products=[("Mật ong chưa duyệt", 5)])
    return event


def found(event, q):
    return [a.vendor.name for a in selectors.exhibitors(event, selectors.Filters(q=q))]


QUERIES = [
    "mat ong",
    "MẬT ONG",
    "Hòa Bình",
    "hoà bình",
    "thuy san",
    "dao",
    "Đào",
    "ĐÀO VĂN",
    "B04",
    "b-4",
    "b 04",
    "B40",
    "tien giang",
    "Đồng Tháp",
    "hat sen",
    "nuoc mam cat hai",
    "banh da cua",
    "cha muc",
    "mam",
    "hop tac xa",
    "sen | dong",
    "khong co",
]


@pytest.mark.parametrize("q", QUERIES)
def test_search_finds_what_the_rule_by_tables_finds(fair, q):
    by_tables = selectors.Application.objects.filter(
        selectors.matches_by_joins(q, fold(q), fair), event=fair, status=A.APPROVED
    )

    assert sorted(found(fair, q)) == sorted(a.vendor.name for a in by_tables)


def test_search_covers_accents_tone_places_booths_and_listed_products(fair):
    assert found(fair, "hòa bình") == ["Công ty TNHH Thuỷ sản Hoà Bình"]
    assert found(fair, "Tiền Giang") == ["Hợp tác xã Sen Đồng Tháp"]  # merged into Đồng Tháp in 2025
    assert found(fair, "b-4") == ["Hợp tác xã Sen Đồng Tháp"]
    assert found(fair, "nuoc mam") == ["Công ty Cổ phần An Phát"]
    assert found(fair, "banh da cua") == []  # its own, but not among those its application lists
    assert found(fair, "mat ong") == ["Hộ kinh doanh Đào Văn An"]  # not the unapproved one


def test_renamed_product_is_found_by_its_new_name(fair):
    product = Product.objects.get(name="Mật ong rừng")
    product.name = "Mật ong bạc hà"
    product.save()

    assert found(fair, "bac ha") == ["Hộ kinh doanh Đào Văn An"]
    assert found(fair, "mat ong rung") == []


def test_bulk_writes_of_products_are_followed(fair):
    vendor = Vendor.objects.get(name="Hộ kinh doanh Đào Văn An")
    tea = Product(
        vendor=vendor,
        name="Trà shan tuyết",
        search_text=fold("Trà shan tuyết"),
        category_id=vendor.products.get().category_id,
    )
    Product.objects.bulk_create([tea])
    assert found(fair, "shan tuyet") == ["Hộ kinh doanh Đào Văn An"]

    Product.objects.filter(name="Trà shan tuyết").update(name="Trà móc câu", search_text=fold("Trà móc câu"))
    assert found(fair, "shan tuyet") == []
    assert found(fair, "tra moc cau") == ["Hộ kinh doanh Đào Văn An"]

    Product.objects.filter(vendor=vendor).delete()
    assert found(fair, "mat ong") == []
    assert found(fair, "dao van an") == ["Hộ kinh doanh Đào Văn An"]


def test_products_an_application_lists_are_followed(fair):
    application = Application.objects.get(vendor__name="Công ty Cổ phần An Phát")
    application.products.clear()
    assert found(fair, "banh da cua") == ["Công ty Cổ phần An Phát"]  # lists none: shows all its own

    application.products.set(application.vendor.products.filter(name="Bánh đa cua"))
    assert found(fair, "banh da cua") == ["Công ty Cổ phần An Phát"]
    assert found(fair, "nuoc mam") == []


def test_business_renamed_is_found_by_its_new_name(fair):
    vendor = Vendor.objects.get(name="Hộ kinh doanh Đào Văn An")
    vendor.name = "Hộ kinh doanh Nguyễn Thị Lụa"
    vendor.save()

    assert found(fair, "nguyen thi lua") == ["Hộ kinh doanh Nguyễn Thị Lụa"]
    assert found(fair, "dao van an") == []


def test_a_stale_application_saved_keeps_the_current_text(fair):
    application = Application.objects.get(vendor__name="Hộ kinh doanh Đào Văn An")  # read before the rename
    Product.objects.filter(name="Mật ong rừng").update(name="Mật ong bạc hà", search_text=fold("Mật ong bạc hà"))

    application.note = "ghi chú"
    application.save()

    assert found(fair, "bac ha") == ["Hộ kinh doanh Đào Văn An"]


def test_directory_page_follows_a_product_renamed(client, fair):
    url = "/fairs/vsip/exhibitors/"
    assert "Đào Văn An" in client.get(url, {"q": "mat ong rung"}).content.decode()  # now in the page cache
    product = Product.objects.get(name="Mật ong rừng")
    product.name = "Mật ong bạc hà"
    product.save()

    assert "Đào Văn An" not in client.get(url, {"q": "mat ong rung"}).content.decode()
    assert "Đào Văn An" in client.get(url, {"q": "bac ha"}).content.decode()


def test_search_tests_one_column_of_the_fairs_applications(db, on_postgres):
    """The plan reads no product table: one LIKE on the application's own text, over the fair's
    applications (by the fair's index or a scan, as PostgreSQL prices them; the trigram index
    application_search_trgm is there for it to choose when a fair's rows are many)."""
    event = factories.EventFactory(status=E.RUNNING)
    applications = crowd(event, 2000, products_per=2)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE vendors_application")
    search = selectors.exhibitors(event, selectors.Filters(q="NƯỚC MẮM NHĨ 1234-1"))

    plan = search.explain()

    assert [a.vendor_id for a in search] == [applications[1234].vendor_id]
    assert "vendors_product" not in plan, plan
    assert "search_text ~~ '%nuoc mam nhi 1234-1%'" in plan, plan
