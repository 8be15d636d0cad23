from django.apps import AppConfig
from django.db.backends.signals import connection_created
from django.utils.translation import gettext_lazy as _

from tuanhang.kernel.collation import register_on_sqlite


class EventsConfig(AppConfig):
    name = "events"
    verbose_name = _("Fairs")

    def ready(self):
        from tuanhang.kernel.page_cache import bump_on_change, bump_on_m2m_change, event_id_of

        from .models import (
            BoothType,
            Category,
            DocumentType,
            Event,
            FairDocumentRule,
            Organiser,
            ProgrammeItem,
            Province,
            Zone,
        )

        connection_created.connect(register_on_sqlite, dispatch_uid="tuanhang-vi-collation")
        # The public pages' cache: what they show of this app moves its version.
        bump_on_change(Event, Organiser, Category, DocumentType, Province)
        bump_on_change(BoothType, Zone, ProgrammeItem, FairDocumentRule, fair_of=event_id_of)
        bump_on_m2m_change(Event.categories.through)
        bump_on_m2m_change(Event.required_documents.through)
        bump_on_m2m_change(Zone.categories.through, fair_of=event_id_of)
