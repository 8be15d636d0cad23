"""The booth map: the SVG drawn from the data, the organiser's, business's and public pages,
who may see which, and query counts that do not grow with the number of booths."""

import dataclasses
import json
import re
import xml.etree.ElementTree as ET
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from booths.models import Assignment, Booth, HallFeature
from booths.selectors import map as selectors
from booths.svg import (
    FREE_PALE,
    MapBooth,
    MapCategory,
    MapData,
    MapOccupant,
    MapZone,
    booth_map_svg,
    category_colour,
    fit_lines,
    ink_on,
    legend_entries,
    pale,
)
from booths.svg.style import INK, PALETTE, contrast, faded_colour, readable
from events.models import Event
from tests import factories
from vendors.models import Application, VendorMember

A = Application.Status
E = Event.Status
SVG = "{http://www.w3.org/2000/svg}"
RED, GREEN = "#d62728", "#2ca02c"


def en(name, **kwargs):
    """A URL of the English interface, so assertions do not depend on the Vietnamese catalogue."""
    with translation.override("en"):
        return reverse(name, kwargs=kwargs)


def member_of(vendor):
    user = factories.UserFactory()
    VendorMember.objects.create(vendor=vendor, user=user, role=VendorMember.Role.OWNER)
    return user


class Fair:
    """Two zones, five booths (A01 confirmed, A02 held, A03 free, B01 free, B02 blocked), two
    businesses, an entrance, a stage, an aisle and an unnamed pillar."""

    def __init__(self, status=E.REGISTRATION_OPEN):
        self.event = factories.EventFactory(
            name="Tuần hàng Việt Nam VSIP", slug="vsip", status=status, hall_width_m=30, hall_depth_m=20
        )
        event = self.event
        self.ocop = factories.ZoneFactory(event=event, code="A", name="Khu OCOP", colour=RED, position=1)
        self.farm = factories.ZoneFactory(event=event, code="B", name="Khu nông sản", colour=GREEN, position=2)
        standard = factories.BoothTypeFactory(event=event, name="Gian tiêu chuẩn")
        self.booths = {}
        for i, (code, zone) in enumerate(
            [("A01", self.ocop), ("A02", self.ocop), ("A03", self.ocop), ("B01", self.farm)]
        ):
            self.booths[code] = factories.BoothFactory(
                event=event, zone=zone, booth_type=standard, code=code, x=3 * i, y=0, row="1"
            )
        self.booths["B02"] = factories.BoothFactory(
            event=event, zone=self.farm, booth_type=standard, code="B02", x=12, y=0, blocked=True, blocked_reason="Cột"
        )
        self.seafood = factories.CategoryFactory(name="Thủy hải sản", slug="thuy-hai-san")
        self.tea = factories.CategoryFactory(name="Chè – cà phê", slug="che-ca-phe")
        self.vendor = factories.VendorFactory(
            name="Hộ kinh doanh <script>alert(1)</script>",
            short_name="<script>",
            phone="+84912345678",
            contact_name="Trần Văn Hải",
        )
        self.application = factories.ApplicationFactory(vendor=self.vendor, event=event, status=A.APPROVED)
        self.application.categories.set([self.seafood])
        self.other = factories.VendorFactory(name="Công ty TNHH Chè Thái", short_name="Chè Thái", phone="+84987654321")
        self.other.categories.set([self.tea])  # the application shows none: the profile's category colours it
        other_application = factories.ApplicationFactory(vendor=self.other, event=event, status=A.APPROVED)
        factories.AssignmentFactory(
            booth=self.booths["A01"], application=self.application, status=Assignment.Status.CONFIRMED
        )
        factories.AssignmentFactory(
            booth=self.booths["A02"], application=other_application, source=Assignment.Source.SELF
        )
        for kind, label, x, y, w, d in [
            ("entrance", "Cổng chính", 12, 19.5, 6, 0.5),
            ("stage", "Sân khấu", 20, 2, 8, 4),
            ("aisle", "", 0, 4, 30, 2),
            ("pillar", "", 10, 10, 0.6, 0.6),
        ]:
            HallFeature.objects.create(event=event, kind=kind, label=label, x=x, y=y, width=w, depth=d)


@pytest.fixture
def fair(db):
    return Fair()


@pytest.fixture
def staff_client(client, db):
    client.force_login(factories.StaffUserFactory())
    return client


