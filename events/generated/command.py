"""The shape of the print commands (print_booth_map, print_participants, print_booth_signs…):
a fair's slug or id, --out FILE, and the document's options; the document is built here and
now (no worker, no stored copy) through the same builder as the printing page.

--user USERNAME runs the command for that account: it refuses unless the account may download
the fair's data ("export", events/policy.py), as the printing page would. Without it the command
is the server operator's, who may print anything."""

import time
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tuanhang.kernel.commands import BaseCommand
from tuanhang.kernel.params import is_id, parse_id
from tuanhang.kernel.pdf import NO_PROGRESS

from ..models import Event
from ..policy import REFUSALS, capabilities_at
from .header import fair_for_print
from .registry import get_builder


class PrintCommand(BaseCommand):
    kind = ""  # the registered document
    options_map: dict[str, str] = {}  # command-line option (dest) → the document's option
    capability = "export"  # what --user must be allowed at the fair

    def add_arguments(self, parser):
        parser.add_argument("event", help=gettext_lazy("The fair's slug (or its id)."))
        parser.add_argument("--out", required=True, help=gettext_lazy("Where to write the PDF."))
        parser.add_argument(
            "--user",
            metavar="USERNAME",
            help=gettext_lazy("Run for this account: refused unless its role may download the fair's data."),
        )
        self.add_document_arguments(parser)

    def add_document_arguments(self, parser):
        pass

    def handle(self, *args, **options):
        event = _event(options["event"])
        if options.get("user") is not None:
            self.check_user(options["user"], event, asked=options["event"])
        builder = get_builder(self.kind)
        raw = {name: options[dest] for dest, name in self.options_map.items() if options.get(dest) is not None}
        try:
            cleaned = builder.clean(raw, event=event)
        except ValidationError as exc:
            raise CommandError(" ".join(exc.messages)) from exc
        started = time.perf_counter()
        content = builder.render(event, builder.collect(event, cleaned), cleaned, NO_PROGRESS)
        out = Path(options["out"])
        try:
            out.write_bytes(content)
        except OSError as exc:
            raise CommandError(_("Cannot write %(file)s: %(error)s") % {"file": out, "error": exc}) from exc
        if options["verbosity"] >= 1:
            self.stdout.write(
                _("%(document)s written to %(file)s (%(size)s kB in %(seconds).1f s).")
                % {
                    "document": builder.label,
                    "file": out,
                    "size": round(len(content) / 1024),
                    "seconds": time.perf_counter() - started,
                }
            )

    def check_user(self, username, event, *, asked):
        """CommandError unless the account exists, is active and may do `capability` at the fair.
        Another organiser's fair gets the same answer as a fair that does not exist."""
        user = get_user_model().objects.filter(**{get_user_model().USERNAME_FIELD: username}).first()
        if user is None or not user.is_active:
            raise CommandError(_("No active account “%(user)s”.") % {"user": username})
        allowed = capabilities_at(user, event)
        if not allowed:
            raise CommandError(_("No fair with the slug or id “%(value)s”.") % {"value": asked})
        if self.capability not in allowed:
            raise CommandError(
                _("“%(user)s” may not print this: %(reason)s") % {"user": username, "reason": REFUSALS[self.capability]}
            )


def _event(value) -> Event:
    from django.http import Http404

    try:
        return fair_for_print(slug=value)
    except Http404:
        pass
    if is_id(value):  # ASCII digits only: "²".isdigit() is true and int() refuses it, "٣" would be fair 3
        try:
            return fair_for_print(pk=parse_id(value))
        except Http404:
            pass
    raise CommandError(_("No fair with the slug or id “%(value)s”.") % {"value": value})
