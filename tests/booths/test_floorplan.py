"""Floor plans: the generator's geometry, the overlap sweep, laying out a zone (refusing overlaps,
the hall's walls and taken codes), blocking and unblocking, merging booths into a stand, and the
staff page (who may see it, what it shows, a fixed number of queries)."""

import itertools
import re
import threading
import time
from decimal import Decimal

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st

from booths.floorplan import (
    BoothSpec,
    Rect,
    RowBooth,
    adjacent_chain,
    find_overlaps,
    generate_layout,
    merged_code,
    overlaps,
)
from booths.models import Assignment, Booth, HallFeature
from booths.services.floorplan import booths_block, booths_merge, booths_unblock, floorplan_generate
from events.models import BoothType
from tests import factories

D = Decimal


@pytest.fixture(autouse=True)
def english():
    # Assert on the English msgids; the Vietnamese catalogue is written later.
    with translation.override("en"):
        yield
    translation.activate(settings.LANGUAGE_CODE)


# --- the generator (pure) --------------------------------------------------------------------------


def test_generate_layout_places_back_to_back_rows_with_an_aisle_after_every_two():
    specs = generate_layout(
        prefix="A", origin_x=2, origin_y=1, rows=3, columns=2, booth_width=3, booth_depth="2.5", aisle=4
    )
    assert specs == [
        BoothSpec("A01", D("2.00"), D("1.00"), D("3.00"), D("2.50"), "A-1"),
        BoothSpec("A02", D("5.00"), D("1.00"), D("3.00"), D("2.50"), "A-1"),
        BoothSpec("A03", D("2.00"), D("3.50"), D("3.00"), D("2.50"), "A-2"),
        BoothSpec("A04", D("5.00"), D("3.50"), D("3.00"), D("2.50"), "A-2"),
        # rows 1 and 2 end at y = 6; the aisle of 4 m puts row 3 at y = 10
        BoothSpec("A05", D("2.00"), D("10.00"), D("3.00"), D("2.50"), "A-3"),
        BoothSpec("A06", D("5.00"), D("10.00"), D("3.00"), D("2.50"), "A-3"),
    ]


def test_generate_layout_pads_codes_to_the_largest_number_and_starts_where_asked():
    specs = generate_layout(prefix="B", origin_x=0, origin_y=0, rows=1, columns=3, start=99, first_row=4)
    assert [(s.code, s.row) for s in specs] == [("B099", "B-4"), ("B100", "B-4"), ("B101", "B-4")]


def test_generate_layout_refuses_empty_and_negative_sizes():
    with pytest.raises(ValueError):
        generate_layout(prefix="A", origin_x=0, origin_y=0, rows=0, columns=3)
    with pytest.raises(ValueError):
        generate_layout(prefix="A", origin_x=0, origin_y=0, rows=1, columns=3, booth_width=0)


def test_overlaps_counts_shared_area_not_touching_edges():
    a = Rect("a", D(0), D(0), D(3), D(3))
    assert not overlaps(a, Rect("right", D(3), D(0), D(3), D(3)))
    assert not overlaps(a, Rect("below", D(0), D(3), D(3), D(3)))
    assert overlaps(a, Rect("inside", D(1), D(1), D(1), D(1)))
    assert overlaps(a, Rect("corner", D("2.99"), D("2.99"), D(3), D(3)))


def test_find_overlaps_reports_new_pairs_but_not_pairs_already_on_the_plan():
    old = [Rect("old1", D(0), D(0), D(3), D(3)), Rect("old2", D(1), D(1), D(3), D(3))]  # overlap each other
    new = [Rect("new1", D(2), D(0), D(3), D(3)), Rect("new2", D(10), D(10), D(3), D(3))]
    pairs = [(a.key, b.key) for a, b in find_overlaps(new, old)]
    assert pairs == [("new1", "old1"), ("new1", "old2")]


rects = st.lists(st.tuples(st.integers(0, 40), st.integers(0, 40), st.integers(1, 8), st.integers(1, 8)), max_size=25)