@pytest.fixture
def vendor_client(client, fair):
    client.force_login(member_of(fair.vendor))
    return client


def parse(markup) -> ET.Element:
    return ET.fromstring(markup)  # noqa: S314 (our own server's output)


def svg_of(response) -> ET.Element:
    found = re.search(r"<svg xmlns=\"http://www.w3.org/2000/svg\".*?</svg>", response.content.decode(), re.S)
    assert found, "no booth map on the page"
    return parse(found.group(0))


def booth_el(svg, code) -> ET.Element:
    for el in svg.iter(f"{SVG}g"):
        if el.get("data-code") == code:
            return el
    raise AssertionError(f"no booth {code} on the map")


def texts(el) -> list[str]:
    return [t.text for t in el.iter(f"{SVG}text")]


def labels(svg, code) -> list[str]:
    """The texts drawn on a booth (its code, then its name's lines), found by position: the
    labels sit in their own layer above the booth shapes."""
    rect = booth_el(svg, code).find(f"{SVG}rect")
    x, y, w, d = (float(rect.get(a)) for a in ("x", "y", "width", "height"))
    layer = next(el for el in svg.iter(f"{SVG}g") if el.get("class") == "booth-labels")
    return [
        t.text for t in layer.iter(f"{SVG}text") if float(t.get("x")) == x + w / 2 and y < float(t.get("y")) < y + d
    ]


def record(data, booth) -> dict:
    """One booth's entry of the details JSON as {field: value}."""
    code, *values = data["booths"][str(booth.pk)]
    keys = [key for key, _ in data["fields"]]
    found = {"code": code, **{k: v for k, v in zip(keys, values, strict=False) if v}}
    if booth.pk in data["own"]:
        found["own"] = True
    return found


def booth_data(response) -> dict:
    found = re.search(
        r'<script id="booth-data" type="application/json">(.*?)</script>', response.content.decode(), re.S
    )
    assert found, "no booth data on the page"
    return json.loads(found.group(1))


def legend(response) -> list[str]:
    items = re.findall(r'<li data-legend="[^"]+">\s*<svg.*?</svg>\s*(.*?)\s*</li>', response.content.decode(), re.S)
    return [re.sub(r"\s+", " ", item) for item in items]


# --- the SVG ---------------------------------------------------------------------------------


def test_staff_map_shows_every_booth_code_to_scale(staff_client, fair):
    svg = svg_of(staff_client.get(en("booths:map_staff", slug="vsip")))
    assert svg.get("viewBox") == "-1 -1 32 24.2"
    codes = [el.get("data-code") for el in svg.iter(f"{SVG}g") if el.get("data-code")]
    assert sorted(codes) == ["A01", "A02", "A03", "B01", "B02"]
    rect = booth_el(svg, "A02").find(f"{SVG}rect")
    assert (rect.get("x"), rect.get("y"), rect.get("width"), rect.get("height")) == ("3", "0", "3", "3")
    assert labels(svg, "A02") == ["A02", "Chè Thái"]


def test_map_booths_carry_id_code_and_status_for_the_script(staff_client, fair):
    svg = svg_of(staff_client.get(en("booths:map_staff", slug="vsip")))
    statuses = {el.get("data-code"): el.get("data-status") for el in svg.iter(f"{SVG}g") if el.get("data-code")}
    assert statuses == {"A01": "assigned", "A02": "assigned", "A03": "free", "B01": "free", "B02": "blocked"}
    assert booth_el(svg, "A03").get("data-booth-id") == str(fair.booths["A03"].pk)


def test_map_escapes_a_short_name_with_a_script_tag(client, fair):
    response = client.get(en("booths:map_public", slug="vsip"))
    html = response.content.decode()
    assert "<script>alert" not in html
    assert "<script><" not in html
    assert '<text x="1.5" y="1.6" fill="#ffffff">&lt;script&gt;</text>' in html
    name = "Booth A01, zone A, 3 × 3 m, taken by Hộ kinh doanh &lt;script&gt;alert(1)&lt;/script&gt;"
    assert f"<title>{name}</title>" in html
    assert labels(svg_of(response), "A01") == ["A01", "<script>"]


