import csv
import io
import json
import os
import subprocess
import sys
import unicodedata

import pytest
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import IntegrityError, connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation
from openpyxl import Workbook

from booths.models import Assignment
from tests.factories import (
    ApplicationFactory,
    AssignmentFactory,
    BoothFactory,
    CategoryFactory,
    EventFactory,
    VendorFactory,
    valid_tax_code,
)
from vendors.importing import read_table, run_import, validate_table
from vendors.models import Application, ApplicationStatusChange, Vendor

A = Application.Status
HEADER = ["name", "kind", "tax_code", "province", "phone", "email"]
VI_HEADER = ["Tên đơn vị", "Tên viết tắt", "Loại hình", "Mã số thuế", "Tỉnh/TP", "Điện thoại", "Nhóm hàng"]


@pytest.fixture(autouse=True)
def english():
    # Assert on the English msgids; the Vietnamese catalogue is written later.
    with translation.override("en"):
        yield


def write_xlsx(path, rows):
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    workbook.save(path)
    return path


def write_csv(path, rows, delimiter=",", bom=True):
    buffer = io.StringIO()
    csv.writer(buffer, delimiter=delimiter).writerows(rows)
    path.write_bytes(("\ufeff" if bom else "").encode() + buffer.getvalue().encode("utf-8"))
    return path


def run(path, *args):
    """Run the command; return (stdout, the CommandError raised or None)."""
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import_vendors", str(path), *args, stdout=out, stderr=err)
    except CommandError as exc:
        return out.getvalue(), exc
    return out.getvalue(), None


def run_json(path, *args):
    out, error = run(path, "--json", *args)
    return json.loads(out), error


def test_import_xlsx_creates_vendors_with_e164_phones_and_resolved_provinces(db, tmp_path):
    path = write_xlsx(
        tmp_path / "ds.xlsx",
        [
            HEADER,
            ["Công ty CP Bánh đậu xanh Hải Dương", "DN", "0100109106", "Hải Dương", "0912 345 678", "a@example.vn"],
            ["HTX Chè Huế", "HTX", "0300588569", "Thừa Thiên Huế", "+84 0225 3842 123", ""],
            ["Hộ Mật ong Hoà Bình", "HKD", "031203012345", "Hoà Bình", "84.98.765.4321", ""],
            [
                "Công ty Nông sản",
                "DN",
                valid_tax_code(1),
                unicodedata.normalize("NFD", "Bình Dương"),
                "0084 912 000 111",
                "",
            ],
            ["Công ty Thủy sản", "DN", valid_tax_code(2), "ĐỒNG THÁP", "", ""],
        ],
    )

    out, error = run(path)

    assert error is None, out
    assert "Created 5 and updated 0 participants." in out
    got = {v.name: (v.kind, v.province.name, v.phone) for v in Vendor.objects.select_related("province")}
    assert got == {
        "Công ty CP Bánh đậu xanh Hải Dương": ("DN", "Hải Phòng", "+84912345678"),
        "HTX Chè Huế": ("HTX", "Huế", "+842253842123"),
        "Hộ Mật ong Hoà Bình": ("HKD", "Phú Thọ", "+84987654321"),
        "Công ty Nông sản": ("DN", "Hồ Chí Minh", "+84912000111"),
        "Công ty Thủy sản": ("DN", "Đồng Tháp", ""),
    }


