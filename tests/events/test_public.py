"""The public site's pages of the events app: the home page (fairs now and to come), a fair's page
(dates, hours, venue, programme, the plan, the call to apply), the sitemap and robots.txt, the
friendly error pages, and query counts that do not grow with the number of businesses."""

import datetime as dt
import re
import xml.etree.ElementTree as ET

import pytest
from django.contrib.staticfiles import finders
from django.db import connection
from django.templatetags.static import static
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from PIL import Image
from pytest_django.asserts import assertContains, assertInHTML, assertNotContains

from events.models import Event, ProgrammeItem
from tests import factories
from tests.vendors._directory_support import crowd, en, exhibitor
from vendors.models import Application

A = Application.Status
E = Event.Status
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def _at(days, hour=8):
    return timezone.make_aware(
        dt.datetime.combine(timezone.localdate() + dt.timedelta(days=days), dt.time(hour)),
        timezone.get_current_timezone(),
    )


def fair_running(**fields):
    return factories.EventFactory(
        status=E.RUNNING,
        registration_opens_at=_at(-40),
        registration_closes_at=_at(-10),
        opens_at=_at(-1),
        closes_at=_at(4, 22),
        **fields,
    )


# --- home ------------------------------------------------------------------------------------------


def test_home_lists_fairs_open_now_and_coming_up_soonest_first(client, db):
    running = fair_running(name="Tuần hàng đang diễn ra", slug="dang-dien-ra")
    later = factories.EventFactory(
        name="Hội chợ sau", slug="sau", opens_at=_at(60), closes_at=_at(65), registration_closes_at=_at(50)
    )
    sooner = factories.EventFactory(name="Hội chợ sớm", slug="som", status=E.PUBLISHED)
    factories.EventFactory(name="Bản nháp", slug="nhap", status=E.DRAFT)
    factories.EventFactory(name="Đã xong", slug="xong", status=E.FINISHED)
    ended = fair_running(name="Đã đóng cửa", slug="dong-cua")
    Event.objects.filter(pk=ended.pk).update(opens_at=_at(-5), closes_at=_at(-1))

    html = client.get(en("home")).content.decode()

    current = html.split('id="current-fairs"', 1)[1].split("</section>", 1)[0]
    upcoming = html.split('id="upcoming-fairs"', 1)[1].split("</section>", 1)[0]
    assert re.findall(r'data-fair="([^"]+)"', current) == [running.slug]
    assert re.findall(r'data-fair="([^"]+)"', upcoming) == [sooner.slug, later.slug]
    for hidden in ("Bản nháp", "Đã xong", "Đã đóng cửa"):
        assert hidden not in html


def test_home_calls_businesses_to_apply_only_while_registration_is_open(client, db):
    open_fair = factories.EventFactory(name="Đang nhận hồ sơ", slug="mo")
    factories.EventFactory(name="Chưa mở", slug="chua-mo", status=E.PUBLISHED)

    html = client.get(en("home")).content.decode()

    assertInHTML(
        '<a class="btn btn-success btn-sm" href="/en/fairs/mo/apply/" data-field="apply">Apply for a booth</a>', html
    )
    assert html.count('data-field="apply"') == 1
    assertInHTML('<a class="btn btn-primary btn-sm" href="/en/fairs/mo/">See the fair</a>', html)
    assertInHTML('<a class="btn btn-outline-secondary btn-sm" href="/en/fairs/mo/exhibitors/">Exhibitors</a>', html)
    assertInHTML('<a class="btn btn-outline-primary btn-sm" href="/en/fairs/">Fairs open for applications</a>', html)
    assert open_fair.name in html


def test_home_without_fairs_says_so(client, db):
    response = client.get(en("home"))

    assertContains(response, "No fair is open right now.")
    assertContains(response, "No other fair has been announced yet.")


def test_home_is_the_site_root_in_vietnamese(client, db):
    factories.EventFactory(name="Tuần hàng Việt Nam VSIP", slug="vsip")

    response = client.get("/")

    assert response.status_code == 200
    assert response.resolver_match.view_name == "home"
    assertContains(response, '<html lang="vi">')
    assertContains(response, "Tuần hàng Việt Nam VSIP")


# --- a fair's page -------------------------------------------------------------------------------------