def test_blocked_booth_is_hatched_grey_with_its_reason(client, fair):
    svg = svg_of(client.get(en("booths:map_public", slug="vsip")))
    blocked = booth_el(svg, "B02")
    assert blocked.get("class") == "booth booth-blocked"
    assert blocked.find(f"{SVG}rect").get("fill") == "url(#map-hatch)"
    assert blocked.find(f"{SVG}title").text == "Booth B02, zone B, 3 × 3 m, blocked: Cột"


def test_map_colours_by_zone_with_free_booths_pale(client, fair):
    svg = svg_of(client.get(en("booths:map_public", slug="vsip")))
    fills = {code: booth_el(svg, code).find(f"{SVG}rect").get("fill") for code in ("A01", "A03", "B01")}
    assert fills == {"A01": RED, "A03": pale(RED), "B01": pale(GREEN)}


def test_map_colours_switch_to_the_first_product_category(client, fair):
    response = client.get(en("booths:map_public", slug="vsip"), {"colour": "category"})
    svg = svg_of(response)
    fills = {code: booth_el(svg, code).find(f"{SVG}rect").get("fill") for code in ("A01", "A02", "A03")}
    assert fills == {
        "A01": category_colour(fair.seafood.pk),  # the category the application shows
        "A02": category_colour(fair.tea.pk),  # none shown: the business profile's
        "A03": FREE_PALE,
    }
    assert legend(response) == ["Chè – cà phê", "Thủy hải sản", "Free booth", "Blocked booth"]
    assert 'aria-current="true" href="?colour=category"' in response.content.decode()


def test_map_colour_switch_keeps_the_highlighted_booth(client, fair):
    # The directory links to the map with ?booth=A01; switching colours must not lose the booth.
    response = client.get(en("booths:map_public", slug="vsip"), {"booth": "A01"})
    html = response.content.decode()
    assert 'href="?booth=A01&amp;colour=category"' in html
    response = client.get(en("booths:map_public", slug="vsip"), {"booth": "A01", "colour": "category"})
    assert 'href="?booth=A01&amp;colour=zone"' in response.content.decode()


def test_map_colour_falls_back_to_zone_for_an_unknown_choice(client, fair):
    response = client.get(en("booths:map_public", slug="vsip"), {"colour": "<b>"})
    assert booth_el(svg_of(response), "A01").find(f"{SVG}rect").get("fill") == RED
    assert legend(response)[:2] == ["A – Khu OCOP", "B – Khu nông sản"]


def test_legend_lists_zones_then_free_and_blocked(client, fair):
    response = client.get(en("booths:map_public", slug="vsip"))
    assert legend(response) == [
        "A – Khu OCOP",
        "B – Khu nông sản",
        "Free booth (pale colour of its zone)",
        "Blocked booth",
    ]


def test_staff_legend_explains_the_held_mark(staff_client, fair):
    response = staff_client.get(en("booths:map_staff", slug="vsip"))
    assert legend(response)[-1] == "Held, not yet confirmed"
    svg = svg_of(response)
    assert booth_el(svg, "A02").get("class") == "booth booth-assigned booth-held"
    assert booth_el(svg, "A01").get("class") == "booth booth-assigned"


def test_hall_features_are_drawn_and_labelled(client, fair):
    svg = svg_of(client.get(en("booths:map_public", slug="vsip")))
    features = {el.get("class"): el for el in svg.iter(f"{SVG}g") if (el.get("class") or "").startswith("feature ")}
    assert sorted(features) == [
        "feature feature-aisle",
        "feature feature-entrance",
        "feature feature-pillar",
        "feature feature-stage",
    ]
    assert texts(features["feature feature-entrance"]) == ["Cổng chính"]
    assert texts(features["feature feature-stage"]) == ["Sân khấu"]
    assert texts(features["feature feature-aisle"]) == ["Aisle"]
    assert texts(features["feature feature-pillar"]) == []  # unnamed pillars only get a tooltip
    assert features["feature feature-pillar"].find(f"{SVG}title").text == "Pillar"
    hall = next(el for el in svg.iter(f"{SVG}rect") if el.get("class") == "hall")
    assert (hall.get("width"), hall.get("height")) == ("30", "20")


def test_fit_lines_wraps_and_cuts_long_names():
    assert fit_lines("Nông sản Hải Phòng", 2.7, 0.45, 3) == ["Nông sản", "Hải Phòng"]
    assert fit_lines("Hợp tác xã Nông nghiệp Thủy Nguyên Xanh", 2.7, 0.45, 2) == ["Hợp tác xã", "Nông…"]
    assert fit_lines("Thuỷhảisảnđônglạnh", 2.7, 0.45, 2) == ["Thuỷhảisả…"]


