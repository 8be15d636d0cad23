from django.utils.translation import gettext_lazy

from events.generated.command import PrintCommand


class Command(PrintCommand):
    help = gettext_lazy(
        "Print a fair's booth map as PDF: to scale, coloured by zone or category, with a legend, a title "
        "block and the index of businesses; large halls over several sheets."
    )
    kind = "booth_map"
    options_map = {"paper": "paper", "colour": "colour"}

    def add_document_arguments(self, parser):
        parser.add_argument(
            "--paper",
            choices=["A3", "A4", "A1"],
            default="A3",
            help=gettext_lazy("Paper size, landscape (default A3)."),
        )
        parser.add_argument(
            "--colour",
            choices=["zone", "category"],
            default="zone",
            help=gettext_lazy("Colour booths by zone (default) or by product category."),
        )
