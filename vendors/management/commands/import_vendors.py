import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import IntegrityError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from events.models import Event
from vendors.importing import ImportFileError, read_table, run_import, validate_table


class Command(BaseCommand):
    help = gettext_lazy(
        "Import participants from an .xlsx or .csv file with a header row (English keys or Vietnamese headers: "
        "name [Tên đơn vị], short_name [Tên viết tắt], kind [Loại hình], tax_code [Mã số thuế], province [Tỉnh/TP], "
        "address [Địa chỉ], representative [Người đại diện], contact_name [Người liên hệ], phone [Điện thoại], "
        "email [Email], categories [Nhóm hàng], booths [Số gian]). Participants with a tax code already registered "
        "are updated; blank cells keep what is stored. All or nothing: if any row is invalid nothing is written. "
        "Exit status 1 when invalid rows blocked the import (also with --dry-run) or when --skip-invalid found no "
        "valid row to write; 0 otherwise, including --skip-invalid runs that wrote the valid rows."
    )

    def add_arguments(self, parser):
        parser.description = str(self.help)
        parser.add_argument("file", help=_("The .xlsx or .csv file (UTF-8, with or without BOM; “,” or “;”)."))
        parser.add_argument(
            "--event",
            metavar="SLUG",
            help=_(
                "Also give each participant an approved application to this fair (booths from “booths”, default 1)."
            ),
        )
        parser.add_argument("--dry-run", action="store_true", help=_("Check everything and report, write nothing."))
        parser.add_argument(
            "--skip-invalid", action="store_true", help=_("Write the valid rows, skip the invalid ones.")
        )
        parser.add_argument("--json", action="store_true", help=_("Print one JSON object: created, updated, errors."))

    def handle(self, *args, file, event=None, dry_run=False, skip_invalid=False, **options):
        fair = None
        if event:
            fair = Event.objects.filter(slug=event).first()
            if fair is None:
                raise CommandError(_("There is no fair with the slug “%(slug)s”.") % {"slug": event})
        path = Path(file)
        if not path.is_file():
            raise CommandError(_("File not found: %(path)s") % {"path": file})
        try:
            table = read_table(path, path.name)
        except ImportFileError as exc:
            raise CommandError(str(exc)) from exc
        plan = validate_table(table, event=fair)
        try:
            outcome = run_import(plan, skip_invalid=skip_invalid, dry_run=dry_run)
        except IntegrityError as exc:
            raise CommandError(
                _("Someone changed the same participants during the import, so nothing was written. Run it again.")
            ) from exc
        if options["json"]:
            self.stdout.write(json.dumps(outcome.as_json(), ensure_ascii=False))
        else:
            self._report(outcome, fair, dry_run)
        if outcome.failed:
            raise CommandError(self._failure(outcome, skip_invalid), returncode=1)

    def _report(self, outcome, fair, dry_run):
        for error in outcome.errors:
            self.stdout.write(
                _("Row %(row)s, column %(field)s: %(message)s")
                % {"row": error.row, "field": error.field, "message": error.message}
            )
        if outcome.failed:
            return
        counts = {"created": outcome.created, "updated": outcome.updated}
        if dry_run:
            line = _("Dry run, nothing was written: %(created)s participants would be created and %(updated)s updated.")
        else:
            line = _("Created %(created)s and updated %(updated)s participants.")
        self.stdout.write(self.style.SUCCESS(line % counts))
        if fair is not None:
            self.stdout.write(
                _(
                    "Fair “%(fair)s”: %(created)s new approved applications, "
                    "%(updated)s with a changed number of booths."
                )
                % {"fair": fair, "created": outcome.applications_created, "updated": outcome.applications_updated}
            )
        if outcome.skipped:
            self.stdout.write(
                self.style.WARNING(
                    ngettext(
                        "Skipped %(count)s row with errors.", "Skipped %(count)s rows with errors.", outcome.skipped
                    )
                    % {"count": outcome.skipped}
                )
            )

    def _failure(self, outcome, skip_invalid):
        if skip_invalid:
            return _("Nothing was written: no row of the file is valid.")
        count = len({error.row for error in outcome.errors})
        return ngettext(
            "Nothing was written: %(count)s row has errors. Fix it, or run again with --skip-invalid to import "
            "the valid rows.",
            "Nothing was written: %(count)s rows have errors. Fix them, or run again with --skip-invalid to import "
            "the valid rows.",
            count,
        ) % {"count": count}
