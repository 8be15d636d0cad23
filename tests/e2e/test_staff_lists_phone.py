"""Staff lists on a phone (issue 22, item 4): every list that is a table on a desktop becomes cards
under 576 px. In Chromium at 390×844 and 320×640, each page is opened as the organiser's
administrator and checked the way a person holding the phone meets it: nothing scrolls sideways,
each row's name, state and main action lie inside the screen's width, and every tick box, link and
button in the list is at least 24×24 px (WCAG 2.5.8)."""

import datetime as dt

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from booths.models import AllocationRun
from events.generated import building
from events.models import AccessLog, GeneratedFile
from tests import factories
from tests.printing.support import make_fair
from tuanhang.office.reminders.models import ReminderDelivery, ReminderRule
from tuanhang.office.reminders.services import reminder_rules_create_defaults
from vendors.models import IdentityChangeRequest

LONG_NAME = "Hợp tác xã Nông nghiệp Dịch vụ Tổng hợp Chè Shan Tuyết Cổ Thụ Suối Giàng Văn Chấn Yên Bái"
TARGET = 24  # px, WCAG 2.5.8 (minimum target size)
VIEWPORTS = [{"width": 390, "height": 844}, {"width": 320, "height": 640}]


def _world():
    """One fair with approved participants (one with a very long name), a staff administrator, and
    a row in every staff list: a print, an allocation run, a reminder delivery, an access log entry
    and an identity change waiting for approval."""
    event, _booths, applications = make_fair(names=["Dương", "Đông", LONG_NAME, "Ánh"])
    staff = factories.StaffUserFactory(is_superuser=True, first_name="Lan", last_name="Nguyễn Thị")
    factories.StaffUserFactory(organiser=event.organiser, role="reviewer", email="kiem.duyet.ho.so.dai@example.vn")
    GeneratedFile.objects.create(
        event=event,
        kind="participants",
        parameters={"order": "name"},
        parameters_key=building.options_key({"order": "name"}),
        fingerprint="0" * 64,
        created_by=staff,
    )
    AllocationRun.objects.create(event=event, created_by=staff, status="done", message="Xếp được 4/4 đơn.")
    reminder_rules_create_defaults(event=event)
    rule = ReminderRule.objects.filter(event=event).first()
    ReminderDelivery.objects.create(
        rule=rule, application=applications[2], event=event, due_at=timezone.now(), status="failed"
    )
    AccessLog.objects.create(
        organiser=event.organiser, event=event, changed_by=staff, user_name=staff.username, kind="export", label="x"
    )
    vendor = applications[2].vendor
    IdentityChangeRequest.objects.create(
        vendor=vendor,
        old_name=vendor.name,
        old_kind=vendor.kind,
        old_tax_code=vendor.tax_code,
        new_name=vendor.name + " (đổi tên)",
        new_kind=vendor.kind,
        new_tax_code=vendor.tax_code,
        requested_at=timezone.now() - dt.timedelta(hours=1),
    )
    return event, staff


def _pages(event):
    """(page, the list's table) for every staff list."""
    organiser = event.organiser_id
    return [
        (reverse("events:staff_home"), "#staff-fairs"),
        (reverse("vendors:review_list", args=[event.slug]), "#review-applications"),
        (reverse("events:printing", args=[event.slug]), "#exports"),
        (reverse("events:printing", args=[event.slug]), "#recent-files"),
        (reverse("reminders:log", args=[event.slug]), "#rules"),
        (reverse("reminders:log", args=[event.slug]), "#deliveries"),
        (reverse("booths:allocation", args=[event.slug]), "#allocation-runs"),
        (reverse("team:page", args=[organiser]), "#members"),
        (reverse("team:access_log", args=[organiser]), "#access-log"),
        (reverse("registry:requests"), "#identity-changes"),
        (reverse("vendors:checkin", args=[event.slug]) + "?q=a", "#checkin-results"),
        (reverse("vendors:checkin", args=[event.slug]), "#checkin-pending ul"),
    ]


def _log_in(page, live_server, staff, settings):
    client = Client()
    client.force_login(staff)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}])


def _inside(box, width):
    return box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width + 0.5


def _problems(page, table, width):
    """What a phone user would meet on one list: the sideways scroll, rows whose name, state or
    action is off the screen or missing, controls under 24×24 px."""
    problems = []
    scroll = page.evaluate("document.scrollingElement.scrollWidth")
    if scroll > width:
        problems.append(f"the page is {scroll} px wide")
    rows = page.locator(f"{table} > tbody > tr, {table} > li")
    assert rows.count() > 0, f"{table} has no row"
    for i in range(rows.count()):
        row = rows.nth(i)
        for part in (".cell-name", ".cell-state", ".cell-action"):
            cell = row.locator(part)
            if cell.count() and cell.first.inner_text().strip() and not _inside(cell.first.bounding_box(), width):
                problems.append(f"row {i}: {part} is off the screen")
    names = page.locator(f"{table} .cell-name, {table} > li a")
    if names.count() == 0:
        problems.append("no row names its business, fair or person (.cell-name)")
    for control in page.locator(f"{table} input:not([type=hidden]), {table} a, {table} button").all():
        if not control.is_visible():
            continue
        box = control.bounding_box()
        if box["width"] < TARGET - 0.5 or box["height"] < TARGET - 0.5:
            label = control.get_attribute("aria-label") or control.inner_text()
            problems.append(f"{label!r} is {box['width']:.0f}×{box['height']:.0f} px")
    return problems


@pytest.mark.parametrize("viewport", VIEWPORTS, ids=lambda v: f"{v['width']}px")
def test_staff_lists_are_cards_on_a_phone(viewport, page, live_server, transactional_db, settings):
    event, staff = _world()
    page.set_viewport_size(viewport)
    _log_in(page, live_server, staff, settings)
    found = {}
    for url, table in _pages(event):
        page.goto(url)
        found[f"{url} {table}"] = _problems(page, table, viewport["width"])
    assert {where: problems for where, problems in found.items() if problems} == {}


def test_the_review_list_stays_a_table_on_a_desktop(desktop_page, live_server, transactional_db, settings):
    event, staff = _world()
    _log_in(desktop_page, live_server, staff, settings)
    desktop_page.goto(reverse("vendors:review_list", args=[event.slug]))
    table = desktop_page.locator("#review-applications")
    assert table.evaluate("t => getComputedStyle(t).display") == "table"
    assert desktop_page.locator("#review-applications thead th").first.is_visible()
    # the column names are in the header, not repeated in every cell
    assert desktop_page.locator("#review-applications td.fee-due").first.evaluate(
        "td => getComputedStyle(td, '::before').content"
    ) in ("none", "normal")
