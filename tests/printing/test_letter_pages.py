"""The confirmation letter is one page for one participant, and its ending (last paragraph,
"Nơi nhận" and the signature) is never on a page of its own, whatever the names, addresses and
booths."""

import io

import pytest
from pypdf import PdfReader

from booths.models import Assignment
from events.models import Organiser
from tests import factories

from .support import make_fair, pdf_pages
from .test_documents import build

pytestmark = pytest.mark.django_db

LONG = "Công ty Cổ phần Chế biến Nông sản, Thực phẩm và Đặc sản Vùng miền Đồng bằng sông Cửu Long Xuất nhập khẩu"


def _full_fair(names, **event_fields):
    """A fair with everything the letter prints filled in, as a real organiser's is."""
    event_fields.setdefault("daily_hours", "8:00 – 22:00")
    event, booths, apps = make_fair(names=names, deposit=2_000_000, **event_fields)
    Organiser.objects.filter(pk=event.organiser_id).update(
        parent_body="Sở Công Thương thành phố Hải Phòng",
        representative="Nguyễn Văn Bình",
        phone="+842253842179",
        email="khuyencong@haiphong.gov.vn",
        address="Số 10 Lạch Tray, Phường Lê Chân",
    )
    for app in apps:
        app.vendor.representative = "Trần Thị Thu Hương"
        app.vendor.address = "Số 123 đường Nguyễn Văn Linh, thôn Đông Khê 2"
        app.vendor.save()
    return event, booths, apps


def _pages(content: bytes) -> int:
    return len(PdfReader(io.BytesIO(content)).pages)


def test_one_participant_letter_is_one_page():
    event, _booths, apps = _full_fair(["Hợp tác xã Nông nghiệp Sen Tháp Mười"])
    content = build(event, "letters", application=apps[0].pk)
    assert _pages(content) == 1
    assert "TM. BAN TỔ CHỨC" in pdf_pages(content)[0]


def test_one_participant_letter_with_long_name_address_and_many_booths_is_one_page():
    event, booths, apps = _full_fair([LONG])
    zone = booths[0].zone
    for i in range(12):
        booth = factories.BoothFactory(event=event, zone=zone, code=f"B{i + 1:03d}", x=3 * i, y=12)
        Assignment.objects.create(booth=booth, application=apps[0], status="confirmed")
    vendor = apps[0].vendor
    vendor.address = "Lô CN-07, Khu công nghiệp Tràng Duệ, thuộc Khu kinh tế Đình Vũ – Cát Hải, " * 2
    vendor.save()
    content = build(event, "letters", application=apps[0].pk)
    assert _pages(content) == 1


def _ending_pages(content: bytes) -> list[str]:
    return [page for page in pdf_pages(content) if "TM. BAN TỔ CHỨC" in page]


def test_signature_never_stands_alone_when_a_letter_runs_over():
    # Texts long enough to push a letter over a page (each within its field's length, as
    # PostgreSQL holds it): the ending moves with its paragraph.
    venue = ("Trung tâm Hội chợ Triển lãm và Xúc tiến Thương mại Quốc tế Khu kinh tế Đình Vũ – Cát Hải " * 3)[:255]
    address = ("Lô CN-07, đường Tràng Duệ, Khu công nghiệp VSIP, phường Thủy Nguyên, thành phố Hải Phòng " * 3)[:255]
    event, booths, apps = _full_fair(["Hộ kinh doanh Bánh đa cua"], venue=venue, address=address)
    for i in range(30):
        booth = factories.BoothFactory(event=event, zone=booths[0].zone, code=f"C{i + 1:03d}", x=3 * i, y=24)
        Assignment.objects.create(booth=booth, application=apps[0], status="confirmed")
    vendor = apps[0].vendor
    vendor.address = address
    vendor.save()
    content = build(event, "letters", application=apps[0].pk)
    assert _pages(content) >= 2  # it does run over
    (ending,) = _ending_pages(content)
    assert "cảm ơn" in ending and "Nơi nhận" in ending
    first_lines = [line for line in ending.splitlines() if line.strip()]
    assert not first_lines[0].startswith("Nơi nhận"), ending


def test_letters_for_many_participants_one_page_each():
    event, _booths, _apps = _full_fair([f"Hợp tác xã Số {i} – {LONG}" for i in range(4)])
    content = build(event, "letters")
    assert _pages(content) == 4
    assert len(_ending_pages(content)) == 4
