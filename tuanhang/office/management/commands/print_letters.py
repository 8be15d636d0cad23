from django.utils.translation import gettext_lazy

from events.generated.command import PrintCommand


class Command(PrintCommand):
    help = gettext_lazy(
        "Print confirmation letters as PDF: one per approved participant of the fair, or only the one of --application."
    )
    kind = "letters"
    options_map = {"application": "application"}

    def add_document_arguments(self, parser):
        parser.add_argument("--application", type=int, help=gettext_lazy("Only this application's letter (its id)."))
