from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VendorsConfig(AppConfig):
    name = "vendors"
    verbose_name = _("Participants")

    def ready(self):
        from tuanhang.kernel.page_cache import bump_on_change, bump_on_m2m_change, event_id_of

        from .models import Application, Product, Vendor

        # The public pages' cache: what they show of this app moves its version.
        bump_on_change(Vendor, Product)
        bump_on_change(Application, fair_of=event_id_of)
        bump_on_m2m_change(Application.categories.through, fair_of=event_id_of)
        bump_on_m2m_change(Application.products.through, fair_of=event_id_of)
        bump_on_m2m_change(Vendor.categories.through)