def test_import_csv_with_bom_semicolons_and_vietnamese_headers(db, tmp_path):
    CategoryFactory(name="Nông sản", slug="nong-san")
    CategoryFactory(name="Sản phẩm OCOP", slug="ocop")
    path = write_csv(
        tmp_path / "ds.csv",
        [
            [" TÊN ĐƠN VỊ ", "tên viết tắt", "Loai hinh", "Mã số thuế", "Tỉnh / TP", "Điện thoại", "Nhóm hàng"],
            [
                "Hợp tác xã Rau sạch",
                "Rau sạch",
                "Hợp tác xã",
                "0100109106",
                "Hải Phòng",
                "0912345678",
                "nong san; san pham ocop",
            ],
            ["Công ty Gia vị", "", "doanh nghiệp", "0300588569", "Hà Nội", "", ""],
            ["Hộ Bánh đa", "", "HỘ KINH DOANH", "031203012345", "Bắc Giang", "", "Nông sản"],
        ],
        delimiter=";",
    )

    out, error = run(path)

    assert error is None, out
    vendors = {v.tax_code: v for v in Vendor.objects.prefetch_related("categories")}
    assert {code: (v.kind, v.short_name) for code, v in vendors.items()} == {
        "0100109106": ("HTX", "Rau sạch"),
        "0300588569": ("DN", ""),
        "031203012345": ("HKD", ""),
    }
    assert sorted(c.name for c in vendors["0100109106"].categories.all()) == ["Nông sản", "Sản phẩm OCOP"]
    assert vendors["031203012345"].province.name == "Bắc Ninh"


def test_import_csv_without_bom_and_with_commas(db, tmp_path):
    path = write_csv(
        tmp_path / "ds.csv",
        [HEADER, ["Công ty A, chi nhánh Hải Phòng", "DN", "0100109106-001", "HP", "", ""]],
        bom=False,
    )

    _out, error = run(path)

    assert error is None
    vendor = Vendor.objects.get()
    assert (vendor.name, vendor.tax_code, vendor.province.name) == (
        "Công ty A, chi nhánh Hải Phòng",
        "0100109106-001",
        "Hải Phòng",
    )


def test_import_numeric_excel_cells_get_their_leading_zeros_back(db, tmp_path):
    path = write_xlsx(
        tmp_path / "ds.xlsx",
        [
            HEADER,
            ["Công ty Số", "DN", 100109106, "Hải Phòng", 912345678, ""],
            ["Hộ Số", "HKD", 31203012345, "Hải Phòng", 2253842123, ""],
            ["Công ty Số thực", "DN", 300588569.0, "Hải Phòng", 987654321.0, ""],
        ],
    )

    _out, error = run(path)

    assert error is None
    assert sorted(Vendor.objects.values_list("tax_code", "phone")) == [
        ("0100109106", "+84912345678"),
        ("0300588569", "+84987654321"),
        ("031203012345", "+842253842123"),
    ]


def test_import_bad_check_digit_is_reported_with_row_and_field(db, tmp_path):
    path = write_xlsx(
        tmp_path / "ds.xlsx",
        [
            HEADER,
            ["Công ty Tốt", "DN", "0100109106", "Hải Phòng", "", ""],
            ["Công ty Sai", "DN", "0100109107", "Hải Phòng", "", ""],
        ],
    )

    out, error = run(path)

    assert error is not None and error.returncode == 1
    assert str(error) == (
        "Nothing was written: 1 row has errors. Fix it, or run again with --skip-invalid to import the valid rows."
    )
    assert out == (
        "Row 3, column tax_code: Enter a valid 10-digit tax code (or a branch code such as 0100109106-001).\n"
    )
    assert Vendor.objects.count() == 0


def test_import_household_takes_a_personal_id_but_enterprise_does_not(db, tmp_path):
    path = write_csv(
        tmp_path / "ds.csv",
        [
            HEADER,
            ["Hộ Nguyễn Văn A", "HKD", "031203012345", "Hải Phòng", "", ""],
            ["Công ty B", "DN", "031203012346", "Hải Phòng", "", ""],
        ],
    )

    data, error = run_json(path, "--skip-invalid")

    assert error is None
    assert data == {
        "created": 1,
        "updated": 0,
        "errors": [
            {
                "row": 3,
                "field": "tax_code",
                "message": "Enter a valid 10-digit tax code (or a branch code such as 0100109106-001).",
            }
        ],
        "warnings": [],
    }
    assert list(Vendor.objects.values_list("name", flat=True)) == ["Hộ Nguyễn Văn A"]


