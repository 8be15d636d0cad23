from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VendorsConfig(AppConfig):
    name = "vendors"
    verbose_name = _("Participants")

    def ready(self):
        from tuanhang.public_cache import connect_signals

        from . import exports, printing  # noqa: F401  (registers the prints and exports)

        connect_signals()  # public pages' cache: versions bumped when what they show changes
