"""The table-import core: reading .xlsx/.csv into text rows (reading), the row, plan and outcome
structures with the all-or-nothing rule (results), the table waiting between preview and write
(pending), and what upload forms (forms), admin import pages (admin) and import commands
(commands) share. Importers keep only their columns and their checks.

admin, commands and pending are imported by name (they need Django's admin, management and session
machinery); the rest is here.
"""

from .forms import MAX_UPLOAD_BYTES, TableUploadForm
from .reading import (
    MAX_SHEET_ROWS,
    MAX_UNPACKED_BYTES,
    ImportFileError,
    RowError,
    Table,
    TableFormat,
    cell_text,
    cell_texts,
    csv_rows,
    header_key,
    read_rows,
    xlsx_rows,
)
from .results import ImportOutcome, ImportPlan, RowResult

__all__ = [
    "MAX_SHEET_ROWS",
    "MAX_UNPACKED_BYTES",
    "MAX_UPLOAD_BYTES",
    "ImportFileError",
    "ImportOutcome",
    "ImportPlan",
    "RowError",
    "RowResult",
    "Table",
    "TableFormat",
    "TableUploadForm",
    "cell_text",
    "cell_texts",
    "csv_rows",
    "header_key",
    "read_rows",
    "xlsx_rows",
]
