"""Reading a participant list (.xlsx or .csv) into text rows keyed by the English column keys.

Header names are matched by English key or Vietnamese header, ignoring case, accents and spacing;
cells become NFC text, and numbers Excel stored get back the leading zeros it dropped.
"""

import csv
import datetime as dt
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils.exceptions import InvalidFileException

from tuanhang.kernel.vn import fold

# (English key, Vietnamese header). The headers are the file format organisers already use.
COLUMNS = (
    ("name", "Tên đơn vị"),
    ("short_name", "Tên viết tắt"),
    ("kind", "Loại hình"),
    ("tax_code", "Mã số thuế"),
    ("province", "Tỉnh/TP"),
    ("address", "Địa chỉ"),
    ("representative", "Người đại diện"),
    ("contact_name", "Người liên hệ"),
    ("phone", "Điện thoại"),
    ("email", "Email"),
    ("categories", "Nhóm hàng"),
    ("booths", "Số gian"),
)
KEYS = tuple(key for key, _header in COLUMNS)
REQUIRED = ("name", "kind", "tax_code", "province")
KINDS = {
    "dn": "DN",
    "doanh nghiep": "DN",
    "htx": "HTX",
    "hop tac xa": "HTX",
    "hkd": "HKD",
    "ho kinh doanh": "HKD",
}
MAX_ROWS = 10_000
# Hard limits on what reading a file may cost, checked before and while reading: rows of the sheet
# (blank ones included) and the size of the workbook once unpacked.
MAX_SHEET_ROWS = 3 * MAX_ROWS
MAX_UNPACKED_BYTES = 64 * 2**20


def parse_kind(text: str) -> str | None:
    """The Vendor.Kind value of a kind written as "DN", "htx", "Hộ kinh doanh", "DOANH NGHIEP"…, or None."""
    return KINDS.get(fold(text))


def _header_key(text: str) -> str:
    """A header reduced to lower-case ASCII letters and digits: "Tỉnh / TP" and "tinh/tp" match, so do
    "short name" and "short_name"."""
    return re.sub(r"[^a-z0-9]+", "", fold(text))


_HEADERS = {_header_key(name): key for key, header in COLUMNS for name in (key, header)}


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


# --- reading ------------------------------------------------------------------------------------


def read_table(source, filename: str) -> Table:
    """Read an .xlsx or .csv file (a path or an open binary file) into a Table.

    The first non-empty row is the header; blank rows are skipped. Raises ImportFileError.
    """
    suffix = Path(filename).suffix.lower()
    if suffix == ".xlsx":
        raw_rows = _xlsx_rows(source)
    elif suffix == ".csv":
        raw_rows = _csv_rows(source)
    else:
        raise ImportFileError(_("Only .xlsx and .csv files can be imported; save the list in one of those formats."))
    return _table(raw_rows)


def _xlsx_rows(source):
    _refuse_zip_bomb(source)
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


def _refuse_zip_bomb(source):
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


def _too_many_sheet_rows():
    return _("The file has more than %(max)s rows, blank ones included; split it into smaller files.") % {
        "max": f"{MAX_SHEET_ROWS:,}".replace(",", ".")
    }


def _too_many_rows():
    return _("The file has more than %(max)s rows; split it into smaller files.") % {"max": MAX_ROWS}


def _csv_rows(source):
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


def _table(raw_rows) -> Table:
    raw_rows = [(n, cells) for n, cells in raw_rows if any(_text(c) for c in cells)]
    if not raw_rows:
        raise ImportFileError(_("The file is empty: it needs a header row and one row per participant."))
    if len(raw_rows) - 1 > MAX_ROWS:
        raise ImportFileError(_too_many_rows())
    header_row, header = raw_rows[0]
    columns, errors = _map_header(header_row, header)
    table = Table(columns=[key for key in columns if key], rows=[], errors=errors)
    if errors:
        return table
    for number, cells in raw_rows[1:]:
        raw = {key: cells[i] for i, key in enumerate(columns) if key and i < len(cells)}
        table.rows.append((number, _row_texts(raw)))
    return table


def _map_header(row: int, header) -> tuple[list, list]:
    columns, errors = [], []
    for cell in header:
        text = _text(cell)
        key = _HEADERS.get(_header_key(text)) if text else None
        if text and key is None:
            known = ", ".join(f"{k} [{h}]" for k, h in COLUMNS)
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
    for key in REQUIRED:
        if key not in columns:
            header_name = dict(COLUMNS)[key]
            errors.append(
                RowError(row, key, _("The required column “%(name)s” is missing.") % {"name": f"{key} [{header_name}]"})
            )
    return columns, errors


def _text(value) -> str:
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


_PHONE_SEPARATORS = re.compile(r"[\s.\-()/]")


def _is_number(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _row_texts(raw: dict) -> dict:
    """Text values of one row, giving back the leading zeros Excel drops from numeric cells."""
    values = {key: _text(value) for key, value in raw.items()}
    tax_code = values.get("tax_code", "")
    if tax_code.isdigit():
        if len(tax_code) == 9:  # a 10-digit code whose leading 0 Excel dropped; the check digit still decides
            values["tax_code"] = "0" + tax_code
        elif len(tax_code) == 11 and _is_number(raw["tax_code"]) and parse_kind(values.get("kind", "")) == "HKD":
            values["tax_code"] = "0" + tax_code  # a personal ID has 12 digits; only a number cell loses the 0
    # Compact the phone the way parse_phone does first: "+84 0225 3842 123" must not trip the
    # 16-character limit the form field inherits from the model before clean_phone sees it.
    if "phone" in values:
        phone = values["phone"] = _PHONE_SEPARATORS.sub("", values["phone"])
        if phone.isdigit() and (len(phone) == 9 or (len(phone) == 10 and phone.startswith("2"))):
            values["phone"] = "0" + phone  # mobile 0 + 9 digits, landline 02x + 8 digits
    return values
