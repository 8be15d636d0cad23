"""Importing booth lists: `import_booths EVENT FILE [--json]`, the staff import page and the admin
import with preview. Row-numbered errors of each kind, all or nothing, updates of existing booths,
decimal commas, and the number of queries a large file takes."""

import csv
import io
import json
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation
from openpyxl import Workbook

from booths.admin_import import SESSION_KEY as ADMIN_SESSION_KEY
from booths.importing import parse_metres, parse_yes_no, read_table, validate_table
from booths.models import Assignment, Booth
from tests import factories

D = Decimal
HEADER = ["code", "zone", "type", "x", "y", "width", "depth", "blocked"]


@pytest.fixture(autouse=True)
def english_and_private_var(settings, tmp_path):
    settings.VAR_DIR = tmp_path / "var"
    with translation.override("en"):
        yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture
def fair(db):
    event = factories.EventFactory(slug="tuan-hang-vsip", hall_width_m=30, hall_depth_m=20)
    factories.ZoneFactory(event=event, code="A", name="Khu OCOP")
    factories.ZoneFactory(event=event, code="B", name="Khu nông sản")
    factories.BoothTypeFactory(event=event, code="std", width_m=3, depth_m=3)
    factories.BoothTypeFactory(event=event, code="doi", name="Gian đôi", width_m=6, depth_m=3, is_standard=False)
    return event


def write_csv(path, rows, bom=True, delimiter=","):
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter).writerows(rows)
    path.write_bytes(("\ufeff" if bom else "").encode() + buffer.getvalue().encode("utf-8"))
    return path


def write_xlsx(path, rows):
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    workbook.save(path)
    return path


def run(*args):
    """Run the command; return (stdout, the CommandError raised or None)."""
    out = io.StringIO()
    try:
        call_command("import_booths", *map(str, args), stdout=out, stderr=io.StringIO())
    except CommandError as exc:
        return out.getvalue(), exc
    return out.getvalue(), None


def run_json(*args):
    out, error = run(*args, "--json")
    return json.loads(out), error


def booths():
    return list(
        Booth.objects.order_by("code").values_list(
            "code", "zone__code", "booth_type__code", "x", "y", "width", "depth", "row", "blocked", "blocked_reason"
        )
    )


VALID = [
    HEADER,
    ["A01", "A", "std", "0", "0", "3", "3", ""],
    ["A02", "a", "STD", "3", "0", "", "", "không"],
    ["A03", "A", "doi", "6", "0", "6", "3", "no"],
    ["B01", "B", "std", "0", "10,5", "3,5", "3", "x"],
]


# --- parsing -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "value"),
    [("3", "3.00"), ("3,5", "3.50"), ("3.5", "3.50"), (" 12,25 m", "12.25"), ("1.234,5", "1234.50"), ("0", "0.00")],
)
def test_parse_metres_reads_comma_or_dot(text, value):
    assert parse_metres(text) == D(value)


@pytest.mark.parametrize("text", ["abc", "3,5,5", "NaN", "Infinity", "", "1e309"])
def test_parse_metres_refuses_what_is_not_a_number(text):
    with pytest.raises(ValueError):
        parse_metres(text)


@pytest.mark.parametrize(("text", "value"), [("yes", True), ("X", True), ("Có", True), ("1", True), ("không", False)])
def test_parse_yes_no_reads_english_vietnamese_and_marks(text, value):
    assert parse_yes_no(text) is value


# --- the command ----------------------------------------------------------------------------------------


@pytest.mark.parametrize("bom", [True, False])
def test_import_csv_creates_booths_with_decimal_commas(fair, tmp_path, bom):
    data, error = run_json(fair.slug, write_csv(tmp_path / "gian.csv", VALID, bom=bom))
    assert error is None
    assert data == {"created": 4, "updated": 0, "errors": []}
    assert booths() == [
        ("A01", "A", "std", D("0.00"), D("0.00"), D("3.00"), D("3.00"), "y0", False, ""),
        ("A02", "A", "std", D("3.00"), D("0.00"), D("3.00"), D("3.00"), "y0", False, ""),
        ("A03", "A", "doi", D("6.00"), D("0.00"), D("6.00"), D("3.00"), "y0", False, ""),
        ("B01", "B", "std", D("0.00"), D("10.50"), D("3.50"), D("3.00"), "y10.5", True, ""),
    ]


