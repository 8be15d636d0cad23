"""Writes of the automatic allocation: a fair's weights, runs (start, execute in the worker, adjust
the plan, pin, apply).

What a run places (documented in selectors.allocation.AllocationInput): by default every booth
held now stays where it is and the approved applications without a booth are placed; "re-plan"
also moves held, unpinned booths of approved applications (pinned and confirmed ones stay).

Applying takes the fair's booth rows in id order, compares the assignments with the fingerprint
taken when the plan was made, and refuses (writing nothing) if anyone changed them meanwhile.
"""

import logging
import time

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tuanhang.kernel.page_cache import fair_changed
from vendors.models import Application

from .. import allocation as alg
from ..models import AllocationRules, AllocationRun, Assignment, AssignmentChange, Booth
from ..selectors.allocation import AllocationInput, allocation_input, current_fingerprint
from .core import BoothTaken, booth_assign

logger = logging.getLogger(__name__)

R = AllocationRun.Status
KEEP, REPLAN = "keep", "replan"
PROGRESS_EVERY_SECONDS = 0.5
WEIGHTS = tuple(alg.Rules.__dataclass_fields__)

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


# --- rules and runs ---------------------------------------------------------------------------


def allocation_rules_save(*, event, by=None, **weights) -> AllocationRules:
    """Set a fair's allocation weights (the fields of AllocationRules; others are refused)."""
    unknown = set(weights) - set(WEIGHTS)
    if unknown:
        raise ValueError(f"unknown weights: {sorted(unknown)}")
    with transaction.atomic():
        rules, _created = AllocationRules.objects.select_for_update().get_or_create(event=event)
        for name, value in weights.items():
            setattr(rules, name, value)
        rules.full_clean()
        rules.save()
    return rules


def allocation_start(*, event, by=None, time_limit=30, replan=False, queue=True) -> AllocationRun:
    """Create a queued run and, once committed, hand it to the worker (booths.tasks.run_allocation).
    `queue=False` leaves it for the caller to run (the allocate_booths command)."""
    from ..tasks import run_allocation

    with transaction.atomic():
        run = AllocationRun.objects.create(
            event=event,
            status=R.QUEUED,
            time_limit=time_limit,
            created_by=by,
            assignments_fingerprint=current_fingerprint(event),
            plan={"mode": REPLAN if replan else KEEP},
            message=_("Waiting for a worker to start the allocation."),
        )
        if queue:
            transaction.on_commit(lambda: run_allocation.delay(run.pk), robust=True)
    return run


class _ProgressSaver:
    """The algorithm's progress callback: saves the run's progress at most every half second."""

    def __init__(self, run):
        self.run, self.saved_at = run, 0.0

    def __call__(self, progress):
        now = time.monotonic()
        if progress.percent < 100 and now - self.saved_at < PROGRESS_EVERY_SECONDS:
            return
        self.saved_at = now
        message = _("Looking for the best plan: %(seconds)s of at most %(limit)s seconds.") % {
            "seconds": int(progress.elapsed),
            "limit": self.run.time_limit,
        }
        AllocationRun.objects.filter(pk=self.run.pk, status=R.RUNNING).update(
            progress=min(progress.percent, 99), message=message
        )


def allocation_execute(*, run_id, workers=None) -> AllocationRun | None:
    """Do a run's work (the worker calls this): load the fair, allocate, store the plan. Sets the
    run running, then done (with the plan) or failed (with the error). Runs that are already
    finished, applied or discarded are left alone (a task delivered twice does nothing)."""
    claimed = AllocationRun.objects.filter(pk=run_id, status__in=[R.QUEUED, R.RUNNING]).update(
        status=R.RUNNING, progress=0, message=_("Loading the fair's booths and applications.")
    )
    if not claimed:
        return None
    run = AllocationRun.objects.select_related("event").get(pk=run_id)
    mode = (run.plan or {}).get("mode", KEEP)
    try:
        data = allocation_input(run.event, replan=mode == REPLAN)
        plan = alg.allocate(
            data.booths,
            data.requests,
            data.fixed,
            data.rules,
            time_limit=run.time_limit,
            workers=workers or getattr(settings, "ALLOCATION_WORKERS", 2),
            progress=_ProgressSaver(run),
            kept=frozenset(data.kept),
        )
        payload = plan_payload(plan, data, mode=mode)
    except Exception as exc:
        logger.exception("allocation run %s failed", run_id)
        AllocationRun.objects.filter(pk=run_id).update(
            status=R.FAILED,
            finished_at=timezone.now(),
            message=(_("The allocation failed: %(error)s") % {"error": exc})[:255],
        )
    else:
        AllocationRun.objects.filter(pk=run_id).update(
            status=R.DONE,
            progress=100,
            finished_at=timezone.now(),
            plan=payload,
            assignments_fingerprint=data.fingerprint,
            message=_done_message(payload),
        )
    run.refresh_from_db()
    return run


