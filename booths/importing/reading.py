"""Reading a booth list (.xlsx or .csv) into text rows keyed by the English column keys.

The file-level reading (workbook or UTF-8 CSV with or without BOM, "," or ";"), the header matching
and the cell-to-text rules are the kernel's (tuanhang.kernel.tabular); only the columns differ.
Metres and yes/no cells are parsed here too (parse_metres accepts a decimal comma).
"""

import re
from decimal import Decimal, InvalidOperation

from django.utils.translation import gettext_lazy

from tuanhang.kernel.tabular import Table, TableFormat, header_key
from tuanhang.kernel.vn import fold

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


def _key(text: str) -> str:
    # "width (m)", "Rộng (m)" and "rong" name the same column.
    return header_key(re.sub(r"\(\s*m\s*\)\s*$", "", text, flags=re.IGNORECASE))


BOOTH_LIST = TableFormat(
    columns=COLUMNS,
    required=REQUIRED,
    max_rows=MAX_ROWS,
    empty_message=gettext_lazy("The file is empty: it needs a header row and one row per booth."),
    too_many_message=gettext_lazy("The file has more than %(max)s booths; split it into smaller files."),
    header_key=_key,
)


def column_label(key: str) -> str:
    return BOOTH_LIST.label(key)


def read_table(source, filename: str) -> Table:
    """Read an .xlsx or .csv booth list (a path or an open binary file) into a Table.

    The first non-empty row is the header (row 1 of the spreadsheet); blank rows are skipped.
    Raises ImportFileError when the file as a whole cannot be read.
    """
    return BOOTH_LIST.read(source, filename)


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
    try:
        return value.quantize(CENT)
    except InvalidOperation as exc:  # too many digits to round, such as 1e309
        raise ValueError(text) from exc


def parse_yes_no(text: str) -> bool:
    """yes/no, 1/0, x/blank, có/không (any case, accents optional). Raises ValueError otherwise."""
    folded = fold(text).strip()
    if folded in YES:
        return True
    if folded in NO:
        return False
    raise ValueError(text)
