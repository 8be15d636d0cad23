"""Adjusting an allocation plan before it is applied: move an application, swap two, pin one. Each
change is checked against the hard rules (booths.allocation.check_plan), re-scored, stored and
recorded as an AssignmentChange of the run."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .. import allocation as alg
from ..models import AllocationRun, AssignmentChange
from ..plans import REPLAN, StoredPlan
from ..selectors.allocation import AllocationInput, allocation_input
from .allocation_run import stored_plan

R = AllocationRun.Status

# What check_plan's findings mean to an organiser.
VIOLATION_MESSAGES = {
    "unknown_request": gettext_lazy("an application that is not part of this fair"),
    "unknown_booth": gettext_lazy("a booth that is not part of this fair"),
    "double_booking": gettext_lazy("a booth already used in this plan"),
    "blocked": gettext_lazy("a blocked booth"),
    "booth_count": gettext_lazy("the wrong number of booths"),
    "not_adjacent": gettext_lazy("booths that are not side by side in one row"),
    "booth_type": gettext_lazy("booths of another booth type"),
    "zone_category": gettext_lazy("a zone that does not take its product categories"),
    "mixed_types": gettext_lazy("booths of more than one booth type"),
    "pinned_moved": gettext_lazy("a booth that must stay where it is"),
}


class StalePlan(ValidationError):
    """The fair's assignments changed after the plan was made."""

    def __init__(self):
        super().__init__(
            _("The booth assignments changed since this plan was made — run the allocation again."), code="stale"
        )


def locked_done_run(run) -> tuple[AllocationRun, StoredPlan]:
    """The run locked for update with its plan; refused unless the plan is ready for review."""
    locked = AllocationRun.objects.select_for_update().select_related("event").get(pk=run.pk)
    if locked.status != R.DONE:
        raise ValidationError(
            _("Only a plan ready for review can be changed or applied; this one is “%(status)s”.")
            % {"status": R(locked.status).label},
            code="invalid_state",
        )
    return locked, StoredPlan.load(locked.plan)


def _name(plan: StoredPlan, application_id) -> str:
    name = plan.name_of(application_id)
    if name is None:
        raise ValidationError(_("This application is not part of this plan."), code="not_in_plan")
    return name


def refuse_if_broken(data, fixed, assignments, names):
    """ValidationError naming the first hard rule `assignments` break, if any."""
    violations = alg.check_plan(data.booths, data.requests, fixed, assignments)
    if violations:
        first = violations[0]
        raise ValidationError(
            _("%(name)s would get %(problem)s.")
            % {"name": names.get(first.request_id, "?"), "problem": VIOLATION_MESSAGES[first.kind]},
            code=first.kind,
        )


def _store(run, plan: StoredPlan, data, assignments, by, changes):
    """Re-score and re-explain the changed plan, save it and record the changes."""
    fixed = plan.fixed()
    assessed = alg.assess(
        data.booths,
        data.requests,
        fixed,
        data.rules,
        assignments,
        kept=frozenset(rid for rid in fixed if rid in data.kept),
        bound=plan.bound,
    )
    to_place = [rid for rid in (*plan.assignments, *plan.unplaced) if rid not in fixed]
    adjusted = stored_plan(assessed, data, mode=plan.mode, to_place=to_place, pinned=plan.pinned_ids())
    run.plan = {**adjusted.dump(), "status": "adjusted", "seconds": plan.seconds}
    run.save(update_fields=["plan"])
    AssignmentChange.objects.bulk_create(
        AssignmentChange(
            event_id=run.event_id,
            application_id=application_id,
            action=action,
            from_booth_id=from_booth,
            to_booth_id=to_booth,
            run=run,
            changed_by=by,
        )
        for application_id, action, from_booth, to_booth in changes
    )


