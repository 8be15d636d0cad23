"""The reminders staff must look at: recorded sent, not confirmed by the server after a grace period,
not sent again since. Read by the fair's dashboard (tuanhang.office.selectors.dashboard), the delivery
log, the resend of all of them and the sweep's automatic resend; a module of its own because the
dashboard cannot import the reminders' selectors (they import the reports, which import the dashboard).
"""

from datetime import timedelta

from django.conf import settings
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from .models import OutboxStatus, ReminderDelivery


def unconfirmed_grace() -> timedelta:
    """How long a delivery may stay sent without the server's confirmation before it is flagged."""
    return timedelta(minutes=getattr(settings, "REMINDERS_UNCONFIRMED_GRACE_MINUTES", 15))


def flagged_q(now) -> Q:
    """Recorded sent before the grace period, never confirmed, and not taken over by a resend (one
    waiting or sent; a resend that failed or was not needed leaves the original flagged)."""
    taken_over = ReminderDelivery.objects.filter(
        resent_from=OuterRef("pk"), status__in=(OutboxStatus.PENDING, OutboxStatus.SENT)
    )
    return Q(
        Q(status=OutboxStatus.SENT, confirmed_at__isnull=True, sent_at__lt=now - unconfirmed_grace()),
        ~Exists(taken_over),
    )


def flagged_unconfirmed(*, now=None) -> QuerySet[ReminderDelivery]:
    """The deliveries staff must look at: recorded sent (the point of no return was passed, or a
    crash came during the commit that recorded it), but no confirmation from the server for longer
    than REMINDERS_UNCONFIRMED_GRACE_MINUTES, and no resend since. The message may have arrived or
    not. Every fair's: filter by event. The fair's dashboard counts these, the delivery log lists
    them ("status=flagged"), the resend of all of them and the sweep's automatic resend take them."""
    return ReminderDelivery.objects.filter(flagged_q(now or timezone.now()))
