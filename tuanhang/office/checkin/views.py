"""Setup-day check-in (staff only, built for a phone): find a participant by name or booth code,
mark it arrived (twice is harmless), undo a wrong check-in (recorded), record the booth
handover checklist with a note, and see who has not arrived yet by zone, refreshed live by
static/js/checkin.js from the JSON of checkin_progress.

Every page, the JSON included, needs checkin.record at the fair (events.policy): another
organiser's fair or participant answers 404, as an unknown one; a role without it answers 403."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_POST

from events.models import Event
from events.permissions import staff_required
from events.policy import fair_or_404, scoped_or_404
from tuanhang.kernel.sites import posted_next
from tuanhang.office.checkin import selectors
from tuanhang.office.checkin.forms import CheckInSearchForm, HandoverForm, UndoForm
from tuanhang.office.printing.handover import handover_pdf, handover_record
from vendors.models import Application
from vendors.services import checkin as services

POLL_SECONDS = 5
CAPABILITY = "checkin.record"


def _event_or_404(request, slug) -> Event:
    queryset = Event.objects.select_related("organiser", "province")
    return fair_or_404(request.user, slug, CAPABILITY, queryset=queryset)


def _application_or_404(request, event, pk) -> Application:
    """An approved participant of this fair (of the user's fairs): 404 for any other id."""
    return scoped_or_404(selectors.participants(event), request.user, CAPABILITY, pk=pk)


def _back_to_detail(request, event, application):
    """Back where the staff member came from (search results or the participant's page)."""
    return redirect(posted_next(request, reverse("vendors:checkin_detail", args=[event.slug, application.pk])))


def _no_booth() -> str:
    return _("No booth yet")


@staff_required
@require_GET
def checkin_home(request, slug):
    """Search by name or booth code, mark arrivals from the results, and the live list of who
    has not arrived yet, by zone."""
    event = _event_or_404(request, slug)
    form = CheckInSearchForm(request.GET or None)
    query = form.cleaned_data["q"] if form.is_valid() else ""
    context = {
        "event": event,
        "form": form,
        "query": query,
        "results": selectors.checkin_search(event=event, query=query),
        "progress": selectors.progress_by_zone(event=event, no_booth_label=_no_booth()),
        "poll_seconds": POLL_SECONDS,
    }
    return render(request, "vendors/checkin/home.html", context)


@staff_required
@require_GET
def checkin_detail(request, slug, pk):
    """One participant: booths, arrival (with who and when), the handover checklist, the history."""
    event = _event_or_404(request, slug)
    detail = selectors.checkin_detail(application=_application_or_404(request, event, pk))
    checkin = detail.checkin
    initial = {}
    if checkin is not None:
        initial = {
            "power_ok": checkin.power_ok,
            "furniture_ok": checkin.furniture_ok,
            "fascia_ok": checkin.fascia_ok,
            "note": checkin.note,
        }
    context = {
        "event": event,
        "detail": detail,
        "handover_form": HandoverForm(initial=initial),
        "undo_form": UndoForm(),
    }
    return render(request, "vendors/checkin/detail.html", context)


@require_POST
@staff_required
def checkin_arrive(request, slug, pk):
    event = _event_or_404(request, slug)
    application = _application_or_404(request, event, pk)
    name = application.vendor.name
    try:
        _checkin, recorded = services.checkin_arrive(application=application, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        if recorded:
            messages.success(request, _("%(name)s is checked in.") % {"name": name})
        else:
            messages.info(request, _("%(name)s was already checked in; nothing changed.") % {"name": name})
    return _back_to_detail(request, event, application)


@require_POST
@staff_required
def checkin_undo(request, slug, pk):
    event = _event_or_404(request, slug)
    application = _application_or_404(request, event, pk)
    form = UndoForm(request.POST)
    note = form.cleaned_data["note"] if form.is_valid() else ""
    _checkin, undone = services.checkin_undo(application=application, by=request.user, note=note)
    name = application.vendor.name
    if undone:
        messages.success(request, _("The check-in of %(name)s is undone.") % {"name": name})
    else:
        messages.info(request, _("%(name)s was not checked in; nothing changed.") % {"name": name})
    return _back_to_detail(request, event, application)


@require_POST
@staff_required
def checkin_handover(request, slug, pk):
    event = _event_or_404(request, slug)
    application = _application_or_404(request, event, pk)
    form = HandoverForm(request.POST)
    if form.is_valid():
        try:
            _checkin, changed = services.checkin_handover(application=application, by=request.user, **form.cleaned_data)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(None if field == "__all__" else field, errors)
        else:
            if changed:
                messages.success(request, _("Handover of %(name)s recorded.") % {"name": application.vendor.name})
            else:
                messages.info(request, _("The handover was already recorded like this; nothing changed."))
            return redirect("vendors:checkin_detail", event.slug, application.pk)
    context = {
        "event": event,
        "detail": selectors.checkin_detail(application=application),
        "handover_form": form,
        "undo_form": UndoForm(),
    }
    return render(request, "vendors/checkin/detail.html", context, status=400)


@staff_required
@require_GET
def checkin_handover_record(request, slug, pk):
    """The booth handover record of one participant as PDF, to print and sign on the spot."""
    event = _event_or_404(request, slug)
    application = _application_or_404(request, event, pk)
    detail = selectors.checkin_detail(application=application)
    labels = [str(HandoverForm.base_fields[name].label) for name in ("power_ok", "furniture_ok", "fascia_ok")]
    record = handover_record(event=event, detail=detail, checks_labels=labels)
    response = HttpResponse(handover_pdf(record), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="bien-ban-ban-giao-{event.slug}-{application.pk}.pdf"'
    return response


@staff_required
@require_GET
@never_cache
def checkin_progress(request, slug):
    """JSON for the live list: arrivals per zone and who has not arrived yet."""
    event = _event_or_404(request, slug)
    progress = selectors.progress_by_zone(event=event, no_booth_label=_no_booth())
    return JsonResponse(progress.as_json())


urlpatterns = [
    path("staff/fairs/<slug:slug>/checkin/", checkin_home, name="checkin"),
    path("staff/fairs/<slug:slug>/checkin/progress/", checkin_progress, name="checkin_progress"),
    path("staff/fairs/<slug:slug>/checkin/<int:pk>/", checkin_detail, name="checkin_detail"),
    path("staff/fairs/<slug:slug>/checkin/<int:pk>/arrive/", checkin_arrive, name="checkin_arrive"),
    path("staff/fairs/<slug:slug>/checkin/<int:pk>/undo/", checkin_undo, name="checkin_undo"),
    path("staff/fairs/<slug:slug>/checkin/<int:pk>/handover/", checkin_handover, name="checkin_handover"),
    path(
        "staff/fairs/<slug:slug>/checkin/<int:pk>/handover-record.pdf",
        checkin_handover_record,
        name="checkin_handover_record",
    ),
]
