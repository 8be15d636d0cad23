from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def assignment_fair(assignment):
    """The fair of an assignment without a query when its booth or application is at hand."""
    if type(assignment).booth.field.is_cached(assignment):
        return assignment.booth.event_id
    if type(assignment).application.field.is_cached(assignment):
        return assignment.application.event_id
    return None


class BoothsConfig(AppConfig):
    name = "booths"
    verbose_name = _("Booths")

    def ready(self):
        from tuanhang.kernel.page_cache import bump_on_change, event_id_of
        from vendors.hooks import booth_types_held, booths_held
        from vendors.signals import application_status_changed

        from . import exports, printing  # noqa: F401  (registers the prints and exports)
        from .models import Assignment, Booth, HallFeature
        from .selectors.floorplan import held_booth_counts, held_booth_types
        from .services.core import release_booths_on_status_change

        application_status_changed.connect(release_booths_on_status_change, dispatch_uid="booths-release")
        booths_held.provide(held_booth_counts)
        booth_types_held.provide(held_booth_types)

        # The public pages' cache: what they show of this app moves its version.
        bump_on_change(Booth, HallFeature, fair_of=event_id_of)
        bump_on_change(Assignment, fair_of=assignment_fair)
