from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OfficeConfig(AppConfig):
    name = "tuanhang.office"
    label = "office"
    verbose_name = _("Staff office")

    def ready(self):
        # The admin's autocomplete widgets drop posted values their field cannot hold (a 500 otherwise).
        from tuanhang.kernel import admin_widgets

        admin_widgets.install()
        # Registers the participants' prints and exports with events.generated.
        from .printing import exports, participants  # noqa: F401