@hypothesis_settings(max_examples=150, deadline=None)
@given(new=rects, old=rects)
def test_find_overlaps_finds_exactly_the_pairs_a_full_comparison_finds(new, old):
    new_rects = [Rect(("n", i), D(x), D(y), D(w), D(d)) for i, (x, y, w, d) in enumerate(new)]
    old_rects = [Rect(("o", i), D(x), D(y), D(w), D(d)) for i, (x, y, w, d) in enumerate(old)]
    everything = new_rects + old_rects
    expected = {
        frozenset((a.key, b.key))
        for a, b in itertools.combinations(everything, 2)
        if (a.key[0] == "n" or b.key[0] == "n") and overlaps(a, b)
    }
    found = [frozenset((a.key, b.key)) for a, b in find_overlaps(new_rects, old_rects)]
    assert len(found) == len(set(found))
    assert set(found) == expected


def test_adjacent_chain_needs_one_zone_one_row_and_touching_edges():
    def booth(code, x, zone="A", row="A-1", y=0):
        return RowBooth(code, zone, row, D(x), D(y), D(3), D(3))

    assert adjacent_chain([booth("A02", 3), booth("A01", 0), booth("A03", "6.01")]) == (True, "")
    assert adjacent_chain([booth("A01", 0), booth("A03", 6)]) == (False, "gap")
    assert adjacent_chain([booth("A01", 0), booth("B01", 3, zone="B")]) == (False, "zone")
    assert adjacent_chain([booth("A01", 0), booth("A11", 3, row="A-2")]) == (False, "row")
    assert adjacent_chain([booth("A01", 0, row=""), booth("A02", 3, row="")]) == (False, "row")


def test_merged_code_joins_first_code_and_last_number():
    assert merged_code(["A01", "A02"]) == "A01-02"
    assert merged_code(["A09", "A10", "A11"]) == "A09-11"
    assert merged_code(["A1", "B1"]) == "A1-B1"


# --- laying out a zone -------------------------------------------------------------------------------


@pytest.fixture
def fair(db):
    event = factories.EventFactory(hall_width_m=30, hall_depth_m=20)
    zone = factories.ZoneFactory(event=event, code="A", name="Khu OCOP")
    standard = factories.BoothTypeFactory(event=event, code="std", name="Gian tiêu chuẩn", price=5_000_000)
    return event, zone, standard


def _generate(fair, **kwargs):
    event, zone, standard = fair
    options = {"rows": 2, "columns": 3, "origin": (0, 0), "aisle": 3, **kwargs}
    return floorplan_generate(event=event, zone=zone, booth_type=standard, **options)


def test_floorplan_generate_creates_coded_booths_in_rows(fair):
    booths = _generate(fair, origin=(D("1.5"), 2))
    stored = list(Booth.objects.order_by("code").values_list("code", "x", "y", "row", "width", "zone__code"))
    assert [b.code for b in booths] == ["A01", "A02", "A03", "A04", "A05", "A06"]
    assert stored[0] == ("A01", D("1.50"), D("2.00"), "A-1", D("3.00"), "A")
    assert stored[5] == ("A06", D("7.50"), D("5.00"), "A-2", D("3.00"), "A")


def test_floorplan_generate_continues_numbers_and_rows_of_the_zone(fair):
    _generate(fair)
    more = _generate(fair, rows=1, columns=2, origin=(0, 9))
    assert [(b.code, b.row, b.y) for b in more] == [("A07", "A-3", D("9.00")), ("A08", "A-3", D("9.00"))]


def test_floorplan_generate_refuses_overlap_and_writes_nothing(fair):
    _generate(fair)
    with pytest.raises(ValidationError) as exc:
        _generate(fair, rows=1, columns=2, origin=(4, 4))
    assert exc.value.messages == [
        "The new booths would overlap booths already on the plan: A05, A06. "
        "Move the starting corner or lay out fewer rows or columns."
    ]
    assert Booth.objects.count() == 6


def test_floorplan_generate_refuses_booths_outside_the_hall(fair):
    with pytest.raises(ValidationError) as exc:
        _generate(fair, rows=2, columns=4, origin=(20, "14.5"))
    assert exc.value.messages == [
        "The layout of booths A01 to A08 does not fit in the hall (30 m wide × 20 m deep): it spans 20 to 32 m "
        "across and 14.5 to 20.5 m down. Move the starting corner or lay out fewer rows or columns."
    ]
    assert not Booth.objects.exists()


