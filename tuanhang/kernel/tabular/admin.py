"""An "import" page beside a model admin's change list: upload a table, preview every row checked,
then confirm or cancel. The page's steps are here; what a row means, and the writing, are the
importer's (the methods a subclass fills in)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _

from . import pending as pending_import


class ImportAdminMixin:
    """Mixed into a ModelAdmin. A subclass sets import_template, import_title, import_columns,
    import_session_key and upload_form_class (a TableUploadForm), and implements import_preview and
    import_confirm; import_pending_extra adds what the upload form chose to the waiting import."""

    import_template = ""
    import_title = ""
    import_columns = ()
    import_session_key = ""
    upload_form_class = None

    def get_urls(self):
        name = f"{self.opts.app_label}_{self.opts.model_name}_import"
        # Before the model admin's own URLs, whose "<object_id>/" would otherwise catch "import/".
        return [path("import/", self.admin_site.admin_view(self.import_view), name=name), *super().get_urls()]

    def has_import_permission(self, request) -> bool:
        """An import creates and updates rows, so it takes both permissions."""
        return self.has_add_permission(request) and self.has_change_permission(request)

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "has_import_permission": self.has_import_permission(request)}
        return super().changelist_view(request, extra_context=extra_context)

    def import_view(self, request):
        if not self.has_import_permission(request):
            raise PermissionDenied
        waiting = pending_import.pending(request, self.import_session_key)
        if request.method == "POST":
            action = request.POST.get("action")
            if action == "cancel":
                self.forget_import(request)
                return redirect(request.path)
            if action == "confirm":
                return self.import_confirm(request, waiting)
            return self.import_upload(request)
        if waiting is None:
            return self.render_import(request, {"upload_form": self.upload_form(request)})
        return self.import_preview(request, waiting)

    def upload_form(self, request, *args):
        """The upload form for this request (a subclass limits its choices to the user's own)."""
        return self.upload_form_class(*args)

    def import_upload(self, request):
        form = self.upload_form(request, request.POST, request.FILES)
        if not form.is_valid():
            return self.render_import(request, {"upload_form": form})
        pending_import.remember(
            request,
            self.import_session_key,
            table=form.table,
            filename=form.cleaned_data["file"].name,
            **self.import_pending_extra(form),
        )
        # Redirect so reloading the preview does not upload the file again.
        return redirect(request.path)

    def import_pending_extra(self, form) -> dict:
        return {}

    def import_preview(self, request, waiting):
        raise NotImplementedError

    def import_confirm(self, request, waiting):
        raise NotImplementedError

    def forget_import(self, request) -> None:
        pending_import.forget(request, self.import_session_key)

    def stale_preview(self, request):
        messages.error(request, _("This preview is no longer current; upload the file again."))
        return redirect(request.path)

    def changelist_url(self) -> str:
        return reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_changelist")

    def render_import(self, request, context):
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": self.import_title,
            "columns": self.import_columns,
            **context,
        }
        return TemplateResponse(request, self.import_template, context)
