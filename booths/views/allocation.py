"""Automatic allocation pages, for staff whose role may change the fair (fair.manage): a fair's
weights, starting a run and the list of runs; one run with its progress (templates/includes/
progress.html, polled as JSON by static/js/progress.js), then its plan as a map and a table of
changes, adjustments (move, swap, pin) and applying it. A run of another organiser's fair answers
404; applications and booths sent in a form are looked up within the run's plan only."""

import dataclasses

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import JsonResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from events.permissions import staff_required
from events.policy import fair_or_404, scoped_or_404

from ..forms.allocation import (
    AllocationRulesForm,
    AllocationStartForm,
    ApplyForm,
    PlanMoveForm,
    PlanPinForm,
    PlanSwapForm,
)
from ..models import AllocationRun
from ..selectors import allocation as selectors
from ..selectors.map import STAFF, booth_map_data, booth_map_for_page
from ..services import allocation as services
from ..services import allocation_plan as plan_services
from ..svg import MapOccupant

R = AllocationRun.Status
WORKING = (R.QUEUED, R.RUNNING)


def _fair(request, slug):
    """Another organiser's fair answers 404, a role that may not change the fair 403."""
    return fair_or_404(request.user, slug, "fair.manage")


def _run_or_404(request, pk) -> AllocationRun:
    """A run of a fair this user may see (404 otherwise, like a number with no run), then 403
    unless its role may change that fair."""
    runs = AllocationRun.objects.select_related("created_by", "applied_by")
    return scoped_or_404(runs, request.user, "fair.manage", pk=pk)


# --- the fair's allocation page ---------------------------------------------------------------


@staff_required
@require_http_methods(["GET", "POST"])
def allocation(request, slug):
    """The fair's weights, a form to start a run, and its latest runs."""
    event = _fair(request, slug)
    rules = selectors.rules_for(event)
    rules_form = AllocationRulesForm(instance=rules)
    start_form = AllocationStartForm()
    if request.method == "POST" and request.POST.get("action") == "rules":
        rules_form = AllocationRulesForm(request.POST, instance=rules)
        if rules_form.is_valid():
            services.allocation_rules_save(event=event, by=request.user, **rules_form.cleaned_data)
            messages.success(request, _("The allocation weights of this fair are saved."))
            return redirect("booths:allocation", slug=event.slug)
    elif request.method == "POST" and request.POST.get("action") == "start":
        start_form = AllocationStartForm(request.POST)
        if start_form.is_valid():
            run = services.allocation_start(event=event, by=request.user, **start_form.cleaned_data)
            messages.success(request, _("The allocation has started; this page shows its progress."))
            return redirect("booths:allocation_run", pk=run.pk)
    elif request.method == "POST":
        messages.error(request, _("Unknown action: nothing was changed."))
        return redirect("booths:allocation", slug=event.slug)
    context = {
        "event": event,
        "rules_form": rules_form,
        "start_form": start_form,
        "runs": selectors.allocation_runs(event),
    }
    return render(request, "booths/allocation/index.html", context)


# --- one run ----------------------------------------------------------------------------------


def _progress_json(run) -> JsonResponse:
    return JsonResponse(
        {
            "status": run.status,
            "status_label": str(R(run.status).label),
            "progress": run.progress,
            "message": run.message,
            "working": run.status in WORKING,
        }
    )


@staff_required
@require_http_methods(["GET"])
def allocation_run(request, pk):
    """One run: its progress while it works (JSON with ?format=json), then the plan to review."""
    run = _run_or_404(request, pk)
    if request.GET.get("format") == "json":
        return _progress_json(run)
    context = {"event": run.event, "run": run, "working": run.status in WORKING}
    if run.status in (R.DONE, R.APPLIED) and run.stored_plan.ready:
        context.update(_review_context(run, request))
    return render(request, "booths/allocation/run.html", context)


def _review_context(run, request, **forms) -> dict:
    plan = run.stored_plan
    changes = selectors.plan_changes(run)
    for change in changes:
        change.explanation_text = [selectors.reason_text(plan, reason) for reason in change.explanation]
        change.reason_text = selectors.reason_text(plan, change.reason) if change.reason else ""
    counts = {kind: sum(1 for c in changes if c.kind == kind) for kind in ("new", "moved", "unchanged", "unplaced")}
    editable = run.status == R.DONE
    return {
        "plan": plan,
        "changes": changes,
        "changed": [c for c in changes if c.kind != "unchanged"],
        "unchanged": [c for c in changes if c.kind == "unchanged"],
        "counts": counts,
        "editable": editable,
        "map": _plan_map(run, changes),
        "move_form": forms.get("move_form") or PlanMoveForm(plan=plan),
        "swap_form": forms.get("swap_form") or PlanSwapForm(plan=plan),
        "pin_form": forms.get("pin_form") or PlanPinForm(plan=plan),
        "apply_form": forms.get("apply_form") or ApplyForm(),
    }