def test_floorplan_generate_refuses_codes_the_fair_already_has(fair):
    _generate(fair)
    with pytest.raises(ValidationError) as exc:
        _generate(fair, rows=1, columns=2, origin=(0, 12), start=5)
    assert exc.value.messages == ["Booth codes A05, A06 already exist at this fair; start numbering at 7 or later."]
    assert Booth.objects.count() == 6


def test_floorplan_generate_refuses_a_zone_of_another_fair(fair):
    event, _zone, standard = fair
    other_zone = factories.ZoneFactory(code="Z")
    with pytest.raises(ValidationError, match="must belong to this fair"):
        floorplan_generate(event=event, zone=other_zone, booth_type=standard, rows=1, columns=1, origin=(0, 0), aisle=3)


# --- blocking ------------------------------------------------------------------------------------------


def _assign(booth, vendor_name="Công ty Chè Thái", short_name="Chè Thái"):
    vendor = factories.VendorFactory(name=vendor_name, short_name=short_name)
    application = factories.ApplicationFactory(event=booth.event, vendor=vendor)
    return factories.AssignmentFactory(booth=booth, application=application, status=Assignment.Status.HELD)


def test_booths_block_sets_the_reason(fair):
    booths = _generate(fair, rows=1, columns=2)
    assert booths_block(booths=booths, reason="  Sân khấu ") == 2
    assert list(Booth.objects.order_by().values_list("blocked", "blocked_reason").distinct()) == [(True, "Sân khấu")]


def test_booths_block_refuses_a_held_booth_and_changes_nothing(fair):
    a01, a02 = _generate(fair, rows=1, columns=2)
    _assign(a02)
    with pytest.raises(ValidationError) as exc:
        booths_block(booths=[a01, a02], reason="Cột")
    assert exc.value.messages == ["Booth A02 is held by Chè Thái: release it before blocking it."]
    assert not Booth.objects.filter(blocked=True).exists()


def test_booths_block_needs_a_reason(fair):
    booths = _generate(fair, rows=1, columns=1)
    with pytest.raises(ValidationError) as exc:
        booths_block(booths=booths, reason=" ")
    assert exc.value.messages == ["Say why the booths are blocked (stage, entrance, pillar…)."]


def test_booths_unblock_clears_the_reason_and_counts_only_blocked(fair):
    a01, a02 = _generate(fair, rows=1, columns=2)
    booths_block(booths=[a01], reason="Lối vào")
    assert booths_unblock(booths=[a01, a02]) == 1
    assert list(Booth.objects.order_by().values_list("blocked", "blocked_reason").distinct()) == [(False, "")]


# --- merging ---------------------------------------------------------------------------------------------


def test_booths_merge_makes_one_stand_with_a_new_type(fair):
    event, zone, _standard = fair
    a01, a02, a03 = _generate(fair, rows=1, columns=3, origin=(3, 0))
    stand = booths_merge(booths=[a02, a01])
    assert (stand.code, stand.x, stand.y, stand.width, stand.depth, stand.row, stand.zone) == (
        "A01-02",
        D("3.00"),
        D("0.00"),
        D("6.00"),
        D("3.00"),
        "A-1",
        zone,
    )
    assert (stand.booth_type.name, stand.booth_type.width_m, stand.booth_type.price) == (
        "Merged stand 2×3 m",
        D("6.00"),
        10_000_000,
    )
    assert list(Booth.objects.order_by("code").values_list("code", flat=True)) == ["A01-02", "A03"]


def test_booths_merge_reuses_the_fairs_type_of_that_size(fair):
    event, _zone, _standard = fair
    double = factories.BoothTypeFactory(event=event, code="doi", name="Gian đôi", width_m=9, depth_m=3)
    booths = _generate(fair, rows=1, columns=3)
    stand = booths_merge(booths=booths)
    assert (stand.code, stand.booth_type) == ("A01-03", double)
    assert BoothType.objects.filter(event=event).count() == 2