def test_import_duplicate_tax_code_is_flagged_on_the_later_row(db, tmp_path):
    path = write_xlsx(
        tmp_path / "ds.xlsx",
        [
            HEADER,
            ["Công ty Một", "DN", "0100109106", "Hải Phòng", "", ""],
            ["Công ty Hai", "DN", "0300588569", "Hải Phòng", "", ""],
            ["Công ty Một (lặp)", "DN", "0100 109 106", "Hà Nội", "", ""],
        ],
    )

    data, error = run_json(path)

    assert error is not None and error.returncode == 1
    assert data["errors"] == [
        {"row": 4, "field": "tax_code", "message": "Tax code 0100109106 is repeated: it already appears on row 2."}
    ]


def test_import_all_or_nothing_writes_nothing_when_one_row_is_bad(db, tmp_path):
    path = write_xlsx(
        tmp_path / "ds.xlsx",
        [
            HEADER,
            ["Công ty Một", "DN", "0100109106", "Hải Phòng", "0912345678", ""],
            ["Công ty Hai", "DN", "0300588569", "Atlantis", "12345", "không-phải-email"],
            ["Công ty Ba", "DN", valid_tax_code(3), "Hà Nội", "", ""],
        ],
    )

    data, error = run_json(path)

    assert error is not None and error.returncode == 1
    assert data == {
        "created": 0,
        "updated": 0,
        "errors": [
            {"row": 3, "field": "province", "message": "Unknown province or city: “Atlantis”."},
            {
                "row": 3,
                "field": "phone",
                "message": "“12345” is not a Vietnamese phone number (mobile 09xx xxx xxx or landline 02xx xxxx xxx).",
            },
            {"row": 3, "field": "email", "message": "Enter a valid email address."},
        ],
        "warnings": [],
    }
    assert Vendor.objects.count() == 0


def test_import_blocked_import_exits_with_status_1_from_the_shell(tmp_path):
    # A header error stops the import before any query, so a real process needs no test database.
    path = write_csv(tmp_path / "ds.csv", [["name", "kind", "tax_code", "province", "Ghi chú"]])
    env = {**os.environ, "TUANHANG_VAR_DIR": str(tmp_path / "var"), "DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}"}

    done = subprocess.run(
        [sys.executable, "manage.py", "import_vendors", str(path), "--json"],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )

    assert done.returncode == 1
    assert [(e["row"], e["field"]) for e in json.loads(done.stdout)["errors"]] == [(1, "header")]


def test_import_skip_invalid_writes_the_valid_rows(db, tmp_path):
    path = write_xlsx(
        tmp_path / "ds.xlsx",
        [
            HEADER,
            ["Công ty Một", "DN", "0100109106", "Hải Phòng", "", ""],
            ["", "Công ty", "0300588569", "Hải Phòng", "", ""],
            ["Công ty Ba", "HTX", valid_tax_code(3), "Hà Nội", "", ""],
        ],
    )

    out, error = run(path, "--skip-invalid")

    assert error is None
    assert out.splitlines() == [
        "Row 3, column name: This field is required.",
        "Row 3, column kind: Unknown kind “Công ty”: write DN, HTX or HKD "
        "(or Doanh nghiệp, Hợp tác xã, Hộ kinh doanh).",
        "Created 2 and updated 0 participants.",
        "Skipped 1 row with errors.",
    ]
    assert sorted(Vendor.objects.values_list("name", flat=True)) == ["Công ty Ba", "Công ty Một"]


def test_import_skip_invalid_with_no_valid_row_exits_1(db, tmp_path):
    path = write_csv(tmp_path / "ds.csv", [HEADER, ["Công ty Sai", "DN", "0100109107", "Hải Phòng", "", ""]])

    _out, error = run(path, "--skip-invalid")

    assert error is not None and error.returncode == 1
    assert str(error) == "Nothing was written: no row of the file is valid."


