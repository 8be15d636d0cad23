import pytest

from tests.factories import StaffUserFactory


@pytest.mark.django_db(transaction=True)
def test_organiser_logs_into_the_admin_in_vietnamese(page):
    StaffUserFactory(username="bantochuc", is_superuser=True)
    page.goto("/admin/login/")
    page.fill("#id_username", "bantochuc")
    page.fill("#id_password", "mat-khau-123")
    page.click("input[type=submit]")
    page.wait_for_url("**/admin/")
    assert "Quản lý hội chợ" in page.title()
    assert page.locator("#site-name").inner_text().strip() != ""
