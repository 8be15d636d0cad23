"""The periodic reminders sweep (beat runs it every minute; see CELERY_BEAT_SCHEDULE). Imported by
the app's AppConfig.ready so the worker knows the task."""

import logging

from celery import shared_task

from .services import reminders_sweep

logger = logging.getLogger(__name__)


@shared_task(name="reminders.sweep", acks_late=True)
def sweep_reminders() -> int:
    """Periodic (every minute): record the deliveries that are due and queue pending ones.
    Safe to run twice or concurrently. Returns how many deliveries were queued."""
    report = reminders_sweep()
    if report.due_total or report.queued:
        logger.info("reminders: %s due, %s queued", report.due_total, report.queued)
    return report.queued