def test_import_xlsx_with_vietnamese_headers_numbers_and_semicolon_free_text(fair, tmp_path):
    rows = [
        ["Mã gian", "Khu", "Loại gian", "X", "Y", "Rộng (m)", "Sâu (m)", "Khóa", "Lý do", "Dãy"],
        ["A01", "A", "std", 0, 0, 3, 3, "có", "Cột", "A-1"],
        ["A02", "A", "std", 3, 0, 2.5, 3, None, None, "A-1"],
    ]
    out, error = run(fair.slug, write_xlsx(tmp_path / "gian.xlsx", rows))
    assert error is None
    assert out.strip() == f"Created 2 booths, updated 0 and left 0 as they are at “{fair.name}”."
    assert booths() == [
        ("A01", "A", "std", D("0.00"), D("0.00"), D("3.00"), D("3.00"), "A-1", True, "Cột"),
        ("A02", "A", "std", D("3.00"), D("0.00"), D("2.50"), D("3.00"), "A-1", False, ""),
    ]


def test_import_unlabelled_rows_join_the_row_already_at_that_place(fair, tmp_path):
    zone = fair.zones.get(code="A")
    factories.BoothFactory(
        event=fair, zone=zone, booth_type=fair.booth_types.get(code="std"), code="A01", x=0, y=0, row="A-1"
    )
    data, error = run_json(
        fair.slug, write_csv(tmp_path / "g.csv", [HEADER, ["A02", "A", "std", "3", "0", "", "", ""]])
    )
    assert (data["created"], error) == (1, None)
    assert Booth.objects.get(code="A02").row == "A-1"


ERROR_CASES = [
    (["A01", "Q", "std", "0", "0", "3", "3", ""], "zone", "Unknown zone “Q”. This fair's zones are: A, B."),
    (
        ["A01", "A", "vip", "0", "0", "3", "3", ""],
        "type",
        "Unknown booth type “vip”. This fair's booth types are: doi, std.",
    ),
    (["A01", "A", "std", "ba", "0", "3", "3", ""], "x", "“ba” is not a number of metres."),
    (["A01", "A", "std", "0", "-1", "3", "3", ""], "y", "y cannot be negative (it is -1 m)."),
    (["A01", "A", "std", "0", "0", "0", "3", ""], "width", "The width must be more than 0 m."),
    (["A01", "A", "std", "0", "0", "3", "-2,5", ""], "depth", "The depth must be more than 0 m."),
    (
        ["A01", "A", "std", "28,5", "0", "3", "3", ""],
        "x",
        "Booth A01 does not fit in the hall (30 m wide × 20 m deep): it spans 28.5 to 31.5 m across and 0 to 3 m down.",
    ),
    (
        ["A01", "A", "std", "0", "18", "3", "3", ""],
        "y",
        "Booth A01 does not fit in the hall (30 m wide × 20 m deep): it spans 0 to 3 m across and 18 to 21 m down.",
    ),
    (
        ["A01", "A", "std", "0", "0", "3", "3", "maybe"],
        "blocked",
        "“maybe” does not say whether the booth is blocked: write yes or no (also 1/0, x, có/không).",
    ),
    (["", "A", "std", "0", "0", "3", "3", ""], "code", "Give the booth's code (e.g. A01)."),
]


@pytest.mark.parametrize(("row", "field", "message"), ERROR_CASES)
def test_import_reports_each_error_with_its_row_and_column(fair, tmp_path, row, field, message):
    rows = [HEADER, ["B01", "B", "std", "0", "12", "3", "3", ""], row]
    data, error = run_json(fair.slug, write_csv(tmp_path / "g.csv", rows))
    assert data == {"created": 0, "updated": 0, "errors": [{"row": 3, "field": field, "message": message}]}
    assert error is not None and error.returncode == 1
    assert not Booth.objects.exists()


def test_import_reports_repeated_codes_and_overlaps_within_the_file(fair, tmp_path):
    rows = [
        HEADER,
        ["A01", "A", "std", "0", "0", "", "", ""],
        ["A02", "A", "std", "3", "0", "", "", ""],
        ["a01", "A", "std", "12", "0", "", "", ""],
        ["A03", "A", "std", "4,5", "1", "", "", ""],
    ]
    data, error = run_json(fair.slug, write_csv(tmp_path / "g.csv", rows))
    assert data["errors"] == [
        {"row": 4, "field": "code", "message": "Booth code a01 is repeated: it already appears on row 2."},
        {"row": 5, "field": "x", "message": "Booth A03 overlaps booth A02 on row 3."},
    ]
    assert error.returncode == 1
    assert not Booth.objects.exists()


