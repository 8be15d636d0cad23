"""The public exhibitor directory and business pages: accent-, case- and đ-insensitive search by
business or product name, filters, Vietnamese order, pagination, who is listed, the booth on the
map, pictures, and query counts that do not grow with the number of businesses."""

import re

import pytest
from django.core.files.base import ContentFile
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from pytest_django.asserts import assertContains, assertInHTML, assertNotContains

from booths.selectors.search import application_matches
from events.models import Event
from tests import factories
from tests.vendors._directory_support import crowd, en, exhibitor
from tuanhang.public.directory import selectors
from vendors.models import Application

A = Application.Status
E = Event.Status


@pytest.fixture
def fair(db):
    event = factories.EventFactory(name="Tuần hàng Việt Nam VSIP", slug="vsip", status=E.REGISTRATION_CLOSED)
    zone = factories.ZoneFactory(event=event, code="A", name="Khu OCOP", colour="#d62728")
    standard = factories.BoothTypeFactory(event=event)
    booth = factories.BoothFactory(event=event, zone=zone, booth_type=standard, code="A07", x=0, y=0)
    seafood = factories.CategoryFactory(name="Thủy hải sản", slug="thuy-hai-san")
    tea = factories.CategoryFactory(name="Chè – cà phê", slug="che-ca-phe")
    apps = {
        "dong_thap": exhibitor(
            event,
            "Hợp tác xã Sen Đồng Tháp",
            province="82",
            products=[("Hạt sen sấy", 4)],
            booths=[booth],
            categories=[tea],
        ),
        "hoa": exhibitor(
            event, "Công ty TNHH Thuỷ sản Hoà Bình", products=[("Chả mực Hạ Long", 5)], categories=[seafood]
        ),
        "dao": exhibitor(event, "Hộ kinh doanh Đào Văn An", products=[("Mật ong rừng", None)], categories=[tea]),
        "an": exhibitor(event, "Công ty Cổ phần An Phát", products=[("Nước mắm Cát Hải", 3)], categories=[seafood]),
    }
    exhibitor(event, "Hợp tác xã Chưa Duyệt", status=A.SUBMITTED, products=[("Hạt sen chưa duyệt", 5)])
    exhibitor(event, "Công ty Đã Rút", status=A.WITHDRAWN)
    return type("Fair", (), {"event": event, "apps": apps, "booth": booth, "seafood": seafood, "tea": tea})


def names(response) -> list[str]:
    """Business names in the order the results list shows them."""
    block = response.content.decode().split('id="directory-results"', 1)
    if len(block) < 2:
        return []
    html = block[1].split("</ol>", 1)[0]
    return re.findall(r'class="stretched-link" href="[^"]+">([^<]+)</a>', html)


def search(client, **query):
    return client.get(en("vendors:exhibitors", slug="vsip"), query)


# --- search -------------------------------------------------------------------------------------


@pytest.mark.parametrize("words", ["dong thap", "ĐỒNG THÁP", "Đồng Tháp", "đồng tháp", "DONG  THAP"])
def test_search_ignores_accents_case_and_d(client, fair, words):
    assert names(search(client, q=words)) == ["Hợp tác xã Sen Đồng Tháp"]


@pytest.mark.parametrize("words", ["Hòa Bình", "Hoà Bình", "hoa binh", "thủy sản", "thuỷ sản"])
def test_search_ignores_tone_placement(client, fair, words):
    assert names(search(client, q=words)) == ["Công ty TNHH Thuỷ sản Hoà Bình"]


def test_search_finds_d_written_as_d_or_đ(client, fair):
    assert names(search(client, q="dao van")) == ["Hộ kinh doanh Đào Văn An"]
    assert names(search(client, q="Đào")) == ["Hộ kinh doanh Đào Văn An"]


def test_search_finds_a_business_by_the_name_of_a_product_it_shows(client, fair):
    assert names(search(client, q="mat ong")) == ["Hộ kinh doanh Đào Văn An"]
    assert names(search(client, q="CHẢ MỰC")) == ["Công ty TNHH Thuỷ sản Hoà Bình"]


