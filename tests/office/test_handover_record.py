"""The booth handover record (biên bản bàn giao gian hàng): one per business, printed from its
check-in page, with the fair, the business, its booths and their equipment, the state recorded
at handover and both signature blocks; only for staff who check in at this organiser's fairs."""

import pytest
from django.urls import reverse
from django.utils import translation

from events.models import BoothType, Membership
from tests import factories
from tests.printing.support import pdf_pages
from tests.vendors._directory_support import en, exhibitor
from vendors.services import checkin as services

pytestmark = pytest.mark.django_db


@pytest.fixture
def fair(db):
    event = factories.EventFactory(name="Tuần hàng Việt Nam VSIP", slug="vsip")
    zone = factories.ZoneFactory(event=event, code="A", name="Khu OCOP", position=1)
    standard = factories.BoothTypeFactory(event=event)

    def booth(code, x):
        return factories.BoothFactory(event=event, zone=zone, booth_type=standard, code=code, x=x, y=0)

    apps = {
        "sen": exhibitor(event, "Hợp tác xã Sen Đồng Tháp", booths=[booth("A02", 3)]),
        "mam": exhibitor(event, "Công ty Nước mắm Cát Hải", booths=[booth("A01", 0)]),
    }
    return type("Fair", (), {"event": event, "apps": apps})


@pytest.fixture
def staff(db):
    return factories.StaffUserFactory(username="can.bo.le.tan")


@pytest.fixture
def staff_client(client, staff):
    client.force_login(staff)
    return client


def _url(fair_, key="sen", language="en"):
    with translation.override(language):
        return reverse("vendors:checkin_handover_record", kwargs={"slug": "vsip", "pk": fair_.apps[key].pk})


def test_handover_record_names_fair_business_booths_equipment_state_and_both_signatures(fair, staff, client):
    BoothType.objects.filter(event=fair.event).update(
        name="Gian tiêu chuẩn 3 × 3 m", equipment="1 bàn, 2 ghế, 1 ổ điện, biển tên"
    )
    application = fair.apps["sen"]
    vendor = application.vendor
    vendor.representative, vendor.phone, vendor.address = "Lê Văn Sen", "+84912345678", "Ấp 3"
    vendor.save()
    services.checkin_arrive(application=application, by=staff)
    services.checkin_handover(
        application=application, by=staff, power_ok=True, furniture_ok=True, fascia_ok=False, note="Thiếu 1 ghế"
    )
    client.force_login(staff)
    response = client.get(_url(fair, language="vi"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    pages = pdf_pages(response.content)
    assert len(pages) == 1
    text = " ".join(pages[0].split())
    for expected in (
        "BIÊN BẢN BÀN GIAO GIAN HÀNG",
        "Tuần hàng Việt Nam VSIP",
        "Hợp tác xã Sen Đồng Tháp",
        f"Mã số thuế: {vendor.tax_code}",
        "Người đại diện: Lê Văn Sen",
        "Điện thoại: 0912 345 678",
        "Địa chỉ: Ấp 3, Hải Phòng",
        "A02 Khu OCOP Gian tiêu chuẩn 3 × 3 m 3 × 3 m 1 bàn, 2 ghế, 1 ổ điện, biển tên",
        "Ổ điện hoạt động đạt",
        "chưa xác nhận",
        "Thiếu 1 ghế",
        "ĐẠI DIỆN BAN TỔ CHỨC",
        "ĐẠI DIỆN ĐƠN VỊ THAM GIA",
    ):
        assert expected in text, expected
    assert "Công ty Nước mắm Cát Hải" not in text and "A01" not in text


def test_the_checkin_page_links_to_the_handover_record(staff_client, fair):
    response = staff_client.get(en("vendors:checkin_detail", slug="vsip", pk=fair.apps["sen"].pk))
    assert f'href="{_url(fair)}"' in response.content.decode()


def test_handover_record_of_another_organisers_participant_answers_404(staff_client, fair):
    other_organiser = factories.OrganiserFactory(name="Trung tâm Xúc tiến Thương mại Đồng Tháp")
    event = factories.EventFactory(slug="khac", organiser=other_organiser)
    other = exhibitor(event, "Công ty Nơi Khác")
    assert staff_client.get(en("vendors:checkin_handover_record", slug="khac", pk=other.pk)).status_code == 404
    # Nor through this fair's address.
    assert staff_client.get(en("vendors:checkin_handover_record", slug="vsip", pk=other.pk)).status_code == 404


def test_handover_record_needs_the_checkin_capability(client, fair):
    assert client.get(_url(fair)).url.startswith("/en/account/login/")
    client.force_login(factories.StaffUserFactory(username="ke.toan", role=Membership.Role.ACCOUNTANT))
    assert client.get(_url(fair)).status_code == 403
    client.force_login(factories.StaffUserFactory(username="tang.tret", role=Membership.Role.FLOOR))
    assert client.get(_url(fair)).status_code == 200