def _done_message(payload) -> str:
    return _("Plan ready: %(placed)s of %(requests)s applications placed, %(unplaced)s without a booth.") % {
        "placed": payload["placed"],
        "requests": payload["requests"],
        "unplaced": payload["unplaced_count"],
    }


def plan_payload(plan: alg.Plan, data: AllocationInput, *, mode=KEEP, to_place=None, pinned=frozenset()) -> dict:
    """The plan as stored on the run (JSON: keys are strings). `to_place`: the applications the
    run was to place (default: the data's); `pinned`: those marked to be pinned when applied."""
    by_request = {r.id: r for r in data.requests}
    zone_of = {b.id: b.zone_id for b in data.booths}
    to_place = set(data.to_place if to_place is None else to_place)
    fixed = set(plan.pinned)
    placed = [rid for rid in plan.assignments if rid in to_place]
    first_choice = sum(1 for rid in placed if by_request[rid].zone_ranks[:1] == (zone_of[plan.assignments[rid][0]],))
    return {
        "mode": mode,
        "status": plan.status,
        "objective": plan.objective,
        "bound": plan.bound,
        "gap": plan.gap,
        "seconds": plan.seconds,
        "requests": len(to_place),
        "placed": len(placed),
        "unplaced_count": len(to_place) - len(placed),
        "first_choice_zone": first_choice,
        "hard_violations": plan.hard_violations,
        "assignments": {
            str(rid): {
                "booths": list(booth_ids),
                "codes": [data.booth_codes[b] for b in booth_ids],
                "name": data.names.get(rid, ""),
                "fixed": rid in fixed,
                "pinned": rid in data.pinned_now or rid in pinned,
                "explanation": [reason.as_dict() for reason in plan.explanations.get(rid, [])],
            }
            for rid, booth_ids in plan.assignments.items()
        },
        "unplaced": {
            str(rid): {"name": data.names.get(rid, ""), "reason": reason.as_dict()}
            for rid, reason in plan.unplaced.items()
            if rid in to_place
        },
        "zones": {str(zone): label for zone, label in data.zones.items()},
        "booth_codes": {str(booth): code for booth, code in data.booth_codes.items()},
    }


# --- adjusting a plan -------------------------------------------------------------------------


def _locked_done_run(run) -> AllocationRun:
    locked = AllocationRun.objects.select_for_update().select_related("event").get(pk=run.pk)
    if locked.status != R.DONE:
        raise ValidationError(
            _("Only a plan ready for review can be changed or applied; this one is “%(status)s”.")
            % {"status": R(locked.status).label},
            code="invalid_state",
        )
    return locked


def _planned(run) -> dict:
    return {int(rid): list(entry["booths"]) for rid, entry in run.plan["assignments"].items()}


def _fixed(run) -> dict:
    return {int(rid): list(entry["booths"]) for rid, entry in run.plan["assignments"].items() if entry["fixed"]}


def _name(run, application_id) -> str:
    entry = run.plan["assignments"].get(str(application_id)) or run.plan["unplaced"].get(str(application_id))
    if entry is None:
        raise ValidationError(_("This application is not part of this plan."), code="not_in_plan")
    return entry["name"]


def _refuse_if_broken(data, fixed, assignments, names):
    violations = alg.check_plan(data.booths, data.requests, fixed, assignments)
    if violations:
        first = violations[0]
        raise ValidationError(
            _("%(name)s would get %(problem)s.")
            % {"name": names.get(first.request_id, "?"), "problem": VIOLATION_MESSAGES[first.kind]},
            code=first.kind,
        )