@pytest.fixture
def fair(db):
    event = fair_running(
        name="Tuần hàng Việt Nam VSIP",
        slug="vsip",
        venue="KCN VSIP Thủy Nguyên",
        address="Đường số 1, phường Thủy Nguyên",
        daily_hours="8:00–22:00",
        description="Hàng Việt cho công nhân khu công nghiệp.",
        hall_width_m=60,
        hall_depth_m=40,
    )
    zone = factories.ZoneFactory(event=event, code="A", name="Khu OCOP")
    booth = factories.BoothFactory(
        event=event, zone=zone, booth_type=factories.BoothTypeFactory(event=event), x=3, y=3
    )  # inside the hall: the picture frames every booth
    exhibitor(event, "Hợp tác xã Sen Đồng Tháp", booths=[booth])
    exhibitor(event, "Chưa duyệt", status=A.SUBMITTED)
    day1, day2 = event.opens_at, event.opens_at + dt.timedelta(days=1)
    ProgrammeItem.objects.create(
        event=event, starts_at=day1.replace(hour=9), ends_at=day1.replace(hour=10), title="Khai mạc", place="Sân khấu"
    )
    ProgrammeItem.objects.create(event=event, starts_at=day2.replace(hour=19, minute=30), title="Đêm nhạc hàng Việt")
    ProgrammeItem.objects.create(event=event, starts_at=day1.replace(hour=15), title="Giới thiệu sản phẩm OCOP")
    return event


def test_fair_page_shows_dates_hours_venue_and_organiser(client, fair):
    html = client.get(en("public:fair", slug="vsip")).content.decode()

    dates = f"{fair.opens_at:%d/%m/%Y} – {timezone.localtime(fair.closes_at):%d/%m/%Y}"
    assertInHTML(f'<dd class="col-sm-9" data-field="dates">{dates}</dd>', html)
    assertInHTML('<dd class="col-sm-9" data-field="hours">open 8:00–22:00 daily</dd>', html)
    assertInHTML(
        '<dd class="col-sm-9" data-field="venue">KCN VSIP Thủy Nguyên, Đường số 1, phường Thủy Nguyên, Hải Phòng</dd>',
        html,
    )
    assert "Hàng Việt cho công nhân khu công nghiệp." in html


def test_fair_page_shows_the_programme_by_day_in_time_order(client, fair):
    html = client.get(en("public:fair", slug="vsip")).content.decode()

    programme = html.split('id="fair-programme"', 1)[1].split("</section>", 1)[0]
    titles = re.findall(r'<span class="programme-title">([^<]+)</span>', programme)
    assert titles == ["Khai mạc", "Giới thiệu sản phẩm OCOP", "Đêm nhạc hàng Việt"]
    assert programme.count("<h3") == 2
    assert "09:00–10:00" in programme
    assert "Sân khấu" in programme


def test_fair_page_without_programme_says_so(client, fair):
    ProgrammeItem.objects.filter(event=fair).delete()

    assertContains(client.get(en("public:fair", slug="vsip")), "The programme has not been announced yet.")


def test_fair_page_shows_the_plan_as_a_sized_picture_linking_to_the_map(client, fair):
    html = client.get(en("public:fair", slug="vsip")).content.decode()

    picture = re.search(r'<img src="/en/fairs/vsip/map.svg" width="(\d+)" height="(\d+)"[^>]*>', html)
    assert picture, html
    width, height = map(int, picture.groups())
    assert width == 960 and 700 < height < 800  # 60 × 40 m hall with margins, scale bar and a 3-row legend
    assert 'alt="Plan of the hall of Tuần hàng Việt Nam VSIP with its booths and zones"' in picture.group(0)
    assertInHTML('<a class="btn btn-primary" href="/en/fairs/vsip/exhibitors/">1 exhibitor</a>', html)
    assertInHTML('<a class="btn btn-outline-primary" href="/en/fairs/vsip/map/">Booth map</a>', html)


def test_fair_page_of_a_finished_fair_has_no_directory_or_map(client, fair):
    Event.objects.filter(pk=fair.pk).update(status=E.FINISHED)

    response = client.get(en("public:fair", slug="vsip"))

    assert response.status_code == 200
    assertNotContains(response, "/exhibitors/")
    assertNotContains(response, "map.svg")


def test_fair_page_calls_to_apply_while_registration_is_open(client, db):
    factories.EventFactory(name="Hội chợ OCOP", slug="ocop")

    html = client.get(en("public:fair", slug="ocop")).content.decode()

    assertInHTML('<a class="btn btn-primary" href="/en/fairs/ocop/apply/">Apply</a>', html)


def test_fair_page_of_a_running_fair_says_registration_closed(client, fair):
    assertContains(client.get(en("public:fair", slug="vsip")), 'id="registration-closed"')


def test_fair_page_of_a_draft_or_unknown_fair_is_a_friendly_404(client, fair):
    Event.objects.filter(pk=fair.pk).update(status=E.DRAFT)

    for url in (en("public:fair", slug="vsip"), en("public:fair", slug="khong-co")):
        response = client.get(url)
        assert response.status_code == 404
        assertContains(response, "Page not found", status_code=404)


@override_settings(DEBUG=False)
def test_public_404_is_in_vietnamese(client, db):
    response = client.get("/fairs/khong-co-hoi-cho-nay/")

    assert response.status_code == 404
    assertContains(response, "Không tìm thấy trang", status_code=404)
    assertContains(response, "<title>Không tìm thấy trang · tuanhang</title>", status_code=404)


