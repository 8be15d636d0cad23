"""Hostile ids, numbers, JSON bodies and control characters get a 400 or a field message, never a
server error, and write nothing: the booth choice (form and JSON), the public exhibitor list, the
admin's list filters and the floor-plan generator. The parsing lives in tuanhang.kernel.params, the
control-character check in tuanhang.kernel.middleware."""

import json
import os

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation

from booths.models import Assignment, Booth
from events.models import Event
from tests import factories
from tests.booths.test_selection import Hall
from tests.vendors._directory_support import exhibitor
from tuanhang.kernel.params import MAX_ID, BadParameter, json_body, parse_id, parse_int

SUPERSCRIPT_TWO = "²"  # str.isdigit() is true, int() refuses it


def arabic_indic(number: int) -> str:
    """The number in Arabic-Indic digits, which int() reads as if they were ASCII."""
    return "".join(chr(0x660 + int(d)) for d in str(number))


def en(name, *args, **kwargs):
    with translation.override("en"):
        return reverse(name, args=args or None, kwargs=kwargs or None)


# --- the parser -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    [SUPERSCRIPT_TWO, "٣", "１２", "1e3", " 1", "1 ", "-1", "+1", "1_000", "0", "", str(MAX_ID + 1), "9" * 5000,
     True, 1.0, None, [1], 0, -5],
)  # fmt: skip
def test_parse_id_refuses_what_is_not_ascii_digits_of_a_database_id(value):
    with pytest.raises(BadParameter):
        parse_id(value)


@pytest.mark.parametrize(("value", "expected"), [("1", 1), ("42", 42), (str(MAX_ID), MAX_ID), (7, 7)])
def test_parse_id_reads_ascii_digits_and_json_integers(value, expected):
    assert parse_id(value) == expected


def test_parse_int_checks_the_range_and_says_so():
    assert parse_int("5", min_value=3, max_value=5) == 5
    with translation.override("en"), pytest.raises(BadParameter) as exc:
        parse_int("6", min_value=3, max_value=5)
    assert str(exc.value) == "“6” is not a whole number from 3 to 5."


def test_json_body_refuses_a_body_past_the_limit(rf, settings):
    settings.JSON_BODY_MAX_BYTES = 100
    request = rf.post("/", json.dumps({"booth_ids": [1], "pad": "x" * 100}), content_type="application/json")
    with translation.override("en"), pytest.raises(BadParameter) as exc:
        json_body(request)
    assert str(exc.value) == "The request is too large (at most 0 KB)."


# --- booth choice: the page and its JSON endpoint ---------------------------------------------


@pytest.fixture
def hall(db):
    return Hall()


@pytest.fixture
def chooser(hall, client):
    application, user = hall.business()
    client.force_login(user)
    return application, client


def post_json(client, body):
    data = body if isinstance(body, str) else json.dumps(body)
    return client.post(en("booths:select_api", slug="vsip-2024"), data, content_type="application/json")


def test_select_page_answers_a_superscript_digit_with_the_form_and_its_message(hall, chooser):
    application, client = chooser
    response = client.post(en("booths:select", slug="vsip-2024"), {"booths": [SUPERSCRIPT_TWO]})
    assert response.status_code == 200
    assert "One of the booths you chose is not on this fair&#x27;s plan" in response.content.decode()
    assert not Assignment.objects.exists()


def test_select_page_does_not_read_arabic_indic_digits_as_a_booth_id(hall, chooser):
    application, client = chooser
    response = client.post(en("booths:select", slug="vsip-2024"), {"booths": [arabic_indic(hall["A01"].pk)]})
    assert "One of the booths you chose is not on this fair&#x27;s plan" in response.content.decode()
    assert not Assignment.objects.exists()


@pytest.mark.parametrize("value", [SUPERSCRIPT_TWO, "1e3", " 1", -1, 1.5, str(2**64), None])
def test_select_api_answers_400_to_a_hostile_id(hall, chooser, value):
    _, client = chooser
    response = post_json(client, {"booth_ids": [value]})
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"
    assert not Assignment.objects.exists()


