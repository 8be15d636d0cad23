"""What the import commands share: the file argument, --dry-run and --json, reading the file, the
report of errors field by field, and exit status 1 when the import failed."""

import json
from pathlib import Path

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from ..commands import BaseCommand
from .reading import ImportFileError


class ImportCommand(BaseCommand):
    def add_file_argument(self, parser) -> None:
        parser.add_argument("file", help=_("The .xlsx or .csv file (UTF-8, with or without BOM; “,” or “;”)."))

    def add_dry_run_argument(self, parser) -> None:
        parser.add_argument("--dry-run", action="store_true", help=_("Check everything and report, write nothing."))

    def add_json_argument(self, parser) -> None:
        parser.add_argument("--json", action="store_true", help=_("Print one JSON object: created, updated, errors."))

    def read_file(self, file: str, table_format):
        """The file read by `table_format` into a Table; CommandError when it is missing or unreadable."""
        path = Path(file)
        if not path.is_file():
            raise CommandError(_("File not found: %(path)s") % {"path": file})
        try:
            return table_format.read(path, path.name)
        except ImportFileError as exc:
            raise CommandError(str(exc)) from exc

    def finish(self, outcome, *, as_json: bool, report, failure) -> None:
        """Print the outcome as one JSON object or through report(); exit status 1 with failure()'s
        text when the outcome failed."""
        if as_json:
            self.stdout.write(json.dumps(outcome.as_json(), ensure_ascii=False))
        else:
            report()
        if outcome.failed:
            raise CommandError(failure(), returncode=1)

    def write_errors(self, errors) -> None:
        for error in errors:
            self.stdout.write(
                _("Row %(row)s, column %(field)s: %(message)s")
                % {"row": error.row, "field": error.field, "message": error.message}
            )
