"""Celery tasks of the reminders. They take ids, call one service and own the retries."""

import logging

from celery import shared_task

from .services import deliveries_send, reminders_sweep

logger = logging.getLogger(__name__)


@shared_task(name="reminders.sweep", acks_late=True)
def sweep_reminders() -> int:
    """Periodic (every minute): record the deliveries that are due and queue pending ones.
    Safe to run twice or concurrently. Returns how many deliveries were queued."""
    report = reminders_sweep()
    if report.due_total or report.queued:
        logger.info("reminders: %s due, %s queued", report.due_total, report.queued)
    return report.queued


@shared_task(name="reminders.send", acks_late=True)
def send_reminders(delivery_ids: list[int]) -> dict:
    """Send these deliveries, each exactly once under its own row lock. A temporary failure is
    queued again with backoff (countdown capped below the broker's visibility timeout); the
    sweep also picks up any pending row whose task was lost. Returns outcomes counted."""
    outcomes = {}
    for delivery_id, result in deliveries_send(delivery_ids=delivery_ids).items():
        outcomes[result.outcome] = outcomes.get(result.outcome, 0) + 1
        if result.retry_in is not None:
            send_reminders.apply_async(([delivery_id],), countdown=result.retry_in)
    return outcomes
