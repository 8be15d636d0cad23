"""Applying to a fair: the list of fairs open for applications, the application form, required
documents, submission, withdrawal, and the business's dashboard. A fair's own page (with the
call to apply) is the public one of the events app, tuanhang.public.views.fair."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from events.registration import registration_refusal
from tuanhang.public import selectors as public_selectors
from tuanhang.public.applying import selectors
from vendors import registration_form
from vendors.forms.applying import ApplicationForm, DocumentUploadForm, WithdrawForm
from vendors.models import Application
from vendors.permissions import vendor_of, vendor_required
from vendors.selectors import registry as registry_selectors
from vendors.selectors.money import amount_due
from vendors.services import applying as services
from vendors.services import documents as documents_service
from vendors.services import registry as registry_services
from vendors.services.documents import event_document_list


def fair_list(request):
    """Fairs open for applications and upcoming ones; a business sees where it has applied."""
    vendor = vendor_of(request.user)
    listing = selectors.fairs_for_listing(vendor=vendor)
    return render(request, "vendors/applying/fair_list.html", {"listing": listing, "vendor": vendor})


@vendor_required(come_back=True)
def application_create(request, slug):
    """A new application: one per business and fair, only while the fair's registration is open."""
    event = selectors.fair_for_application(slug=slug)
    existing = selectors.vendor_application_id(vendor=request.vendor, event=event)
    if existing:
        messages.info(request, _("Your business has already applied to this fair: here is your application."))
        return redirect("vendors:application_edit", pk=existing)
    refusal = registration_refusal(event)
    if refusal:
        messages.error(request, refusal)
        return redirect("public:fair", slug=event.slug)
    listed = event_document_list(event)
    document_types = [t for t, _conditions, _group, _note in listed]
    form = ApplicationForm(
        request.POST or None, request.FILES or None, event=event, vendor=request.vendor, document_types=document_types
    )
    if request.method == "POST":
        valid = form.is_valid()
        files = form.valid_documents()
        if files:
            # Photos that passed the checks are kept on a draft at once, even when another field
            # is refused: the page that answers is the draft's, showing them uploaded.
            draft = _draft_with_documents(request, form, event=event, files=files)
            if draft is not None:
                return _edit(request, draft)
        elif valid:
            application = _save(request, form, event=event, application=None)
            if application is not None:
                return _after_save(request, application)
    documents = [
        (selectors.DocumentSlot(t, None, group, (note,) if note else (), conditions=conditions), None)
        for t, conditions, group, note in listed
    ]
    context = {"event": event, "form": form, "application": None, "documents": documents}
    return render(request, "vendors/applying/application_form.html", context)


def _draft_with_documents(request, form, *, event, files):
    """A draft of the new application (the fields that passed, defaults for the rest) with the
    documents that passed the checks; None if even the draft cannot be saved. A document the
    service refuses shows as missing on the draft's page."""
    try:
        draft = services.application_save_draft(
            vendor=request.vendor, event=event, by=request.user, **form.draft_fields()
        )
    except ValidationError:
        return None
    for document_type, upload in files.items():
        upload.seek(0)
        try:
            services.application_document_upload(  # a personal one passed the form only with its consent
                application=draft, document_type=document_type, upload=upload, by=request.user, consent=True
            )
        except ValidationError:
            continue
    return selectors.application_for_vendor(vendor=request.vendor, pk=draft.pk)


@vendor_required
def application_edit(request, pk):
    """Change an application while the registration window is open and it is a draft or
    submitted; read-only afterwards, with the reason."""
    return _edit(request, selectors.application_for_vendor(vendor=request.vendor, pk=pk))


def _edit(request, application):
    event = application.event
    refusal = services.application_edit_refusal(application)
    if refusal:
        documents = [(slot, None) for slot in selectors.document_slots(application)]
        application = selectors.with_payments_received(application)
        context = {
            "application": application,
            "event": event,
            "refusal": refusal,
            "documents": documents,
            "can_withdraw": services.application_can_withdraw(application),
            "amount_due": amount_due(application),
        }
        return render(request, "vendors/applying/application_readonly.html", context)
    form = ApplicationForm(request.POST or None, event=event, vendor=request.vendor, application=application)
    document_errors = {}
    if request.method == "POST" and form.is_valid():
        saved = _save(request, form, event=event, application=application, document_errors=document_errors)
        if saved is not None:
            return _after_save(request, saved)
    elif request.GET.get("submit") and application.status == application.Status.DRAFT:
        # Arrived from a first "Submit" that lacked something: show what, next to each field.
        document_errors = _submission_errors(form, application)
    # After a refused post, the documents follow the answers just given, not the stored ones.
    answers = {q: form.cleaned_data.get(q) for q in form.questions} if form.is_bound else None
    required = documents_service.application_documents(application, answers=answers)
    slots = selectors.document_slots(application, required)
    context = {
        "event": event,
        "form": form,
        "application": application,
        "documents": list(zip(slots, _upload_forms(application, slots, document_errors), strict=True)),
        "missing_documents": required.missing,
        "unanswered_questions": required.unanswered,
    }
    return render(request, "vendors/applying/application_form.html", context)