def _plan_map(run, changes):
    """The hall with the plan's occupants, as the booth map draws it."""
    data = booth_map_data(event=run.event)
    current = {o.application_id: o for o in data.occupants.values()}
    occupants, classes = {}, {}
    kinds = {c.application_id: c.kind for c in changes}
    for application_id, entry in run.stored_plan.assignments.items():
        known = current.get(application_id)
        occupant = known or MapOccupant(
            application_id=application_id, vendor_id=0, name=entry.name, sign_name=entry.name, source="auto"
        )
        occupant = dataclasses.replace(occupant, pinned=entry.pinned)
        for booth_id in entry.booths:
            occupants[booth_id] = occupant
            classes[booth_id] = f"plan-{kinds.get(application_id, 'unchanged')}"
    data = dataclasses.replace(data, occupants=occupants)
    return booth_map_for_page(event=run.event, audience=STAFF, data=data, booth_classes=classes)


# --- adjusting and applying -------------------------------------------------------------------

ADJUSTMENTS = {"move": PlanMoveForm, "swap": PlanSwapForm, "pin": PlanPinForm}


@staff_required
@require_POST
def allocation_adjust(request, pk):
    """Move one application to other booths, swap two, or pin one, in the plan (not yet applied)."""
    run = _run_or_404(request, pk)
    action = request.POST.get("action")
    form_class = ADJUSTMENTS.get(action)
    if form_class is None:
        messages.error(request, _("Unknown change: nothing was changed."))
        return redirect("booths:allocation_run", pk=run.pk)
    form = form_class(request.POST, plan=run.stored_plan)
    if form.is_valid():
        data = form.cleaned_data
        try:
            if action == "move":
                plan_services.plan_move(
                    run=run, application_id=data["application"], booth_id=data["booth"], by=request.user
                )
                done = _("The plan is changed: %(name)s moved.")
                subject = data["application"]
            elif action == "swap":
                plan_services.plan_swap(run=run, first_id=data["first"], second_id=data["second"], by=request.user)
                done = _("The plan is changed: %(name)s swapped booths.")
                subject = data["first"]
            else:
                plan_services.plan_pin(
                    run=run, application_id=data["application"], pinned=data["pinned"], by=request.user
                )
                done = _("%(name)s will be pinned.") if data["pinned"] else _("%(name)s will not be pinned.")
                subject = data["application"]
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            name = run.stored_plan.name_of(subject) or ""
            messages.success(request, done % {"name": name})
            return redirect(reverse("booths:allocation_run", args=[run.pk]) + "#adjust")
    run = _run_or_404(request, pk)
    context = {"event": run.event, "run": run, "working": False}
    if run.stored_plan.ready:
        context.update(_review_context(run, request, **{f"{action}_form": form}))
    return render(request, "booths/allocation/run.html", context, status=400)


@staff_required
@require_POST
def allocation_apply(request, pk):
    """Give the planned booths now (all or nothing); refused if the assignments changed meanwhile."""
    run = _run_or_404(request, pk)
    form = ApplyForm(request.POST)
    if form.is_valid():
        try:
            run = services.allocation_apply(run=run, by=request.user)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
            return redirect("booths:allocation_run", pk=run.pk)
        messages.success(request, run.message)
        return redirect("booths:allocation_run", pk=run.pk)
    context = {"event": run.event, "run": run, "working": False}
    if run.stored_plan.ready:
        context.update(_review_context(run, request, apply_form=form))
    return render(request, "booths/allocation/run.html", context, status=400)


urlpatterns = [
    path("staff/fairs/<slug:slug>/allocation/", allocation, name="allocation"),
    path("staff/allocation/<int:pk>/", allocation_run, name="allocation_run"),
    path("staff/allocation/<int:pk>/adjust/", allocation_adjust, name="allocation_adjust"),
    path("staff/allocation/<int:pk>/apply/", allocation_apply, name="allocation_apply"),
]
