"""Reading a booth list (.xlsx or .csv) into text rows keyed by the English column keys.

The file-level reading (workbook or UTF-8 CSV with or without BOM, "," or ";") and the cell-to-text
rules are the participant importer's (vendors.importing.reading); only the columns differ. Metres and
yes/no cells are parsed here too (parse_metres accepts a decimal comma).
"""

import re
from decimal import Decimal, InvalidOperation
from pathlib import Path

from django.utils.translation import gettext as _

from tuanhang.kernel.vn import fold

# The generic readers of the participant import: one place decides how a workbook or CSV is read.
from vendors.importing.reading import ImportFileError, RowError, Table
from vendors.importing.reading import _csv_rows as csv_rows
from vendors.importing.reading import _header_key as header_key
from vendors.importing.reading import _text as cell_text
from vendors.importing.reading import _xlsx_rows as xlsx_rows

from ..floorplan import CENT

# (English key, Vietnamese headers accepted for it). The first Vietnamese header is the one shown.
COLUMNS = (
    ("code", ("Mã gian", "Gian số")),
    ("zone", ("Khu", "Mã khu")),
    ("type", ("Loại gian", "Mã loại gian")),
    ("x", ()),
    ("y", ()),
    ("width", ("Rộng", "Chiều rộng")),
    ("depth", ("Sâu", "Chiều sâu")),
    ("blocked", ("Khóa", "Chặn")),
    ("reason", ("Lý do", "Lý do khóa")),
    ("row", ("Dãy",)),
)
KEYS = tuple(key for key, _headers in COLUMNS)
REQUIRED = ("code", "zone", "type", "x", "y")
MAX_ROWS = 5_000

__all__ = [
    "COLUMNS",
    "KEYS",
    "REQUIRED",
    "ImportFileError",
    "RowError",
    "Table",
    "parse_metres",
    "parse_yes_no",
    "read_table",
]


def _key(text: str) -> str:
    # "width (m)", "Rộng (m)" and "rong" name the same column.
    return header_key(re.sub(r"\(\s*m\s*\)\s*$", "", text, flags=re.IGNORECASE))


_HEADERS = {_key(name): key for key, headers in COLUMNS for name in (key, *headers)}


def column_label(key: str) -> str:
    headers = dict(COLUMNS)[key]
    return f"{key} [{headers[0]}]" if headers else key


def read_table(source, filename: str) -> Table:
    """Read an .xlsx or .csv booth list (a path or an open binary file) into a Table.

    The first non-empty row is the header (row 1 of the spreadsheet); blank rows are skipped.
    Raises ImportFileError when the file as a whole cannot be read.
    """
    suffix = Path(filename).suffix.lower()
    if suffix == ".xlsx":
        raw_rows = xlsx_rows(source)
    elif suffix == ".csv":
        raw_rows = csv_rows(source)
    else:
        raise ImportFileError(_("Only .xlsx and .csv files can be imported; save the list in one of those formats."))
    raw_rows = [(n, cells) for n, cells in raw_rows if any(cell_text(c) for c in cells)]
    if not raw_rows:
        raise ImportFileError(_("The file is empty: it needs a header row and one row per booth."))
    if len(raw_rows) - 1 > MAX_ROWS:
        raise ImportFileError(
            _("The file has more than %(max)s booths; split it into smaller files.") % {"max": MAX_ROWS}
        )
    header_row, header = raw_rows[0]
    columns, errors = _map_header(header_row, header)
    table = Table(columns=[key for key in columns if key], rows=[], errors=errors)
    if not errors:
        for number, cells in raw_rows[1:]:
            values = {key: cell_text(cells[i]) for i, key in enumerate(columns) if key and i < len(cells)}
            table.rows.append((number, values))
    return table


def _map_header(row: int, header) -> tuple[list, list]:
    columns, errors = [], []
    for cell in header:
        text = cell_text(cell)
        key = _HEADERS.get(_key(text)) if text else None
        if text and key is None:
            known = ", ".join(column_label(k) for k in KEYS)
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
            errors.append(
                RowError(row, key, _("The required column “%(name)s” is missing.") % {"name": column_label(key)})
            )
    return columns, errors


# --- cells ------------------------------------------------------------------------------------------

YES = {"yes", "y", "1", "x", "co", "true", "blocked"}
NO = {"no", "n", "0", "khong", "false", ""}


def parse_metres(text: str) -> Decimal:
    """A length written "3", "3.5", "3,5", "3,50 m" or "1.234,5" as Decimal metres (two places).

    Raises ValueError when it is not a finite number.
    """
    text = text.replace("\u00a0", "").replace(" ", "").lower().removesuffix("m")
    if "," in text and "." in text:
        # The separator written last is the decimal one: "1.234,5" or "1,234.5".
        thousands = "." if text.rfind(",") > text.rfind(".") else ","
        text = text.replace(thousands, "")
    text = text.replace(",", ".")
    try:
        value = Decimal(text)
    except InvalidOperation as exc:
        raise ValueError(text) from exc
    if not value.is_finite():
        raise ValueError(text)
    return value.quantize(CENT)


def parse_yes_no(text: str) -> bool:
    """yes/no, 1/0, x/blank, có/không (any case, accents optional). Raises ValueError otherwise."""
    folded = fold(text).strip()
    if folded in YES:
        return True
    if folded in NO:
        return False
    raise ValueError(text)
