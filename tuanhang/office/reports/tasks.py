"""Celery tasks of the reports. They take ids (or nothing) and call one service."""

import logging

from celery import shared_task

from .services import daily_summaries_sweep

logger = logging.getLogger(__name__)


@shared_task(name="reports.send_daily_summaries", acks_late=True)
def send_daily_summaries() -> int:
    """Daily (07:00): yesterday's summary to the organisers of each fair open for registration,
    exactly once per fair and day. Safe to run twice. Returns how many were sent."""
    sent = daily_summaries_sweep()
    logger.info("daily summaries sent: %s", sent)
    return sent
