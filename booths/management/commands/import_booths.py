import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from booths.importing import ImportFileError, read_table
from booths.services.floorplan import booths_import
from events.models import Event


class Command(BaseCommand):
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
        parser.add_argument("file", help=_("The .xlsx or .csv file (UTF-8, with or without BOM; “,” or “;”)."))
        parser.add_argument("--dry-run", action="store_true", help=_("Check everything and report, write nothing."))
        parser.add_argument("--json", action="store_true", help=_("Print one JSON object: created, updated, errors."))

    def handle(self, *args, event, file, dry_run=False, **options):
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
        outcome = booths_import(event=fair, table=table, dry_run=dry_run)
        if options["json"]:
            self.stdout.write(json.dumps(outcome.as_json(), ensure_ascii=False))
        else:
            self._report(outcome, fair, dry_run)
        if outcome.failed:
            count = len({error.row for error in outcome.errors})
            raise CommandError(
                ngettext(
                    "Nothing was written: %(count)s row has errors.",
                    "Nothing was written: %(count)s rows have errors.",
                    count,
                )
                % {"count": count},
                returncode=1,
            )

    def _report(self, outcome, fair, dry_run):
        for error in outcome.errors:
            self.stdout.write(
                _("Row %(row)s, column %(field)s: %(message)s")
                % {"row": error.row, "field": error.field, "message": error.message}
            )
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
