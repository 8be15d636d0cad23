"""The organisers' review (staff only): a fair's applications, one application with its documents,
decisions one by one or in bulk (with a warning when approving needs more booths than are free),
and payments received.

Scoped to the user (events.policy): another organiser's fair or application answers 404, the same
as one that does not exist; a role without the capability answers 403 with what it cannot do.
Reading needs application.view, deciding application.decide, recording money payment.record."""

from csp.constants import SELF
from csp.decorators import csp_replace
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from events.permissions import staff_required
from events.policy import can, capabilities_at, fair_or_404, scoped_or_404
from events.templatetags.vn import vnd
from tuanhang.kernel.sites import posted_next
from tuanhang.kernel.uploads.pdfs import PREVIEW_MAX_PAGES, cached_pdf_pages
from tuanhang.office.review import selectors, services
from tuanhang.office.review.forms import DECISIONS, BulkDecisionForm, DecisionForm, PaymentForm, ReviewFilterForm
from tuanhang.office.review.receipts import RefundForm
from vendors import registration_form
from vendors.models import Application
from vendors.services.core import APPLICATION_TRANSITIONS, decided_message, undecided_message
from vendors.services.payments import payment_record

A = Application.Status
PER_PAGE = 50
IMAGE_TYPES = {"image/jpeg", "image/png", "image/webp"}


# --- the list --------------------------------------------------------------------------------


@staff_required
@require_GET
def review_list(request, slug):
    """A fair's applications: filters, search, sort, 50 a page, money and documents per row."""
    event = fair_or_404(request.user, slug, "application.view")
    can_decide = can(request.user, "application.decide", event)
    form = ReviewFilterForm(request.GET or None)
    filters = form.filters()
    applications = selectors.review_applications(event=event, **filters)
    page = Paginator(applications, PER_PAGE).get_page(request.GET.get("page"))
    context = {
        "event": event,
        "filter_form": form,
        "filters_active": any(value for key, value in filters.items() if key != "sort"),
        "sort": filters["sort"],  # the header sorted by carries aria-sort
        "page_obj": page,
        "page_range": page.paginator.get_elided_page_range(page.number),
        "applications": selectors.with_document_figures(page.object_list),
        "capacity": selectors.event_capacity(event),
        "can_decide": can_decide,
        "can_export": can(request.user, "export", event),
        "personal_ok": can(request.user, "personal.view", event),
        "bulk_form": BulkDecisionForm(event=event, user=request.user) if can_decide else None,
    }
    return render(request, "vendors/review/list.html", context)


@staff_required
@require_POST
def review_bulk(request, slug):
    """One decision for the ticked applications of a fair, then back to the list."""
    event = fair_or_404(request.user, slug, "application.decide")
    form = BulkDecisionForm(request.POST, event=event, user=request.user)
    back = posted_next(request, reverse("vendors:review_list", args=[event.slug]))
    if not form.is_valid() and "applications" in form.errors:
        messages.error(request, " ".join(form.errors["applications"]))
        return redirect(back)
    # A bad reason still leaves the ticked applications in cleaned_data: the decision page lists them.
    applications = list(form.cleaned_data.get("applications", []))
    return _decide(request, event=event, form=form, applications=applications, back=back)


# --- one application ---------------------------------------------------------------------------


def _application_or_404(user, pk, capability) -> Application:
    """The application for its review page if its fair is the user's (404 otherwise, as for an
    unknown number), then 403 unless the user's role there has `capability`."""
    application = scoped_or_404(selectors.review_application_queryset(), user, capability, pk=pk)
    return selectors.with_money_figures(application)


def _file_url(document) -> str | None:
    """The protected file view of the profile part; None while it does not exist."""
    try:
        return reverse("vendors:file", args=["document", document.pk])
    except NoReverseMatch:
        return None


def _preview_pages(document) -> range:
    """The page numbers of a PDF document that have a preview (rendered on the server)."""
    if document.content_type != "application/pdf":
        return range(0)
    return range(1, cached_pdf_pages(document.file) + 1)


def _document_item(document, required_ids, personal_ok) -> dict:
    """A document as the review page shows it; one with personal identity data (an ID card) is
    only named, never linked or previewed, for a role without personal.view."""
    withheld = document.document_type.personal and not personal_ok
    return {
        "document": document,
        "withheld": withheld,
        "url": None if withheld else _file_url(document),
        "is_image": document.content_type in IMAGE_TYPES,
        "is_pdf": document.content_type == "application/pdf",
        "pages": range(0) if withheld else _preview_pages(document),
        "required": document.document_type_id in required_ids,
    }


