"""The public site in a phone-sized Chromium (Vietnamese): search the directory without accents,
open a business, and find its booth outlined and zoomed to on the map."""

import re

import pytest
from playwright.sync_api import expect

from booths.models import Assignment
from tests import factories
from vendors.models import Application


@pytest.fixture
def fair(transactional_db):
    event = factories.EventFactory(slug="vsip", name="Tuần hàng Việt Nam VSIP", hall_width_m=60, hall_depth_m=30)
    zone = factories.ZoneFactory(event=event, code="A", name="Khu OCOP", colour="#d62728")
    standard = factories.BoothTypeFactory(event=event, name="Gian tiêu chuẩn")
    booths = {
        code: factories.BoothFactory(event=event, zone=zone, booth_type=standard, code=code, x=3 * i + 3, y=6, row="1")
        for i, code in enumerate(["A01", "A02", "A03", "A04", "A05", "A06"])
    }
    for name, code in (("Hợp tác xã Sen Đồng Tháp", "A05"), ("Công ty Nước mắm Cát Hải", "A01")):
        vendor = factories.VendorFactory(name=name, short_name=name.split()[-2] + " " + name.split()[-1])
        application = factories.ApplicationFactory(vendor=vendor, event=event, status=Application.Status.APPROVED)
        factories.AssignmentFactory(booth=booths[code], application=application, status=Assignment.Status.CONFIRMED)
    return event, booths


def test_search_open_a_business_and_see_its_booth_on_the_map(page, fair):
    _event, booths = fair
    page.goto("/fairs/vsip/exhibitors/")
    page.get_by_label("Đơn vị hoặc sản phẩm").fill("dong thap")
    page.get_by_role("button", name="Tìm kiếm").click()

    results = page.locator("#directory-results > li")
    assert results.count() == 1
    results.get_by_role("link").click()

    assert page.locator("h1").inner_text() == "Hợp tác xã Sen Đồng Tháp"
    assert page.locator("[data-booth] .booth-code").inner_text() == "A05"
    page.get_by_role("link", name="Xem trên sơ đồ gian hàng").click()

    booth = page.locator(f'.booth[data-booth-id="{booths["A05"].pk}"]')
    assert "booth-focus" in booth.get_attribute("class")
    # (Locator waits, not wait_for_function: the Content-Security-Policy forbids evaluating strings.)
    expect(booth).to_have_class(re.compile(r"\bbooth-selected\b"))
    view = [float(v) for v in page.locator("svg.booth-map").get_attribute("viewBox").split()]
    rect = booth.locator("rect")
    x, width = float(rect.get_attribute("x")), float(rect.get_attribute("width"))
    assert view[2] < 60  # zoomed in from the whole hall
    assert view[0] < x and x + width < view[0] + view[2]  # the booth is in view
    assert page.locator('#booth-legend [data-legend="focus"]').inner_text().strip() == "Gian hàng bạn đang tìm"
    others = page.locator(".booth.booth-focus")
    assert others.count() == 1


def test_checkin_list_refreshes_live_when_someone_else_checks_a_business_in(page, fair, live_server):
    from django.test import Client

    from vendors.services.checkin import checkin_arrive

    _event, _booths = fair
    staff = factories.StaffUserFactory()
    client = Client()
    client.force_login(staff)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    page.goto("/staff/fairs/vsip/checkin/")
    pending = page.locator("[data-checkin-zones] .list-group-item")
    assert pending.count() == 2
    assert page.locator("#checkin-summary").inner_text().strip() == "0/2 đơn vị đã đến"

    checkin_arrive(application=Application.objects.get(vendor__name="Hợp tác xã Sen Đồng Tháp"), by=staff)

    expect(page.locator("[data-checkin-zones] .list-group-item")).to_have_count(1, timeout=15_000)  # polls every 5 s
    assert pending.first.locator("a").inner_text() == "Cát Hải"
    assert page.locator("#checkin-summary").inner_text().strip() == "1/2 đơn vị đã đến"


def test_staff_finds_a_business_on_a_phone_checks_it_in_and_records_the_handover(page, fair, live_server):
    from django.test import Client

    from vendors.models import CheckIn

    staff = factories.StaffUserFactory()
    client = Client()
    client.force_login(staff)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )
    page.goto("/staff/fairs/vsip/checkin/")
    page.fill("#id_q", "cat hai")  # no accents, as typed on a phone in a hurry
    page.locator("form button[type=submit]", has_text="Tìm").click()
    results = page.locator("#checkin-results li")
    expect(results).to_have_count(1)
    results.first.locator("a").click()

    page.click("#checkin-arrive")
    expect(page.locator("#checkin-status")).to_contain_text("Đã đến")
    page.get_by_label("Ổ điện hoạt động").check()
    page.get_by_label("Đủ bàn ghế").check()
    page.fill("#checkin-handover textarea", "Thiếu một bóng đèn, đã báo điện.")
    page.locator("#checkin-handover button[type=submit]").click()
    page.wait_for_load_state("networkidle")

    checkin = CheckIn.objects.get(application__vendor__short_name="Cát Hải")
    assert checkin.arrived_at is not None and checkin.arrived_by == staff
    assert (checkin.power_ok, checkin.furniture_ok, checkin.fascia_ok) == (True, True, False)
    assert checkin.note == "Thiếu một bóng đèn, đã báo điện."
