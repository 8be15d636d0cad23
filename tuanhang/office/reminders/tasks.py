"""Celery task sending reminders. It takes ids, calls one service and owns the retries. The periodic
sweep is periodic.py (the sweep queues this task, so the two cannot share a module)."""

import logging

from celery import shared_task

from .sending import deliveries_send

logger = logging.getLogger(__name__)


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