@pytest.mark.parametrize(
    ("pick", "message"),
    [
        ((0, 2), "Booths A01, A03 are not side by side; merge booths that touch, with none left out between them."),
        ((0, 3), "Booths A01, A04 are not in one row; only booths side by side in one row can be merged."),
        ((0,), "Choose at least two booths to merge."),
    ],
)
def test_booths_merge_refuses_booths_not_side_by_side(fair, pick, message):
    booths = _generate(fair, rows=2, columns=3)
    with pytest.raises(ValidationError) as exc:
        booths_merge(booths=[booths[i] for i in pick])
    assert exc.value.messages == [message]
    assert Booth.objects.count() == 6


def test_booths_merge_refuses_booths_of_two_zones(fair):
    event, _zone, standard = fair
    a01 = _generate(fair, rows=1, columns=1)[0]
    other = factories.ZoneFactory(event=event, code="B")
    b01 = floorplan_generate(event=event, zone=other, booth_type=standard, rows=1, columns=1, origin=(3, 0), aisle=3)[0]
    b01.row = a01.row
    b01.save()
    with pytest.raises(ValidationError) as exc:
        booths_merge(booths=[a01, b01])
    assert exc.value.messages == ["Booths A01, B01 are in different zones; only booths of one zone can be merged."]


def test_booths_merge_refuses_held_blocked_and_previously_booked_booths(fair):
    a01, a02, a03, a04 = _generate(fair, rows=1, columns=4)
    _assign(a02)
    with pytest.raises(ValidationError) as exc:
        booths_merge(booths=[a01, a02])
    assert exc.value.messages == ["Booth A02 is held by Chè Thái: only free booths can be merged."]

    booths_block(booths=[a03], reason="Cột")
    with pytest.raises(ValidationError) as exc:
        booths_merge(booths=[a03, a04])
    assert exc.value.messages == ["Booth A03 is blocked (Cột): unblock it before merging."]

    Assignment.objects.filter(booth=a02).update(status=Assignment.Status.RELEASED, released_at="2024-01-01T00:00Z")
    with pytest.raises(ValidationError) as exc:
        booths_merge(booths=[a01, a02])
    assert exc.value.messages == [
        "Booth A02 has past bookings on record; merging would delete that history, so it cannot be merged."
    ]
    assert Booth.objects.count() == 4


# --- the staff page ------------------------------------------------------------------------------------


def en(name, *args):
    return reverse(name, args=args)


@pytest.fixture
def staff_client(client, db):
    client.force_login(factories.StaffUserFactory())
    return client


PAGES = [("booths:floorplan", "get"), ("booths:import", "get")]
POSTS = ["booths:generate", "booths:block", "booths:unblock", "booths:merge", "booths:import"]


@pytest.mark.parametrize("name", [p for p, _m in PAGES] + POSTS)
def test_floorplan_pages_send_anonymous_visitors_to_login(client, fair, name):
    event = fair[0]
    url = en(name, event.slug)
    response = client.post(url) if name in POSTS else client.get(url)
    assert response.status_code == 302
    assert response.url.startswith(reverse(settings.LOGIN_URL))


@pytest.mark.parametrize("name", [p for p, _m in PAGES] + POSTS)
def test_floorplan_pages_refuse_businesses(client, fair, name):
    event = fair[0]
    user = factories.UserFactory()
    client.force_login(user)
    url = en(name, event.slug)
    response = client.post(url) if name in POSTS else client.get(url)
    assert response.status_code == 403
    assert not Booth.objects.exists()


def test_floorplan_page_shows_zones_types_counts_and_plan(staff_client, fair):
    event = fair[0]
    booths = _generate(fair, rows=1, columns=3)
    booths_block(booths=[booths[2]], reason="Cột")
    _assign(booths[1])
    response = staff_client.get(en("booths:floorplan", event.slug))
    html = response.content.decode()
    assert response.status_code == 200
    assert '<div class="fs-3 fw-semibold" id="count-total">3</div>' in html
    assert '<div class="fs-3 fw-semibold text-success" id="count-free">1</div>' in html
    assert '<div class="fs-3 fw-semibold text-primary" id="count-held">1</div>' in html
    assert '<div class="fs-3 fw-semibold text-secondary" id="count-blocked">1</div>' in html
    assert "A – Khu OCOP" in html
    zone_row = html.split('<tr data-zone="A">')[1].split("</tr>")[0]
    assert re.findall(r'<td class="text-end">(\d+)</td>', zone_row) == ["3", "1", "1"]  # booths, held, blocked
    assert "Gian tiêu chuẩn" in html
    assert 'viewBox="-0.5 -0.5 31 21"' in html  # the hall (30 × 20 m) with half a metre around it
    assert 'id="outside-hall"' not in html
    assert html.count('class="plan-booth') == 3
    assert 'data-code="A03"' in html and "A03 · A · Gian tiêu chuẩn · blocked: Cột" in html
    assert '<rect x="3.00" y="0.00" width="3.00" height="3.00"' in html


