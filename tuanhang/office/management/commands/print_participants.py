from django.utils.translation import gettext_lazy

from events.generated.command import PrintCommand


class Command(PrintCommand):
    help = gettext_lazy(
        "Print the list of a fair's approved participants as PDF (A4 landscape), by booth, by name or by "
        "province (grouped, with counts)."
    )
    kind = "participants"
    options_map = {"order": "order"}

    def add_document_arguments(self, parser):
        parser.add_argument(
            "--order",
            choices=["booth", "name", "province"],
            default="booth",
            help=gettext_lazy("Order of the list (default: by booth)."),
        )
