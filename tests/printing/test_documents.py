"""The prints read back: every participant present, Vietnamese intact, the orders right on names
that trip byte order and tone order, user text printed as written."""

import io
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from pypdf import PdfReader

from booths.models import Assignment, HallFeature
from events.generated import get_builder
from events.generated.header import fair_for_print
from tests import factories
from tuanhang.office.printing.selectors import participant_rows
from vendors.models import Application, Product
from vendors.selectors.profile import exhibitor_url

from .support import BYTE_ORDER, TRICKY_NAMES, make_fair, pdf_pages, pdf_text, positions

pytestmark = pytest.mark.django_db


def build(event, kind, **options):
    builder = get_builder(kind)
    event = fair_for_print(slug=event.slug)
    cleaned = builder.clean(options, event=event)
    return builder.render(event, builder.collect(event, cleaned), cleaned, lambda done, total: None)


def flat(content):
    return " ".join(pdf_text(content).split())


def test_byte_order_differs_from_vietnamese_order():
    """The control: sorting these names by code point gives another order."""
    assert BYTE_ORDER != TRICKY_NAMES


# --- participant list ----------------------------------------------------------------------


def test_participant_list_by_name_follows_vietnamese_collation():
    event, _booths, _apps = make_fair()
    text = pdf_text(build(event, "participants", order="name"))
    found = positions(text, TRICKY_NAMES)
    assert found == sorted(found), "names are not in Vietnamese order"
    assert "DANH SÁCH ĐƠN VỊ THAM GIA" in text
    assert "Theo thứ tự chữ cái của tên đơn vị" in text


def test_participant_list_by_booth_lists_every_participant_with_booths_and_blanks():
    event, booths, apps = make_fair()
    Assignment.objects.filter(application=apps[0]).delete()  # "Anh" loses its booth A008
    content = build(event, "participants")
    text = pdf_text(content)
    # Booth order: A001 holds the last name, A007 the second; "Anh" (no booth) comes last.
    expected = [*reversed(TRICKY_NAMES[1:]), "Anh"]
    found = positions(text, expected)
    assert found == sorted(found)
    for code in [b.code for b in booths[:-1]]:
        assert re.search(rf"(?<!\w){code}(?!\w)", text)
    assert "A008" not in text
    assert "1 đơn vị chưa có gian" in flat(content)
    assert "8 đơn vị, đến từ 1 tỉnh/thành phố; đã xếp 7 gian" in flat(content)
    assert "Trang 1/1" in text


def test_participant_list_by_province_is_grouped_with_counts():
    event, _booths, apps = make_fair()
    for app in apps[:3]:  # Anh, Ảnh, Ánh to Hà Nội; Đà Nẵng and Thái Nguyên stay out of the way
        app.vendor.province_id = "01"
        app.vendor.save()
    text = flat(build(event, "participants", order="province"))
    assert "Hà Nội — 3 đơn vị" in text
    assert "Hải Phòng — 5 đơn vị" in text
    assert text.index("Hà Nội — 3 đơn vị") < text.index("Hải Phòng — 5 đơn vị")  # H-à before H-ả
    hanoi, haiphong = text.split("Hải Phòng — 5 đơn vị")
    found = positions(hanoi, ["Anh", "Ảnh", "Ánh"])
    assert found == sorted(found)
    found = positions(haiphong, TRICKY_NAMES[3:])
    assert found == sorted(found)


def test_participant_list_shows_kind_province_contact_goods_and_stars():
    event, _booths, apps = make_fair(names=["Hợp tác xã Nông nghiệp Đông Sơn"])
    vendor = apps[0].vendor
    vendor.kind = "HTX"
    vendor.save()
    category = factories.CategoryFactory(name="Chè – cà phê")
    apps[0].categories.add(category)
    Product.objects.create(vendor=vendor, name="Chè Shan tuyết", category=category, ocop_stars=4)
    text = flat(build(event, "participants"))
    assert "Hợp tác xã Nông nghiệp Đông Sơn" in text
    assert "HTX" in text and "Nguyễn Thị Lan" in text and vendor.display_phone in text
    assert "Chè – cà phê; Chè Shan tuyết" in text
    assert "★★★★" in text
    assert "DN: doanh nghiệp · HTX: hợp tác xã · HKD: hộ kinh doanh" in text


