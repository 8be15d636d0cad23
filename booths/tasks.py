"""Celery tasks of the booths app. Tasks take ids, load what they need and call one service."""

import logging

from celery import shared_task

from .services.allocation_run import allocation_execute

logger = logging.getLogger(__name__)


@shared_task(name="booths.run_allocation", acks_late=True)
def run_allocation(run_id: int) -> str | None:
    """Run one automatic allocation (AllocationRun `run_id`): saves its progress as it goes and
    stores the plan (status "done") or the error ("failed"). A run that is already finished,
    applied or discarded is left alone, so a task delivered twice does no harm; one whose starter
    may no longer change the fair (events/policy.py, fair.manage) fails without planning. Returns
    the run's final status, or None when there was nothing to do."""
    run = allocation_execute(run_id=run_id)
    if run is None:
        logger.info("allocation run %s: nothing to do (already finished or gone)", run_id)
        return None
    logger.info("allocation run %s: %s", run_id, run.status)
    return run.status
