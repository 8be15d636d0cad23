"""Admin import of booth lists: choose the fair, upload, preview every row checked, then confirm.

The page's steps are the kernel's (tuanhang.kernel.tabular.admin) and the same as the staff
floor-plan import (booths.views.floorplan.import_booths): the file is read once and kept by
tuanhang.kernel.tabular.pending; confirming checks the rows again under lock and writes through
booths.services.floorplan.booths_import, all or nothing.
"""

from django import forms
from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from events.models import Event
from events.policy import fairs_for
from tuanhang.kernel.tabular import pending as pending_import
from tuanhang.kernel.tabular.admin import ImportAdminMixin

from .forms.floorplan import ImportUploadForm
from .importing import COLUMNS, validate_table
from .services.floorplan import booths_import

SESSION_KEY = "booths_admin_import"


class AdminImportUploadForm(ImportUploadForm):
    event = forms.ModelChoiceField(queryset=Event.objects.order_by("-opens_at"), label=gettext_lazy("Fair"))

    field_order = ["event", "file"]


class BoothImportMixin(ImportAdminMixin):
    """Mixed into BoothAdmin: an "import" page beside the booth list."""

    change_list_template = "admin/booths/booth/change_list.html"
    import_template = "admin/booths/booth/import.html"
    import_title = gettext_lazy("Import booths")
    import_columns = COLUMNS
    import_session_key = SESSION_KEY
    upload_form_class = AdminImportUploadForm

    def import_pending_extra(self, form) -> dict:
        return {"event": form.cleaned_data["event"].pk}

    def import_fairs(self, request):
        """The fairs whose booths the user may import: those where it manages the fair."""
        return fairs_for(request.user, "fair.manage").order_by("-opens_at")

    def upload_form(self, request, *args):
        # The fair is chosen among the user's own: another organiser's fair posted here is a
        # field error and nothing is kept.
        form = super().upload_form(request, *args)
        form.fields["event"].queryset = self.import_fairs(request)
        return form

    def import_preview(self, request, waiting):
        event = self._event(request, waiting)
        if event is None:
            return redirect(request.path)
        plan = validate_table(pending_import.load_table(waiting), event=event)
        return self.render_import(request, {"plan": plan, "waiting": waiting, "event": event})

    def _event(self, request, waiting):
        event = self.import_fairs(request).filter(pk=waiting["event"]).first()
        if event is None:
            self.forget_import(request)
            messages.error(request, _("The fair chosen for this import no longer exists; upload the file again."))
        return event

    def import_confirm(self, request, waiting):
        if waiting is None or request.POST.get("token") != waiting["token"]:
            return self.stale_preview(request)
        event = self._event(request, waiting)
        if event is None:
            return redirect(request.path)
        outcome = booths_import(event=event, table=pending_import.load_table(waiting), by=request.user)
        if outcome.failed:
            messages.error(request, outcome.refusal())
            return self.render_import(request, {"plan": outcome.plan, "waiting": waiting, "event": event})
        self.forget_import(request)
        messages.success(
            request,
            _(
                "Imported the booth list into “%(fair)s”: %(created)s booths created, %(updated)s updated, "
                "%(unchanged)s unchanged."
            )
            % {"fair": event, "created": outcome.created, "updated": outcome.updated, "unchanged": outcome.unchanged},
        )
        return redirect(f"{self.changelist_url()}?event__id__exact={event.pk}")