def test_search_lists_only_approved_businesses(client, fair):
    assert names(search(client, q="hat sen")) == ["Hợp tác xã Sen Đồng Tháp"]
    assert names(search(client, q="Chưa Duyệt")) == []
    assert names(search(client, q="Đã Rút")) == []


def test_search_with_no_match_says_so(client, fair):
    response = search(client, q="xe máy")

    assert names(response) == []
    assertContains(response, "No business matches your search. Try fewer words or another filter.")


def test_search_of_a_product_the_application_does_not_list_finds_nothing(client, fair):
    """A business that lists products for this fair shows those, not the rest of its catalogue."""
    application = fair.apps["dao"]
    honey = application.vendor.products.get()
    other = factories.ProductFactory(vendor=application.vendor, name="Cà phê Buôn Ma Thuột")
    application.products.set([other])

    assert names(search(client, q="ca phe buon")) == ["Hộ kinh doanh Đào Văn An"]
    assert names(search(client, q="mat ong")) == []
    page = client.get(en("vendors:exhibitor", "vsip", application.vendor_id))
    assertContains(page, "Cà phê Buôn Ma Thuột")
    assertNotContains(page, honey.name)


# --- filters, order, pages ------------------------------------------------------------------------


def test_results_are_in_vietnamese_alphabetical_order(client, fair):
    # C < H; within H: "Hộ" < "Hợp" (ô before ơ); Đ would sort after D, not after Z.
    assert names(search(client)) == [
        "Công ty Cổ phần An Phát",
        "Công ty TNHH Thuỷ sản Hoà Bình",
        "Hộ kinh doanh Đào Văn An",
        "Hợp tác xã Sen Đồng Tháp",
    ]


def test_filter_by_province(client, fair):
    assert names(search(client, province="82")) == ["Hợp tác xã Sen Đồng Tháp"]
    assert len(names(search(client, province="31"))) == 3


def test_filter_by_category_uses_the_application_categories_before_the_profile(client, fair):
    assert names(search(client, category=fair.seafood.pk)) == [
        "Công ty Cổ phần An Phát",
        "Công ty TNHH Thuỷ sản Hoà Bình",
    ]
    fair.apps["an"].categories.set([fair.tea])  # this fair it shows tea, whatever its profile says

    assert names(search(client, category=fair.seafood.pk)) == ["Công ty TNHH Thuỷ sản Hoà Bình"]


@pytest.mark.parametrize(
    ("stars", "expected"),
    [
        ("3", ["Công ty Cổ phần An Phát", "Công ty TNHH Thuỷ sản Hoà Bình", "Hợp tác xã Sen Đồng Tháp"]),
        ("4", ["Công ty TNHH Thuỷ sản Hoà Bình", "Hợp tác xã Sen Đồng Tháp"]),
        ("5", ["Công ty TNHH Thuỷ sản Hoà Bình"]),
    ],
)
def test_filter_by_ocop_stars_or_more(client, fair, stars, expected):
    assert names(search(client, ocop=stars)) == expected


def test_filters_combine_with_the_search(client, fair):
    assert names(search(client, q="cong ty", category=fair.seafood.pk, ocop="5")) == ["Công ty TNHH Thuỷ sản Hoà Bình"]


def test_unusable_filter_values_are_ignored(client, fair):
    assert len(names(search(client, ocop="7", category="abc", province="<x>"))) == 4


def test_filter_choices_are_the_exhibitors_provinces_and_categories(client, fair):
    response = search(client)

    assertInHTML('<option value="82">Đồng Tháp</option>', response.content.decode())
    assertInHTML('<option value="31">Hải Phòng</option>', response.content.decode())
    assertNotContains(response, '<option value="01">')
    assertInHTML(f'<option value="{fair.tea.pk}">Chè – cà phê</option>', response.content.decode())