def test_ink_is_dark_on_pale_and_white_on_dark_fills():
    assert (ink_on("#f1f3f5"), ink_on("#2b3d26"), ink_on(pale("#2b3d26"))) == ("#212529", "#ffffff", "#212529")


# The demo's zone colours and the category palette: middle tones (#9467bd, #e25822) on which
# neither dark nor white text reaches 4.5:1 included.
DRAWN_COLOURS = ["#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", *PALETTE]


@pytest.mark.parametrize("colour", DRAWN_COLOURS)
def test_booth_codes_reach_4_5_to_1_on_the_fill_as_drawn(colour):
    """Issue 22: white codes on faded or light fills measured 1.0–1.6:1 on the booth-choice page."""
    for fill in (readable(colour), pale(colour), faded_colour(readable(colour)), faded_colour(pale(colour))):
        assert contrast(ink_on(fill), fill) >= 4.5, (colour, fill)
    assert contrast("#ffffff", "#000000") == 21


def test_a_middle_tone_is_lightened_only_as_much_as_dark_ink_needs():
    assert readable("#2b3d26") == "#2b3d26"  # white reads on it
    lighter = readable("#9467bd")
    assert lighter != "#9467bd" and contrast(INK, lighter) >= 4.5
    assert contrast(INK, pale("#9467bd", 0.0)) < 4.5


def test_booths_a_business_cannot_choose_are_drawn_faded_with_dark_codes(fair):
    """A01 and A02 are taken in the red zone: white codes on the red; A02 faded (it cannot be chosen)
    shows its code in dark ink on the faded red."""
    data = selectors.booth_map_data(event=fair.event)
    svg = parse(str(booth_map_svg(data, faded={fair.booths["A02"].pk}, interactive=True)))
    assert booth_el(svg, "A01").get("opacity") is None
    assert booth_el(svg, "A02").get("opacity") == "0.35"
    codes = next(el for el in svg.iter(f"{SVG}g") if el.get("class") == "booth-codes")
    ink = {t.text: t.get("fill") for t in codes.iter(f"{SVG}text")}
    assert ink["A01"] == "#ffffff"
    assert ink["A02"] is None  # the layer's dark ink


def test_svg_builder_marks_own_and_extra_classes_from_plain_data():
    data = MapData(
        name="Hội chợ",
        hall_width=10,
        hall_depth=5,
        zones={1: MapZone(1, "A", "Khu A", "#4e79a7")},
        booths=[MapBooth(7, "A01", 1, "Tiêu chuẩn", 0, 0, 3, 3), MapBooth(8, "A02", 1, "Tiêu chuẩn", 3, 0, 3, 3)],
        occupants={7: MapOccupant(application_id=70, vendor_id=1, name="Công ty & Con", sign_name="C&C")},
    )
    svg = parse(booth_map_svg(data, highlight={7}, booth_classes={8: "booth-selectable"}))
    assert booth_el(svg, "A01").get("class") == "booth booth-assigned booth-own"
    assert booth_el(svg, "A02").get("class") == "booth booth-free booth-selectable"
    assert labels(svg, "A01") == ["A01", "C&C"]
    assert "C&amp;C" in booth_map_svg(data)


def test_category_legend_is_in_vietnamese_alphabet_order():
    names = ["Gia vị", "Đồ uống", "Dầu ăn"]
    data = MapData(
        name="Hội chợ",
        hall_width=10,
        hall_depth=5,
        zones={},
        booths=[],
        occupants={
            i: MapOccupant(application_id=i, vendor_id=i, name=n, sign_name=n, categories=(MapCategory(i, n),))
            for i, n in enumerate(names)
        },
    )
    with translation.override("en"):
        labels = [entry.label for entry in legend_entries(data, "category")]
    assert labels == ["Dầu ăn", "Đồ uống", "Gia vị", "Free booth", "Blocked booth"]