def test_import_dry_run_writes_nothing_and_reports_what_it_would_do(db, tmp_path):
    VendorFactory(tax_code="0100109106", name="Tên cũ")
    path = write_xlsx(
        tmp_path / "ds.xlsx",
        [
            HEADER,
            ["Tên mới", "DN", "0100109106", "Hải Phòng", "", ""],
            ["Công ty Hai", "DN", "0300588569", "Hải Phòng", "", ""],
        ],
    )

    out, error = run(path, "--dry-run")
    data, _error = run_json(path, "--dry-run")

    assert error is None
    assert out == "Dry run, nothing was written: 1 participants would be created and 1 updated.\n"
    assert data == {"created": 1, "updated": 1, "errors": [], "warnings": []}
    assert list(Vendor.objects.values_list("name", flat=True)) == ["Tên cũ"]


def test_import_updates_an_existing_vendor_and_keeps_what_the_file_leaves_blank(db, tmp_path):
    keep = CategoryFactory(name="Nông sản", slug="nong-san")
    vendor = VendorFactory(
        tax_code="0100109106", name="Tên cũ", email="cu@example.vn", website="https://cu.vn", phone="+84912345678"
    )
    vendor.categories.add(keep)
    path = write_csv(
        tmp_path / "ds.csv",
        [HEADER + ["categories"], ["Tên mới", "DN", "0100109106", "Hà Nội", "0987 654 321", "", ""]],
    )

    data, error = run_json(path)

    assert error is None
    assert data == {"created": 0, "updated": 1, "errors": [], "warnings": []}
    assert Vendor.objects.count() == 1
    vendor.refresh_from_db()
    assert (vendor.name, vendor.province.name, vendor.phone, vendor.email, vendor.website) == (
        "Tên mới",
        "Hà Nội",
        "+84987654321",
        "cu@example.vn",
        "https://cu.vn",
    )
    assert list(vendor.categories.all()) == [keep]


def test_import_with_event_creates_approved_applications_with_booths(db, tmp_path):
    event = EventFactory(max_booths_per_participant=3)
    path = write_xlsx(
        tmp_path / "ds.xlsx",
        [
            HEADER + ["Số gian"],
            ["Công ty Một", "DN", "0100109106", "Hải Phòng", "", "", 2],
            ["Công ty Hai", "DN", "0300588569", "Hải Phòng", "", "", None],
        ],
    )

    out, error = run(path, "--event", event.slug)

    assert error is None
    assert f"Fair “{event}”: 2 new approved applications, 0 with a changed number of booths." in out
    got = sorted(Application.objects.filter(event=event).values_list("vendor__tax_code", "status", "booths_requested"))
    assert got == [("0100109106", A.APPROVED, 2), ("0300588569", A.APPROVED, 1)]
    assert ApplicationStatusChange.objects.filter(to_status=A.APPROVED).count() == 2


def test_import_with_event_updates_booths_of_an_existing_application_only_while_allowed(db, tmp_path):
    event = EventFactory(max_booths_per_participant=3)
    open_app = ApplicationFactory(event=event, vendor__tax_code="0100109106", status=A.SUBMITTED, booths_requested=1)
    withdrawn = ApplicationFactory(event=event, vendor__tax_code="0300588569", status=A.WITHDRAWN, booths_requested=1)
    held = ApplicationFactory(event=event, vendor__tax_code=valid_tax_code(5), status=A.APPROVED, booths_requested=2)
    for _ in range(2):
        AssignmentFactory(application=held, booth=BoothFactory(event=event), status=Assignment.Status.CONFIRMED)
    path = write_xlsx(
        tmp_path / "ds.xlsx",
        [
            HEADER + ["booths"],
            ["Công ty Một", "DN", "0100109106", "Hải Phòng", "", "", 3],
            ["Công ty Hai", "DN", "0300588569", "Hải Phòng", "", "", 2],
            ["Công ty Ba", "DN", valid_tax_code(5), "Hải Phòng", "", "", 1],
        ],
    )

    data, error = run_json(path, "--event", event.slug)

    assert error is None
    assert data == {"created": 0, "updated": 3, "errors": [], "warnings": []}
    got = {a.pk: (a.status, a.booths_requested) for a in Application.objects.all()}
    assert got == {open_app.pk: (A.SUBMITTED, 3), withdrawn.pk: (A.WITHDRAWN, 1), held.pk: (A.APPROVED, 2)}