def test_results_are_paginated_keeping_the_search(client, fair):
    crowd(fair.event, selectors.PER_PAGE + 5)

    first = search(client, q="dong hai")
    second = search(client, q="dong hai", page="2")

    assert len(names(first)) == selectors.PER_PAGE
    assert names(second) == [f"Hợp tác xã Đông Hải {i:04d}" for i in range(selectors.PER_PAGE, selectors.PER_PAGE + 5)]
    assertContains(first, 'href="?q=dong+hai&amp;page=2"')
    assertContains(first, f"{selectors.PER_PAGE + 5} businesses found")


def test_each_result_shows_province_booths_best_ocop_and_products(client, fair):
    html = search(client, q="sen").content.decode()

    assert re.search(r"Đồng Tháp\s+·", html)
    assertInHTML('<span data-field="booths">Booth A07</span>', html)
    assert "OCOP 4 stars" in html
    assert "Hạt sen sấy" in html


def test_directory_of_a_draft_or_finished_fair_answers_404(client, fair):
    for status in (E.DRAFT, E.FINISHED, E.ARCHIVED):
        Event.objects.filter(pk=fair.event.pk).update(status=status)
        assert search(client).status_code == 404


def test_directory_has_a_title_description_and_no_csrf_token(client, fair):
    response = search(client)
    html = response.content.decode()

    assert "<title>Exhibitors · Tuần hàng Việt Nam VSIP · tuanhang</title>" in html
    assert '<meta name="description" content="The businesses at Tuần hàng Việt Nam VSIP: search' in html
    assert "csrfmiddlewaretoken" not in html
    assert "csrftoken" not in response.cookies


# --- the business page -----------------------------------------------------------------------------


def test_business_page_shows_what_a_visitor_needs(client, fair):
    application = fair.apps["dong_thap"]
    application.vendor.description = "Sen Tháp Mười, sấy theo lối truyền thống."
    application.vendor.save()

    response = client.get(en("vendors:exhibitor", "vsip", application.vendor_id))
    html = response.content.decode()

    assert response.status_code == 200
    assert '<h1 class="h3 mb-1">Hợp tác xã Sen Đồng Tháp</h1>' in html
    assert '<span data-field="province">Đồng Tháp</span>' in html
    assert "Sen Tháp Mười, sấy theo lối truyền thống." in html
    assertInHTML('<span class="booth-code fs-5 fw-semibold">A07</span>', html)
    assertInHTML("<span>OCOP 4 stars</span>", html)
    link = '<a class="btn btn-primary" id="exhibitor-map-link" href="/en/fairs/vsip/map/?booth=A07">'
    assertInHTML(f"{link}Show on the booth map</a>", html)
    assert "<title>Hợp tác xã Sen Đồng Tháp · Tuần hàng Việt Nam VSIP · tuanhang</title>" in html
    assert '<meta name="description" content="Sen Tháp Mười, sấy theo lối truyền thống.">' in html
    # Names only: no phone, e-mail or tax code of the business.
    for private in (application.vendor.tax_code, application.vendor.email, "912"):
        assert private not in html.split("<main", 1)[1]


def test_business_page_url_is_the_booth_sign_contract(fair):
    vendor_id = fair.apps["dong_thap"].vendor_id
    assert en("vendors:exhibitor", "vsip", vendor_id) == f"/en/fairs/vsip/exhibitors/{vendor_id}/"


@pytest.mark.parametrize("case", ["not_approved", "withdrawn", "other_fair", "unknown", "draft_fair"])
def test_business_page_answers_404_unless_approved_at_that_published_fair(client, fair, case):
    other = factories.EventFactory(slug="khac")
    approved_elsewhere = exhibitor(other, "Công ty Nơi Khác")
    vendor_id = {
        "not_approved": Application.objects.get(vendor__name="Hợp tác xã Chưa Duyệt").vendor_id,
        "withdrawn": Application.objects.get(vendor__name="Công ty Đã Rút").vendor_id,
        "other_fair": approved_elsewhere.vendor_id,
        "unknown": 999_999,
        "draft_fair": fair.apps["an"].vendor_id,
    }[case]
    if case == "draft_fair":
        Event.objects.filter(pk=fair.event.pk).update(status=E.DRAFT)

    response = client.get(en("vendors:exhibitor", "vsip", vendor_id))

    assert response.status_code == 404
    assertContains(response, "Page not found", status_code=404)


