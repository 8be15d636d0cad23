import pytest
from django.template.loader import render_to_string
from django.test import override_settings

from tests.factories import UserFactory


@override_settings(DEBUG=False)
def test_unknown_page_gets_a_friendly_vietnamese_404(client, db):
    staff = UserFactory(is_staff=True)
    client.force_login(staff)
    response = client.get("/staff/fairs/khong-co-hoi-cho-nay/")
    assert response.status_code == 404
    assert "Không tìm thấy trang" in response.content.decode()


@override_settings(DEBUG=False)
def test_non_staff_gets_a_friendly_403(client, db):
    client.force_login(UserFactory())
    response = client.get("/staff/")
    assert response.status_code == 403
    assert "Bạn không có quyền" in response.content.decode()


@pytest.mark.parametrize("template", ["500.html"])
def test_500_page_renders_without_a_request(template):
    html = render_to_string(template)
    assert "Đã có lỗi" in html
