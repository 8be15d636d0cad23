"""Reading a table (.xlsx or .csv) into text rows keyed by column keys.

A TableFormat names the columns (an English key and the Vietnamese headers accepted for it), the
required ones and the row limit. Headers are matched ignoring case, accents and spacing; cells
become NFC text. Hard limits on what reading a file may cost are checked before and while reading.
"""

import csv
import datetime as dt
import io
import re
import unicodedata
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from ..vn import fold

# Rows of the sheet (blank ones included) and the size of the workbook once unpacked.
MAX_SHEET_ROWS = 30_000
MAX_UNPACKED_BYTES = 64 * 2**20


class ImportFileError(Exception):
    """The file as a whole cannot be read: wrong type, damaged, not UTF-8, empty or too long."""


@dataclass(frozen=True)
class RowError:
    row: int
    field: str
    message: str

    def as_dict(self) -> dict:
        return {"row": self.row, "field": self.field, "message": str(self.message)}


@dataclass
class Table:
    """A file read into text: `rows` are (spreadsheet row number, {key: text}); header problems in `errors`."""

    columns: list
    rows: list
    errors: list = field(default_factory=list)

    def to_json(self) -> dict:
        return {"columns": self.columns, "rows": self.rows, "errors": [e.as_dict() for e in self.errors]}

    @classmethod
    def from_json(cls, data: dict) -> "Table":
        return cls(
            columns=list(data["columns"]),
            rows=[(int(n), dict(values)) for n, values in data["rows"]],
            errors=[RowError(**e) for e in data["errors"]],
        )


# --- cells and headers -----------------------------------------------------------------------------


def cell_text(value) -> str:
    """A cell as text: numbers without a spurious ".0", dates as dd/mm/yyyy, text in NFC without edge spaces."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime | dt.date):
        return value.strftime("%d/%m/%Y")
    return unicodedata.normalize("NFC", str(value)).strip()


def cell_texts(raw: dict) -> dict:
    """Every cell of a row as text."""
    return {key: cell_text(value) for key, value in raw.items()}


def header_key(text: str) -> str:
    """A header reduced to lower-case ASCII letters and digits: "Tỉnh / TP" and "tinh/tp" match, so do
    "short name" and "short_name"."""
    return re.sub(r"[^a-z0-9]+", "", fold(text))


# --- files -------------------------------------------------------------------------------------------


def read_rows(source, filename: str) -> list:
    """(row number, cells) of an .xlsx or .csv file (a path or an open binary file), by its name's suffix."""
    suffix = Path(filename).suffix.lower()
    if suffix == ".xlsx":
        return xlsx_rows(source)
    if suffix == ".csv":
        return csv_rows(source)
    raise ImportFileError(_("Only .xlsx and .csv files can be imported; save the list in one of those formats."))


