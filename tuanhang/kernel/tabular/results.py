"""What checking a table produces: a result per row, the plan of them all, and the outcome of
writing it. Each importer subclasses these with what its rows mean."""

from dataclasses import dataclass, field

from .reading import RowError


@dataclass
class RowResult:
    """One row of the file checked: its text values and what is wrong with it."""

    row: int
    values: dict
    errors: list = field(default_factory=list)

    @property
    def is_valid(self) -> bool:
        return not self.errors

    def error(self, key: str, message: str) -> None:
        self.errors.append(RowError(self.row, key, message))


@dataclass
class ImportPlan:
    """Every row checked, plus the file's own (header) errors; writes nothing."""

    rows: list
    file_errors: list = field(default_factory=list)

    @property
    def errors(self) -> list:
        return self.file_errors + [error for row in self.rows for error in row.errors]

    @property
    def valid_rows(self) -> list:
        return [row for row in self.rows if row.is_valid]

    @property
    def invalid_count(self) -> int:
        return sum(1 for row in self.rows if row.errors)

    def count(self, action: str) -> int:
        return sum(1 for row in self.rows if row.action == action)

    def rows_to_write(self, *, skip_invalid: bool = False) -> list:
        """All or nothing: every row when all are valid, or the valid ones when skip_invalid says
        to leave the others; none when the file itself is wrong."""
        if self.file_errors or (self.errors and not skip_invalid):
            return []
        return self.valid_rows


@dataclass
class ImportOutcome:
    """What an import wrote (or, in a dry run, would write) and the errors that stopped it."""

    created: int
    updated: int
    errors: list
    written: bool = False

    @property
    def failed(self) -> bool:
        return bool(self.errors)

    @property
    def error_row_count(self) -> int:
        """How many rows (the header counted as one) have errors."""
        return len({error.row for error in self.errors})

    def as_json(self) -> dict:
        return {"created": self.created, "updated": self.updated, "errors": [e.as_dict() for e in self.errors]}