def _save(request, form, *, event, application, document_errors=None):
    """Run the save or save-and-submit service; on refusal put its messages on the form (a missing
    document's next to that document, in document_errors). A new application whose submission lacks
    only documents, answers or the terms is kept as a draft, so the business can upload right away."""
    submit = request.POST.get("action") == "submit"
    service = services.application_save_and_submit if submit else services.application_save_draft
    fields = form.service_fields()
    try:
        return service(vendor=request.vendor, event=event, application=application, by=request.user, **fields)
    except services.IncompleteApplication as exc:
        if application is None:
            return _save_draft_instead(request, form, event=event, fields=fields)
        _add_errors(form, exc, document_errors)
    except ValidationError as exc:
        _add_errors(form, exc, document_errors)
    return None


def _save_draft_instead(request, form, *, event, fields):
    try:
        draft = services.application_save_draft(vendor=request.vendor, event=event, by=request.user, **fields)
    except ValidationError as exc:
        _add_errors(form, exc)
        return None
    messages.warning(request, _("Your application is saved as a draft. Add what is missing below, then submit it."))
    return draft


def _submission_errors(form, application) -> dict:
    """What submission still lacks, on the (unbound) form and per document: nothing is written."""
    try:
        services.application_submission_check(application)
    except ValidationError as exc:
        errors = {}
        form.errors  # noqa: B018 - gives the unbound form its (empty) error list to add to
        form.cleaned_data = {}
        _add_errors(form, exc, errors)
        return errors
    return {}


def _add_errors(form, exc: ValidationError, document_errors=None):
    if not hasattr(exc, "error_dict"):
        form.add_error(None, exc)
        return
    for name, errors in exc.error_dict.items():
        if name.startswith("document_") and document_errors is not None:
            document_errors[int(name.removeprefix("document_"))] = [e.message % (e.params or {}) for e in errors]
        else:
            form.add_error(name if name in form.fields else None, errors)


def _after_save(request, application):
    if application.status == application.Status.SUBMITTED and request.POST.get("action") == "submit":
        messages.success(request, _("Your application has been submitted. The organisers will review it."))
        return redirect("vendors:dashboard")
    if application.status == application.Status.SUBMITTED:
        messages.success(request, _("Your changes have been saved; the application stays submitted."))
        return redirect("vendors:dashboard")
    if application.status == application.Status.DRAFT and request.POST.get("action") == "submit":
        return redirect(reverse("vendors:application_edit", kwargs={"pk": application.pk}) + "?submit=1#documents")
    if services.application_missing_documents(application):
        messages.success(request, _("Draft saved. Upload the required documents, then submit the application."))
    else:
        messages.success(request, _("Draft saved. Submit the application when it is ready."))
    return redirect("vendors:application_edit", pk=application.pk)


def _upload_forms(application, slots, document_errors=None):
    """An upload form per document slot (uploading replaces the file it has), carrying the
    message of a refused submission about its document under its file field."""
    forms = []
    for slot in slots:
        form = DocumentUploadForm(
            document_type=slot.document_type,
            action=reverse(
                "vendors:document_upload", kwargs={"pk": application.pk, "document_type_id": slot.document_type.pk}
            ),
        )
        for message in (document_errors or {}).get(slot.document_type.pk, []):
            _unbound_error(form, "file", message)
        forms.append(form)
    return forms


def _unbound_error(form, field, message):
    """Show `message` on an unbound form's field (a check made elsewhere refused what it stands for)."""
    form.errors  # noqa: B018 - gives the unbound form its (empty) error list to add to
    form.cleaned_data = getattr(form, "cleaned_data", {})
    form.add_error(field, message)


@vendor_required
@require_POST
def application_submit(request, pk):
    """Submit a draft as it stands (from the dashboard or the application page)."""
    application = selectors.application_for_vendor(vendor=request.vendor, pk=pk)
    try:
        services.application_submit(application=application, by=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
        return redirect("vendors:application_edit", pk=application.pk)
    messages.success(request, _("Your application has been submitted. The organisers will review it."))
    return redirect("vendors:dashboard")


@vendor_required
def application_withdraw(request, pk):
    """Ask for confirmation, then withdraw (any booth the application held is released)."""
    application = selectors.application_for_vendor(vendor=request.vendor, pk=pk)
    if not services.application_can_withdraw(application):
        messages.error(
            request,
            _("This application is “%(status)s” and cannot be withdrawn.")
            % {"status": application.get_status_display()},
        )
        return redirect("vendors:dashboard")
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.application_withdraw(application=application, by=request.user, reason=form.cleaned_data["reason"])
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request, _("Your application to “%(fair)s” has been withdrawn.") % {"fair": application.event.name}
            )
            return redirect("vendors:dashboard")
    context = {
        "application": application,
        "event": application.event,
        "form": form,
        "booth_codes": selectors.active_booth_codes(application),
    }
    return render(request, "vendors/applying/application_withdraw.html", context)


