"""An organiser at the office sets up a new fair end to end in a desktop browser: logs into the admin,
creates the fair with a zone and the standard booth type, lays out the booths on the floor-plan page,
publishes the fair, and finds its hall plan on the public map."""

import pytest

from booths.models import Booth
from events.models import Event, Organiser
from tests.factories import StaffUserFactory


@pytest.fixture
def organiser(transactional_db):
    Organiser.objects.create(name="Trung tâm Khuyến công Hải Phòng", short_name="TTKC Hải Phòng", province_id="31")
    return StaffUserFactory(username="bantochuc", is_superuser=True)


def _pick_autocomplete(page, field, text):
    """Choose `text` in the admin's autocomplete (select2) widget of `field`."""
    page.locator(f"#id_{field} + .select2").click()
    page.locator(".select2-search__field").fill(text)
    page.locator(".select2-results__option", has_text=text).first.click()


def test_organiser_creates_lays_out_and_publishes_a_fair(desktop_page, organiser):
    page = desktop_page
    page.goto("/en/admin/login/")
    page.fill("#id_username", "bantochuc")
    page.fill("#id_password", "mat-khau-123")
    page.click("input[type=submit]")
    page.wait_for_url("**/en/admin/")

    page.goto("/en/admin/events/event/add/")
    page.locator("#id_name").press_sequentially("Tuần hàng Việt Nam tại KCN Đình Vũ 2027")
    # The slug follows the name as it is typed, in plain letters.
    assert page.input_value("#id_slug") == "tuan-hang-viet-nam-tai-kcn-dinh-vu-2027"
    _pick_autocomplete(page, "organiser", "TTKC")
    page.fill("#id_venue", "KCN Đình Vũ")
    _pick_autocomplete(page, "province", "Hải Phòng")
    for field, date, time in [
        ("registration_opens_at", "01/03/2027", "08:00"),
        ("registration_closes_at", "31/03/2027", "17:00"),
        ("setup_at", "14/04/2027", "14:00"),
        ("opens_at", "15/04/2027", "08:00"),
        ("closes_at", "20/04/2027", "22:00"),
    ]:
        page.fill(f"#id_{field}_0", date)
        page.fill(f"#id_{field}_1", time)
    page.fill("#id_booth_fee", "6000000")
    page.fill("#id_subsidy_percent", "50")
    page.locator("#zones-group .add-row a").click()
    page.fill("#id_zones-0-code", "A")
    page.fill("#id_zones-0-name", "Khu OCOP")
    page.locator("#booth_types-group .add-row a").click()
    page.fill("#id_booth_types-0-code", "std")
    page.fill("#id_booth_types-0-name", "Gian tiêu chuẩn")
    page.check("#id_booth_types-0-is_standard")
    page.click("input[name=_save]")
    page.wait_for_url("**/en/admin/events/event/")
    assert page.locator(".messagelist .success").count() == 1
    event = Event.objects.get(slug="tuan-hang-viet-nam-tai-kcn-dinh-vu-2027")
    assert (event.status, event.booth_fee, event.opens_at.day) == (Event.Status.DRAFT, 6_000_000, 15)

    page.goto(f"/en/floorplan/fairs/{event.slug}/")
    page.fill("#id_rows", "2")
    page.fill("#id_columns", "6")
    page.click("#generate-form [type=submit]")
    page.wait_for_load_state("networkidle")
    assert "Laid out 12 booths in zone A: A01 to A12." in page.locator(".alert-success").inner_text()
    assert sorted(Booth.objects.filter(event=event).values_list("code", flat=True))[:3] == ["A01", "A02", "A03"]

    page.goto("/en/admin/events/event/")
    page.locator(f'input[name="_selected_action"][value="{event.pk}"]').check()
    page.select_option("select[name=action]", "publish")
    page.click("button[name=index]")
    page.wait_for_load_state("networkidle")
    event.refresh_from_db()
    assert event.status == Event.Status.PUBLISHED

    page.goto(f"/en/fairs/{event.slug}/map/")
    assert page.locator("svg.booth-map .booth").count() == 12
    assert page.locator('.booth[data-code="A07"]').count() == 1
