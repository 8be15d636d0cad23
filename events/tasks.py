import logging

from celery import shared_task

from .services import events_advance_by_dates

logger = logging.getLogger(__name__)


@shared_task(name="events.advance_by_dates")
def advance_events_by_dates():
    """Periodic: open and close registration, start and finish fairs as their dates pass."""
    steps = events_advance_by_dates()
    if steps:
        logger.info("advanced %s fair status step(s)", steps)
    return steps