def xlsx_rows(source) -> list:
    refuse_zip_bomb(source)
    try:
        workbook = load_workbook(source, read_only=True, data_only=True)
    except (InvalidFileException, zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise ImportFileError(_("The file is not a readable Excel (.xlsx) workbook.")) from exc
    try:
        sheet = workbook.worksheets[0]
        # Some tools write wrong sheet dimensions; without this read-only mode would cut rows off.
        sheet.reset_dimensions()
        rows = []
        for number, cells in enumerate(sheet.iter_rows(values_only=True), start=1):
            if number > MAX_SHEET_ROWS:  # stop reading, whatever the rows hold
                raise ImportFileError(_too_many_sheet_rows())
            rows.append((number, list(cells)))
        return rows
    finally:
        workbook.close()


def refuse_zip_bomb(source) -> None:
    """An .xlsx is a ZIP of XML: refuse one that would unpack to far more than any real list
    (a few kilobytes that inflate to gigabytes would otherwise tie up the server)."""
    try:
        with zipfile.ZipFile(source) as archive:
            unpacked = sum(member.file_size for member in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as exc:
        raise ImportFileError(_("The file is not a readable Excel (.xlsx) workbook.")) from exc
    finally:
        if hasattr(source, "seek"):
            source.seek(0)
    if unpacked > MAX_UNPACKED_BYTES:
        raise ImportFileError(
            _("The workbook unpacks to more than %(size)s MB, far more than a participant or booth list needs.")
            % {"size": MAX_UNPACKED_BYTES // 2**20}
        )


def _too_many_sheet_rows() -> str:
    return _("The file has more than %(max)s rows, blank ones included; split it into smaller files.") % {
        "max": f"{MAX_SHEET_ROWS:,}".replace(",", ".")
    }


def csv_rows(source) -> list:
    data = source.read() if hasattr(source, "read") else Path(source).read_bytes()
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ImportFileError(_("The CSV file is not UTF-8 text; in Excel save it as “CSV UTF-8”.")) from exc
    first_line = text.split("\n", 1)[0]
    try:
        delimiter = csv.Sniffer().sniff(first_line, delimiters=",;").delimiter
    except csv.Error:
        delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    rows = []
    for number, cells in enumerate(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter), start=1):
        if number > MAX_SHEET_ROWS:
            raise ImportFileError(_too_many_sheet_rows())
        rows.append((number, cells))
    return rows


# Headers of a row-number column: real lists start with one ("STT | Tên đơn vị | …"); it carries
# nothing to import, so it is read past instead of refusing the file as an unknown column.
ROW_NUMBER_HEADERS = ("STT", "TT", "Số TT", "Số thứ tự", "Thứ tự", "No.", "Nr.")


# --- a format -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class TableFormat:
    """The columns of one kind of list and how its file is read into a Table.

    `columns` are (key, (Vietnamese header, …)) pairs, the first header being the one shown;
    `ignored` are headers of columns read past (row numbers, unless a column of the format has that name);
    `empty_message` and `too_many_message` (with %(max)s) say what the list is of; `header_key`
    reduces a header for matching; `row_values` turns a row's raw cells ({key: cell}) into text.
    """

    columns: tuple
    required: tuple
    max_rows: int
    empty_message: str
    too_many_message: str
    header_key: Callable[[str], str] = header_key
    row_values: Callable[[dict], dict] = cell_texts
    ignored: tuple = ROW_NUMBER_HEADERS

    @property
    def keys(self) -> tuple:
        return tuple(key for key, _headers in self.columns)

    @cached_property
    def headers(self) -> dict:
        return {self.header_key(name): key for key, headers in self.columns for name in (key, *headers)}

    @cached_property
    def ignored_keys(self) -> frozenset:
        return frozenset(self.header_key(name) for name in self.ignored) - set(self.headers)

    def label(self, key: str) -> str:
        """ "key [first header]", or the key alone when it has no Vietnamese header."""
        headers = dict(self.columns)[key]
        return f"{key} [{headers[0]}]" if headers else key

    def read(self, source, filename: str) -> Table:
        """Read an .xlsx or .csv file (a path or an open binary file) into a Table.

        The first non-empty row is the header; blank rows are skipped. Raises ImportFileError.
        """
        raw_rows = [(n, cells) for n, cells in read_rows(source, filename) if any(cell_text(c) for c in cells)]
        if not raw_rows:
            raise ImportFileError(str(self.empty_message))
        if len(raw_rows) - 1 > self.max_rows:
            raise ImportFileError(self.too_many_message % {"max": self.max_rows})
        header_row, header = raw_rows[0]
        columns, errors = self.map_header(header_row, header)
        table = Table(columns=[key for key in columns if key], rows=[], errors=errors)
        if errors:
            return table
        for number, cells in raw_rows[1:]:
            raw = {key: cells[i] for i, key in enumerate(columns) if key and i < len(cells)}
            table.rows.append((number, self.row_values(raw)))
        return table

    def map_header(self, row: int, header) -> tuple[list, list]:
        """The key of each header cell (None for a blank, unknown or repeated one) and the header's errors."""
        columns, errors = [], []
        for cell in header:
            text = cell_text(cell)
            key = self.headers.get(self.header_key(text)) if text else None
            if text and key is None and self.header_key(text) in self.ignored_keys:
                pass  # a row-number column: read past
            elif text and key is None:
                known = ", ".join(self.label(k) for k in self.keys)
                errors.append(
                    RowError(
                        row,
                        "header",
                        _("Unknown column “%(name)s”. Known columns: %(known)s.") % {"name": text, "known": known},
                    )
                )
            elif key is not None and key in columns:
                errors.append(RowError(row, key, _("The column “%(name)s” appears twice.") % {"name": text}))
                key = None
            columns.append(key)
        for key in self.required:
            if key not in columns:
                errors.append(
                    RowError(row, key, _("The required column “%(name)s” is missing.") % {"name": self.label(key)})
                )
        return columns, errors