def test_map_for_page_draws_given_occupants_for_a_plan_preview(fair):
    """The allocation preview draws a plan: the same fair's data with other occupants."""
    data = selectors.booth_map_data(event=fair.event)
    moved = {fair.booths["A03"].pk: data.occupants[fair.booths["A01"].pk]}
    with translation.override("en"):
        page = selectors.booth_map_for_page(
            event=fair.event, audience=selectors.STAFF, data=dataclasses.replace(data, occupants=moved)
        )
    svg = parse(page.svg)
    assert booth_el(svg, "A01").get("data-status") == "free"
    assert booth_el(svg, "A03").get("data-status") == "assigned"
    assert page.counts == {"total": 5, "free": 3, "assigned": 1, "blocked": 1}


# --- pages and who sees what -----------------------------------------------------------------


def test_staff_map_details_show_contact_status_and_source(staff_client, fair):
    data = booth_data(staff_client.get(en("booths:map_staff", slug="vsip")))
    assert record(data, fair.booths["A01"]) == {
        "code": "A01",
        "zone": "A – Khu OCOP",
        "type": "Gian tiêu chuẩn",
        "size": "3 × 3 m",
        "row": "1",
        "status": "Confirmed",
        "business": "Hộ kinh doanh <script>alert(1)</script>",
        "sign": "<script>",
        "province": "Hải Phòng",
        "category": "Thủy hải sản",
        "contact": "Trần Văn Hải",
        "phone": "0912 345 678",
        "source": "Assigned by staff",
    }
    assert record(data, fair.booths["A02"])["status"] == "Held"
    assert record(data, fair.booths["A02"])["source"] == "Chosen by the participant"
    assert record(data, fair.booths["B02"])["status"] == "Blocked: Cột"
    assert [key for key, _ in data["fields"]][-2:] == ["phone", "source"]


def test_booth_data_is_embedded_as_json_not_script(staff_client, fair):
    html = staff_client.get(en("booths:map_staff", slug="vsip")).content.decode()
    assert '<script id="booth-data" type="application/json">' in html
    assert "Hộ kinh doanh \\u003Cscript\\u003Ealert(1)\\u003C/script\\u003E" in html
    assert re.findall(r"<script(?![^>]*(?:src=|application/json))", html) == []


def test_public_map_shows_names_only(client, fair):
    response = client.get(en("booths:map_public", slug="vsip"))
    data = booth_data(response)
    assert record(data, fair.booths["A01"]) == {
        "code": "A01",
        "zone": "A – Khu OCOP",
        "type": "Gian tiêu chuẩn",
        "size": "3 × 3 m",
        "row": "1",
        "status": "Taken",
        "business": "Hộ kinh doanh <script>alert(1)</script>",
        "sign": "<script>",
    }
    html = response.content.decode()
    for private in ("0912 345 678", "+84912345678", "Trần Văn Hải", "Confirmed", "booth-held"):
        assert private not in html


@pytest.mark.parametrize("status", [E.PUBLISHED, E.REGISTRATION_OPEN, E.REGISTRATION_CLOSED, E.RUNNING])
def test_public_map_is_open_for_announced_fairs(client, fair, status):
    Event.objects.filter(pk=fair.event.pk).update(status=status)
    response = client.get(en("booths:map_public", slug="vsip"))
    assert response.status_code == 200
    assert '<h1 class="h3 mb-1">Booth map</h1>' in response.content.decode()


@pytest.mark.parametrize("status", [E.DRAFT, E.FINISHED, E.ARCHIVED])
def test_public_map_is_404_for_fairs_not_announced(client, fair, status):
    Event.objects.filter(pk=fair.event.pk).update(status=status)
    assert client.get(en("booths:map_public", slug="vsip")).status_code == 404
    assert client.get(en("booths:map_svg", slug="vsip")).status_code == 404


def test_public_map_is_404_for_an_unknown_fair(client, db):
    assert client.get(en("booths:map_public", slug="khong-co")).status_code == 404


def test_map_svg_file_has_the_legend_and_no_script(client, fair):
    response = client.get(en("booths:map_svg", slug="vsip"), {"colour": "category"})
    assert response["Content-Type"] == "image/svg+xml"
    assert response["Content-Security-Policy"] == "default-src 'none'; style-src 'unsafe-inline'"
    svg = parse(response.content)
    legend_texts = texts(next(el for el in svg.iter(f"{SVG}g") if el.get("class") == "legend"))
    assert legend_texts == ["Chè – cà phê", "Thủy hải sản", "Free booth", "Blocked booth"]
    assert b"<script" not in response.content