def test_select_api_does_not_read_arabic_indic_digits_as_a_booth_id(hall, chooser):
    _, client = chooser
    response = post_json(client, {"booth_ids": [arabic_indic(hall["A01"].pk)]})
    assert response.status_code == 400
    assert not Assignment.objects.exists()


@pytest.mark.parametrize("depth", [60_000, 100_000])
def test_select_api_answers_400_to_deeply_nested_json(hall, chooser, depth):
    """60,000 "[" fit in the size limit and reach the parser (RecursionError); 100,000 do not."""
    _, client = chooser
    response = post_json(client, "[" * depth)
    assert response.status_code == 400
    assert response.json()["ok"] is False
    assert not Assignment.objects.exists()


def test_select_api_answers_400_to_a_body_past_the_size_limit(hall, chooser):
    _, client = chooser
    with translation.override("en"):
        response = post_json(client, {"booth_ids": [hall["A01"].pk], "pad": "x" * 70_000})
    assert response.status_code == 400
    assert response.json() == {"ok": False, "error": "The request is too large (at most 64 KB).", "code": "invalid"}
    assert not Assignment.objects.exists()


def test_select_api_answers_400_to_a_body_that_is_not_utf8(hall, chooser):
    _, client = chooser
    response = client.post(en("booths:select_api", slug="vsip-2024"), b"\xff\xfe{", content_type="application/json")
    assert response.status_code == 400
    assert not Assignment.objects.exists()


def test_select_api_still_takes_a_plain_choice(hall, chooser):
    application, client = chooser
    response = post_json(client, {"booth_ids": [str(hall["A01"].pk)]})
    assert response.status_code == 200
    assert Assignment.objects.get().booth == hall["A01"]


# --- the public exhibitor list ---------------------------------------------------------------


@pytest.fixture
def listed(db):
    event = factories.EventFactory(slug="vsip", status=Event.Status.REGISTRATION_CLOSED)
    exhibitor(event, "Hợp tác xã Sen Đồng Tháp", products=[("Hạt sen sấy", 4)])
    exhibitor(event, "Công ty Cổ phần An Phát", products=[("Nước mắm Cát Hải", 3)])
    return event


@pytest.mark.parametrize(
    "query", [{"category": SUPERSCRIPT_TWO}, {"ocop": SUPERSCRIPT_TWO}, {"ocop": "٣"}, {"category": "9" * 30}]
)
def test_exhibitor_list_ignores_a_filter_that_is_not_ascii_digits(client, listed, query):
    response = client.get(en("vendors:exhibitors", "vsip"), query)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Hợp tác xã Sen Đồng Tháp" in html and "Công ty Cổ phần An Phát" in html


def test_exhibitor_list_still_filters_by_ocop_stars(client, listed):
    html = client.get(en("vendors:exhibitors", "vsip"), {"ocop": "4"}).content.decode()
    assert "Hợp tác xã Sen Đồng Tháp" in html and "Công ty Cổ phần An Phát" not in html


# --- control characters ----------------------------------------------------------------------


@pytest.mark.parametrize("query", ["q=%00", "q=c%C3%B4ng%01ty", "q%00=1", "province=%7F", "q=%C2%85"])
def test_exhibitor_list_answers_400_to_a_control_character_in_the_query(client, listed, query):
    """PostgreSQL refuses NUL in text: without the check, ?q=%00 is a server error there."""
    with translation.override("vi"):
        url = reverse("vendors:exhibitors", args=["vsip"])
    response = client.get(f"{url}?{query}")
    assert response.status_code == 400
    assert "Địa chỉ hoặc biểu mẫu có ký tự không dùng được" in response.content.decode()
    assert "Content-Security-Policy" in response.headers and response.headers["X-Frame-Options"] == "DENY"


