"""The public pages' cache (tuanhang.kernel.page_cache): anonymous visitors get stored pages, nobody else
does, and every change a public page shows is visible on the very next request, whichever
service (or the admin) made it, single writes and bulk writes alike."""

import datetime as dt

import pytest
from django.contrib.messages import constants
from django.contrib.messages.storage.base import Message
from django.contrib.messages.storage.cookie import CookieStorage
from django.contrib.messages.storage.fallback import FallbackStorage
from django.core.cache import cache
from django.db import connection
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from booths.models import Assignment, Booth
from booths.services.core import booth_assign
from booths.services.floorplan import booths_block
from booths.services.selection import booths_choose
from events.models import Event, ProgrammeItem
from tests import factories
from tests.vendors._directory_support import en, exhibitor
from tuanhang.kernel import page_cache
from tuanhang.kernel.page_cache import SITE, current_version, fair_key, public_page
from tuanhang.office.review.services import decision_apply
from vendors.models import Application, Product
from vendors.services.core import application_transition

A = Application.Status
E = Event.Status


@pytest.fixture
def fair(db):
    event = factories.EventFactory(name="Tuần hàng Việt Nam VSIP", slug="vsip", status=E.REGISTRATION_OPEN)
    zone = factories.ZoneFactory(event=event, code="A", name="Khu OCOP")
    standard = factories.BoothTypeFactory(event=event)
    booths = [
        factories.BoothFactory(event=event, zone=zone, booth_type=standard, code=f"A0{i}", x=3 * i, y=0, row="A")
        for i in range(1, 4)
    ]
    listed = exhibitor(event, "Hợp tác xã Sen Đồng Tháp", products=[("Hạt sen sấy", 4)], booths=[booths[0]])
    return type("Fair", (), {"event": event, "booths": booths, "listed": listed})


def queries(client, url, **query) -> tuple[int, object]:
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url, query)
    return len(captured), response


def directory():
    return en("vendors:exhibitors", slug="vsip")


def business(application):
    return en("vendors:exhibitor", "vsip", application.vendor_id)


# --- what is stored, and for whom ------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        lambda f: en("home"),
        lambda f: en("public:fair", slug="vsip"),
        lambda f: directory(),
        lambda f: business(f.listed),
        lambda f: en("booths:map_public", slug="vsip"),
        lambda f: en("booths:map_svg", slug="vsip"),
    ],
    ids=["home", "fair", "directory", "business", "map", "map.svg"],
)
def test_every_public_page_is_served_from_the_cache_the_second_time(client, fair, url):
    first_count, first = queries(client, url(fair))
    second_count, second = queries(client, url(fair))

    assert first.status_code == second.status_code == 200
    assert first_count > 0
    assert second_count == 0
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]


def test_signed_in_users_are_never_served_nor_stored(client, fair):
    staff = factories.StaffUserFactory()
    client.get(business(fair.listed))  # stored for anonymous visitors

    client.force_login(staff)
    as_staff = client.get(business(fair.listed))
    client.logout()
    anonymous = client.get(business(fair.listed))

    assertContains(as_staff, 'id="checkin-panel"')
    assertNotContains(anonymous, 'id="checkin-panel"')
    assertNotContains(anonymous, "csrfmiddlewaretoken")


def test_public_pages_carry_no_csrf_token_and_set_no_cookie(client, fair):
    for url in (en("home"), en("public:fair", slug="vsip"), directory(), business(fair.listed)):
        response = client.get(url)
        assert "csrfmiddlewaretoken" not in response.content.decode(), url
        assert not response.cookies, url
        assertContains(response, 'id="language-links"')


def test_a_page_that_used_the_csrf_token_is_not_stored(db):
    calls = []

    @public_page
    def view(request):
        calls.append(1)
        return HttpResponse(f"<form>{get_token(request)}</form>")

    for _ in range(2):
        request = RequestFactory().get("/x/")
        request.user = type("Anonymous", (), {"is_authenticated": False})()
        request.session = {}
        request._messages = FallbackStorage(request)
        view(request)

    assert len(calls) == 2