@pytest.mark.parametrize("length", ["short", "long"])
def test_participant_list_prints_markup_in_names_as_written(length):
    hostile = '<b>Đậm</b> & <font size="40" color="red">Đỏ</font>'
    name = hostile if length == "short" else hostile + " Công ty TNHH Thương mại Dịch vụ Xuất nhập khẩu"
    event, _booths, _apps = make_fair(names=[name])
    assert name in flat(build(event, "participants"))


def test_participant_list_leaves_out_applications_not_approved():
    event, _booths, apps = make_fair()
    apps[3].status = Application.Status.WAITLISTED
    apps[3].save()
    factories.ApplicationFactory(event=event, vendor=factories.VendorFactory(name="Chưa duyệt"))
    text = pdf_text(build(event, "participants"))
    assert not re.search(r"(?<!\w)Dương(?!\w)", text)
    assert "Chưa duyệt" not in text


def test_participant_rows_query_count_does_not_grow_with_participants():
    event, _b, _a = make_fair(names=["A", "B"])
    big, _b, _a = make_fair(names=[f"Đơn vị {i}" for i in range(30)])
    counts = []
    for fair in (event, big):
        with CaptureQueriesContext(connection) as queries:
            participant_rows(fair)
        counts.append(len(queries.captured_queries))
    assert counts[0] == counts[1] == 6


def test_participant_list_of_many_pages_numbers_them():
    event, _booths, _apps = make_fair(names=[f"Công ty {i:03d}" for i in range(60)], assign=False)
    pages = pdf_pages(build(event, "participants"))
    assert len(pages) >= 2
    assert f"Trang 1/{len(pages)}" in pages[0]
    assert f"Trang {len(pages)}/{len(pages)}" in pages[-1]
    text = "\n".join(pages)
    assert all(f"Công ty {i:03d}" in text for i in range(60))


# --- check-in sheet --------------------------------------------------------------------------


def test_checkin_sheet_lists_booth_business_contact_phone_and_signature_column():
    event, booths, apps = make_fair()
    content = build(event, "checkin")
    text = flat(content)
    assert "DANH SÁCH KÝ NHẬN GIAN HÀNG" in text
    assert "Ký nhận" in text and "Giờ đến" in text
    assert "Bàn giao gian hàng từ 14:00" in text
    for app in apps:
        assert app.vendor.display_phone in text
    found = positions(pdf_text(content), list(reversed(TRICKY_NAMES)))  # A001 … A008
    assert found == sorted(found)
    page = PdfReader(io.BytesIO(content)).pages[0]
    assert float(page.mediabox.width) < float(page.mediabox.height)  # portrait


# --- confirmation letters ----------------------------------------------------------------------


def test_letter_has_fair_booths_dates_fee_and_official_form():
    event, booths, apps = make_fair(names=["Công ty TNHH Đặc sản Ưu Việt"], booth_fee=5_000_000, subsidy_percent=50)
    apps[0].booths_requested = 2
    apps[0].save()
    text = flat(build(event, "letters", application=apps[0].pk))
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in text
    assert "Độc lập – Tự do – Hạnh phúc" in text
    assert "GIẤY XÁC NHẬN THAM GIA" in text
    assert "Kính gửi: Công ty TNHH Đặc sản Ưu Việt" in text
    assert f"Số: {apps[0].pk}/XN-BTC" in text
    assert re.search(r"Hải Phòng, ngày \d\d tháng (0[12]|[3-9]|1[0-2]) năm 20\d\d", text)
    assert "Gian hàng A001" in text
    # Charged for the booth it holds (A001), though it asked for two; the subsidy shown apart.
    assert "1 gian × 5.000.000 ₫ − hỗ trợ 2.500.000 ₫ = 2.500.000 ₫" in text
    assert "Còn phải nộp 2.500.000 ₫" in text
    fair = fair_for_print(slug=event.slug)
    opens, closes = (timezone.localtime(fair.opens_at), timezone.localtime(fair.closes_at))
    assert f"từ ngày {opens:%d/%m/%Y} đến ngày {closes:%d/%m/%Y}" in text
    assert "TM. BAN TỔ CHỨC" in text


