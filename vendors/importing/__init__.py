"""Import of existing participant lists (.xlsx or .csv), shared by the import_vendors command and
the admin: read_table() → validate_table() → run_import(), which writes through
vendors.services.vendors_import in one transaction."""

from tuanhang.kernel.tabular import ImportFileError, RowError, Table

from .checking import (
    ImportOutcome,
    ImportPlan,
    ImportVendorForm,
    RowResult,
    import_with_mappings,
    run_import,
    validate_table,
)
from .reading import COLUMNS, KEYS, PARTICIPANT_LIST, REQUIRED, read_table

__all__ = [
    "COLUMNS",
    "KEYS",
    "PARTICIPANT_LIST",
    "REQUIRED",
    "ImportFileError",
    "ImportOutcome",
    "ImportPlan",
    "ImportVendorForm",
    "RowError",
    "RowResult",
    "Table",
    "import_with_mappings",
    "read_table",
    "run_import",
    "validate_table",
]