def test_query_parameters_a_page_does_not_use_bypass_the_cache(client, fair):
    client.get(directory(), {"q": "sen", "utm_source": "zalo"})
    count, response = queries(client, directory(), q="sen", utm_source="zalo")

    assert count > 0
    assertContains(response, "Hợp tác xã Sen Đồng Tháp")


def test_a_visitor_with_a_pending_message_gets_a_fresh_page(client, fair):
    client.get(directory())
    storage = CookieStorage(RequestFactory().get("/"))
    client.cookies["messages"] = storage._encode([Message(constants.SUCCESS, "Đã đăng xuất")])

    count, response = queries(client, directory())

    assert count > 0
    assertContains(response, "Đã đăng xuất")
    assertNotContains(client.get(directory()), "Đã đăng xuất")  # shown once, then the page is cached again


def test_an_evicted_version_renders_the_page_again(client, fair):
    client.get(directory())
    cache.delete(fair_key(fair.event.pk))

    count, response = queries(client, directory())

    assert count > 0
    assertContains(response, "Hợp tác xã Sen Đồng Tháp")


def test_a_page_expires_when_registration_opens_or_closes(client, fair):
    closing = timezone.now() + dt.timedelta(seconds=40)
    Event.objects.filter(pk=fair.event.pk).update(registration_closes_at=closing)
    request = RequestFactory().get("/")
    request._public_cache_dependencies = {}

    page_cache.valid_until(request, closing)

    assert 38 <= request._public_cache_timeout <= 40


def test_the_bump_happens_again_after_the_commit(db, django_capture_on_commit_callbacks):
    """A request that read the old data before the commit and stored its page under the first new
    version must not be served: the commit moves the version once more."""
    before = current_version(SITE)
    with django_capture_on_commit_callbacks(execute=True):
        factories.VendorFactory()
        inside = current_version(SITE)
    after = current_version(SITE)

    assert inside > before
    assert after == inside + 1


# --- changes are visible at once -----------------------------------------------------------------------


def test_an_approval_shows_on_the_directory_fair_page_and_business_page(client, fair):
    pending = exhibitor(fair.event, "Công ty TNHH Mật ong Bắc Giang", status=A.SUBMITTED)
    client.get(directory())
    client.get(en("public:fair", slug="vsip"))
    assert client.get(business(pending)).status_code == 404

    decision_apply(
        event=fair.event,
        applications=[pending],
        to_status=A.APPROVED,
        by=factories.StaffUserFactory(),
        over_capacity_confirmed=True,
    )

    assertContains(client.get(directory()), "Công ty TNHH Mật ong Bắc Giang")
    assertContains(client.get(en("public:fair", slug="vsip")), "2 exhibitors")
    assert client.get(business(pending)).status_code == 200


def test_a_withdrawal_takes_the_business_and_its_booth_off_at_once(client, fair):
    client.get(directory())
    client.get(en("booths:map_public", slug="vsip"))

    application_transition(application=fair.listed, to_status=A.WITHDRAWN)  # releases the booth (bulk update)

    assertNotContains(client.get(directory()), "Hợp tác xã Sen Đồng Tháp")
    assertNotContains(client.get(en("booths:map_public", slug="vsip")), "Hợp tác xã Sen Đồng Tháp")
    assert client.get(business(fair.listed)).status_code == 404


def test_a_booth_assigned_by_staff_shows_on_the_business_page_and_map(client, fair):
    client.get(business(fair.listed))
    client.get(en("booths:map_svg", slug="vsip"))

    booth_assign(booth=fair.booths[1], application=fair.listed, confirm=True)

    assertContains(client.get(business(fair.listed)), "?booth=A01,A02")
    assert client.get(en("booths:map_svg", slug="vsip")).content.count("Sen Đồng Tháp".encode()) >= 2


