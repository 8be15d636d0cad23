"""Writes of the automatic allocation: a fair's weights, starting a run, applying its plan. The
worker's part is allocation_run.py (run by booths.tasks.run_allocation); adjusting a plan before it
is applied is allocation_plan.py.

What a run places (documented in selectors.allocation.AllocationInput): by default every booth
held now stays where it is and the approved applications without a booth are placed; "re-plan"
also moves held, unpinned booths of approved applications (pinned and confirmed ones stay).

Applying takes the fair's booth rows in id order, compares the assignments with the fingerprint
taken when the plan was made, and refuses (writing nothing) if anyone changed them meanwhile.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tuanhang.kernel.page_cache import fair_changed
from vendors.models import Application
from vendors.services.amounts import recompute_amounts_due

from .. import allocation as alg
from ..models import AllocationRules, AllocationRun, Assignment, AssignmentChange, Booth
from ..plans import KEEP, REPLAN, StoredPlan
from ..selectors.allocation import current_fingerprint
from ..tasks import run_allocation
from .allocation_plan import StalePlan, current_data, locked_done_run, refuse_if_broken
from .core import BoothTaken, booth_assign

R = AllocationRun.Status
WEIGHTS = tuple(alg.Rules.__dataclass_fields__)


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
    with transaction.atomic():
        run = AllocationRun.objects.create(
            event=event,
            status=R.QUEUED,
            time_limit=time_limit,
            created_by=by,
            assignments_fingerprint=current_fingerprint(event),
            plan=StoredPlan(mode=REPLAN if replan else KEEP).dump(),
            message=_("Waiting for a worker to start the allocation."),
        )
        if queue:
            transaction.on_commit(lambda: run_allocation.delay(run.pk), robust=True)
    return run


def allocation_apply(*, run, by=None) -> AllocationRun:
    """Turn the plan into held booth assignments (source automatic), all or nothing.

    Locks the fair's booths in id order, then refuses with StalePlan if the active assignments no
    longer match the run's fingerprint, or with a ValidationError if the plan breaks a hard rule
    or names an application that is no longer approved. Otherwise releases the booths of moved
    applications (re-plan), gives the planned booths through booth_assign, pins those marked,
    records every change (AssignmentChange, with the run) and marks the run applied."""
    with transaction.atomic():
        run, plan = locked_done_run(run)
        event = run.event
        booths = _lock_booths(event)
        if current_fingerprint(event) != run.assignments_fingerprint:
            raise StalePlan()
        data = current_data(run, plan)
        fixed, planned = plan.fixed(), plan.planned()
        names = {rid: entry.name for rid, entry in plan.assignments.items()}
        refuse_if_broken(data, fixed, planned, names)
        changes = _apply_assignments(run, plan, data, booths, by)
        AssignmentChange.objects.bulk_create(changes)
        fair_changed(run.event_id)  # releases and pins are bulk updates: no signal reaches the public cache
        run.status, run.applied_at, run.applied_by = R.APPLIED, timezone.now(), by
        run.message = _("Applied: %(count)s applications received booths.") % {
            "count": len({c.application_id for c in changes if c.action != AssignmentChange.Action.PIN})
        }
        run.save(update_fields=["status", "applied_at", "applied_by", "message"])
    return run


def _lock_booths(event) -> dict:
    """The fair's booths by id, their rows locked in id order (the order a choice locks them in)."""
    return Booth.objects.select_for_update().filter(event=event).order_by("pk").in_bulk()


def _apply_assignments(run, plan: StoredPlan, data, booths, by) -> list[AssignmentChange]:
    fixed = plan.fixed()
    work = {
        rid: ids
        for rid, ids in plan.planned().items()
        if rid not in fixed and sorted(ids) != sorted(data.current.get(rid, []))
    }
    applications = Application.objects.select_related("event").in_bulk(list(work))
    for rid in work:
        application = applications.get(rid)
        if application is None or application.status != Application.Status.APPROVED:
            raise ValidationError(
                _("%(name)s is no longer approved — run the allocation again.") % {"name": plan.assignments[rid].name},
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
                    booth=booths[booth_id],
                    application=applications[rid],
                    source=Assignment.Source.AUTO,
                    by=by,
                    recompute=False,
                )
            except BoothTaken as exc:  # cannot happen under the lock unless the data is broken
                raise StalePlan() from exc
            if plan.assignments[rid].pinned:
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
    recompute_amounts_due(application_ids=list(work))
    if to_pin:
        Assignment.objects.filter(pk__in=to_pin).update(pinned=True)
        changes.extend(
            AssignmentChange(
                event_id=run.event_id, application_id=rid, action=A.PIN, to_booth_id=ids[0], run=run, changed_by=by
            )
            for rid, ids in work.items()
            if plan.assignments[rid].pinned
        )
    return changes
