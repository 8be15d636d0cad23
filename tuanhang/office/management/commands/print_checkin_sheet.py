from django.utils.translation import gettext_lazy

from events.generated.command import PrintCommand


class Command(PrintCommand):
    help = gettext_lazy(
        "Print the check-in sheet for a fair's setup day as PDF: booth, business, contact, phone, signature."
    )
    kind = "checkin"
