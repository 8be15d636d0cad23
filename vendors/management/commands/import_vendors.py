from django.core.management.base import CommandError
from django.db import IntegrityError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from events.models import Event
from tuanhang.kernel.tabular.commands import ImportCommand
from vendors.importing import PARTICIPANT_LIST, run_import, validate_table


class Command(ImportCommand):
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
        self.add_file_argument(parser)
        parser.add_argument(
            "--event",
            metavar="SLUG",
            help=_(
                "Also give each participant an approved application to this fair (booths from “booths”, default 1)."
            ),
        )
        self.add_dry_run_argument(parser)
        parser.add_argument(
            "--skip-invalid", action="store_true", help=_("Write the valid rows, skip the invalid ones.")
        )
        self.add_json_argument(parser)

    def handle(self, *args, file, event=None, dry_run=False, skip_invalid=False, **options):
        fair = None
        if event:
            fair = Event.objects.filter(slug=event).first()
            if fair is None:
                raise CommandError(_("There is no fair with the slug “%(slug)s”.") % {"slug": event})
        table = self.read_file(file, PARTICIPANT_LIST)
        plan = validate_table(table, event=fair)
        try:
            outcome = run_import(plan, skip_invalid=skip_invalid, dry_run=dry_run)
        except IntegrityError as exc:
            raise CommandError(
                _("Someone changed the same participants during the import, so nothing was written. Run it again.")
            ) from exc
        self.finish(
            outcome,
            as_json=options["json"],
            report=lambda: self._report(outcome, fair, dry_run),
            failure=lambda: self._failure(outcome, skip_invalid),
        )

    def _report(self, outcome, fair, dry_run):
        self.write_errors(outcome.errors)
        for warning in outcome.warnings:
            rows = ", ".join(str(row) for row in warning["rows"])
            self.stdout.write(
                self.style.WARNING(
                    _("No category matches “%(word)s” (rows %(rows)s): imported without it.")
                    % {"word": warning["word"], "rows": rows}
                )
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
        count = outcome.error_row_count
        return ngettext(
            "Nothing was written: %(count)s row has errors. Fix it, or run again with --skip-invalid to import "
            "the valid rows.",
            "Nothing was written: %(count)s rows have errors. Fix them, or run again with --skip-invalid to import "
            "the valid rows.",
            count,
        ) % {"count": count}