def test_import_reports_overlaps_with_booths_already_on_the_plan(fair, tmp_path):
    zone, std = fair.zones.get(code="B"), fair.booth_types.get(code="std")
    factories.BoothFactory(event=fair, zone=zone, booth_type=std, code="B01", x=0, y=0)
    factories.BoothFactory(event=fair, zone=zone, booth_type=std, code="B02", x=3, y=0)
    rows = [HEADER, ["A01", "A", "doi", "1", "2", "", "", ""], ["B02", "B", "std", "20", "0", "", "", ""]]
    data, _error = run_json(fair.slug, write_csv(tmp_path / "g.csv", rows))
    # B02 moves away in the same file, so only B01 is in the way.
    assert data["errors"] == [
        {"row": 2, "field": "x", "message": "Booth A01 overlaps booth B01 already on the plan."},
    ]
    assert sorted(Booth.objects.values_list("code", "x")) == [("B01", D("0.00")), ("B02", D("3.00"))]


def test_import_updates_free_booths_and_refuses_to_change_held_ones(fair, tmp_path):
    zone, std = fair.zones.get(code="A"), fair.booth_types.get(code="std")
    free = factories.BoothFactory(event=fair, zone=zone, booth_type=std, code="A01", x=0, y=0, row="A-1")
    held = factories.BoothFactory(event=fair, zone=zone, booth_type=std, code="A02", x=3, y=0, row="A-1")
    vendor = factories.VendorFactory(name="HTX Chè Tân Cương")
    factories.AssignmentFactory(
        booth=held, application=factories.ApplicationFactory(event=fair, vendor=vendor), status="held"
    )
    unchanged_held = [HEADER, ["A02", "A", "std", "3", "0", "3", "3", "no"]]
    data, error = run_json(fair.slug, write_csv(tmp_path / "same.csv", unchanged_held))
    assert (data, error) == ({"created": 0, "updated": 0, "errors": []}, None)

    rows = [HEADER, ["A01", "A", "std", "0", "5", "", "", ""], ["A02", "A", "std", "3", "5", "", "", ""]]
    data, error = run_json(fair.slug, write_csv(tmp_path / "g.csv", rows))
    assert data["errors"] == [
        {
            "row": 3,
            "field": "code",
            "message": "Booth A02 is held by HTX Chè Tân Cương, so this import cannot change it; release the booth "
            "first or leave its row as it is.",
        }
    ]
    free.refresh_from_db()
    assert free.y == D("0.00")

    data, error = run_json(fair.slug, write_csv(tmp_path / "ok.csv", rows[:2]))
    assert (data, error) == ({"created": 0, "updated": 1, "errors": []}, None)
    free.refresh_from_db()
    assert (free.y, free.row) == (D("5.00"), "y5")
    assert Assignment.objects.get(booth=held).status == "held"


def test_import_is_all_or_nothing_and_lists_every_error(fair, tmp_path):
    rows = [HEADER, *VALID[1:], ["B02", "Z", "std", "x", "0", "", "", ""]]
    out, error = run(fair.slug, write_csv(tmp_path / "g.csv", rows))
    assert out.splitlines() == [
        "Row 6, column zone: Unknown zone “Z”. This fair's zones are: A, B.",
        "Row 6, column x: “x” is not a number of metres.",
    ]
    assert str(error) == "Nothing was written: 1 row has errors."
    assert error.returncode == 1
    assert not Booth.objects.exists()


def test_import_header_problems_are_row_one(fair, tmp_path):
    data, error = run_json(fair.slug, write_csv(tmp_path / "g.csv", [["code", "zone", "type", "x", "colour"]]))
    assert data["errors"] == [
        {
            "row": 1,
            "field": "header",
            "message": "Unknown column “colour”. Known columns: code [Mã gian], zone [Khu], type [Loại gian], x, y, "
            "width [Rộng], depth [Sâu], blocked [Khóa], reason [Lý do], row [Dãy].",
        },
        {"row": 1, "field": "y", "message": "The required column “y” is missing."},
    ]
    assert error.returncode == 1


def test_import_dry_run_writes_nothing(fair, tmp_path):
    out, error = run(fair.slug, write_csv(tmp_path / "g.csv", VALID), "--dry-run")
    assert error is None
    assert "4 booths would be created" in out
    assert not Booth.objects.exists()


def test_import_unknown_fair_or_file_is_a_clear_error(fair, tmp_path):
    _out, error = run("khong-co", write_csv(tmp_path / "g.csv", VALID))
    assert str(error) == "There is no fair with the slug “khong-co”."
    _out, error = run(fair.slug, tmp_path / "missing.csv")
    assert str(error) == f"File not found: {tmp_path / 'missing.csv'}"
    (tmp_path / "g.txt").write_text("code")
    _out, error = run(fair.slug, tmp_path / "g.txt")
    assert str(error) == "Only .xlsx and .csv files can be imported; save the list in one of those formats."


