"""manage.py import_bank_statement FILE --organiser ORG [--account NUMBER] [--profile P] [--dry-run] [--json]

Exit status: 0 imported (or checked, with --dry-run); 1 the file is missing, unreadable, in no known
layout or has rows that cannot be read (nothing is written then); 2 unknown organiser, account or
layout; 3 another import of the same account stored the same lines at the same moment (run it again:
the lines it stored are then duplicates)."""

import json
from pathlib import Path

from django.core.management.base import CommandError
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from events.models import Event, Organiser, OrganiserBankAccount
from tuanhang.kernel.commands import BaseCommand
from tuanhang.kernel.tabular import ImportFileError
from vendors.selectors.statements import profile_named, read_for
from vendors.services.statements import ImportRaced, statement_import


class Command(BaseCommand):
    help = gettext_lazy(
        "Import a bank statement (.xlsx or .csv) of an organiser's receiving account and match its lines to "
        "applications by the payment code in the memo. Importing the same lines again changes nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help=_("The statement export, .xlsx or .csv."))
        parser.add_argument(
            "--organiser",
            required=True,
            help=_("The organiser: its id, short name or name, or the slug of one of its fairs."),
        )
        parser.add_argument(
            "--account", help=_("The receiving account number (needed when the organiser has several).")
        )
        parser.add_argument("--profile", help=_("The layout: vcb, tcb, mb, bidv, acb, ctg or a saved layout's name."))
        parser.add_argument("--dry-run", action="store_true", help=_("Match and report, write nothing."))
        parser.add_argument(
            "--json", action="store_true", help=_("Print one JSON object: counts and each line's state.")
        )

    def handle(self, *args, file, organiser, account, profile, dry_run, json: bool, **options):
        org = self.organiser(organiser)
        receiving = self.account(org, account)
        chosen = None
        if profile:
            chosen = profile_named(org.pk, profile)
            if chosen is None:
                raise CommandError(_("Unknown layout: %(name)s") % {"name": profile}, returncode=2)
        path = Path(file)
        if not path.is_file():
            raise CommandError(_("File not found: %(path)s") % {"path": file}, returncode=1)
        try:
            with path.open("rb") as source:
                statement = read_for(org.pk, source, path.name, chosen)
        except ImportFileError as exc:
            raise CommandError(str(exc), returncode=1) from exc
        if statement.errors:
            for row, message in statement.errors:
                self.stderr.write(_("Row %(row)s: %(message)s") % {"row": row, "message": message})
            raise CommandError(_("Nothing was imported: some rows cannot be read."), returncode=1)
        try:
            result = statement_import(
                account=receiving, statement=statement, file_name=path.name, by=None, dry_run=dry_run, source="command"
            )
        except ImportRaced as exc:
            raise CommandError(str(exc), returncode=3) from exc
        if json:
            self.stdout.write(_dumps({"layout": statement.profile.code, **result.as_json()}))
            return
        for state, count in result.counts.items():
            if count:
                self.stdout.write(f"{state}: {count}")

    def organiser(self, given: str) -> Organiser:
        found = Organiser.objects.filter(Q(short_name=given) | Q(name=given))
        if given.isdigit():
            found = Organiser.objects.filter(pk=int(given))
        candidates = list(found[:2]) or list(Organiser.objects.filter(events__in=Event.objects.filter(slug=given))[:1])
        if len(candidates) != 1:
            raise CommandError(_("Unknown organiser: %(name)s") % {"name": given}, returncode=2)
        return candidates[0]

    def account(self, organiser: Organiser, number: str | None) -> OrganiserBankAccount:
        accounts = OrganiserBankAccount.objects.filter(organiser=organiser)
        if number:
            accounts = accounts.filter(account_number=number)
        found = list(accounts[:2])
        if len(found) != 1:
            raise CommandError(
                _("Name the receiving account with --account: the organiser has %(count)s matching accounts.")
                % {"count": accounts.count()},
                returncode=2,
            )
        return found[0]


def _dumps(data) -> str:
    return json.dumps(data, ensure_ascii=False)
