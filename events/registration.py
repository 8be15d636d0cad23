"""A fair's registration window: whether it accepts applications now, and why not, in words for
the business (the fair page, the apply form and the applying services all ask here)."""

from django.utils import formats, timezone
from django.utils.translation import gettext as _

from .models import Event

E = Event.Status
_CLOSED_STATUSES = {E.REGISTRATION_CLOSED, E.RUNNING, E.FINISHED, E.ARCHIVED}


def when(at) -> str:
    """A moment as the fair's pages show it."""
    # Vietnamese order and a 24-hour clock whatever the interface language, as on every page.
    return formats.date_format(timezone.localtime(at), "H:i d/m/Y")


def registration_is_open(event: Event, *, now=None) -> bool:
    """Whether the fair accepts applications now: status "registration open" and now in its window."""
    now = now or timezone.now()
    return event.status == E.REGISTRATION_OPEN and event.registration_opens_at <= now < event.registration_closes_at


def registration_refusal(event: Event, *, now=None) -> str | None:
    """Why the fair does not accept applications now, as a sentence for the business; None when it does."""
    now = now or timezone.now()
    if registration_is_open(event, now=now):
        return None
    names = {"fair": event.name}
    if now >= event.registration_closes_at:
        return _("Registration for “%(fair)s” closed at %(at)s.") % {**names, "at": when(event.registration_closes_at)}
    if event.status in _CLOSED_STATUSES:
        return _("Registration for “%(fair)s” has been closed by the organiser.") % names
    if now < event.registration_opens_at:
        return _("Registration for “%(fair)s” opens at %(at)s.") % {**names, "at": when(event.registration_opens_at)}
    return _("“%(fair)s” is not accepting applications yet.") % names