def test_floorplan_page_in_vietnamese_keeps_svg_numbers_with_a_dot(client, fair):
    event = fair[0]
    _generate(fair, rows=1, columns=1, origin=(D("1.5"), 0))
    client.force_login(factories.StaffUserFactory())
    with translation.override("vi"):
        url = reverse("booths:floorplan", args=[event.slug])
    response = client.get(url)
    assert '<rect x="1.50" y="0.00" width="3.00" height="3.00"' in response.content.decode()


def test_generate_view_lays_out_booths_and_says_which(staff_client, fair):
    event, zone, standard = fair
    data = {"zone": zone.pk, "booth_type": standard.pk, "rows": 2, "columns": 4, "origin_x": "0", "origin_y": "1.5"}
    response = staff_client.post(en("booths:generate", event.slug), {**data, "aisle": "3"}, follow=True)
    assert "Laid out 8 booths in zone A: A01 to A08." in response.content.decode()
    assert Booth.objects.get(code="A05").y == D("4.50")


def test_generate_view_shows_the_refusal_on_the_form(staff_client, fair):
    event, zone, standard = fair
    data = {"zone": zone.pk, "booth_type": standard.pk, "rows": 2, "columns": 20, "origin_x": "0", "origin_y": "0"}
    response = staff_client.post(en("booths:generate", event.slug), {**data, "aisle": "3"})
    assert response.status_code == 200
    assert (
        "The layout of booths A01 to A40 does not fit in the hall (30 m wide × 20 m deep): it spans 0 to 60 m "
        "across and 0 to 6 m down." in response.content.decode()
    )
    assert not Booth.objects.exists()


def test_block_and_merge_views_act_on_typed_codes(staff_client, fair):
    event = fair[0]
    _generate(fair, rows=1, columns=4)
    response = staff_client.post(en("booths:block", event.slug), {"codes": "a04", "reason": "Lối vào"}, follow=True)
    assert "Blocked 1 booth: A04." in response.content.decode()
    response = staff_client.post(en("booths:merge", event.slug), {"codes": "A01, A02;A03"}, follow=True)
    assert "Merged A01, A02, A03 into stand A01-03 (Merged stand 3×3 m)." in response.content.decode()
    response = staff_client.post(en("booths:unblock", event.slug), {"codes": "A04"}, follow=True)
    assert "Unblocked 1 booth." in response.content.decode()
    assert list(Booth.objects.order_by("code").values_list("code", "blocked")) == [("A01-03", False), ("A04", False)]


def test_block_view_names_unknown_codes_and_missing_reason(staff_client, fair):
    event = fair[0]
    _generate(fair, rows=1, columns=2)
    response = staff_client.post(en("booths:block", event.slug), {"codes": "A01 A09 Z1", "reason": ""})
    html = response.content.decode()
    assert "This fair has no booth A09, Z1." in html
    assert "Say why the booths are blocked (stage, entrance, pillar…)." in html
    assert not Booth.objects.filter(blocked=True).exists()


def test_merge_view_shows_the_refusal(staff_client, fair):
    event = fair[0]
    _generate(fair, rows=1, columns=3)
    response = staff_client.post(en("booths:merge", event.slug), {"codes": "A01 A03"})
    assert (
        "Booths A01, A03 are not side by side; merge booths that touch, with none left out between them."
        in response.content.decode()
    )
    assert Booth.objects.count() == 3


