"""Admin import of participant lists: upload, preview what would change, then confirm.

The uploaded file is read once into text rows and kept as JSON under VAR_DIR/imports with a random
name; only the session knows that name, so a client never chooses a path. Confirming re-checks the
rows against the database as it is then, and writes through vendors.services.vendors_import.
"""

import json
import re
import secrets
import time
from pathlib import Path

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from events.models import Event

from .importing import COLUMNS, ImportFileError, Table, read_table, run_import, validate_table

SESSION_KEY = "vendors_import"
MAX_UPLOAD_BYTES = 10 * 1024 * 1024
KEEP_SECONDS = 24 * 3600
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{32}$")


class ImportUploadForm(forms.Form):
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

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise ValidationError(_("The file is larger than %(size)s MB.") % {"size": MAX_UPLOAD_BYTES // 2**20})
        try:
            self.table = read_table(upload, upload.name)
        except ImportFileError as exc:
            raise ValidationError(str(exc)) from exc
        return upload


class ImportConfirmForm(forms.Form):
    token = forms.CharField(widget=forms.HiddenInput)
    skip_invalid = forms.BooleanField(required=False, label=gettext_lazy("Skip invalid rows and import the valid ones"))


def _store() -> Path:
    directory = Path(settings.VAR_DIR) / "imports"
    directory.mkdir(parents=True, exist_ok=True)
    return directory


def _save_table(table: Table) -> str:
    directory = _store()
    cutoff = time.time() - KEEP_SECONDS
    for old in directory.glob("*.json"):
        if old.stat().st_mtime < cutoff:
            old.unlink(missing_ok=True)
    token = secrets.token_urlsafe(24)
    (directory / f"{token}.json").write_text(json.dumps(table.to_json(), ensure_ascii=False), encoding="utf-8")
    return token


def _table_path(token) -> Path | None:
    if not isinstance(token, str) or not _TOKEN.match(token):
        return None
    return _store() / f"{token}.json"


class VendorImportMixin:
    """Mixed into VendorAdmin: an "import" page beside the participant list."""

    change_list_template = "admin/vendors/vendor/change_list.html"
    import_template = "admin/vendors/vendor/import.html"

    def get_urls(self):
        name = f"{self.opts.app_label}_{self.opts.model_name}_import"
        # Before the model admin's own URLs, whose "<object_id>/" would otherwise catch "import/".
        return [path("import/", self.admin_site.admin_view(self.import_view), name=name), *super().get_urls()]

    def has_import_permission(self, request) -> bool:
        """An import creates and updates participants, so it takes both permissions."""
        return self.has_add_permission(request) and self.has_change_permission(request)

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "has_import_permission": self.has_import_permission(request)}
        return super().changelist_view(request, extra_context=extra_context)

    def import_view(self, request):
        if not self.has_import_permission(request):
            raise PermissionDenied
        pending = self._pending(request)
        if request.method == "POST":
            action = request.POST.get("action")
            if action == "cancel":
                self._forget(request)
                return redirect(request.path)
            if action == "confirm":
                return self._confirm(request, pending)
            return self._upload(request)
        if pending is not None:
            return self._preview(request, pending, ImportConfirmForm(initial={"token": pending["token"]}))
        return self._render(request, {"upload_form": ImportUploadForm()})

    # --- steps -----------------------------------------------------------------------------

    def _upload(self, request):
        form = ImportUploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return self._render(request, {"upload_form": form})
        self._forget(request)
        event = form.cleaned_data["event"]
        request.session[SESSION_KEY] = {
            "token": _save_table(form.table),
            "filename": Path(form.cleaned_data["file"].name).name,
            "event": event.pk if event else None,
        }
        # Redirect so reloading the preview does not upload the file again.
        return redirect(request.path)

    def _confirm(self, request, pending):
        form = ImportConfirmForm(request.POST)
        if pending is None or not form.is_valid() or form.cleaned_data["token"] != pending["token"]:
            messages.error(request, _("This preview is no longer current; upload the file again."))
            return redirect(request.path)
        plan = self._plan(pending)
        if plan is None:
            messages.error(request, _("The fair chosen for this import no longer exists; upload the file again."))
            self._forget(request)
            return redirect(request.path)
        try:
            outcome = run_import(plan, skip_invalid=form.cleaned_data["skip_invalid"], by=request.user)
        except IntegrityError:
            messages.error(request, _("Someone changed the same participants meanwhile, so nothing was imported."))
            return self._preview(request, pending, form)
        if outcome.failed:
            self._refuse(request, outcome, form.cleaned_data["skip_invalid"])
            return self._preview(request, pending, form, plan=plan)
        self._forget(request)
        self._report(request, outcome, plan.event)
        return redirect(reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_changelist"))

    def _refuse(self, request, outcome, skip_invalid):
        if skip_invalid:
            messages.error(request, _("Nothing was imported: no row of the file is valid."))
            return
        count = len({error.row for error in outcome.errors})
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
        plan = plan or self._plan(pending)
        if plan is None:
            self._forget(request)
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
        return self._render(request, context)

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
        if outcome.skipped:
            messages.warning(
                request,
                ngettext("Skipped %(count)s row with errors.", "Skipped %(count)s rows with errors.", outcome.skipped)
                % {"count": outcome.skipped},
            )

    # --- storage -----------------------------------------------------------------------------

    def _pending(self, request):
        pending = request.session.get(SESSION_KEY)
        table_path = _table_path(pending.get("token")) if isinstance(pending, dict) else None
        if table_path is None or not table_path.is_file():
            request.session.pop(SESSION_KEY, None)
            return None
        return pending

    def _plan(self, pending):
        table = Table.from_json(json.loads(_table_path(pending["token"]).read_text(encoding="utf-8")))
        event = None
        if pending["event"] is not None:
            event = Event.objects.filter(pk=pending["event"]).first()
            if event is None:
                return None
        return validate_table(table, event=event)

    def _forget(self, request):
        pending = request.session.pop(SESSION_KEY, None)
        table_path = _table_path(pending.get("token")) if isinstance(pending, dict) else None
        if table_path is not None:
            table_path.unlink(missing_ok=True)

    def _render(self, request, context):
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Import participants"),
            "columns": COLUMNS,
            **context,
        }
        return TemplateResponse(request, self.import_template, context)