def test_fair_page_has_title_description_and_canonical_address(client, fair):
    html = client.get("/fairs/vsip/").content.decode()

    assert "<title>Tuần hàng Việt Nam VSIP · tuanhang</title>" in html
    assert re.search(r'<meta name="description" content="\d\d/\d\d/\d{4} – \d\d/\d\d/\d{4} [^"]+KCN VSIP', html)
    assert '<link rel="canonical" href="http://testserver/fairs/vsip/">' in html
    assert '<a href="/en/fairs/vsip/" hreflang="en" lang="en"' in html


def test_programme_item_must_end_after_it_starts(fair):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        ProgrammeItem.objects.create(event=fair, starts_at=fair.opens_at, ends_at=fair.opens_at, title="Sai giờ")


# --- sitemap and robots.txt -------------------------------------------------------------------------------


def test_sitemap_lists_the_public_pages_in_both_languages(client, fair):
    factories.EventFactory(slug="nhap", status=E.DRAFT)
    listed = Application.objects.get(vendor__name="Hợp tác xã Sen Đồng Tháp")
    hidden = Application.objects.get(vendor__name="Chưa duyệt")

    response = client.get("/sitemap.xml")

    assert response.status_code == 200
    locations = [loc.text for loc in ET.fromstring(response.content).iter(f"{SITEMAP}loc")]  # noqa: S314 (our own answer)
    for path in ("/", "/fairs/vsip/", "/fairs/vsip/exhibitors/", f"/fairs/vsip/exhibitors/{listed.vendor_id}/"):
        assert f"http://testserver{path}" in locations
        assert f"http://testserver/en{path}" in locations
    assert not [loc for loc in locations if "/nhap/" in loc or f"/exhibitors/{hidden.vendor_id}/" in loc]


def test_robots_txt_points_to_the_sitemap_and_keeps_crawlers_out_of_staff_pages(client, db):
    response = client.get("/robots.txt")

    assert response["Content-Type"] == "text/plain; charset=utf-8"
    text = response.content.decode()
    assert "Disallow: /staff/\n" in text
    assert "Disallow: /admin/\n" in text
    assert text.endswith("Sitemap: http://testserver/sitemap.xml\n")


# --- query counts -------------------------------------------------------------------------------------------


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(queries)


@pytest.mark.parametrize(
    ("page", "expected"),
    [
        ("home", 1),  # the fairs
        ("fair", 8),  # the fair; categories, documents, document rules, zones, booth types; programme; both counts
        ("map", 7),  # the fair; booths.selectors.map.booth_map_data's six
        ("map.svg", 7),
        ("sitemap", 3),  # the public fairs (their versions); the fairs section; the exhibitors section
    ],
)
def test_public_page_query_count_is_the_same_at_10_and_1000_businesses(client, db, page, expected):
    counts = []
    for n in (10, 1000):
        event = fair_running(slug=f"hoi-cho-{n}")
        zone = factories.ZoneFactory(event=event, code="K")
        crowd(event, n, zone=zone, booth_type=factories.BoothTypeFactory(event=event))
        ProgrammeItem.objects.create(event=event, starts_at=event.opens_at, title="Khai mạc")
        url = {
            "home": en("home"),
            "fair": en("public:fair", slug=event.slug),
            "map": en("booths:map_public", slug=event.slug),
            "map.svg": en("booths:map_svg", slug=event.slug),
            "sitemap": "/sitemap.xml",
        }[page]
        counts.append(_count(client, url))
        Event.objects.filter(pk=event.pk).update(status=E.FINISHED)  # the next round's sitemap and home see one fair
    assert counts == [expected, expected], counts


def test_public_pages_answer_head_requests(client, fair):
    for url in ("/", "/fairs/vsip/", "/fairs/vsip/exhibitors/", "/sitemap.xml", "/robots.txt"):
        assert client.head(url).status_code == 200, url


# --- favicon (issue 22) ---------------------------------------------------------------------------


def test_favicon_ico_is_answered_with_the_static_icon(client, db):
    response = client.get("/favicon.ico")

    assert response.status_code == 302
    assert response["Location"] == static("favicon.ico")
    assert "max-age=86400" in response["Cache-Control"]
    with Image.open(finders.find("favicon.ico")) as icon:
        assert icon.format == "ICO"
        assert {(16, 16), (32, 32)} <= set(icon.info["sizes"])


def test_pages_link_the_icon_so_browsers_need_not_guess(client, db):
    response = client.get("/")

    head = response.content.decode().split("</head>")[0]
    hrefs = re.findall(r'<link rel="icon" href="([^"]+)"', head)
    assert hrefs == [static("favicon.ico"), static("img/favicon-32.png")]
    assert finders.find("img/favicon-32.png")
