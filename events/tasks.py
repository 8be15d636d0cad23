import logging

from celery import shared_task

from .generated.building import generated_file_execute
from .services import events_advance_by_dates

logger = logging.getLogger(__name__)


@shared_task(name="events.advance_by_dates")
def advance_events_by_dates():
    """Periodic: open and close registration, start and finish fairs as their dates pass."""
    steps = events_advance_by_dates()
    if steps:
        logger.info("advanced %s fair status step(s)", steps)
    return steps


@shared_task(name="events.build_generated_file", acks_late=True)
def build_generated_file(file_id: int) -> str | None:
    """Build one queued GeneratedFile (a print or report): saves its progress as it goes, then the
    file (status "done") or the error ("failed"). A file already finished or gone is left alone,
    so a task delivered twice does no harm. Returns the final status, or None."""
    generated = generated_file_execute(file_id=file_id)
    if generated is None:
        logger.info("generated file %s: nothing to do (already finished or gone)", file_id)
        return None
    return generated.status
