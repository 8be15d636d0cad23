"""The periodic reminders sweep (beat runs it every minute; see CELERY_BEAT_SCHEDULE) and the Zalo
token refresh (every 30 minutes). Imported by the app's AppConfig.ready so the worker knows the
tasks."""

import logging

from celery import shared_task

from .services import reminders_sweep
from .zalo import ZaloRefreshError, zalo_token_refresh

logger = logging.getLogger(__name__)


@shared_task(name="reminders.sweep", acks_late=True)
def sweep_reminders() -> int:
    """Periodic (every minute): record the deliveries that are due and queue pending ones.
    Safe to run twice or concurrently. Returns how many deliveries were queued."""
    report = reminders_sweep()
    if report.due_total or report.queued:
        logger.info("reminders: %s due, %s queued", report.due_total, report.queued)
    return report.queued


@shared_task(name="reminders.zalo_token_refresh", acks_late=True)
def refresh_zalo_token() -> str:
    """Periodic (every 30 minutes): refresh the Zalo OA access token when it expires within the
    hour, under the token row's lock (safe to run twice or concurrently: the second finds it fresh).
    A failure is stored on the token row (the admin shows it) and the old pair kept. Returns the
    outcome ("refreshed", "fresh", "no token", "failed")."""
    try:
        return zalo_token_refresh().outcome
    except ZaloRefreshError:
        return "failed"
