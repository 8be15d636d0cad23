from django.utils.translation import gettext_lazy

from events.generated.command import PrintCommand


class Command(PrintCommand):
    help = gettext_lazy(
        "Print a sign for every assigned booth as PDF: booth code, business name, province, OCOP stars and "
        "a QR code to the business's page."
    )
    kind = "booth_signs"
    options_map = {"layout": "layout"}

    def add_document_arguments(self, parser):
        parser.add_argument(
            "--layout",
            choices=["a4", "a5x2"],
            default="a4",
            help=gettext_lazy("One sign per A4 sheet (default) or two A5 signs per A4 sheet."),
        )
