"""Admin import of booth lists: choose the fair, upload, preview every row checked, then confirm.

The same steps as the staff floor-plan import (booths.views.floorplan.import_booths): the file is read
once and kept by booths.importing.pending; confirming checks the rows again under lock and writes
through booths.services.floorplan.booths_import, all or nothing.
"""

from pathlib import Path

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from events.models import Event

from .forms.floorplan import ImportUploadForm
from .importing import COLUMNS, validate_table
from .importing import pending as pending_import
from .services.floorplan import booths_import

SESSION_KEY = "booths_admin_import"


class AdminImportUploadForm(ImportUploadForm):
    event = forms.ModelChoiceField(queryset=Event.objects.order_by("-opens_at"), label=gettext_lazy("Fair"))

    field_order = ["event", "file"]


class BoothImportMixin:
    """Mixed into BoothAdmin: an "import" page beside the booth list."""

    change_list_template = "admin/booths/booth/change_list.html"
    import_template = "admin/booths/booth/import.html"

    def get_urls(self):
        name = f"{self.opts.app_label}_{self.opts.model_name}_import"
        # Before the model admin's own URLs, whose "<object_id>/" would otherwise catch "import/".
        return [path("import/", self.admin_site.admin_view(self.import_view), name=name), *super().get_urls()]

    def has_import_permission(self, request) -> bool:
        """An import creates and updates booths, so it takes both permissions."""
        return self.has_add_permission(request) and self.has_change_permission(request)

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "has_import_permission": self.has_import_permission(request)}
        return super().changelist_view(request, extra_context=extra_context)

    def import_view(self, request):
        if not self.has_import_permission(request):
            raise PermissionDenied
        waiting = pending_import.pending(request, SESSION_KEY)
        if request.method == "POST":
            action = request.POST.get("action")
            if action == "cancel":
                pending_import.forget(request, SESSION_KEY)
                return redirect(request.path)
            if action == "confirm":
                return self._confirm(request, waiting)
            form = AdminImportUploadForm(request.POST, request.FILES)
            if not form.is_valid():
                return self._render(request, {"upload_form": form})
            pending_import.remember(
                request,
                SESSION_KEY,
                table=form.table,
                filename=Path(form.cleaned_data["file"].name).name,
                event_pk=form.cleaned_data["event"].pk,
            )
            return redirect(request.path)
        if waiting is None:
            return self._render(request, {"upload_form": AdminImportUploadForm()})
        event = self._event(request, waiting)
        if event is None:
            return redirect(request.path)
        plan = validate_table(pending_import.load_table(waiting), event=event)
        return self._render(request, {"plan": plan, "waiting": waiting, "event": event})

    def _event(self, request, waiting):
        event = Event.objects.filter(pk=waiting["event"]).first()
        if event is None:
            pending_import.forget(request, SESSION_KEY)
            messages.error(request, _("The fair chosen for this import no longer exists; upload the file again."))
        return event

    def _confirm(self, request, waiting):
        if waiting is None or request.POST.get("token") != waiting["token"]:
            messages.error(request, _("This preview is no longer current; upload the file again."))
            return redirect(request.path)
        event = self._event(request, waiting)
        if event is None:
            return redirect(request.path)
        outcome = booths_import(event=event, table=pending_import.load_table(waiting), by=request.user)
        if outcome.failed:
            count = len({error.row for error in outcome.errors})
            messages.error(
                request,
                ngettext(
                    "Nothing was imported: %(count)s row has errors. Fix the file and upload it again.",
                    "Nothing was imported: %(count)s rows have errors. Fix the file and upload it again.",
                    count,
                )
                % {"count": count},
            )
            return self._render(request, {"plan": outcome.plan, "waiting": waiting, "event": event})
        pending_import.forget(request, SESSION_KEY)
        messages.success(
            request,
            _(
                "Imported the booth list into “%(fair)s”: %(created)s booths created, %(updated)s updated, "
                "%(unchanged)s unchanged."
            )
            % {"fair": event, "created": outcome.created, "updated": outcome.updated, "unchanged": outcome.unchanged},
        )
        changelist = reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_changelist")
        return redirect(f"{changelist}?event__id__exact={event.pk}")

    def _render(self, request, context):
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Import booths"),
            "columns": COLUMNS,
            **context,
        }
        return TemplateResponse(request, self.import_template, context)