def test_letters_for_everyone_are_one_pdf_with_a_letter_each():
    event, _booths, apps = make_fair()
    text = pdf_text(build(event, "letters"))
    assert text.count("GIẤY XÁC NHẬN THAM GIA") == len(TRICKY_NAMES)
    for name in TRICKY_NAMES:
        assert f"Kính gửi: {name}" in " ".join(text.split())


def test_letter_escapes_markup_and_fetches_nothing(listener_address):
    address, hits = listener_address
    hostile = f'<img src="{address}/x.png"><b>Đậm</b> <style>body{{display:none}}</style>'
    event, _booths, apps = make_fair(names=[hostile])
    text = flat(build(event, "letters", application=apps[0].pk))
    assert " ".join(hostile.split()) in text
    assert hits == []


# --- booth map ---------------------------------------------------------------------------


def test_booth_map_a3_title_block_names_and_index_in_vietnamese_order():
    event, booths, apps = make_fair()
    HallFeature.objects.create(event=event, kind="entrance", label="Cổng chính", x=0, y=0, width=6, depth=1)
    content = build(event, "booth_map")
    pages = pdf_pages(content)
    reader = PdfReader(io.BytesIO(content))
    assert [round(float(v)) for v in reader.pages[0].mediabox[2:]] == [1191, 842]  # A3 landscape
    assert len(pages) == 2  # the hall on one sheet, then the index
    plan, index = pages
    assert event.name in plan and "SƠ ĐỒ GIAN HÀNG" in plan and "KCN VSIP Thủy Nguyên" in plan
    assert "Trung tâm Khuyến công" in plan and "Tỉ lệ 1:" in plan and "Cổng chính" in plan
    assert "Trang 1/2" in plan and "Trang 2/2" in index
    for booth in booths:
        assert booth.code in plan
    assert "DANH MỤC ĐƠN VỊ THAM GIA" in index
    found = positions(index, TRICKY_NAMES)
    assert found == sorted(found)
    # Each name points at its booth: "Anh" has A008, "Zê" has A001.
    assert re.search(r"(?<!\w)Anh\s+A008", index)
    assert re.search(r"(?<!\w)Zê\s+A001", index)


@pytest.mark.parametrize(("paper", "size"), [("A4", [842, 595]), ("A1", [2384, 1684])])
def test_booth_map_other_papers(paper, size):
    event, _booths, _apps = make_fair()
    reader = PdfReader(io.BytesIO(build(event, "booth_map", paper=paper)))
    assert [round(float(v)) for v in reader.pages[0].mediabox[2:]] == size


def test_booth_map_of_a_large_hall_spreads_over_sheets_with_the_index_last():
    event = factories.EventFactory(hall_width_m=240, hall_depth_m=120)
    zone = factories.ZoneFactory(event=event, code="B", name="Khu nông sản")
    booth_type = factories.BoothTypeFactory(event=event)
    corners = [(2, 2), (230, 2), (2, 110), (230, 110), (120, 60)]
    for i, (x, y) in enumerate(corners):
        booth = factories.BoothFactory(event=event, zone=zone, booth_type=booth_type, code=f"B{i + 1}", x=x, y=y)
        vendor = factories.VendorFactory(name=f"Đơn vị góc {i + 1}", short_name="")
        application = factories.ApplicationFactory(vendor=vendor, event=event, status="approved")
        Assignment.objects.create(booth=booth, application=application, status="held")
    pages = pdf_pages(build(event, "booth_map", paper="A4"))
    sheets = [p for p in pages if "SƠ ĐỒ GIAN HÀNG" in p]
    assert len(sheets) > 4
    assert pages.index(sheets[-1]) == len(sheets) - 1  # every map sheet before the index
    assert "DANH MỤC ĐƠN VỊ THAM GIA" in pages[-1]
    assert f"Tờ 1/{len(sheets)}" in sheets[0] and "Tỉ lệ 1:200" in sheets[0]
    assert "xem tiếp tờ 2" in sheets[0]
    assert "B1" in sheets[0] and "B1" not in sheets[-1]
    # The index says which sheet each booth is on.
    assert re.search(r"Đơn vị góc 1\s+B1\s+·\s+tờ 1(?!\d)", pages[-1])
    assert re.search(r"Đơn vị góc 4\s+B4\s+·\s+tờ 25(?!\d)", pages[-1])  # sheets overlap by a booth and 1 m