def test_import_booths_over_the_fair_maximum_is_a_row_error(db, tmp_path):
    event = EventFactory(max_booths_per_participant=2)
    path = write_csv(
        tmp_path / "ds.csv",
        [
            HEADER + ["booths"],
            ["Công ty Một", "DN", "0100109106", "Hải Phòng", "", "", "3"],
            ["Công ty Hai", "DN", "0300588569", "Hải Phòng", "", "", "hai"],
        ],
    )

    data, error = run_json(path, "--event", event.slug)

    assert error is not None and error.returncode == 1
    assert data["errors"] == [
        {"row": 2, "field": "booths", "message": "Ask for between 1 and 2 booths."},
        {"row": 3, "field": "booths", "message": "“hai” is not a whole number of booths."},
    ]
    assert Application.objects.count() == 0 and Vendor.objects.count() == 0


def test_import_unknown_event_slug_is_a_command_error(db, tmp_path):
    path = write_csv(tmp_path / "ds.csv", [HEADER])

    _out, error = run(path, "--event", "khong-co")

    assert str(error) == "There is no fair with the slug “khong-co”."


def test_import_unknown_header_and_missing_required_column_are_reported(db, tmp_path):
    path = write_csv(
        tmp_path / "ds.csv", [["Tên đơn vị", "Loại hình", "Mã số thuế", "Ghi chú"], ["A", "DN", "0100109106", ""]]
    )

    data, error = run_json(path)

    assert error is not None and error.returncode == 1
    assert [(e["row"], e["field"]) for e in data["errors"]] == [(1, "header"), (1, "province")]
    assert data["errors"][0]["message"].startswith("Unknown column “Ghi chú”. Known columns: name [Tên đơn vị],")
    assert data["errors"][1]["message"] == "The required column “province [Tỉnh/TP]” is missing."
    assert Vendor.objects.count() == 0


def test_import_json_output_is_one_object_with_unescaped_vietnamese(db, tmp_path):
    path = write_csv(tmp_path / "ds.csv", [HEADER, ["Công ty", "DN", "0100109106", "Đà Lạt xa xôi", "", ""]])

    out, _error = run(path, "--json")

    assert out == (
        '{"created": 0, "updated": 0, "errors": [{"row": 2, "field": "province", '
        '"message": "Unknown province or city: “Đà Lạt xa xôi”."}], "warnings": []}\n'
    )


def test_import_rejects_other_file_types_and_non_utf8_csv(db, tmp_path):
    xls = tmp_path / "ds.xls"
    xls.write_bytes(b"not really")
    latin = tmp_path / "ds.csv"
    latin.write_bytes("name,kind\nCông ty,DN\n".encode("cp1258"))

    assert str(run(xls)[1]) == "Only .xlsx and .csv files can be imported; save the list in one of those formats."
    assert str(run(latin)[1]) == "The CSV file is not UTF-8 text; in Excel save it as “CSV UTF-8”."


