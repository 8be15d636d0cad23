"""The shape of the print commands (print_booth_map, print_participants, print_booth_signs…):
a fair's slug or id, --out FILE, and the document's options; the document is built here and
now (no worker, no stored copy) through the same builder as the printing page."""

import time
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.management.base import CommandError
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tuanhang.kernel.commands import BaseCommand
from tuanhang.kernel.pdf import NO_PROGRESS

from ..models import Event
from .header import fair_for_print
from .registry import get_builder


class PrintCommand(BaseCommand):
    kind = ""  # the registered document
    options_map: dict[str, str] = {}  # command-line option (dest) → the document's option

    def add_arguments(self, parser):
        parser.add_argument("event", help=gettext_lazy("The fair's slug (or its id)."))
        parser.add_argument("--out", required=True, help=gettext_lazy("Where to write the PDF."))
        self.add_document_arguments(parser)

    def add_document_arguments(self, parser):
        pass

    def handle(self, *args, **options):
        event = _event(options["event"])
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


def _event(value) -> Event:
    from django.http import Http404

    try:
        return fair_for_print(slug=value)
    except Http404:
        pass
    if str(value).isdigit():
        try:
            return fair_for_print(pk=int(value))
        except Http404:
            pass
    raise CommandError(_("No fair with the slug or id “%(value)s”.") % {"value": value})
