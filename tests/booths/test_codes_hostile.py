"""Stored codes: one pattern refused with a field-level message wherever a code is written (admin,
model forms, booth import, floor-plan generator), and a booth-code order that takes any string, so
a legacy code such as "²" (a Unicode digit int() refuses) cannot turn an export or a print into a 500."""

import csv
import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from hypothesis import example, given
from hypothesis import strategies as st

from booths.codes import booth_code_key
from booths.importing import read_table
from booths.models import Assignment, Booth
from booths.services.floorplan import booths_import, floorplan_generate
from events.models import BoothType, GeneratedFile, Zone
from tests import factories
from tests.printing.support import make_fair

CODE_MESSAGE_VI = "Chỉ dùng chữ cái không dấu, chữ số và dấu gạch nối đơn giữa chúng, ví dụ A01 hoặc B-12."
HOSTILE_CODES = ["²", "A²", "٣", "A 01", "Ａ01", "A--1", "-A1", "A1-", "A_1", "Gian\x00", "Đ01"]


@pytest.fixture
def staff_client(client, db):
    client.force_login(factories.StaffUserFactory())
    return client


@pytest.fixture(autouse=True)
def media(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"


def _booth_form(event, code):
    zone = event.zones.get()
    return {
        "event": event.pk,
        "code": code,
        "zone": zone.pk,
        "booth_type": event.booth_types.get().pk,
        "x": "30",
        "y": "12",
        "width": "3",
        "depth": "3",
        "row": "",
        "blocked_reason": "",
        "assignments-TOTAL_FORMS": "0",
        "assignments-INITIAL_FORMS": "0",
    }


@pytest.fixture
def fair(db):
    event, _booths, _applications = make_fair()
    return event


def _with_legacy_booth(event, code="²"):
    """A booth written before the rule (bulk_create skips validation), given to the first participant."""
    zone, booth_type = event.zones.get(), event.booth_types.get()
    (legacy,) = Booth.objects.bulk_create([Booth(event=event, zone=zone, booth_type=booth_type, code=code, x=57, y=30)])
    application = event.applications.order_by("pk").first()
    Assignment.objects.create(booth=legacy, application=application, status="confirmed")
    return legacy


# --- the admin and the models refuse a bad code ---------------------------------------------------------


@pytest.mark.parametrize("code", ["²", "٣", "A 01", "Đ01"])
def test_admin_refuses_a_booth_code_outside_the_pattern_with_a_field_message(staff_client, fair, code):
    before = Booth.objects.count()
    response = staff_client.post(reverse("admin:booths_booth_add"), _booth_form(fair, code))
    assert response.status_code == 200  # the form again, not a redirect
    assert CODE_MESSAGE_VI in response.content.decode()
    assert "code" in response.context["adminform"].form.errors
    assert Booth.objects.count() == before


def test_admin_stores_a_good_booth_code_upper_cased(staff_client, fair):
    response = staff_client.post(reverse("admin:booths_booth_add"), _booth_form(fair, "b-12"))
    assert response.status_code == 302
    assert Booth.objects.filter(event=fair, code="B-12").exists()


@pytest.mark.parametrize("code", ["²", "A 01", "Đ01"])
def test_admin_asks_to_correct_a_legacy_booth_code_saved_before_the_pattern(staff_client, fair, code):
    legacy = _with_legacy_booth(fair, code=code)
    url = reverse("admin:booths_booth_change", args=[legacy.pk])
    assert staff_client.get(url).status_code == 200

    response = staff_client.post(url, _booth_form(fair, code) | {"x": "57", "y": "30"})

    assert response.status_code == 200  # the form again, with the message on the code
    assert response.context["adminform"].form.errors["code"] == [
        f"Mã “{code}” được lưu từ trước khi mã gian hàng có quy cách cố định, cần sửa lại thì mới lưu được"
        f" gian hàng này. {CODE_MESSAGE_VI}"
    ]
    legacy.refresh_from_db()
    assert legacy.code == code


def test_admin_saves_a_legacy_booth_once_its_code_is_corrected(staff_client, fair):
    legacy = _with_legacy_booth(fair, code="²")
    url = reverse("admin:booths_booth_change", args=[legacy.pk])
    response = staff_client.post(url, _booth_form(fair, "a-2") | {"x": "57", "y": "30"})
    assert response.status_code == 302
    legacy.refresh_from_db()
    assert legacy.code == "A-2"


def test_admin_upper_cases_a_legacy_lower_case_booth_code(staff_client, fair):
    legacy = _with_legacy_booth(fair, code="z9")
    response = staff_client.post(
        reverse("admin:booths_booth_change", args=[legacy.pk]), _booth_form(fair, "z9") | {"x": "57", "y": "30"}
    )
    assert response.status_code == 302
    legacy.refresh_from_db()
    assert legacy.code == "Z9"


@pytest.mark.parametrize("code", HOSTILE_CODES)
def test_zone_and_booth_type_refuse_a_code_outside_the_pattern(fair, code):
    zone = Zone(event=fair, code=code[:8], name="Khu mới")
    booth_type = BoothType(event=fair, code=code, name="Gian mới")
    for obj in (zone, booth_type):
        with pytest.raises(ValidationError) as refused:
            obj.full_clean()
        assert list(refused.value.message_dict) == ["code"]


def test_zone_code_is_upper_cased_and_booth_type_code_keeps_its_case(fair):
    zone = Zone(event=fair, code="b", name="Khu B")
    zone.full_clean()
    booth_type = BoothType(event=fair, code="merged-3x3", name="Gian ghép")
    booth_type.full_clean()
    assert (zone.code, booth_type.code) == ("B", "merged-3x3")


# --- the booth import and the floor-plan generator ----------------------------------------------------


def test_import_refuses_a_new_booth_code_outside_the_pattern_and_writes_nothing(fair):
    before = Booth.objects.count()
    table = read_table(io.BytesIO("code,zone,type,x,y\n²,A,std,30,12\n".encode()), "g.csv")
    outcome = booths_import(event=fair, table=table)
    assert outcome.as_json() == {
        "created": 0,
        "updated": 0,
        "errors": [{"row": 2, "field": "code", "message": CODE_MESSAGE_VI}],
    }
    assert Booth.objects.count() == before


def test_import_stores_new_codes_upper_cased(fair):
    table = read_table(io.BytesIO(b"code,zone,type,x,y\nb-12,A,std,30,12\n"), "g.csv")
    assert booths_import(event=fair, table=table).written
    assert Booth.objects.filter(event=fair, code="B-12").exists()


def test_generator_numbers_on_past_a_legacy_code_in_the_zone(fair):
    _with_legacy_booth(fair, code="A²")
    booths = floorplan_generate(
        event=fair, zone=fair.zones.get(), booth_type=fair.booth_types.get(), rows=1, columns=2, origin=(0, 12), aisle=3
    )
    assert [b.code for b in booths] == ["A09", "A10"]


def test_generator_refuses_to_number_after_a_legacy_zone_code(fair):
    zone = fair.zones.get()
    Zone.objects.filter(pk=zone.pk).update(code="Khu ²")
    zone.refresh_from_db()
    with pytest.raises(ValidationError) as refused:
        floorplan_generate(
            event=fair, zone=zone, booth_type=fair.booth_types.get(), rows=1, columns=1, origin=(0, 12), aisle=3
        )
    assert CODE_MESSAGE_VI in " ".join(refused.value.messages)
    assert not Booth.objects.filter(code__startswith="Khu").exists()


# --- exports and prints of a fair holding a legacy code -------------------------------------------------


@pytest.mark.parametrize("code", ["²", "A1²"])  # each a ValueError of int() in the old key
def test_booths_export_lists_a_legacy_code(staff_client, fair, code):
    _with_legacy_booth(fair, code=code)
    response = staff_client.get(reverse("events:export", args=[fair.slug, "booths", "csv"]))
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert code in [r[1] for r in rows[1:]]


def test_participants_export_lists_a_legacy_code(staff_client, fair):
    _with_legacy_booth(fair)
    response = staff_client.get(reverse("events:export", args=[fair.slug, "participants", "csv"]))
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert any("²" in r[0] for r in rows[1:])


@pytest.mark.parametrize(
    ("kind", "options"),
    [
        ("participants", {"participants-order": "booth"}),
        ("booth_signs", {}),
        ("booth_map", {"booth_map-paper": "A4", "booth_map-colour": "category"}),
    ],
)
def test_prints_of_a_fair_with_a_legacy_code_download(staff_client, fair, kind, options):
    _with_legacy_booth(fair)
    response = staff_client.post(reverse("events:printing_build", args=[fair.slug, kind]), options)
    file = GeneratedFile.objects.get()
    assert (file.status, response.url) == (
        GeneratedFile.Status.DONE,
        reverse("events:generated_file_download", args=[file.pk]),
    )
    download = staff_client.get(response.url)
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"


# --- the order of codes --------------------------------------------------------------------------------


def test_booth_code_key_orders_natural_codes_naturally():
    codes = ["A10", "b-2", "A2", "A01", "A1", "a1", "B-12", "²", "", "A٣"]
    assert sorted(codes, key=booth_code_key) == ["", "A1", "a1", "A01", "A2", "A10", "A٣", "b-2", "B-12", "²"]


@given(st.lists(st.text()))
@example(["²", "A1"])
@example(["A1²", "A1"])
@example(["A" + "9" * 5000, "A1"])  # past int()'s digit limit
def test_booth_code_key_never_raises_and_orders_any_strings(texts):
    ordered = sorted(texts, key=booth_code_key)
    assert sorted(ordered, key=booth_code_key) == ordered
    assert sorted(texts) == sorted(ordered)


@given(
    st.lists(
        st.tuples(st.text("ABCXYZabcxyz", min_size=1, max_size=3), st.sampled_from(["", "-"]), st.integers(0, 10**30))
    )
)
@example([("a", "", 1), ("A", "", 1)])  # a tie of case is broken the same way every time
def test_booth_code_key_sorts_letters_then_number_by_value(parts):
    codes = [f"{prefix}{sep}{number}" for prefix, sep, number in parts]
    by_value = sorted(codes, key=lambda c: (_prefix(c).casefold(), int(c[len(_prefix(c)) :]), c))
    assert sorted(codes, key=booth_code_key) == by_value


def _prefix(code: str) -> str:
    return code.rstrip("0123456789")
