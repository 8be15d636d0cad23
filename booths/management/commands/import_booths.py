from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from booths.importing import BOOTH_LIST
from booths.services.floorplan import booths_import
from events.models import Event
from tuanhang.kernel.tabular.commands import ImportCommand


class Command(ImportCommand):
    help = gettext_lazy(
        "Import a fair's booths from an .xlsx or .csv file with a header row: code [Mã gian], zone [Khu], "
        "type [Loại gian], x, y, width [Rộng], depth [Sâu], and optionally blocked [Khóa], reason [Lý do] "
        "and row [Dãy]. Positions and "
        "sizes are in metres from the hall plan's top-left corner (“3,5” and “3.5” both work); a blank width "
        "or depth is the booth type's; blocked is yes/no (1/0, x, có/không). Zones and booth types are "
        "given by their codes. A code the fair already has updates that booth, unless a participant holds "
        "it. All or nothing: if any row is invalid nothing is written and the exit status is 1."
    )

    def add_arguments(self, parser):
        parser.description = str(self.help)
        parser.add_argument("event", metavar="EVENT", help=_("The fair's slug."))
        self.add_file_argument(parser)
        self.add_dry_run_argument(parser)
        self.add_json_argument(parser)

    def handle(self, *args, event, file, dry_run=False, **options):
        fair = Event.objects.filter(slug=event).first()
        if fair is None:
            raise CommandError(_("There is no fair with the slug “%(slug)s”.") % {"slug": event})
        table = self.read_file(file, BOOTH_LIST)
        outcome = booths_import(event=fair, table=table, dry_run=dry_run)
        self.finish(
            outcome,
            as_json=options["json"],
            report=lambda: self._report(outcome, fair, dry_run),
            failure=lambda: self._failure(outcome),
        )

    def _failure(self, outcome):
        count = outcome.error_row_count
        return ngettext(
            "Nothing was written: %(count)s row has errors.", "Nothing was written: %(count)s rows have errors.", count
        ) % {"count": count}

    def _report(self, outcome, fair, dry_run):
        self.write_errors(outcome.errors)
        if outcome.failed:
            return
        counts = {"created": outcome.created, "updated": outcome.updated, "unchanged": outcome.unchanged, "fair": fair}
        if dry_run:
            line = _(
                "Dry run, nothing was written: %(created)s booths would be created, %(updated)s updated and "
                "%(unchanged)s left as they are at “%(fair)s”."
            )
        else:
            line = _(
                "Created %(created)s booths, updated %(updated)s and left %(unchanged)s as they are at “%(fair)s”."
            )
        self.stdout.write(self.style.SUCCESS(line % counts))
