from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "tuanhang.office.reports"
    # The label stays "reports": migrations, tables, content types and admin URLs keep their names.
    label = "reports"
    verbose_name = _("Reports")

    def ready(self):
        from . import documents  # noqa: F401  (registers the closing report with events.generated)