def test_booth_map_coloured_by_category_has_its_legend():
    event, _booths, apps = make_fair()
    category = factories.CategoryFactory(name="Thủy hải sản")
    apps[0].categories.add(category)
    text = flat(build(event, "booth_map", colour="category"))
    assert "Thủy hải sản" in text and "theo nhóm hàng" in text.lower()


# --- booth signs -------------------------------------------------------------------------------


def test_booth_signs_one_per_assigned_booth_with_code_name_province_stars_and_qr_address(settings):
    settings.SITE_URL = "https://hoicho.example.vn"
    event, booths, apps = make_fair()
    Product.objects.create(
        vendor=apps[-1].vendor, name="Nước mắm", category=factories.CategoryFactory(), ocop_stars=5
    )  # "Zê", booth A001
    Assignment.objects.filter(application=apps[0]).delete()
    pages = pdf_pages(build(event, "booth_signs"))
    assert len(pages) == len(TRICKY_NAMES) - 1
    first = pages[0]
    assert "A001" in first and "Zê" in first and "Hải Phòng" in first and "★★★★★" in first
    assert "Khu OCOP" in first
    assert exhibitor_url(event.slug, apps[-1].vendor_id) in first
    assert f"https://hoicho.example.vn/fairs/{event.slug}/exhibitors/{apps[-1].vendor_id}/" in first
    assert [p.split("GIAN HÀNG", 1)[1].split()[0] for p in pages] == [f"A00{i}" for i in range(1, 8)]


def test_booth_signs_two_a5_per_sheet():
    event, _booths, _apps = make_fair()
    content = build(event, "booth_signs", layout="a5x2")
    reader = PdfReader(io.BytesIO(content))
    assert len(reader.pages) == 4
    assert [round(float(v)) for v in reader.pages[0].mediabox[2:]] == [595, 842]
    assert pdf_pages(content)[0].count("GIAN HÀNG") == 2


def test_booth_sign_leaves_out_a_logo_that_points_elsewhere(tmp_path, settings, listener_address):
    address, hits = listener_address
    settings.MEDIA_ROOT = tmp_path
    event, _booths, apps = make_fair(names=["Đông"])
    vendor = apps[0].vendor
    for name in (f"{address}/logo.png", "../../../../etc/passwd", "/etc/passwd"):
        vendor.logo_thumbnail.name = name
        vendor.save()
        text = pdf_text(build(event, "booth_signs"))
        assert "Đông" in text
    assert hits == []


def test_booth_sign_draws_a_logo_from_our_media(tmp_path, settings):
    from PIL import Image

    settings.MEDIA_ROOT = tmp_path
    (tmp_path / "logos").mkdir()
    Image.new("RGB", (40, 20), "red").save(tmp_path / "logos" / "ok.png")
    event, _booths, apps = make_fair(names=["Đông"])
    vendor = apps[0].vendor
    vendor.logo_thumbnail.name = "logos/ok.png"
    vendor.save()
    page = PdfReader(io.BytesIO(build(event, "booth_signs"))).pages[0]
    images = [x for x in page["/Resources"]["/XObject"].values() if x.get_object()["/Subtype"] == "/Image"]
    assert images
