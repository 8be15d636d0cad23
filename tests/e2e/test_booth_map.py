"""The booth map in a phone-sized Chromium: zoom with the buttons, the wheel and a pinch, pan by
dragging, a booth's details on tap, and finding a booth by a participant's name."""

import pytest
from playwright.sync_api import expect

from booths.models import Assignment
from tests import factories
from vendors.models import Application


@pytest.fixture
def fair(transactional_db):
    event = factories.EventFactory(slug="ban-do", hall_width_m=30, hall_depth_m=20)
    zone = factories.ZoneFactory(event=event, code="A", name="Khu OCOP", colour="#d62728")
    standard = factories.BoothTypeFactory(event=event, name="Gian tiêu chuẩn")
    booths = {
        code: factories.BoothFactory(event=event, zone=zone, booth_type=standard, code=code, x=3 * i + 6, y=6, row="1")
        for i, code in enumerate(["A01", "A02", "A03"])
    }
    vendor = factories.VendorFactory(name="Hợp tác xã Chè Tân Cương", short_name="Chè Tân Cương")
    application = factories.ApplicationFactory(vendor=vendor, event=event, status=Application.Status.APPROVED)
    factories.AssignmentFactory(booth=booths["A02"], application=application, status=Assignment.Status.CONFIRMED)
    return event


def view_box(page):
    return [float(v) for v in page.locator("svg.booth-map").get_attribute("viewBox").split()]


def test_booth_map_zooms_pans_and_shows_a_booth_on_tap(page, fair):
    page.goto("/en/fairs/ban-do/map/")
    assert view_box(page)[2] < 32  # a phone opens the plan zoomed so booths are readable (issue 22)
    page.get_by_role("button", name="Whole hall").click()
    home = view_box(page)
    assert home == [-1, -1, 32, 24.2]

    page.get_by_role("button", name="Zoom in").click()
    zoomed = view_box(page)
    assert zoomed[2] == pytest.approx(home[2] / 1.5, rel=1e-3)

    box = page.locator("svg.booth-map").bounding_box()
    centre = (box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    before_wheel = page.locator("svg.booth-map").get_attribute("viewBox")
    page.mouse.move(*centre)
    page.mouse.wheel(0, -300)
    # (Locator waits, not wait_for_function: the Content-Security-Policy forbids evaluating strings.)
    expect(page.locator("svg.booth-map")).not_to_have_attribute("viewBox", before_wheel)
    wheeled = view_box(page)
    assert wheeled[2] < zoomed[2]

    page.mouse.move(*centre)
    page.mouse.down()
    page.mouse.move(centre[0] + 60, centre[1] + 10, steps=5)
    page.mouse.up()
    dragged = view_box(page)
    assert dragged[0] < wheeled[0]  # dragging right brings the hall's left part into view
    assert dragged[2] == pytest.approx(wheeled[2])

    page.get_by_role("button", name="Whole hall").click()
    assert view_box(page) == pytest.approx(home)

    page.locator('.booth[data-code="A02"] rect').click()
    panel = page.locator("[data-map-panel]")
    assert panel.locator("[data-map-panel-title]").inner_text() == "A02"
    assert panel.locator('dd[data-field="business"]').inner_text() == "Hợp tác xã Chè Tân Cương"
    assert panel.locator('dd[data-field="status"]').inner_text() == "Taken"
    assert panel.is_visible()
    panel_box = panel.bounding_box()
    assert panel_box["x"] == 0 and panel_box["width"] == 390  # a sheet over the map on a phone
    assert (
        page.locator('.booth[data-code="A02"]').get_attribute("class")
        == "booth booth-assigned booth-selected booth-active"
    )

    panel.get_by_role("button", name="Close the booth details").click()
    assert not page.locator("[data-map-panel-body]").is_visible()


def test_booth_map_pinch_zooms_on_a_phone(page, fair):
    page.goto("/en/fairs/ban-do/map/")
    home = view_box(page)
    # Two fingers moving apart, as touch pointer events (Playwright has no multi-touch gesture).
    page.evaluate(
        """() => {
          const svg = document.querySelector('svg.booth-map');
          const r = svg.getBoundingClientRect();
          const cx = r.left + r.width / 2, cy = r.top + r.height / 2;
          const fire = (type, id, x) => svg.dispatchEvent(new PointerEvent(type, {
            pointerId: id, pointerType: 'touch', isPrimary: id === 1, clientX: x, clientY: cy,
            bubbles: true, cancelable: true, button: 0,
          }));
          fire('pointerdown', 1, cx - 20); fire('pointerdown', 2, cx + 20);
          for (let step = 1; step <= 5; step++) { fire('pointermove', 2, cx + 20 + step * 12); }
          fire('pointerup', 2, cx + 80); fire('pointerup', 1, cx - 20);
        }"""
    )
    pinched = view_box(page)
    assert pinched[2] == pytest.approx(home[2] * 40 / 100, rel=0.01)  # fingers 40 px → 100 px apart
    assert page.locator("[data-map-panel-body]").is_hidden()  # a pinch is not a tap


def test_booth_map_finds_a_booth_by_participant_name(page, fair):
    page.goto("/en/fairs/ban-do/map/")
    page.get_by_label("Find a booth by code or name").fill("che tan cuong")
    page.get_by_role("button", name="Find").click()
    assert page.locator("[data-map-panel-title]").inner_text() == "A02"
    assert view_box(page)[2] < 32
    page.get_by_label("Find a booth by code or name").fill("khong co")
    page.get_by_role("button", name="Find").click()
    assert page.locator("[data-map-find-none]").inner_text() == "No booth or participant matches what you typed."
