from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.utils.translation import gettext_lazy as _

from tuanhang.kernel.collation import register_on_sqlite


class EventsConfig(AppConfig):
    name = "events"
    verbose_name = _("Fairs")

    def ready(self):
        connection_created.connect(register_on_sqlite, dispatch_uid="tuanhang-vi-collation")
