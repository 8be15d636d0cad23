"""Choosing a booth with the keyboard only (issue 22): Tab to the plan, arrow keys, Enter; the
confirmation is read from the accessibility tree, then saved. On a phone the plan opens so that
the chosen booth is at least 24 px."""

import pytest
from django.conf import settings as django_settings
from django.test import Client
from playwright.sync_api import expect

from booths.models import Assignment
from tests import factories
from vendors.models import Application, VendorMember


@pytest.fixture
def choosing(transactional_db):
    event = factories.EventFactory(slug="chon-gian", hall_width_m=60, hall_depth_m=30, allow_self_selection=True)
    zone = factories.ZoneFactory(event=event, code="A", name="Khu OCOP")
    standard = factories.BoothTypeFactory(event=event, name="Gian tiêu chuẩn", price=2_500_000)
    for row, y in (("1", 6), ("2", 12)):
        for i in range(12):
            code = f"A{row}{i + 1:02d}"
            factories.BoothFactory(event=event, zone=zone, booth_type=standard, code=code, x=3 * i + 6, y=y, row=row)
    application = factories.ApplicationFactory(
        event=event, status=Application.Status.APPROVED, booths_requested=1, booth_type=standard
    )
    application.categories.set([])
    user = factories.UserFactory()
    VendorMember.objects.create(vendor=application.vendor, user=user, role=VendorMember.Role.OWNER)
    return application, user


def _log_in(page, live_server, user):
    client = Client()
    client.force_login(user)
    name = django_settings.SESSION_COOKIE_NAME
    page.context.add_cookies([{"name": name, "value": client.cookies[name].value, "url": live_server.url}])


def _choose_with_keys(page, live_server, choosing):
    application, user = choosing
    _log_in(page, live_server, user)
    page.goto("/fairs/chon-gian/booths/choose/")
    plan = page.get_by_role("listbox", name="Sơ đồ gian hàng", exact=False)
    for _ in range(40):  # Tab until the plan has the focus: keyboard only, no click
        page.keyboard.press("Tab")
        if plan.evaluate("el => el === document.activeElement"):
            break
    else:
        pytest.fail("Tab never reached the plan")
    page.keyboard.press("Home")  # A101, the first booth in reading order
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowDown")  # A203: under A103
    active = plan.get_attribute("aria-activedescendant")
    assert page.locator(f"#{active}").get_attribute("data-code") == "A203"
    page.keyboard.press("Enter")
    return application, plan


@pytest.mark.parametrize("viewport", ["phone", "desktop"])
def test_a_booth_is_chosen_with_the_keyboard_and_the_choice_is_heard(
    page, desktop_page, live_server, choosing, viewport
):
    page = page if viewport == "phone" else desktop_page
    application, plan = _choose_with_keys(page, live_server, choosing)
    bar = page.locator("#selection-bar")
    expect(bar.get_by_role("status")).to_have_text("Bạn đã chọn gian A203 — 2.500.000 ₫ (chưa lưu).")
    # What a screen reader hears: the status line, the chosen option, the box ticked in the list.
    snapshot = bar.aria_snapshot()
    assert "status: Bạn đã chọn gian A203 — 2.500.000 ₫ (chưa lưu)." in snapshot
    assert 'button "Lưu lựa chọn"' in snapshot
    expect(plan.get_by_role("option", name="Gian A203, khu A, 3 × 3 m, 2.500.000 ₫, còn trống")).to_have_attribute(
        "aria-selected", "true"
    )
    expect(page.get_by_role("radio", name="Gian A203, khu A, 3 × 3 m, 2.500.000 ₫, còn trống")).to_be_checked()
    expect(page.locator("[data-my-booths]")).to_have_text("A203 · chưa lưu")

    if viewport == "phone":
        rect = page.locator('.booth[data-code="A203"] rect').bounding_box()
        assert rect["width"] >= 24 and rect["height"] >= 24
        # The save button is in reach: on the screen while the plan is.
        assert page.get_by_role("button", name="Lưu lựa chọn").first.is_visible()

    page.keyboard.press("Tab")  # the plan is one tab stop: one Tab leaves it
    assert plan.evaluate("el => !el.contains(document.activeElement) && el !== document.activeElement")
    save = bar.get_by_role("button", name="Lưu lựa chọn")
    for _ in range(3):  # the details' close button comes first where the details sit beside the plan
        if save.evaluate("el => el === document.activeElement"):
            break
        page.keyboard.press("Tab")
    expect(save).to_be_focused()
    page.keyboard.press("Enter")
    expect(bar.get_by_role("status")).to_have_text("Gian hàng của bạn hiện là A203.", timeout=10_000)
    assert Assignment.objects.get(application=application).booth.code == "A203"


def test_the_public_plan_opens_readable_on_a_phone(page, choosing):
    application, _ = choosing
    application.event.status = "registration_open"
    application.event.save()
    page.goto("/fairs/chon-gian/map/")
    opened = page.locator('.booth[data-code="A101"] rect').bounding_box()
    assert opened["width"] >= 24 and opened["height"] >= 24
    # The control: the whole hall at once draws the same booth under 24 px on this screen.
    page.get_by_role("button", name="Toàn bộ khu trưng bày").click()
    assert page.locator('.booth[data-code="A101"] rect').bounding_box()["width"] < 24