@vendor_required
def document_upload(request, pk, document_type_id):
    """Upload (or replace) one of the documents the fair asks for."""
    application = selectors.application_for_vendor(vendor=request.vendor, pk=pk)
    catalogue = documents_service.event_document_catalogue(application.event)
    document_type = next((t for t in catalogue if t.pk == document_type_id), None)
    if document_type is None:
        raise Http404
    refusal = services.application_edit_refusal(application)
    if refusal:
        messages.error(request, refusal)
        return redirect("vendors:application_edit", pk=application.pk)
    current = next((d for d in application.documents.all() if d.document_type_id == document_type.pk), None)
    reusable = registry_selectors.reusable_documents(application, document_type)
    if request.method == "POST" and "reuse" in request.POST:
        return _document_reuse(request, application, document_type, reusable)
    form = DocumentUploadForm(request.POST or None, request.FILES or None, document_type=document_type)
    if request.method == "POST" and form.is_valid():
        try:
            services.application_document_upload(
                application=application,
                document_type=document_type,
                upload=form.cleaned_data["file"],
                by=request.user,
                consent=form.cleaned_data.get("consent", False),
            )
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            messages.success(request, _("“%(document)s” uploaded.") % {"document": document_type.name})
            return redirect("vendors:application_edit", pk=application.pk)
    context = {
        "application": application,
        "event": application.event,
        "form": form,
        "current": current,
        "reusable": reusable,
    }
    return render(request, "vendors/applying/document_upload.html", context)


def _document_reuse(request, application, document_type, reusable):
    """Copy a document sent with another of the business's applications (only those offered: an id
    of another business's document, or of another type, answers 404 and copies nothing)."""
    document = next((d for d in reusable if str(d.pk) == request.POST.get("reuse", "")), None)
    if document is None:
        raise Http404
    try:
        registry_services.application_document_copy(document=document, application=application, by=request.user)
    except ValidationError as exc:
        for message in exc.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("“%(document)s” uploaded.") % {"document": document_type.name})
    return redirect("vendors:application_edit", pk=application.pk)


@vendor_required
def registration_form_for_application(request, pk, document_type_id):
    """The fair's registration form filled in from the business's application (draft or sent), to
    print, sign and upload. Another business's application answers 404."""
    queryset = Application.objects.filter(vendor=request.vendor)
    application = registration_form.application_for_form(queryset, pk=pk)
    registration_form.generated_form_type_or_404(application.event, document_type_id)
    return registration_form.registration_form_response(
        registration_form.form_for_application(application, personal=True)
    )


@vendor_required
def registration_form_for_new_application(request, slug, document_type_id):
    """The fair's registration form filled in from the business's profile and products, before it
    has applied (the booths are left to fill in)."""
    event = public_selectors.fair_for_registration_form(slug=slug)
    registration_form.generated_form_type_or_404(event, document_type_id)
    return registration_form.registration_form_response(
        registration_form.form_for_new_application(event, request.vendor)
    )


@vendor_required
def dashboard(request):
    """The business's applications: status, decision, booths, money and what is still missing."""
    rows = selectors.application_dashboard(vendor=request.vendor)
    return render(request, "vendors/applying/dashboard.html", {"vendor": request.vendor, "rows": rows})


urlpatterns = [
    path("fairs/", fair_list, name="fair_list"),
    path("fairs/<slug:slug>/apply/", application_create, name="application_create"),
    path(
        "fairs/<slug:slug>/apply/forms/<int:document_type_id>/",
        registration_form_for_new_application,
        name="registration_form_new",
    ),
    path("dashboard/", dashboard, name="dashboard"),
    path("applications/<int:pk>/", application_edit, name="application_edit"),
    path("applications/<int:pk>/submit/", application_submit, name="application_submit"),
    path(
        "applications/<int:pk>/forms/<int:document_type_id>/",
        registration_form_for_application,
        name="registration_form",
    ),
    path("applications/<int:pk>/withdraw/", application_withdraw, name="application_withdraw"),
    path(
        "applications/<int:pk>/documents/<int:document_type_id>/",
        document_upload,
        name="document_upload",
    ),
]