def test_import_validation_loads_lookups_once_not_per_row(db, tmp_path):
    for n in range(3):
        CategoryFactory(name=f"Nhóm {n}", slug=f"nhom-{n}")

    def rows(count):
        return [HEADER + ["categories"]] + [
            [f"Công ty {n}", "DN", valid_tax_code(100 + n), "Hải Dương", "0912345678", "", "Nhóm 1; nhom 2"]
            for n in range(count)
        ]

    counts = []
    for count in (2, 20):
        table = read_table(write_xlsx(tmp_path / f"ds{count}.xlsx", rows(count)), "ds.xlsx")
        with CaptureQueriesContext(connection) as queries:
            plan = validate_table(table)
        assert len(plan.valid_rows) == count
        counts.append(len(queries))

    assert counts[0] == counts[1]


def test_import_crash_mid_way_writes_nothing(db, tmp_path):
    event = EventFactory()
    path = write_xlsx(
        tmp_path / "ds.xlsx",
        [
            HEADER,
            ["Công ty Một", "DN", "0100109106", "Hải Phòng", "", ""],
            ["Công ty Hai", "DN", "0300588569", "Huế", "", ""],
        ],
    )
    plan = validate_table(read_table(path, path.name), event=event)
    # Someone registers the second tax code after the check: its insert fails at the unique constraint.
    VendorFactory(tax_code="0300588569", name="Đăng ký song song")

    with pytest.raises(IntegrityError):
        run_import(plan)

    assert list(Vendor.objects.values_list("name", flat=True)) == ["Đăng ký song song"]
    assert Application.objects.count() == 0


def test_import_row_numbers_follow_the_sheet_past_blank_rows(db, tmp_path):
    workbook = Workbook()
    sheet = workbook.active
    for column, value in enumerate(HEADER, start=1):
        sheet.cell(row=2, column=column, value=value)
    sheet.cell(row=3, column=1, value="Công ty Một")  # row 3 lacks kind, tax code and province
    for column, value in enumerate(["Công ty Hai", "DN", "0100109107", "Hải Phòng"], start=1):
        sheet.cell(row=6, column=column, value=value)
    workbook.save(tmp_path / "ds.xlsx")

    data, _error = run_json(tmp_path / "ds.xlsx")

    assert [(e["row"], e["field"]) for e in data["errors"]] == [
        (3, "kind"),
        (3, "tax_code"),
        (3, "province"),
        (6, "tax_code"),
    ]
    assert data["errors"][0]["message"] == "This field is required."


def test_import_same_column_twice_is_a_header_error(db, tmp_path):
    path = write_csv(tmp_path / "ds.csv", [["name", "Tên đơn vị", "kind", "tax_code", "province"]])

    data, _error = run_json(path)

    assert data["errors"] == [{"row": 1, "field": "name", "message": "The column “Tên đơn vị” appears twice."}]


def test_import_empty_file_is_a_command_error(db, tmp_path):
    path = tmp_path / "ds.csv"
    path.write_bytes(b"\xef\xbb\xbf\n\n")

    _out, error = run(path)

    assert str(error) == "The file is empty: it needs a header row and one row per participant."


def test_import_header_only_imports_nothing_and_succeeds(db, tmp_path):
    path = write_xlsx(tmp_path / "ds.xlsx", [HEADER])

    data, error = run_json(path)

    assert error is None
    assert data == {"created": 0, "updated": 0, "errors": [], "warnings": []}


def test_import_a_real_list_starting_with_an_stt_column(db, tmp_path):
    path = write_xlsx(
        tmp_path / "ds.xlsx",
        [
            ["STT", *VI_HEADER],
            [1, "Công ty CP Bánh đậu xanh", "BĐX", "DN", "0100109106", "Hải Dương", "0912 345 678", ""],
            [2, "HTX Chè Huế", "", "HTX", "0300588569", "Huế", "", ""],
        ],
    )

    out, error = run(path)

    assert error is None, out
    assert "Created 2 and updated 0 participants." in out
    assert sorted(Vendor.objects.values_list("name", flat=True)) == ["Công ty CP Bánh đậu xanh", "HTX Chè Huế"]
