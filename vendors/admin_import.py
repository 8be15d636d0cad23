"""Admin import of participant lists: upload, preview what would change, then confirm.

The page's steps and the waiting table are the kernel's (tuanhang.kernel.tabular.admin and
.pending). Confirming re-checks the rows against the database as it is then, and writes through
vendors.services.vendors_import.
"""

from django import forms
from django.contrib import messages
from django.db import IntegrityError
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from events.models import Event
from events.policy import fairs_for
from tuanhang.kernel.tabular import TableUploadForm
from tuanhang.kernel.tabular import pending as pending_import
from tuanhang.kernel.tabular.admin import ImportAdminMixin

from .importing import COLUMNS, PARTICIPANT_LIST, run_import, validate_table

SESSION_KEY = "vendors_import"


class ImportUploadForm(TableUploadForm):
    file = forms.FileField(
        label=gettext_lazy("Participant list"),
        help_text=gettext_lazy("An .xlsx or .csv file (UTF-8) with a header row."),
    )
    event = forms.ModelChoiceField(
        queryset=Event.objects.order_by("-opens_at"),
        required=False,
        label=gettext_lazy("Fair"),
        help_text=gettext_lazy("Optional: also give each participant an approved application to this fair."),
    )
    table_format = PARTICIPANT_LIST


class ImportConfirmForm(forms.Form):
    token = forms.CharField(widget=forms.HiddenInput)
    skip_invalid = forms.BooleanField(required=False, label=gettext_lazy("Skip invalid rows and import the valid ones"))


class VendorImportMixin(ImportAdminMixin):
    """Mixed into VendorAdmin: an "import" page beside the participant list."""

    change_list_template = "admin/vendors/vendor/change_list.html"
    import_template = "admin/vendors/vendor/import.html"
    import_title = gettext_lazy("Import participants")
    import_columns = COLUMNS
    import_session_key = SESSION_KEY
    upload_form_class = ImportUploadForm

    def import_pending_extra(self, form) -> dict:
        event = form.cleaned_data["event"]
        return {"event": event.pk if event else None}

    def import_fairs(self, request):
        """The fairs the import may give approved applications to: where the user decides them."""
        return fairs_for(request.user, "application.decide").order_by("-opens_at")

    def upload_form(self, request, *args):
        # The fair is chosen among the user's own: another organiser's fair posted here is a
        # field error and nothing is kept.
        form = super().upload_form(request, *args)
        form.fields["event"].queryset = self.import_fairs(request)
        return form

    def import_preview(self, request, waiting):
        return self._preview(request, waiting, ImportConfirmForm(initial={"token": waiting["token"]}))

    def import_confirm(self, request, pending):
        form = ImportConfirmForm(request.POST)
        if pending is None or not form.is_valid() or form.cleaned_data["token"] != pending["token"]:
            return self.stale_preview(request)
        plan = self._plan(request, pending)
        if plan is None:
            messages.error(request, _("The fair chosen for this import no longer exists; upload the file again."))
            self.forget_import(request)
            return redirect(request.path)
        try:
            outcome = run_import(plan, skip_invalid=form.cleaned_data["skip_invalid"], by=request.user)
        except IntegrityError:
            messages.error(request, _("Someone changed the same participants meanwhile, so nothing was imported."))
            return self._preview(request, pending, form)
        if outcome.failed:
            self._refuse(request, outcome, form.cleaned_data["skip_invalid"])
            return self._preview(request, pending, form, plan=plan)
        self.forget_import(request)
        self._report(request, outcome, plan.event)
        return redirect(self.changelist_url())

    def _refuse(self, request, outcome, skip_invalid):
        if skip_invalid:
            messages.error(request, _("Nothing was imported: no row of the file is valid."))
            return
        count = outcome.error_row_count
        messages.error(
            request,
            ngettext(
                "Nothing was imported: %(count)s row has errors. Fix the file and upload it again, or tick "
                "“Skip invalid rows”.",
                "Nothing was imported: %(count)s rows have errors. Fix the file and upload it again, or tick "
                "“Skip invalid rows”.",
                count,
            )
            % {"count": count},
        )

    def _preview(self, request, pending, confirm_form, plan=None):
        plan = plan or self._plan(request, pending)
        if plan is None:
            self.forget_import(request)
            messages.error(request, _("The fair chosen for this import no longer exists; upload the file again."))
            return redirect(request.path)
        valid = plan.valid_rows
        context = {
            "plan": plan,
            "filename": pending["filename"],
            "confirm_form": confirm_form,
            "valid_count": len(valid),
            "invalid_count": len(plan.rows) - len(valid),
            "create_count": sum(1 for row in valid if row.action == "create"),
            "update_count": sum(1 for row in valid if row.action == "update"),
        }
        return self.render_import(request, context)

    def _report(self, request, outcome, event):
        text = _("Imported the participant list: %(created)s created, %(updated)s updated.") % {
            "created": outcome.created,
            "updated": outcome.updated,
        }
        if event is not None:
            text += " " + _(
                "Fair “%(fair)s”: %(created)s new approved applications, %(updated)s with a changed number of booths."
            ) % {"fair": event, "created": outcome.applications_created, "updated": outcome.applications_updated}
        messages.success(request, text)
        if outcome.identity_changes_held:
            messages.warning(
                request,
                ngettext(
                    "%(count)s participant that has applied to a fair has a new legal name or kind in the file: "
                    "the change waits for approval on the registry page and was not applied.",
                    "%(count)s participants that have applied to a fair have a new legal name or kind in the file: "
                    "the changes wait for approval on the registry page and were not applied.",
                    outcome.identity_changes_held,
                )
                % {"count": outcome.identity_changes_held},
            )
        if outcome.skipped:
            messages.warning(
                request,
                ngettext("Skipped %(count)s row with errors.", "Skipped %(count)s rows with errors.", outcome.skipped)
                % {"count": outcome.skipped},
            )

    def _plan(self, request, pending):
        table = pending_import.load_table(pending)
        event = None
        if pending["event"] is not None:
            event = self.import_fairs(request).filter(pk=pending["event"]).first()
            if event is None:
                return None
        return validate_table(table, event=event)