def _store(run, data, assignments, by, changes):
    """Re-score and re-explain the changed plan, save it and record the changes."""
    fixed = _fixed(run)
    plan = alg.assess(
        data.booths,
        data.requests,
        fixed,
        data.rules,
        assignments,
        kept=frozenset(rid for rid in fixed if rid in data.kept),
        bound=run.plan.get("bound"),
    )
    stored = run.plan
    to_place = [int(rid) for rid in (*stored["assignments"], *stored["unplaced"]) if int(rid) not in fixed]
    pinned = {int(rid) for rid, entry in stored["assignments"].items() if entry.get("pinned")}
    run.plan = {
        **plan_payload(plan, data, mode=stored["mode"], to_place=to_place, pinned=pinned),
        "status": "adjusted",
        "seconds": stored.get("seconds"),
    }
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


def _current_data(run) -> AllocationInput:
    """The fair now, for checking a plan; StalePlan if an application the plan keeps is gone."""
    data = allocation_input(run.event, replan=run.plan.get("mode") == REPLAN)
    known = {r.id for r in data.requests}
    if any(int(rid) not in known for rid in run.plan["assignments"]):
        raise StalePlan()
    return data


def _movable(run, application_id):
    entry = run.plan["assignments"].get(str(application_id))
    if entry is not None and entry["fixed"]:
        raise ValidationError(
            _("%(name)s keeps the booths it already holds; change them on the booth pages, not in the plan.")
            % {"name": entry["name"]},
            code="fixed",
        )


def plan_move(*, run, application_id, booth_id, by=None) -> AllocationRun:
    """Move an application in the plan to free booths: as many as it needs, side by side from
    `booth_id` to the right. Refused if that breaks a hard rule; recorded as a plan change."""
    with transaction.atomic():
        run = _locked_done_run(run)
        name = _name(run, application_id)
        _movable(run, application_id)
        data = _current_data(run)
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
        assignments = _planned(run)
        before = assignments.pop(application_id, [None])[0]
        # The moved application last, so a clash is reported against it.
        assignments = {**assignments, application_id: segment}
        names = {int(rid): e["name"] for rid, e in (*run.plan["assignments"].items(), *run.plan["unplaced"].items())}
        _refuse_if_broken(data, _fixed(run), assignments, names)
        _store(run, data, assignments, by, [(application_id, AssignmentChange.Action.PLAN, before, segment[0])])
    return run


def plan_swap(*, run, first_id, second_id, by=None) -> AllocationRun:
    """Exchange the planned booths of two applications; refused if that breaks a hard rule (for
    instance when they need different numbers of booths)."""
    if first_id == second_id:
        raise ValidationError(_("Choose two different applications to swap."), code="same")
    with transaction.atomic():
        run = _locked_done_run(run)
        for application_id in (first_id, second_id):
            if str(application_id) not in run.plan["assignments"]:
                raise ValidationError(
                    _("%(name)s has no booth in this plan to swap.") % {"name": _name(run, application_id)},
                    code="not_placed",
                )
            _movable(run, application_id)
        data = _current_data(run)
        assignments = _planned(run)
        first, second = assignments.pop(first_id), assignments.pop(second_id)
        assignments = {**assignments, first_id: second, second_id: first}
        names = {int(rid): e["name"] for rid, e in run.plan["assignments"].items()}
        _refuse_if_broken(data, _fixed(run), assignments, names)
        swap = AssignmentChange.Action.PLAN
        _store(
            run, data, assignments, by, [(first_id, swap, first[0], second[0]), (second_id, swap, second[0], first[0])]
        )
    return run


def plan_pin(*, run, application_id, pinned=True, by=None) -> AllocationRun:
    """Mark an application's planned booths to be created pinned (or not) when the plan is applied."""
    with transaction.atomic():
        run = _locked_done_run(run)
        entry = run.plan["assignments"].get(str(application_id))
        if entry is None:
            raise ValidationError(
                _("%(name)s has no booth in this plan to pin.") % {"name": _name(run, application_id)},
                code="not_placed",
            )
        _movable(run, application_id)
        entry["pinned"] = bool(pinned)
        run.save(update_fields=["plan"])
        action = AssignmentChange.Action.PIN if pinned else AssignmentChange.Action.UNPIN
        AssignmentChange.objects.create(
            event_id=run.event_id,
            application_id=application_id,
            action=action,
            from_booth_id=entry["booths"][0],
            to_booth_id=entry["booths"][0],
            run=run,
            changed_by=by,
        )
    return run