def current_data(run, plan: StoredPlan) -> AllocationInput:
    """The fair now, for checking a plan; StalePlan if an application the plan keeps is gone."""
    data = allocation_input(run.event, replan=plan.mode == REPLAN)
    known = {r.id for r in data.requests}
    if any(rid not in known for rid in plan.assignments):
        raise StalePlan()
    return data


def _movable(plan: StoredPlan, application_id):
    entry = plan.assignments.get(application_id)
    if entry is not None and entry.fixed:
        raise ValidationError(
            _("%(name)s keeps the booths it already holds; change them on the booth pages, not in the plan.")
            % {"name": entry.name},
            code="fixed",
        )


def plan_move(*, run, application_id, booth_id, by=None) -> AllocationRun:
    """Move an application in the plan to free booths: as many as it needs, side by side from
    `booth_id` to the right. Refused if that breaks a hard rule; recorded as a plan change."""
    with transaction.atomic():
        run, plan = locked_done_run(run)
        name = _name(plan, application_id)
        _movable(plan, application_id)
        data = current_data(run, plan)
        request = next((r for r in data.requests if r.id == application_id), None)
        if request is None:
            raise ValidationError(_("%(name)s is no longer approved for this fair.") % {"name": name}, code="gone")
        segment = alg.Layout(data.booths).segment_from(booth_id, request.booths_needed)
        if segment is None:
            raise ValidationError(
                _("%(name)s needs %(count)s booths side by side from there; the row is too short.")
                % {"name": name, "count": request.booths_needed},
                code="too_short",
            )
        assignments = plan.planned()
        before = assignments.pop(application_id, [None])[0]
        # The moved application last, so a clash is reported against it.
        assignments = {**assignments, application_id: segment}
        refuse_if_broken(data, plan.fixed(), assignments, plan.names())
        _store(run, plan, data, assignments, by, [(application_id, AssignmentChange.Action.PLAN, before, segment[0])])
    return run


def plan_swap(*, run, first_id, second_id, by=None) -> AllocationRun:
    """Exchange the planned booths of two applications; refused if that breaks a hard rule (for
    instance when they need different numbers of booths)."""
    if first_id == second_id:
        raise ValidationError(_("Choose two different applications to swap."), code="same")
    with transaction.atomic():
        run, plan = locked_done_run(run)
        for application_id in (first_id, second_id):
            if application_id not in plan.assignments:
                raise ValidationError(
                    _("%(name)s has no booth in this plan to swap.") % {"name": _name(plan, application_id)},
                    code="not_placed",
                )
            _movable(plan, application_id)
        data = current_data(run, plan)
        assignments = plan.planned()
        first, second = assignments.pop(first_id), assignments.pop(second_id)
        assignments = {**assignments, first_id: second, second_id: first}
        names = {rid: entry.name for rid, entry in plan.assignments.items()}
        refuse_if_broken(data, plan.fixed(), assignments, names)
        swap = AssignmentChange.Action.PLAN
        _store(
            run,
            plan,
            data,
            assignments,
            by,
            [(first_id, swap, first[0], second[0]), (second_id, swap, second[0], first[0])],
        )
    return run


def plan_pin(*, run, application_id, pinned=True, by=None) -> AllocationRun:
    """Mark an application's planned booths to be created pinned (or not) when the plan is applied."""
    with transaction.atomic():
        run, plan = locked_done_run(run)
        entry = plan.assignments.get(application_id)
        if entry is None:
            raise ValidationError(
                _("%(name)s has no booth in this plan to pin.") % {"name": _name(plan, application_id)},
                code="not_placed",
            )
        _movable(plan, application_id)
        run.plan = {**run.plan, **plan.with_pin(application_id, bool(pinned)).dump()}
        run.save(update_fields=["plan"])
        action = AssignmentChange.Action.PIN if pinned else AssignmentChange.Action.UNPIN
        AssignmentChange.objects.create(
            event_id=run.event_id,
            application_id=application_id,
            action=action,
            from_booth_id=entry.booths[0],
            to_booth_id=entry.booths[0],
            run=run,
            changed_by=by,
        )
    return run