def test_import_of_1200_booths_checks_in_a_fixed_number_of_queries(fair):
    fair.hall_width_m, fair.hall_depth_m = 200, 200
    fair.save()
    rows = [
        (n, {"code": f"A{n:04d}", "zone": "A", "type": "std", "x": str(3 * (n % 60)), "y": str(3 * (n // 60))})
        for n in range(2, 1202)
    ]
    table = read_table(io.BytesIO(b"code,zone,type,x,y\n"), "g.csv")
    table.rows = rows
    with CaptureQueriesContext(connection) as ctx:
        plan = validate_table(table, event=fair)
    assert (plan.errors, plan.create_count) == ([], 1200)
    assert len(ctx.captured_queries) == 3


# --- the staff page and the admin ----------------------------------------------------------------------------


def upload_file(rows, name="gian.csv"):
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return SimpleUploadedFile(name, buffer.getvalue().encode("utf-8"))


@pytest.fixture
def staff_client(client, db):
    client.force_login(factories.StaffUserFactory(is_superuser=True))
    return client


def test_staff_import_previews_then_writes_on_confirm(staff_client, fair):
    url = reverse("booths:import", args=[fair.slug])
    response = staff_client.post(url, {"action": "upload", "file": upload_file(VALID)})
    assert response.status_code == 302
    preview = staff_client.get(url).content.decode()
    assert "4 rows checked: 4 to create, 0 to update." in preview
    assert "Nothing has been written yet." in preview
    assert not Booth.objects.exists()
    token = staff_client.session[f"booths_import:{fair.pk}"]["token"]
    response = staff_client.post(url, {"action": "confirm", "token": token}, follow=True)
    assert "Imported the booth list: 4 booths created, 0 updated, 0 unchanged." in response.content.decode()
    assert Booth.objects.count() == 4


def test_staff_import_preview_shows_errors_and_offers_no_confirm(staff_client, fair):
    url = reverse("booths:import", args=[fair.slug])
    staff_client.post(
        url, {"action": "upload", "file": upload_file([*VALID, ["B02", "B", "std", "0", "19", "", "", ""]])}
    )
    html = staff_client.get(url).content.decode()
    assert (
        "Booth B02 does not fit in the hall (30 m wide × 20 m deep): it spans 0 to 3 m across and 19 to 22 m down."
        in html
    )
    assert 'id="confirm-import"' not in html
    token = staff_client.session[f"booths_import:{fair.pk}"]["token"]
    response = staff_client.post(url, {"action": "confirm", "token": token})
    assert "Nothing was imported: 1 row has errors. Fix the file and upload it again." in response.content.decode()
    assert not Booth.objects.exists()


def test_admin_import_preview_writes_nothing_and_confirm_writes(staff_client, fair):
    url = reverse("admin:booths_booth_import")
    assert f'href="{url}"' in staff_client.get(reverse("admin:booths_booth_changelist")).content.decode()
    response = staff_client.post(url, {"action": "upload", "event": fair.pk, "file": upload_file(VALID)})
    assert response.status_code == 302
    preview = staff_client.get(url).content.decode()
    assert "4 rows checked: 4 to create, 0 to update." in preview
    assert f"for the fair <strong>{fair.name}</strong>" in preview
    assert not Booth.objects.exists()
    token = staff_client.session[ADMIN_SESSION_KEY]["token"]
    response = staff_client.post(url, {"action": "confirm", "token": token}, follow=True)
    assert f"Imported the booth list into “{fair.name}”: 4 booths created, 0 updated, 0 unchanged." in (
        response.content.decode()
    )
    assert Booth.objects.count() == 4
    assert ADMIN_SESSION_KEY not in staff_client.session


def test_admin_import_cancel_forgets_the_file(staff_client, fair):
    url = reverse("admin:booths_booth_import")
    staff_client.post(url, {"action": "upload", "event": fair.pk, "file": upload_file(VALID)})
    staff_client.post(url, {"action": "cancel"})
    assert ADMIN_SESSION_KEY not in staff_client.session
    assert "Check the file" in staff_client.get(url).content.decode()
    assert not Booth.objects.exists()


def test_admin_import_needs_a_role_that_manages_the_fair(client, fair):
    # The policy decides (issue 16), not Django's model permissions: floor staff may not import.
    client.force_login(factories.StaffUserFactory(role="floor"))
    assert client.get(reverse("admin:booths_booth_import")).status_code == 403
    client.force_login(factories.StaffUserFactory(role="admin"))
    assert client.get(reverse("admin:booths_booth_import")).status_code == 200
