"""Running an automatic allocation, the worker's part (booths.tasks.run_allocation): load the fair,
allocate with the progress saved as it goes, store the plan (booths.plans.StoredPlan) on the run."""

import logging
import time

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from events.policy import can

from .. import allocation as alg
from ..models import AllocationRun
from ..plans import KEEP, REPLAN, PlannedBooths, StoredPlan, Unplaced
from ..selectors.allocation import AllocationInput, allocation_input

logger = logging.getLogger(__name__)

R = AllocationRun.Status
PROGRESS_EVERY_SECONDS = 0.5


class ProgressSaver:
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
    finished, applied or discarded are left alone (a task delivered twice does nothing). A run
    started from the page fails at once, planning nothing, if the account that started it may no
    longer change the fair (its role was changed or removed while the run waited)."""
    claimed = AllocationRun.objects.filter(pk=run_id, status__in=[R.QUEUED, R.RUNNING]).update(
        status=R.RUNNING, progress=0, message=_("Loading the fair's booths and applications.")
    )
    if not claimed:
        return None
    run = AllocationRun.objects.select_related("event", "created_by").get(pk=run_id)
    if not starter_may_still_manage(run):
        AllocationRun.objects.filter(pk=run_id).update(
            status=R.FAILED,
            finished_at=timezone.now(),
            message=_(
                "The allocation was not run: the account that started it may no longer change this fair's booths."
            ),
        )
        run.refresh_from_db()
        return run
    mode = StoredPlan.load(run.plan).mode
    try:
        data = allocation_input(run.event, replan=mode == REPLAN)
        plan = alg.allocate(
            data.booths,
            data.requests,
            data.fixed,
            data.rules,
            time_limit=run.time_limit,
            workers=workers or getattr(settings, "ALLOCATION_WORKERS", 2),
            progress=ProgressSaver(run),
            kept=frozenset(data.kept),
        )
        stored = stored_plan(plan, data, mode=mode)
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
            plan=stored.dump(),
            assignments_fingerprint=data.fingerprint,
            message=done_message(stored),
        )
    run.refresh_from_db()
    return run


def starter_may_still_manage(run) -> bool:
    """Whether the account that started the run from the page may still change its fair. A run
    with no starter was made by the allocate_booths command, which an operator runs on the server."""
    if run.created_by_id is None:
        return True
    return can(run.created_by, "fair.manage", run.event)


def done_message(plan: StoredPlan) -> str:
    return _("Plan ready: %(placed)s of %(requests)s applications placed, %(unplaced)s without a booth.") % {
        "placed": plan.placed,
        "requests": plan.requests,
        "unplaced": plan.unplaced_count,
    }


def stored_plan(plan: alg.Plan, data: AllocationInput, *, mode=KEEP, to_place=None, pinned=frozenset()) -> StoredPlan:
    """The algorithm's plan as the run stores it. `to_place`: the applications the run was to place
    (default: the data's); `pinned`: those marked to be pinned when applied."""
    by_request = {r.id: r for r in data.requests}
    zone_of = {b.id: b.zone_id for b in data.booths}
    to_place = set(data.to_place if to_place is None else to_place)
    fixed = set(plan.pinned)
    placed = [rid for rid in plan.assignments if rid in to_place]
    first_choice = sum(1 for rid in placed if by_request[rid].zone_ranks[:1] == (zone_of[plan.assignments[rid][0]],))
    return StoredPlan(
        mode=mode,
        ready=True,
        status=plan.status,
        objective=plan.objective,
        bound=plan.bound,
        gap=plan.gap,
        seconds=plan.seconds,
        requests=len(to_place),
        placed=len(placed),
        unplaced_count=len(to_place) - len(placed),
        first_choice_zone=first_choice,
        hard_violations=plan.hard_violations,
        assignments={
            rid: PlannedBooths(
                application_id=rid,
                booths=tuple(booth_ids),
                codes=tuple(data.booth_codes[b] for b in booth_ids),
                name=data.names.get(rid, ""),
                fixed=rid in fixed,
                pinned=rid in data.pinned_now or rid in pinned,
                explanation=tuple(reason.as_dict() for reason in plan.explanations.get(rid, [])),
            )
            for rid, booth_ids in plan.assignments.items()
        },
        unplaced={
            rid: Unplaced(application_id=rid, name=data.names.get(rid, ""), reason=reason.as_dict())
            for rid, reason in plan.unplaced.items()
            if rid in to_place
        },
        zones=dict(data.zones),
        booth_codes=dict(data.booth_codes),
    )