def _detail(request, application, *, payment_form=None, decision_form=None, status=200):
    event = application.event
    required = selectors.required_documents(application)
    required_ids = {type_id for row in required for type_id in row.type_ids}
    capabilities = capabilities_at(request.user, event)
    personal_ok = "personal.view" in capabilities
    documents = [_document_item(document, required_ids, personal_ok) for document in application.documents.all()]
    can_record_payment = "payment.record" in capabilities
    refund_form = None
    if can_record_payment:
        payment_form = payment_form or PaymentForm()
        payment_form.helper.form_action = reverse("vendors:payment_create", args=[application.pk])
        refund_form = RefundForm()
        refund_form.helper.form_action = reverse("vendors:refund_create", args=[application.pk])
    allowed = APPLICATION_TRANSITIONS[application.status]
    context = {
        "preview_max_pages": PREVIEW_MAX_PAGES,
        "event": event,
        "application": application,
        "vendor": application.vendor,
        "required": required,
        "documents_present": sum(1 for row in required if row.document),
        "documents": documents,
        "assignments": list(application.assignments.all()),
        "payments": list(application.payments.all()),
        "refunds": list(application.refunds.all()),
        "payment_voids": list(application.payment_voids.all()),
        "refund_form": refund_form,
        "history": list(application.status_changes.all()),
        "decisions": [(key, status) for key, status in DECISIONS.items() if status in allowed],
        "can_decide": "application.decide" in capabilities,
        "can_record_payment": can_record_payment,
        "personal_ok": personal_ok,
        "decision_form": decision_form or DecisionForm(),
        "payment_form": payment_form,
        "capacity": selectors.event_capacity(event),
    }
    return render(request, "vendors/review/detail.html", context, status=status)


@staff_required
@require_GET
@csp_replace({"object-src": [SELF]})  # the documents' PDFs are shown inline, from this site only
def review_detail(request, pk):
    """One application with its business, documents inline, history, booths, payments and decisions."""
    return _detail(request, _application_or_404(request.user, pk, "application.view"))


@staff_required
@require_GET
def review_registration_form(request, pk, document_type_id):
    """The application's registration form filled in from its data, as the business downloads it,
    but with a household's personal ID masked (it is printed in full only for the business)."""
    application = scoped_or_404(registration_form.form_applications(), request.user, "application.view", pk=pk)
    registration_form.generated_form_type_or_404(application.event, document_type_id)
    form = registration_form.form_for_application(application, personal=False)
    return registration_form.registration_form_response(form)


@staff_required
@require_POST
def review_decide(request, pk):
    """Approve, waitlist or reject one application, then back to its page."""
    queryset = Application.objects.select_related("vendor", "event__organiser")
    application = scoped_or_404(queryset, request.user, "application.decide", pk=pk)
    form = DecisionForm(request.POST)
    form.is_valid()
    back = reverse("vendors:review_detail", args=[application.pk])
    return _decide(request, event=application.event, form=form, applications=[application], back=back)


@staff_required
@require_POST
def payment_create(request, pk):
    """Record money received for an application; a bad amount or date shows on the form, nothing written."""
    application = _application_or_404(request.user, pk, "payment.record")
    form = PaymentForm(request.POST)
    if form.is_valid():
        try:
            payment = payment_record(application=application, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                _("Payment of %(amount)s recorded for %(vendor)s.")
                % {"amount": vnd(payment.amount), "vendor": application.vendor.name},
            )
            return redirect(reverse("vendors:review_detail", args=[application.pk]) + "#payments")
    return _detail(request, application, payment_form=form)


# --- decisions ---------------------------------------------------------------------------------


def _decide(request, *, event, form, applications, back):
    """Apply a valid decision and go back; otherwise (bad form, or approving past the free booths
    without confirming) show the decision page with the errors or the warning."""
    warning = None
    if form.is_valid():
        try:
            done, errors = services.decision_apply(
                event=event,
                applications=applications,
                to_status=form.to_status,
                by=request.user,
                reason=form.cleaned_data["reason"],
                over_capacity_confirmed=form.cleaned_data["confirm_over_capacity"],
            )
        except services.OverCapacity as exc:
            warning = exc
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            _report(request, form.to_status, done, errors)
            return redirect(back)
    context = {
        "event": event,
        "form": form,
        "decision": form.cleaned_data.get("decision") or form.data.get("decision", ""),
        "to_status_label": A(form.to_status).label if "decision" in form.cleaned_data else "",
        "applications": applications,
        "warning": warning,
        "back": back,
        "bulk": isinstance(form, BulkDecisionForm),
    }
    return render(request, "vendors/review/decide.html", context)


def _report(request, to_status, done, errors):
    if done:
        messages.success(request, decided_message(to_status, done))
    if errors:
        messages.error(request, undecided_message(errors))


urlpatterns = [
    path("review/fairs/<slug:slug>/", review_list, name="review_list"),
    path("review/fairs/<slug:slug>/decide/", review_bulk, name="review_bulk"),
    path("review/applications/<int:pk>/", review_detail, name="review_detail"),
    path("review/applications/<int:pk>/decide/", review_decide, name="review_decide"),
    path(
        "review/applications/<int:pk>/forms/<int:document_type_id>/",
        review_registration_form,
        name="review_registration_form",
    ),
    path("review/applications/<int:pk>/payments/", payment_create, name="payment_create"),
]