def test_staff_map_refuses_business_users(client, fair):
    client.force_login(member_of(fair.vendor))
    assert client.get(en("booths:map_staff", slug="vsip")).status_code == 403


def test_staff_map_sends_anonymous_visitors_to_log_in(client, fair):
    response = client.get(en("booths:map_staff", slug="vsip"))
    assert response.status_code == 302
    assert "/account/login/" in response["Location"]


def test_staff_map_shows_the_plan_of_a_draft_fair(staff_client, fair):
    """The organiser lays out the hall before publishing: the staff map shows it already."""
    Event.objects.filter(pk=fair.event.pk).update(status=E.DRAFT)
    response = staff_client.get(en("booths:map_staff", slug="vsip"))
    assert response.status_code == 200
    svg = svg_of(response)
    codes = sorted(el.get("data-code") for el in svg.iter(f"{SVG}g") if el.get("data-code"))
    assert codes == ["A01", "A02", "A03", "B01", "B02"]
    assert labels(svg, "A02") == ["A02", "Chè Thái"]


def test_vendor_map_highlights_the_business_own_booth(vendor_client, fair):
    response = vendor_client.get(en("booths:map_vendor", slug="vsip"))
    svg = svg_of(response)
    own = booth_el(svg, "A01")
    assert own.get("class") == "booth booth-assigned booth-own"
    assert own.find(f"{SVG}rect").get("stroke") == "#d6336c"
    assert booth_el(svg, "A02").get("class") == "booth booth-assigned"
    html = response.content.decode()
    assert re.search(r'<p class="mb-0 mt-2" id="own-booths">\s*Your booth: A01 \(outlined on the plan\).', html)
    assert legend(response)[-1] == "Your booth"
    data = booth_data(response)
    assert record(data, fair.booths["A01"])["status"] == "Confirmed"
    assert record(data, fair.booths["A01"])["own"] is True
    assert record(data, fair.booths["A02"])["status"] == "Taken"
    assert "0987 654 321" not in html


def test_vendor_map_without_a_booth_says_so(client, fair):
    vendor = factories.VendorFactory()
    factories.ApplicationFactory(vendor=vendor, event=fair.event, status=A.SUBMITTED)
    client.force_login(member_of(vendor))
    response = client.get(en("booths:map_vendor", slug="vsip"))
    assert re.search(r'id="own-booths">\s*Your business has no booth at this fair yet.', response.content.decode())
    assert 'class="booth booth-assigned booth-own"' not in response.content.decode()


def test_vendor_map_is_404_without_an_application_to_the_fair(client, fair):
    client.force_login(member_of(factories.VendorFactory()))
    assert client.get(en("booths:map_vendor", slug="vsip")).status_code == 404


def test_vendor_map_is_404_for_an_application_to_another_fair(client, fair):
    vendor = factories.VendorFactory()
    factories.ApplicationFactory(vendor=vendor, event=factories.EventFactory(), status=A.APPROVED)
    client.force_login(member_of(vendor))
    assert client.get(en("booths:map_vendor", slug="vsip")).status_code == 404


def test_vendor_map_sends_a_user_without_business_to_create_one(client, fair):
    client.force_login(factories.UserFactory())
    response = client.get(en("booths:map_vendor", slug="vsip"))
    assert response.status_code == 302
    assert response["Location"].endswith("/profile/new/")


def test_map_page_without_booths_says_they_are_not_laid_out(staff_client, db):
    factories.EventFactory(slug="trong")
    html = staff_client.get(en("booths:map_staff", slug="trong")).content.decode()
    assert (
        '<p class="text-body-secondary" id="map-empty">The booths of this fair have not been laid out yet.</p>' in html
    )


def test_map_page_counts_booths_by_state(client, fair):
    html = client.get(en("booths:map_public", slug="vsip")).content.decode()
    assert re.search(r'id="map-counts">\s*5 booths:\s*2 free, 2 taken, 1 blocked', html)


def test_dashboard_links_to_the_staff_map(staff_client, fair):
    html = staff_client.get(en("events:dashboard", slug="vsip")).content.decode()
    assert f'id="booth-map-link" href="{en("booths:map_staff", slug="vsip")}"' in html


def test_map_page_loads_its_script_and_styles(client, fair):
    html = client.get(en("booths:map_public", slug="vsip")).content.decode()
    assert '<script src="/static/js/map.js" defer></script>' in html
    assert '<link rel="stylesheet" href="/static/css/map.css">' in html