def test_business_page_without_booth_says_so(client, fair):
    response = client.get(en("vendors:exhibitor", "vsip", fair.apps["an"].vendor_id))

    assertContains(response, "Its booth has not been assigned yet.")
    assertNotContains(response, "exhibitor-map-link")


def test_public_map_outlines_the_booth_looked_for(client, fair):
    response = client.get(en("booths:map_public", slug="vsip"), {"booth": "a07"})
    html = response.content.decode()

    booth = fair.booth
    assert f'data-focus="{booth.pk}"' in html
    assert re.search(rf'<g class="booth booth-assigned booth-own booth-focus" data-booth-id="{booth.pk}"', html)
    assert "The booth you are looking for" in html


def test_public_map_without_booth_outlines_nothing(client, fair):
    html = client.get(en("booths:map_public", slug="vsip")).content.decode()

    assert "data-focus" not in html
    assert "booth-focus" not in html


# --- pictures -----------------------------------------------------------------------------------------

PNG = b"\x89PNG\r\n\x1a\n" + b"thumbnail bytes"


def test_logo_and_product_pictures_are_public_for_listed_businesses(client, fair, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    vendor = fair.apps["hoa"].vendor
    vendor.logo_thumbnail.save("logo.png", ContentFile(PNG), save=True)
    product = vendor.products.get()
    product.image_thumbnail.save("cha-muc.png", ContentFile(PNG), save=True)

    page = client.get(en("vendors:exhibitor", "vsip", vendor.pk)).content.decode()
    logo = client.get(en("vendors:exhibitor_image", "vsip", vendor.pk, "logo", vendor.pk))
    picture = client.get(en("vendors:exhibitor_image", "vsip", vendor.pk, "product", product.pk))

    assert re.search(
        r'<img src="/en/fairs/vsip/exhibitors/\d+/images/logo/\d+/\?v=[0-9a-f]{10}"\s+width="96" height="96"', page
    )
    assert 'alt="Logo of Công ty TNHH Thuỷ sản Hoà Bình"' in page
    assert re.search(r'width="80" height="80"[^>]*alt="Chả mực Hạ Long"', page)
    assert logo.status_code == 200 and b"".join(logo.streaming_content) == PNG
    assert logo["Cache-Control"] == "public, max-age=86400"
    assert picture.status_code == 200
    logo.close()
    picture.close()


def test_pictures_of_unlisted_businesses_or_other_owners_answer_404(client, fair, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    hidden = Application.objects.get(vendor__name="Hợp tác xã Chưa Duyệt").vendor
    hidden.logo_thumbnail.save("logo.png", ContentFile(PNG), save=True)
    listed = fair.apps["hoa"].vendor
    others_product = hidden.products.get()

    assert client.get(en("vendors:exhibitor_image", "vsip", hidden.pk, "logo", hidden.pk)).status_code == 404
    assert client.get(en("vendors:exhibitor_image", "vsip", listed.pk, "product", others_product.pk)).status_code == 404
    assert client.get(en("vendors:exhibitor_image", "vsip", listed.pk, "logo", hidden.pk)).status_code == 404
    assert client.get(en("vendors:exhibitor_image", "vsip", listed.pk, "secret", listed.pk)).status_code == 404


# --- query counts ---------------------------------------------------------------------------------------


def _count(client, url, **query) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, query)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("query", [{}, {"q": "dong hai"}, {"q": "nuoc mam", "ocop": "4", "page": "2"}])
def test_directory_query_count_is_the_same_at_10_and_1000_businesses(client, db, query):
    counts = []
    for n in (10, 1000):
        event = factories.EventFactory(status=E.RUNNING)
        zone = factories.ZoneFactory(event=event, code="K")
        crowd(event, n, zone=zone, booth_type=factories.BoothTypeFactory(event=event))
        counts.append(_count(client, en("vendors:exhibitors", slug=event.slug), **query))
    assert counts[0] == counts[1] <= 11, counts


def test_business_page_query_count_is_the_same_at_10_and_1000_businesses(client, db):
    counts = []
    for n in (10, 1000):
        event = factories.EventFactory(status=E.RUNNING)
        zone = factories.ZoneFactory(event=event, code="K")
        applications = crowd(event, n, zone=zone, booth_type=factories.BoothTypeFactory(event=event), products_per=5)
        counts.append(_count(client, en("vendors:exhibitor", event.slug, applications[n // 2].vendor_id)))
    assert counts[0] == counts[1] == 8, counts


def test_a_cached_page_runs_no_query(client, fair):
    url = en("vendors:exhibitors", slug="vsip")
    client.get(url, {"q": "sen"})

    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, {"q": "sen"})

    assert names(response) == ["Hợp tác xã Sen Đồng Tháp"]
    assert len(queries) == 0


# --- search uses an index on PostgreSQL --------------------------------------------------------------


# Words of product names and descriptions, so the trigrams are spread as in real data.
def _analyze():
    with connection.cursor() as cursor:
        for table in ("vendors_product", "vendors_vendor", "vendors_application", "vendors_application_products"):
            cursor.execute(f"ANALYZE {table}")


@pytest.mark.postgres
def test_business_name_search_is_answered_by_the_trigram_index(db, on_postgres):
    """The business half of a search (name, tax code, place: vendors/search.py) is an uncorrelated
    `vendor_id IN (SELECT id FROM vendors_vendor WHERE search_text LIKE '%…%')` that the trigram
    index answers. Before issue 21 it was a LIKE in the join filter of applications ⋈ businesses,
    which no index can answer: every search read every business ever registered. At 2,000
    businesses PostgreSQL still prefers a sequential scan by its own costs, so the plan is taken
    with sequential scans priced out (SET LOCAL enable_seqscan = off): the index must then be the
    way in. With the old shape (booths/selectors/search.py before issue 21) this test fails: the
    plan reads vendors_vendor by its primary key and filters. bench/bench_growth.py measures the
    search with 50,000 businesses."""
    event = factories.EventFactory(status=E.RUNNING)
    applications = crowd(event, 2000, products_per=0)
    other_fair = factories.EventFactory(status=E.RUNNING)
    crowd(other_fair, 10, products_per=0)
    _analyze()
    # The rule check-in and the review list share (the directory reads the application's own text
    # on PostgreSQL: tests/vendors/test_directory_search_text.py).
    found = Application.objects.filter(application_matches("dong hai 1234", event=event), event=event)

    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        plan = found.explain()

    assert [a.vendor_id for a in found] == [applications[1234].vendor_id]
    assert "Bitmap Index Scan on vendor_search_trgm" in plan, plan


@pytest.mark.postgres
def test_trigram_indexes_exist_on_postgres(db, on_postgres):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes"
            " WHERE indexname IN ('vendor_search_trgm', 'product_search_trgm')"
        )
        indexes = dict(cursor.fetchall())
    assert set(indexes) == {"vendor_search_trgm", "product_search_trgm"}
    assert all("gin (search_text gin_trgm_ops)" in definition for definition in indexes.values())


def test_the_booth_signs_qr_code_opens_the_business_page(client, fair, settings):
    from vendors.selectors.profile import exhibitor_url

    settings.SITE_URL = "https://hoicho.example.vn"
    vendor = fair.apps["dong_thap"].vendor

    url = exhibitor_url(fair.event.slug, vendor.pk)
    response = client.get(url.removeprefix(settings.SITE_URL))

    assert url == f"https://hoicho.example.vn/fairs/vsip/exhibitors/{vendor.pk}/"
    assert response.status_code == 200
    assertContains(response, "Hợp tác xã Sen Đồng Tháp")
    assertContains(response, "A07")
