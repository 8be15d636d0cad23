"""The application's draft saved as the user goes (issue 18): the page's script
(static/js/autosave.js) posts the form here a moment after the last change, and each chosen file
at once, alone. The first save creates the draft; the answer gives its page's URL, which the
script puts in the address bar, so a reload or a dropped connection finds it.

It goes through the same form and service as the page's own post (application_save_draft,
application_document_upload): fields the form refuses keep what the draft had (a new one: the
defaults), as a draft may be incomplete; only the final submit validates everything. Answers
JSON; CSRF-protected like every post; another business's application answers 404 and a
submitted one 409 (it changes only with the form's button)."""

from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from tuanhang.public.applying import selectors
from vendors.forms.applying import ApplicationForm
from vendors.models import Application
from vendors.permissions import vendor_required
from vendors.services import applying as services
from vendors.services.documents import event_document_catalogue


@never_cache
@vendor_required
@require_POST
def application_autosave_new(request, slug):
    """The first save of a new application; a later one (a lost answer, a second tab) finds the draft."""
    event = selectors.fair_for_application(slug=slug)
    existing = selectors.vendor_application_id(vendor=request.vendor, event=event)
    application = selectors.application_for_vendor(vendor=request.vendor, pk=existing) if existing else None
    return _autosave(request, event, application)


@never_cache
@vendor_required
@require_POST
def application_autosave(request, pk):
    """A later save of the business's own draft."""
    application = selectors.application_for_vendor(vendor=request.vendor, pk=pk)
    return _autosave(request, application.event, application)


def _autosave(request, event, application):
    if application is not None and application.status != Application.Status.DRAFT:
        message = _("This application has been submitted: save your changes with the form's button.")
        return JsonResponse({"saved": False, "message": message}, status=409)
    form = ApplicationForm(
        request.POST,
        request.FILES,
        event=event,
        vendor=request.vendor,
        application=application,
        document_types=event_document_catalogue(event),
    )
    form.is_valid()  # the fields that pass are saved; the others keep what the draft had
    try:
        draft = services.application_save_draft(
            vendor=request.vendor,
            event=event,
            application=application,
            by=request.user,
            **form.draft_fields(keep_terms=True),
        )
    except ValidationError as exc:
        return JsonResponse({"saved": False, "message": " ".join(exc.messages)}, status=409)
    documents, refused = {}, {}
    for name, document_type in form.document_types.items():
        for field in (name, f"consent_{document_type.pk}"):  # a bad file; an identity document without consent
            if field in form.errors:
                refused[document_type.pk] = [e["message"] for e in form.errors[field].get_json_data()]
    for document_type, upload in form.valid_documents().items():
        upload.seek(0)
        try:
            stored = services.application_document_upload(
                application=draft, document_type=document_type, upload=upload, by=request.user, consent=True
            )
        except ValidationError as exc:
            refused[document_type.pk] = exc.messages
        else:
            documents[document_type.pk] = stored.original_name
    saved_at = timezone.localtime(draft.updated_at).strftime("%H:%M")
    return JsonResponse(
        {
            "saved": True,
            "status": _("Draft saved at %(time)s") % {"time": saved_at},
            "edit_url": reverse("vendors:application_edit", args=[draft.pk]),
            "save_url": reverse("vendors:application_autosave", args=[draft.pk]),
            "documents": documents,
            "refused": refused,
        }
    )


urlpatterns = [
    path("fairs/<slug:slug>/apply/autosave/", application_autosave_new, name="application_autosave_new"),
    path("applications/<int:pk>/autosave/", application_autosave, name="application_autosave"),
]