def _fair_with_booths(count):
    event = factories.EventFactory(hall_width_m=200, hall_depth_m=200)
    zones = [factories.ZoneFactory(event=event, code=code) for code in "AB"]
    booth_type = factories.BoothTypeFactory(event=event)
    booths = [
        Booth(
            event=event,
            zone=zones[i % 2],
            booth_type=booth_type,
            code=f"X{i:04d}",
            x=3 * (i % 60),
            y=3 * (i // 60),
            row=f"r{i // 60}",
            blocked=i % 7 == 0,
        )
        for i in range(count)
    ]
    Booth.objects.bulk_create(booths)
    stored = list(Booth.objects.filter(event=event).order_by("pk")[:3])
    for booth in stored[1:]:
        _assign(booth, vendor_name=f"Công ty {booth.code}", short_name=booth.code)
    HallFeature.objects.create(event=event, kind=HallFeature.Kind.ENTRANCE, label="Cổng 1", x=0, y=190, width=6)
    return event


@pytest.mark.parametrize("count", [10, 1200])
def test_floorplan_page_query_count_does_not_grow_with_the_booths(staff_client, django_assert_num_queries, count):
    event = _fair_with_booths(count)
    url = en("booths:floorplan", event.slug)
    staff_client.get(url)  # warm the session
    with django_assert_num_queries(9):  # 7, and the user's memberships with their fair limits
        response = staff_client.get(url)
    assert response.content.decode().count('class="plan-booth') == count


@pytest.mark.parametrize("written", ["1,5", "1.5", "1,50 m"])
def test_generate_view_in_vietnamese_reads_metres_with_comma_or_dot(client, fair, written):
    event, zone, standard = fair
    client.force_login(factories.StaffUserFactory())
    with translation.override("vi"):
        url = reverse("booths:generate", args=[event.slug])
    data = {"zone": zone.pk, "booth_type": standard.pk, "rows": 1, "columns": 1, "origin_x": written}
    response = client.post(url, {**data, "origin_y": "0", "aisle": "3"})
    assert response.status_code == 302
    assert Booth.objects.get().x == D("1.50")


# --- two organisers laying out at once (PostgreSQL: real row locks, one connection per thread) ----------


def _race_generate(event, zone, booth_type, monkeypatch, pause):
    """Two layouts that overlap each other (A01–A02 at x 0–6, A11–A12 at x 3–9) at the same moment.
    Returns (number laid out, messages of the refusals, errors)."""
    from django.db import connection

    from booths.services import floorplan as services

    real_check = services._check_layout

    def slow_check(*args, **kwargs):
        real_check(*args, **kwargs)
        time.sleep(pause)  # widen the window between checking the plan and writing to it

    monkeypatch.setattr(services, "_check_layout", slow_check)
    barrier = threading.Barrier(2)
    results = {"done": 0, "refused": [], "errors": []}
    guard = threading.Lock()

    def attempt(x, start):
        try:
            barrier.wait()
            translation.activate("en")  # each thread starts in the default language
            floorplan_generate(
                event=event, zone=zone, booth_type=booth_type, rows=1, columns=2, origin=(x, 0), aisle=3, start=start
            )
            with guard:
                results["done"] += 1
        except ValidationError as exc:
            with guard:
                results["refused"].extend(exc.messages)
        except Exception as exc:  # anything else is a bug the test must show
            with guard:
                results["errors"].append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=attempt, args=args) for args in ((0, 1), (3, 11))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_layouts_cannot_overlap(on_postgres, monkeypatch):
    event = factories.EventFactory()
    zone = factories.ZoneFactory(event=event, code="A")
    booth_type = factories.BoothTypeFactory(event=event)
    results = _race_generate(event, zone, booth_type, monkeypatch, pause=0.3)
    assert (results["done"], len(results["refused"]), results["errors"]) == (1, 1, [])
    assert "would overlap booths already on the plan" in results["refused"][0]
    assert Booth.objects.count() == 2


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_control_without_the_fair_lock_layouts_overlap(on_postgres, monkeypatch):
    """Control: without the lock on the fair the same race writes overlapping booths, so the test
    above proves the lock, not luck."""
    from booths.services import floorplan as services
    from events.models import Event

    monkeypatch.setattr(services, "_lock_event", lambda event: Event.objects.get(pk=event.pk))
    event = factories.EventFactory()
    zone = factories.ZoneFactory(event=event, code="A")
    booth_type = factories.BoothTypeFactory(event=event)
    results = _race_generate(event, zone, booth_type, monkeypatch, pause=0.3)
    assert (results["done"], results["errors"]) == (2, [])
    assert Booth.objects.count() == 4
