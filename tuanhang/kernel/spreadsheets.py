"""Spreadsheets for organisers: one table written as .xlsx (formatted header, frozen first row,
column widths, autofilter) or .csv (UTF-8 with a BOM, so Excel shows Vietnamese correctly).

Every text cell goes through neutralise() on the way out, whatever the format: a business named
"=HYPERLINK(…)" or "@SUM(…)" stays text and never becomes a formula on the organiser's machine.

    table = Table(title=_("Participants"), columns=[Column(_("Name"), 40), Column(_("Booths"), 8, INT)],
                  rows=[["Công ty TNHH A", 2], …])
    to_xlsx(table) -> bytes;  tables_to_xlsx([table, …]) -> bytes (a sheet each);
    to_csv(table) -> bytes;  table_response(table, "xlsx", "danh-sach") -> HttpResponse
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.http import HttpResponse
from django.utils import timezone
from django.utils.http import content_disposition_header
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

TEXT, INT, NUMBER, MONEY, DATE, DATETIME = "text", "int", "number", "money", "date", "datetime"
FORMATS = ("xlsx", "csv")
CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}
# What makes a spreadsheet program read a cell as a formula (OWASP "CSV injection"): = + - @, and
# the tab / carriage return some programs skip before looking.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
NUMBER_FORMATS = {INT: "0", NUMBER: "General", MONEY: "#,##0", DATE: "dd/mm/yyyy", DATETIME: "dd/mm/yyyy hh:mm"}
HEADER_FILL = PatternFill("solid", start_color="1F4E79")
HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_BORDER = Border(bottom=Side(style="thin", color="000000"))
SHEET_TITLE_MAX = 31  # Excel's limit
SHEET_TITLE_FORBIDDEN = str.maketrans(dict.fromkeys("[]:*?/\\", " "))


@dataclass(frozen=True)
class Column:
    header: str
    width: float = 15  # in characters, as Excel counts them
    kind: str = TEXT


@dataclass(frozen=True)
class Table:
    title: str
    columns: Sequence[Column]
    rows: Iterable[Sequence]


def neutralise(value):
    """A cell's value made safe for a spreadsheet: text that a spreadsheet program would read as a
    formula gets a leading apostrophe; anything else is returned as it is. The one place that
    decides this, for every export."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _plain(value):
    """Datetimes in the fair's time zone and without tzinfo (neither format keeps one)."""
    if isinstance(value, dt.datetime) and timezone.is_aware(value):
        return timezone.localtime(value).replace(tzinfo=None)
    return value


def to_xlsx(table: Table) -> bytes:
    """The table as an .xlsx workbook of one sheet: bold white-on-blue header, first row frozen,
    an autofilter over the columns, the columns' widths and number formats (money grouped,
    dates dd/mm/yyyy). Written in openpyxl's write-only mode, so memory stays flat."""
    return tables_to_xlsx([table])


def tables_to_xlsx(tables: Sequence[Table]) -> bytes:
    """Several tables as one workbook, a sheet each (named by the table's title), each sheet
    formatted as to_xlsx() does (a report's totals by day, by province, by category…)."""
    workbook = Workbook(write_only=True)
    for table in tables:
        _write_sheet(workbook, table)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _write_sheet(workbook, table: Table) -> None:
    sheet = workbook.create_sheet(_sheet_title(table.title))
    sheet.freeze_panes = "A2"
    for index, column in enumerate(table.columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = column.width
    header = []
    for column in table.columns:
        cell = WriteOnlyCell(sheet, value=neutralise(str(column.header)))
        cell.font, cell.fill, cell.border = HEADER_FONT, HEADER_FILL, HEADER_BORDER
        cell.alignment = Alignment(vertical="center", wrap_text=True)
        header.append(cell)
    sheet.append(header)
    formats = [NUMBER_FORMATS.get(column.kind) for column in table.columns]
    count = 0
    for row in table.rows:
        count += 1
        cells = []
        for value, number_format in zip(row, formats, strict=True):
            value = neutralise(_plain(value))
            if number_format and value is not None and not isinstance(value, str):
                cell = WriteOnlyCell(sheet, value=value)
                cell.number_format = number_format
                cells.append(cell)
            else:
                cells.append(value)
        sheet.append(cells)
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(table.columns))}{count + 1}"


def to_csv(table: Table) -> bytes:
    """The table as CSV: UTF-8 with a byte-order mark (Excel then reads Vietnamese correctly),
    comma-separated, dates dd/mm/yyyy, numbers without grouping."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([neutralise(str(column.header)) for column in table.columns])
    for row in table.rows:
        writer.writerow([_csv_value(neutralise(_plain(value))) for value in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _csv_value(value):
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        return value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, dt.date):
        return value.strftime("%d/%m/%Y")
    return value


def _sheet_title(title: str) -> str:
    text = " ".join(str(title).translate(SHEET_TITLE_FORBIDDEN).split())
    return text[:SHEET_TITLE_MAX].strip() or "Sheet1"


def table_bytes(table: Table, fmt: str) -> bytes:
    if fmt not in FORMATS:
        raise ValueError(f"unknown spreadsheet format: {fmt!r}")
    return to_xlsx(table) if fmt == "xlsx" else to_csv(table)


def table_response(table: Table, fmt: str, filename: str) -> HttpResponse:
    """A download of the table as `filename`.xlsx or .csv (`filename` without its extension)."""
    response = HttpResponse(table_bytes(table, fmt), content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = _attachment(f"{filename}.{fmt}")
    return response


def _attachment(filename: str) -> str:
    """Content-Disposition for a file name that may hold Vietnamese letters (RFC 6266: an ASCII
    fallback and the UTF-8 name)."""
    return content_disposition_header(as_attachment=True, filename=filename)


def export_actions(table_for, filename: str, *, takes_request: bool = False) -> list:
    """Two admin actions that download the selected rows as .xlsx and as .csv:
    `table_for(queryset) -> Table` (`table_for(queryset, request)` with `takes_request`: what it
    shows depends on who asks, and it may record who did), `filename` without extension (today's
    date is added)."""
    from django.contrib import admin
    from django.utils.translation import gettext_lazy as _

    def make(fmt, description):
        def action(modeladmin, request, queryset):
            table = table_for(queryset, request) if takes_request else table_for(queryset)
            return table_response(table, fmt, f"{filename}-{timezone.localdate():%Y%m%d}")

        action.__name__ = f"export_{fmt}"
        return admin.action(description=description, permissions=["view"])(action)

    return [
        make("xlsx", _("Export the selected rows to Excel (.xlsx)")),
        make("csv", _("Export the selected rows to CSV (.csv)")),
    ]
