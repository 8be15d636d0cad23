"""Every picture and print of the booth map shows every booth, and the legend, scale bar and title
block cover none (issue 19 item 1): halls of several shapes, with features, with 1,200 booths, and
with booths saved outside the hall before the hall-fit check. The pictures are read back with
tests/booths/frame_check.py (the SVG parsed, the PDF's text positions read by pdftotext -bbox)."""

import datetime as dt

import pytest
from django.utils import translation

from booths.printing.layout import plan
from booths.printing.map import BoothMapPrint, booth_map_pdf
from booths.svg import MapBooth, MapData, MapFeature, MapOccupant, MapZone, booth_map_svg, legend_entries
from events.generated.header import FairHeader

from .frame_check import Box, codes_on_map_pages, svg_frame

ZONES = {1: MapZone(1, "A", "Khu A", "#1f77b4"), 2: MapZone(2, "B", "Khu B", "#d62728")}


def grid(hall_width, hall_depth, *, limit=None, start_y=2.0, prefix="A", first_id=1):
    """3 × 3 m booths filling the hall from (2, start_y): rows back to back in pairs, 3 m aisles."""
    booths, y, row = [], start_y, 0
    while y + 3 <= hall_depth - 2 and (limit is None or len(booths) < limit):
        x = 2.0
        while x + 3 <= hall_width - 2 and (limit is None or len(booths) < limit):
            n = first_id + len(booths)
            booths.append(
                MapBooth(n, f"{prefix}{n:04d}", 1 + row % 2, "Gian tiêu chuẩn", x, y, 3.0, 3.0, f"{prefix}-{row}")
            )
            x += 3
        row += 1
        y += 3 if row % 2 else 6
    return booths


def occupied(booths, every=3):
    """Every `every`-th booth held by a business with a long Vietnamese name."""
    return {
        b.id: MapOccupant(
            b.id, b.id, f"Công ty TNHH Đặc sản {b.code}", f"Đặc sản Hải Phòng {b.code}", status="confirmed"
        )
        for b in booths[::every]
    }


def hall(name, width, depth, booths, features=(), occupants=None):
    return MapData(name, width, depth, ZONES, booths, occupants or {}, list(features))


FEATURES = [
    MapFeature("stage", "Sân khấu chính", 20, 0, 20, 1.5),
    MapFeature("entrance", "Cổng chính", 25, 58.5, 10, 1.5),
    MapFeature("pillar", "Cột", 30, 30, 0.6, 0.6, named=False),
    MapFeature("service", "Điểm thông tin", 56, 20, 4, 4),
]

HALLS = {
    "wide 200 × 30 m": lambda: hall("Wide", 200, 30, grid(200, 30)),
    "deep 30 × 150 m": lambda: hall("Deep", 30, 150, grid(30, 150)),
    "with features 60 × 60 m": lambda: hall("Features", 60, 60, grid(56, 60, start_y=3), FEATURES),
    "1,200 booths": lambda: hall("Large", 130, 150, grid(130, 150, limit=1200)),
    # Saved before the hall-fit check: zone E's rows lie below a 60 × 40 m hall (the old demo).
    "legacy booths outside the hall": lambda: hall(
        "Legacy", 60, 40, grid(60, 40) + grid(60, 70, start_y=44, prefix="E", first_id=1000)[:40]
    ),
}


def with_names(data):
    return MapData(
        data.name, data.hall_width, data.hall_depth, data.zones, data.booths, occupied(data.booths), data.features
    )


@pytest.fixture(autouse=True)
def english():
    with translation.override("en"):
        yield


@pytest.mark.parametrize("shape", HALLS)
@pytest.mark.parametrize("with_legend", [True, False], ids=["with legend", "on a page"])
def test_svg_map_shows_every_booth_clear_of_legend_and_scale_bar(shape, with_legend):
    data = with_names(HALLS[shape]())
    legend = legend_entries(data, "zone") if with_legend else None

    frame = svg_frame(booth_map_svg(data, legend=legend))

    assert len(frame.booths) == len(data.booths)
    assert frame.inside() == {b.code for b in data.booths}
    assert frame.furniture, "the scale bar is drawn"


def test_svg_checker_sees_a_booth_under_the_legend():
    """Control: a booth drawn where the legend goes (just under the hall, when the frame is the hall
    alone, as before issue 19) is reported, so the check above can fail."""
    data = hall("Control", 30, 20, grid(30, 20))
    frame = svg_frame(booth_map_svg(data, legend=legend_entries(data, "zone")))
    under = Box(0, 20.5, 3, 23.5)

    assert any(under.meets(box) for box in frame.furniture)
    assert not under.within(Box(frame.view.left, frame.view.top, frame.view.right, 20 + 1))


def test_svg_view_box_grows_to_hold_booths_outside_the_hall():
    data = HALLS["legacy booths outside the hall"]()
    frame = svg_frame(booth_map_svg(data))
    lowest = max(b.y + b.depth for b in data.booths)

    assert lowest > 40
    assert frame.view.bottom > lowest
    assert "E1000" in frame.inside()


HEADER = FairHeader(
    slug="hoi-cho",
    name="Hội chợ hàng Việt",
    venue="Nhà thi đấu",
    address="Số 1",
    province="Hải Phòng",
    opens_on=dt.date(2026, 3, 12),
    closes_on=dt.date(2026, 3, 18),
    setup_at=None,
    daily_hours="8:00–22:00",
    organiser="Trung tâm Khuyến công",
    organiser_short="TTKC",
    organiser_parent="Sở Công Thương",
    organiser_address="",
    organiser_phone="",
    organiser_email="",
    organiser_representative="",
    organiser_province="Hải Phòng",
    booth_fee=0,
    subsidy_percent=0,
    fee_after_subsidy=0,
    deposit=0,
)


def print_map(data, paper):
    layout = plan(data, paper=paper, legend_entries=len(legend_entries(data, "zone")))
    return booth_map_pdf(BoothMapPrint(header=HEADER, data=data), paper=paper), layout


PRINTS = [
    ("wide 200 × 30 m", "A3"),
    ("wide 200 × 30 m", "A4"),  # tiled: four sheets across
    ("deep 30 × 150 m", "A3"),
    ("deep 30 × 150 m", "A1"),
    ("with features 60 × 60 m", "A4"),
    ("with features 60 × 60 m", "A3"),
    ("1,200 booths", "A3"),  # tiled
    ("legacy booths outside the hall", "A3"),
    ("legacy booths outside the hall", "A1"),
]


@pytest.mark.parametrize(("shape", "paper"), PRINTS)
def test_booth_map_pdf_prints_every_booth_code_clear_of_title_and_legend(shape, paper):
    data = with_names(HALLS[shape]())

    pdf, layout = print_map(data, paper)
    found, problems = codes_on_map_pages(pdf, layout, data)

    assert problems == []
    assert found == {b.code for b in data.booths}


def test_tiled_print_splits_a_wide_hall_into_sheets():
    data = HALLS["wide 200 × 30 m"]()
    _pdf, layout = print_map(data, "A4")
    assert layout.columns > 1
