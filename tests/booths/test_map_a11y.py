"""The booth map for everyone (issue 22): on a page the plan is one tab stop, a listbox whose
booths are options named in full; a list view by zone says the same; the booth-choice page keeps
its plain radios (named the same way) and puts the answer and the save button under the map."""

import re

import pytest
from django.urls import reverse
from django.utils import translation

from tests import factories
from tests.booths.test_selection import Hall, choose

pytestmark = pytest.mark.django_db


def url(name, lang="en", **kwargs):
    with translation.override(lang):
        return reverse(name, kwargs=kwargs)


@pytest.fixture
def fair():
    event = factories.EventFactory(slug="vsip-a11y", hall_width_m=30, hall_depth_m=20)
    zone_a = factories.ZoneFactory(event=event, code="A", name="Khu OCOP", position=1)
    zone_b = factories.ZoneFactory(event=event, code="B", name="Khu cơ khí", position=2)
    standard = factories.BoothTypeFactory(event=event, name="Gian tiêu chuẩn", price=2_500_000)
    booths = {}
    for code, zone, x in (("A05", zone_a, 6), ("A10", zone_a, 9), ("A02", zone_a, 3), ("B01", zone_b, 0)):
        booths[code] = factories.BoothFactory(event=event, zone=zone, booth_type=standard, code=code, x=x, y=6, row="1")
    vendor = factories.VendorFactory(name="Hợp tác xã Chè Tân Cương")
    application = factories.ApplicationFactory(vendor=vendor, event=event)
    factories.AssignmentFactory(booth=booths["A02"], application=application)
    return event


def svg_of(html):
    return re.search(r"<svg xmlns=.*?</svg>", html, re.S).group(0)


def test_public_map_is_one_tab_stop_a_listbox_of_booths_named_in_full(client, fair):
    html = client.get(url("booths:map_public", "vi", slug="vsip-a11y")).content.decode()
    svg = svg_of(html)
    assert re.search(r'<svg [^>]*role="listbox" tabindex="0" aria-label="[^"]+"', svg)
    assert svg.count("tabindex") == 1 and "<a " not in svg  # one tab stop, not one per booth
    options = re.findall(r'<g class="booth[^"]*"[^>]* role="option" id="map-b\d+"><title>([^<]*)</title>', svg)
    assert len(options) == 4
    assert "Gian A05, khu A, 3 × 3 m, 2.500.000 ₫, còn trống" in options
    assert "Gian A02, khu A, 3 × 3 m, 2.500.000 ₫, đã có đơn vị: Hợp tác xã Chè Tân Cương" in options
    # The drawn codes and the hall's drawing are hidden: a screen reader hears the options only.
    assert re.search(r'<g class="booth-labels"[^>]*aria-hidden="true"', svg)
    assert re.search(r'<g class="hall-features" aria-hidden="true"', svg)


def test_public_map_has_a_list_view_by_zone_that_works_without_javascript(client, fair):
    html = client.get(url("booths:map_public", slug="vsip-a11y")).content.decode()
    listing = re.search(r'<details class="booth-list[^"]*" id="booth-list".*?</details>', html, re.S).group(0)
    assert "<summary>View as a list</summary>" in listing
    assert listing.index("Zone A – Khu OCOP") < listing.index("Zone B – Khu cơ khí")
    links = re.findall(r'<a href="\?booth=(\w+)#booth-map" data-booth-link="\d+">([^<]*)</a>', listing)
    assert [code for code, _ in links] == ["A02", "A05", "A10", "B01"]  # zone, then natural code order
    assert links[1][1] == "Booth A05, zone A, 3 × 3 m, 2.500.000 ₫, free"
    # Following a link without JavaScript: the server outlines the booth on the plan.
    focused = client.get(url("booths:map_public", slug="vsip-a11y") + "?booth=A05").content.decode()
    assert re.search(r'<g class="booth booth-free[^"]* booth-focus" data-booth-id="\d+" data-code="A05"', focused)


def test_saved_svg_file_stays_one_image(client, fair):
    svg = client.get(url("booths:map_svg", slug="vsip-a11y")).content.decode()
    assert 'role="img"' in svg and 'role="option"' not in svg and "tabindex" not in svg


@pytest.fixture
def hall():
    return Hall()


def test_choice_page_radios_are_named_like_the_map_and_work_without_javascript(client, hall):
    application, user = hall.business()
    client.force_login(user)
    page = url("booths:select", slug="vsip-2024")
    html = client.get(page).content.decode()
    a01 = hall["A01"].pk
    assert (
        f'<input class="btn-check" type="radio" name="booths" value="{a01}" id="booth-{a01}" autocomplete="off"' in html
    )
    assert 'aria-label="Booth A01, zone A, 3 × 3 m, free">' in html
    assert re.search(
        r'<details class="booth-list mb-3" id="booth-list" open>\s*<summary[^>]*>View as a list</summary>', html
    )
    assert "data-booth-link" not in html  # the radios are the list here, not a second one
    # The bar under the plan: a status line and a save button that submits the plain form.
    bar = re.search(r'<div class="selection-bar".*?</div>', html, re.S).group(0)
    assert 'role="status"' in bar
    assert '<button type="submit" form="selection-form" class="btn btn-primary">Save my choice</button>' in bar
    assert html.index('id="selection-map"') < html.index('id="selection-bar"') < html.index('id="selection-form"')
    # The list's own button at its end is named apart from the one at the map.
    assert html.count(">Save my choice</button>") == 1
    assert (
        '<button type="submit" class="btn btn-primary" aria-describedby="selection-counter">Save the ticked booths'
        in html
    )

    response = client.post(page, {"booths": [str(a01)]})  # what the browser sends without JavaScript
    assert response.status_code == 302
    after = client.get(page).content.decode()
    assert f'data-booth="{a01}">A01 · Khu OCOP</li>' in after
    assert f'value="{a01}" id="booth-{a01}" autocomplete="off" checked' in after


def test_choice_page_map_is_one_tab_stop_with_own_booth_named(client, hall):
    application, user = hall.business()
    choose(application, "A02", hall=hall)
    client.force_login(user)
    svg = svg_of(client.get(url("booths:select", slug="vsip-2024")).content.decode())
    assert svg.count("tabindex") == 1
    assert re.search(
        r'data-code="A02" data-status="assigned" role="option" id="map-b\d+">'
        r"<title>Booth A02, zone A, 3 × 3 m, taken by ",
        svg,
    )