# --- applying ---------------------------------------------------------------------------------


def allocation_apply(*, run, by=None) -> AllocationRun:
    """Turn the plan into held booth assignments (source automatic), all or nothing.

    Locks the fair's booths in id order, then refuses with StalePlan if the active assignments no
    longer match the run's fingerprint, or with a ValidationError if the plan breaks a hard rule
    or names an application that is no longer approved. Otherwise releases the booths of moved
    applications (re-plan), gives the planned booths through booth_assign, pins those marked,
    records every change (AssignmentChange, with the run) and marks the run applied."""
    with transaction.atomic():
        run = _locked_done_run(run)
        event = run.event
        booths = Booth.objects.select_for_update().filter(event=event).order_by("pk").in_bulk()
        if current_fingerprint(event) != run.assignments_fingerprint:
            raise StalePlan()
        data = _current_data(run)
        fixed = _fixed(run)
        planned = _planned(run)
        names = {int(rid): e["name"] for rid, e in run.plan["assignments"].items()}
        _refuse_if_broken(data, fixed, planned, names)
        changes = _apply_assignments(run, data, booths, planned, fixed, by)
        AssignmentChange.objects.bulk_create(changes)
        fair_changed(run.event_id)  # releases and pins are bulk updates: no signal reaches the public cache
        run.status, run.applied_at, run.applied_by = R.APPLIED, timezone.now(), by
        run.message = _("Applied: %(count)s applications received booths.") % {
            "count": len({c.application_id for c in changes if c.action != AssignmentChange.Action.PIN})
        }
        run.save(update_fields=["status", "applied_at", "applied_by", "message"])
    return run


def _apply_assignments(run, data, booths, planned, fixed, by) -> list[AssignmentChange]:
    work = {
        rid: ids
        for rid, ids in planned.items()
        if rid not in fixed and sorted(ids) != sorted(data.current.get(rid, []))
    }
    applications = Application.objects.select_related("event").in_bulk(list(work))
    for rid in work:
        application = applications.get(rid)
        if application is None or application.status != Application.Status.APPROVED:
            raise ValidationError(
                _("%(name)s is no longer approved — run the allocation again.")
                % {"name": run.plan["assignments"][str(rid)]["name"]},
                code="not_approved",
            )
    moved = [rid for rid in work if data.current.get(rid)]
    if moved:
        Assignment.objects.filter(
            application_id__in=moved, booth__event=run.event, status__in=Assignment.ACTIVE
        ).update(status=Assignment.Status.RELEASED, released_at=timezone.now(), released_by=by)
    changes, to_pin = [], []
    A = AssignmentChange.Action
    for rid, booth_ids in work.items():
        before = data.current.get(rid, [])
        for position, booth_id in enumerate(booth_ids):
            try:
                assignment = booth_assign(
                    booth=booths[booth_id], application=applications[rid], source=Assignment.Source.AUTO, by=by
                )
            except BoothTaken as exc:  # cannot happen under the lock unless the data is broken
                raise StalePlan() from exc
            if run.plan["assignments"][str(rid)].get("pinned"):
                to_pin.append(assignment.pk)
            from_booth = before[position] if position < len(before) else None
            changes.append(
                AssignmentChange(
                    event_id=run.event_id,
                    application_id=rid,
                    action=A.MOVE if before else A.ASSIGN,
                    from_booth_id=from_booth,
                    to_booth_id=booth_id,
                    run=run,
                    changed_by=by,
                )
            )
    if to_pin:
        Assignment.objects.filter(pk__in=to_pin).update(pinned=True)
        changes.extend(
            AssignmentChange(
                event_id=run.event_id, application_id=rid, action=A.PIN, to_booth_id=ids[0], run=run, changed_by=by
            )
            for rid, ids in work.items()
            if run.plan["assignments"][str(rid)].get("pinned")
        )
    return changes
