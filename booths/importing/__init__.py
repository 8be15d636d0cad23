"""Import of a fair's booth list (.xlsx or .csv), shared by the import_booths command, the staff
floor-plan page and the admin: read_table() → validate_table() (a preview, writes nothing) →
booths.services.floorplan.booths_import (checks again under lock, then writes all or nothing)."""

from tuanhang.kernel.tabular import ImportFileError, RowError, Table

from .checking import BoothRow, ImportOutcome, ImportPlan, validate_table
from .reading import BOOTH_LIST, COLUMNS, KEYS, REQUIRED, column_label, parse_metres, parse_yes_no, read_table

__all__ = [
    "BOOTH_LIST",
    "COLUMNS",
    "KEYS",
    "REQUIRED",
    "BoothRow",
    "ImportFileError",
    "ImportOutcome",
    "ImportPlan",
    "RowError",
    "Table",
    "column_label",
    "parse_metres",
    "parse_yes_no",
    "read_table",
    "validate_table",
]