def test_a_booth_chosen_by_the_business_itself_shows_at_once(client, fair):
    """Self-selection writes with bulk_create and update: no model signal, an explicit bump."""
    Event.objects.filter(pk=fair.event.pk).update(allow_self_selection=True)
    fair.event.refresh_from_db()
    chooser = exhibitor(fair.event, "Hộ kinh doanh Đào Văn An")
    client.get(business(chooser))

    booths_choose(application=Application.objects.get(pk=chooser.pk), booths=[fair.booths[2].pk])

    assertContains(client.get(business(chooser)), '<span class="booth-code fs-5 fw-semibold">A03</span>', html=True)


def test_a_blocked_booth_shows_on_the_map_at_once(client, fair):
    client.get(en("booths:map_public", slug="vsip"))

    booths_block(booths=[fair.booths[2]], reason="Cột điện")

    assertContains(client.get(en("booths:map_public", slug="vsip")), "Cột điện")


def test_a_renamed_business_shows_everywhere_at_once(client, fair):
    client.get(directory())
    client.get(business(fair.listed))
    client.get(en("booths:map_public", slug="vsip"))
    vendor = fair.listed.vendor

    vendor.name = "Hợp tác xã Sen Tháp Mười"
    vendor.save(update_fields=["name"])

    for url in (directory(), business(fair.listed), en("booths:map_public", slug="vsip")):
        response = client.get(url)
        assertContains(response, "Hợp tác xã Sen Tháp Mười")
        assertNotContains(response, "Hợp tác xã Sen Đồng Tháp")


def test_a_product_added_shows_on_the_business_page_and_in_the_search(client, fair):
    client.get(business(fair.listed))
    client.get(directory(), {"q": "tra sen"})

    Product.objects.create(vendor=fair.listed.vendor, name="Trà sen Tây Hồ", category=factories.CategoryFactory())

    assertContains(client.get(business(fair.listed)), "Trà sen Tây Hồ")
    assertContains(client.get(directory(), {"q": "tra sen"}), "Hợp tác xã Sen Đồng Tháp")


def test_a_fair_edited_and_its_programme_show_at_once(client, fair):
    """Saved as the admin saves them (model save: the signals bump the versions)."""
    client.get(en("public:fair", slug="vsip"))
    client.get(en("home"))
    event = fair.event
    event.daily_hours = "7:30–21:30"
    event.save(update_fields=["daily_hours"])
    ProgrammeItem.objects.create(event=event, starts_at=event.opens_at, title="Khai mạc tuần hàng")

    page = client.get(en("public:fair", slug="vsip"))
    assertContains(page, "open 7:30–21:30 daily")
    assertContains(page, "Khai mạc tuần hàng")
    assertContains(client.get(en("home")), "7:30–21:30")


def test_changes_at_one_fair_leave_the_other_fairs_pages_cached(client, fair):
    other = factories.EventFactory(slug="khac", status=E.RUNNING)
    exhibitor(other, "Công ty Nơi Khác")
    other_directory = en("vendors:exhibitors", slug="khac")
    client.get(other_directory)

    Booth.objects.get(pk=fair.booths[2].pk).save()  # a change at the VSIP fair only

    count, _response = queries(client, other_directory)
    assert count == 0


def test_an_assignment_saved_without_its_booth_at_hand_still_invalidates(client, fair):
    client.get(directory())
    assignment = Assignment.objects.get(application=fair.listed)
    fresh = Assignment.objects.get(pk=assignment.pk)  # neither booth nor application loaded

    fresh.status = Assignment.Status.RELEASED
    fresh.released_at = timezone.now()
    fresh.save()

    assertNotContains(client.get(directory()), "Booth A01")


def test_the_directory_filter_choices_follow_an_approval(client, fair):
    pending = exhibitor(fair.event, "Hợp tác xã Sen Tháp Mười", province="82", status=A.SUBMITTED)
    assertNotContains(client.get(directory(), {"q": "sen"}), '<option value="82">')

    application_transition(application=pending, to_status=A.APPROVED)

    assertContains(client.get(directory(), {"q": "sen"}), '<option value="82">Đồng Tháp</option>', html=True)
    assertContains(client.get(directory()), "2 businesses")