def test_exhibitor_list_search_with_ordinary_text_still_answers(client, listed):
    response = client.get(en("vendors:exhibitors", "vsip"), {"q": "sen đồng tháp"})
    assert response.status_code == 200
    assert "Hợp tác xã Sen Đồng Tháp" in response.content.decode()


@pytest.mark.skipif(not os.environ.get("DATABASE_URL", "").startswith("postgres"), reason="PostgreSQL only")
def test_exhibitor_list_answers_400_not_500_to_nul_on_postgresql(client, listed):
    response = client.get(f"{en('vendors:exhibitors', 'vsip')}?q=%00")
    assert response.status_code == 400


def test_admin_changelist_answers_400_to_a_nul_in_a_list_filter(client, db):
    client.force_login(factories.UserFactory(is_staff=True, is_superuser=True))
    url = en("admin:vendors_application_changelist")
    assert client.get(url, {"status__exact": "approved"}).status_code == 200
    response = client.get(f"{url}?status__exact=approved%00")
    assert response.status_code == 400


def test_api_answers_a_control_character_with_json(hall, chooser):
    _, client = chooser
    response = client.get(f"{en('booths:select_api', slug='vsip-2024')}?x=%00", HTTP_ACCEPT="application/json")
    assert response.status_code == 400
    assert response.json()["code"] == "invalid"


@pytest.fixture
def floor(db, client):
    event = factories.EventFactory(hall_width_m=30, hall_depth_m=20)
    zone = factories.ZoneFactory(event=event, code="A", name="Khu OCOP")
    standard = factories.BoothTypeFactory(event=event, code="std", name="Gian tiêu chuẩn")
    client.force_login(factories.StaffUserFactory())
    return event, zone, standard, client


def _layout(floor, **fields):
    event, zone, standard, client = floor
    data = {"zone": zone.pk, "booth_type": standard.pk, "rows": 1, "columns": 2}
    data |= {"origin_x": "0", "origin_y": "0", "aisle": "3", **fields}
    return client.post(en("booths:generate", event.slug), data)


def test_form_field_with_a_nul_answers_400_and_writes_nothing(floor):
    event, _, _, client = floor
    assert _layout(floor).status_code == 302
    response = client.post(en("booths:block", event.slug), {"codes": "A01", "reason": "Cột\x00"})
    assert response.status_code == 400
    assert not Booth.objects.filter(blocked=True).exists()


def test_form_text_may_hold_tabs_and_line_breaks(floor):
    event, _, _, client = floor
    _layout(floor)
    response = client.post(en("booths:block", event.slug), {"codes": "A01\r\nA02\t", "reason": "Cột"})
    assert response.status_code == 302
    assert Booth.objects.filter(blocked=True).count() == 2


def test_uploaded_file_bytes_are_left_alone(floor):
    event, _, _, client = floor
    content = b"code,zone,x,y\r\nA09,A,0,9\x00\r\n"
    response = client.post(en("booths:import", event.slug), {"file": SimpleUploadedFile("gian.csv", content)})
    assert response.status_code == 302  # on to the preview


# --- decimal fields: the floor-plan generator --------------------------------------------------


@pytest.mark.parametrize("field", ["origin_x", "origin_y", "aisle"])
@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("1e309", "Enter a number of metres, such as 3 or 3,5."),
        ("1e20", "Enter a number from 0 to 99999.99."),
        ("100000", "Enter a number from 0 to 99999.99."),
        ("-1", "Enter a number from 0 to 99999.99."),
        ("inf", "Enter a number of metres, such as 3 or 3,5."),
        ("NaN", "Enter a number of metres, such as 3 or 3,5."),
    ],
)
def test_generator_refuses_numbers_it_cannot_take_with_a_field_message(floor, field, value, message):
    response = _layout(floor, **{field: value})
    assert response.status_code == 200
    with translation.override("en"):
        assert response.context["generate_form"].errors[field] == [message]
    assert not Booth.objects.exists()