# --- query counts --------------------------------------------------------------------------


# session, user, the user's memberships and their fair limits (events/policy.py), fair, then the
# map: zones, booths, assignments, 2 × categories, features
STAFF_QUERIES = 11
VENDOR_QUERIES = 11  # session, user, fair, the map, the business (vendor_of) and its applications to the fair
PUBLIC_QUERIES = 7  # fair + map


def populate(fair, n):
    """Bring the fair to n booths in its two zones, about two thirds of them held by their own business."""
    from vendors.models import Vendor

    event = fair.event
    standard = fair.booths["A01"].booth_type
    extra = n - Booth.objects.filter(event=event).count()
    Booth.objects.bulk_create(
        Booth(
            event=event,
            zone=fair.ocop if i % 2 else fair.farm,
            booth_type=standard,
            code=f"X{i:04d}",
            x=Decimal(3 * (i % 40)),
            y=Decimal(6 + 6 * (i // 40)),
            blocked=i % 17 == 0,
        )
        for i in range(extra)
    )
    free = list(Booth.objects.filter(event=event, blocked=False).exclude(assignments__status__in=Assignment.ACTIVE))
    free = free[: 2 * n // 3]
    start = Vendor.objects.count()
    vendors = Vendor.objects.bulk_create(
        Vendor(
            name=f"Công ty Số {start + i}",
            short_name=f"Số {start + i}",
            kind=Vendor.Kind.DN,
            tax_code=factories.valid_tax_code(10_000 + start + i),
            province_id="31",
            phone="+84912000000",
        )
        for i in range(len(free))
    )
    applications = Application.objects.bulk_create(
        Application(vendor=vendor, event=event, status=A.APPROVED) for vendor in vendors
    )
    Application.categories.through.objects.bulk_create(
        Application.categories.through(application=a, category=fair.seafood if i % 2 else fair.tea)
        for i, a in enumerate(applications)
    )
    Assignment.objects.bulk_create(
        Assignment(booth=booth, application=application) for booth, application in zip(free, applications, strict=True)
    )


@pytest.mark.parametrize("n", [10, 1200])
def test_staff_map_query_count_does_not_grow(staff_client, fair, n, django_assert_num_queries):
    populate(fair, n)
    with django_assert_num_queries(STAFF_QUERIES):
        response = staff_client.get(en("booths:map_staff", slug="vsip"), {"colour": "category"})
    assert len(booth_data(response)["booths"]) == n


@pytest.mark.parametrize("n", [10, 1200])
def test_vendor_map_query_count_does_not_grow(vendor_client, fair, n, django_assert_num_queries):
    populate(fair, n)
    with django_assert_num_queries(VENDOR_QUERIES):
        response = vendor_client.get(en("booths:map_vendor", slug="vsip"))
    assert len(booth_data(response)["booths"]) == n


@pytest.mark.parametrize("n", [10, 1200])
def test_public_map_query_count_does_not_grow(client, fair, n, django_assert_num_queries):
    populate(fair, n)
    with django_assert_num_queries(PUBLIC_QUERIES):
        response = client.get(en("booths:map_public", slug="vsip"))
    assert len(booth_data(response)["booths"]) == n


def test_booth_map_data_runs_six_queries(fair, django_assert_num_queries):
    with django_assert_num_queries(6):
        data = selectors.booth_map_data(event=fair.event)
    assert data.counts() == {"total": 5, "free": 2, "assigned": 2, "blocked": 1}


@pytest.mark.postgres
def test_staff_map_query_count_on_postgres(staff_client, fair, on_postgres, django_assert_num_queries):
    populate(fair, 1200)
    with django_assert_num_queries(STAFF_QUERIES):
        assert staff_client.get(en("booths:map_staff", slug="vsip")).status_code == 200


def test_the_staff_map_outlines_the_booth_its_list_view_links_to(staff_client, fair):
    # The list view under every map links each booth as ?booth=CODE: without JavaScript too, the
    # staff map opens with that booth outlined, as the public map does.
    response = staff_client.get(en("booths:map_staff", slug="vsip"), {"booth": "A02"})

    assert "booth-focus" in booth_el(svg_of(response), "A02").get("class", "")
    assert "booth-focus" not in booth_el(svg_of(response), "A01").get("class", "")
