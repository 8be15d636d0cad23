from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RemindersConfig(AppConfig):
    name = "tuanhang.office.reminders"
    # The label stays "reminders": migrations, tables, content types and admin URLs keep their names.
    label = "reminders"
    verbose_name = _("Reminders")

    def ready(self):
        from vendors.hooks import otp_zalo_send
        from vendors.signals import vendor_erased

        from . import periodic  # noqa: F401  (registers the periodic sweep task with Celery)
        from .otp import otp_send_by_zalo
        from .services import recipients_forget

        vendor_erased.connect(recipients_forget, dispatch_uid="reminders-forget-recipients")
        otp_zalo_send.provide(otp_send_by_zalo)
