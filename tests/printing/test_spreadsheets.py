"""tuanhang.kernel.spreadsheets: formula-like cells neutralised, .xlsx formatted, .csv with a BOM."""

import csv
import datetime as dt
import io

import openpyxl
import pytest

from tuanhang.kernel.spreadsheets import DATE, INT, MONEY, Column, Table, neutralise, to_csv, to_xlsx

HOSTILE = ['=HYPERLINK("http://evil.example","Bấm")', "+84 912", "-1+2", "@SUM(A1)", "\t=1", "\r=1"]


def _table(rows):
    return Table(
        title="Đơn vị tham gia: danh sách/2026",
        columns=[
            Column("Tên đơn vị", 40),
            Column("Số gian", 8, INT),
            Column("Phí", 14, MONEY),
            Column("Ngày", 12, DATE),
        ],
        rows=rows,
    )


@pytest.mark.parametrize("text", HOSTILE)
def test_neutralise_text_that_a_spreadsheet_reads_as_a_formula(text):
    assert neutralise(text) == "'" + text


@pytest.mark.parametrize("value", ["Đông Hải", "Công ty = lớn", "", 5, -3, 1.5, None, dt.date(2026, 3, 5)])
def test_neutralise_leaves_other_values_alone(value):
    assert neutralise(value) == value


def test_xlsx_header_frozen_row_widths_formats_and_no_formula():
    rows = [[name, 2, 1_500_000, dt.date(2026, 3, 5)] for name in HOSTILE] + [["Đông", None, 0, None]]
    sheet = openpyxl.load_workbook(io.BytesIO(to_xlsx(_table(rows)))).active
    assert sheet.title == "Đơn vị tham gia danh sách 2026"
    assert sheet.freeze_panes == "A2"
    assert sheet.auto_filter.ref == f"A1:D{len(rows) + 1}"
    assert [c.value for c in sheet[1]] == ["Tên đơn vị", "Số gian", "Phí", "Ngày"]
    assert all(c.font.b for c in sheet[1])
    assert sheet["A1"].fill.fgColor.rgb.endswith("1F4E79")
    assert sheet.column_dimensions["A"].width == 40
    assert sheet.column_dimensions["C"].width == 14
    for row, text in enumerate(HOSTILE, start=2):
        cell = sheet.cell(row=row, column=1)
        # XML stores a carriage return as a line feed; what matters is the apostrophe in front.
        assert (cell.value, cell.data_type) == ("'" + text.replace("\r", "\n"), "s")
    assert sheet["C2"].value == 1_500_000 and sheet["C2"].number_format == "#,##0"
    assert sheet["D2"].value == dt.datetime(2026, 3, 5) and sheet["D2"].number_format == "dd/mm/yyyy"
    assert sheet.cell(row=len(rows) + 1, column=1).value == "Đông"


def test_csv_is_utf8_with_bom_and_neutralised():
    rows = [[name, 2, 1_500_000, dt.date(2026, 3, 5)] for name in HOSTILE] + [["Đông Hải", None, 0, None]]
    content = to_csv(_table(rows))
    assert content.startswith(b"\xef\xbb\xbf")
    parsed = list(csv.reader(io.StringIO(content.decode("utf-8-sig"))))
    assert parsed[0] == ["Tên đơn vị", "Số gian", "Phí", "Ngày"]
    assert [r[0] for r in parsed[1:-1]] == ["'" + text for text in HOSTILE]
    assert parsed[1][1:] == ["2", "1500000", "05/03/2026"]
    assert parsed[-1] == ["Đông Hải", "", "0", ""]
