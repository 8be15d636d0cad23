"""Writes of the reminders: default rules for a fair, saving a rule, the sweep that records what
is due and queues it, and a staff resend. Sending itself is sending.py (run by tasks.send_reminders);
the periodic sweep task is periodic.py."""

import logging
from dataclasses import dataclass, field
from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from .defaults import DEFAULT_RULES
from .models import OutboxStatus, ReminderDelivery, ReminderRule
from .selectors import active_rules, auto_resend_candidates, due_applications, pending_to_queue
from .tasks import send_reminders
from .unconfirmed import flagged_unconfirmed

logger = logging.getLogger(__name__)

P = OutboxStatus
R = ReminderRule
# Deliveries per task: their messages' data is loaded in a few queries per task, and each row is
# still locked and sent on its own. A task delivered again after a crash finds the sent ones sent.
CHUNK = 100
QUEUE_LIMIT = 50_000  # per sweep; the next sweep takes the rest


def reminder_rules_create_defaults(*, event) -> int:
    """Give a fair the default reminder rules (reminders.defaults) unless it has rules already.
    Safe to call again. Returns how many rules were created."""
    with transaction.atomic():
        if ReminderRule.objects.select_for_update().filter(event=event).exists():
            return 0
        ReminderRule.objects.bulk_create(ReminderRule(event=event, **rule) for rule in DEFAULT_RULES)
    return len(DEFAULT_RULES)


def reminder_rule_save(*, rule: ReminderRule, by=None) -> ReminderRule:
    """Save a rule checked by ReminderRuleForm, recording who changed it."""
    rule.updated_by = by if by is not None and by.is_authenticated else None
    with transaction.atomic():
        rule.save()
    return rule


# --- the sweep -------------------------------------------------------------------------------------


@dataclass
class SweepReport:
    due: list[tuple[ReminderRule, int]] = field(default_factory=list)
    queued: int = 0
    resent: int = 0

    @property
    def due_total(self) -> int:
        return sum(n for _rule, n in self.due)


def requeue_after() -> timedelta:
    return timedelta(seconds=getattr(settings, "REMINDERS_REQUEUE_AFTER_SECONDS", 600))


def reminders_sweep(*, now=None, dry_run=False) -> SweepReport:
    """Record one delivery row per rule and business that is due (INSERT … ON CONFLICT DO NOTHING
    on the unique (rule, application), so running it twice, or two at once, adds nothing), then
    queue the sending of pending rows on commit, the automatic resends of unconfirmed deliveries
    (deliveries_resend_automatically) among them. With dry_run nothing is written or queued."""
    now = now or timezone.now()
    report = SweepReport()
    for rule in active_rules():
        due = due_applications(rule, now)
        report.due.append((rule, len(due)))
        if dry_run or not due:
            continue
        with transaction.atomic():
            ReminderDelivery.objects.bulk_create(
                (
                    ReminderDelivery(rule=rule, application_id=pk, event_id=rule.event_id, due_at=due_at)
                    for pk, due_at in due
                ),
                ignore_conflicts=True,
                batch_size=1000,
            )
    if not dry_run:
        report.resent = deliveries_resend_automatically(now=now)
        report.queued = deliveries_queue(now=now)
    return report


def deliveries_resend_automatically(*, now=None) -> int:
    """Make one resend row (pending, queued by deliveries_queue) of each delivery flagged unconfirmed
    whose rule asks for it (ReminderRule.resend_unconfirmed): originals only, at most once each,
    sent no longer ago than the late limit. Two sweeps at once make one: the rows are inserted with
    ON CONFLICT DO NOTHING on the unique (resent_from) of automatic resends. Returns how many the
    candidates were (some may have been made by a concurrent sweep)."""
    now = now or timezone.now()
    originals = auto_resend_candidates(now)
    if originals:
        with transaction.atomic():
            ReminderDelivery.objects.bulk_create(
                (
                    ReminderDelivery(
                        rule_id=rule_id,
                        application_id=application_id,
                        event_id=event_id,
                        due_at=now,
                        is_resend=True,
                        resent_from_id=pk,
                        resent_automatically=True,
                    )
                    for pk, rule_id, application_id, event_id in originals
                ),
                ignore_conflicts=True,
                batch_size=1000,
            )
        logger.warning("reminders: %s unconfirmed deliveries resent automatically", len(originals))
    return len(originals)


def deliveries_queue(*, now=None) -> int:
    """Mark due pending deliveries as queued and queue their sending once this commits. Rows a
    worker holds right now are skipped (SKIP LOCKED), as are rows queued recently."""
    now = now or timezone.now()
    with transaction.atomic():
        ids = list(
            pending_to_queue(now, requeue_after())
            .select_for_update(skip_locked=True)
            .order_by("pk")
            .values_list("pk", flat=True)[:QUEUE_LIMIT]
        )
        for start in range(0, len(ids), 1000):
            ReminderDelivery.objects.filter(pk__in=ids[start : start + 1000]).update(queued_at=now)
        chunks = [ids[start : start + CHUNK] for start in range(0, len(ids), CHUNK)]
        transaction.on_commit(lambda: [send_reminders.delay(chunk) for chunk in chunks], robust=True)
    return len(ids)


# --- staff -----------------------------------------------------------------------------------------

RESENDABLE = (P.FAILED, P.SKIPPED)


def delivery_resend(*, delivery: ReminderDelivery, by=None) -> ReminderDelivery:
    """Send a failed, skipped or unconfirmed reminder again, as a new row (the original keeps its
    history). Refused while another resend of it is still waiting. Queued on commit."""
    with transaction.atomic():
        original = ReminderDelivery.objects.select_for_update().get(pk=delivery.pk)
        if not (original.status in RESENDABLE or original.unconfirmed):
            raise ValidationError(_("Only a failed, skipped or unconfirmed reminder can be sent again."), code="state")
        if ReminderDelivery.objects.filter(resent_from=original, status=P.PENDING).exists():
            raise ValidationError(_("This reminder is already waiting to be sent again."), code="pending")
        [copy] = _resend([original])
    logger.info("reminder delivery %s resent as %s by %s", original.pk, copy.pk, by)
    return copy


def deliveries_resend_flagged(*, event, by=None) -> int:
    """Send again every delivery of this fair flagged unconfirmed (selectors.flagged_unconfirmed),
    each as a new row, queued on commit. The flagged rows are locked, then read again under the lock,
    so two staff clicking at once resend each of them once. Returns how many were resent."""
    with transaction.atomic():
        ids = list(
            flagged_unconfirmed().filter(event=event).select_for_update().order_by("pk").values_list("pk", flat=True)
        )
        # Read again now that the rows are ours: a resend committed meanwhile takes a row out.
        originals = list(flagged_unconfirmed().filter(pk__in=ids).order_by("pk"))
        copies = _resend(originals)
    logger.info("reminders of %s: %s unconfirmed deliveries resent by %s", event.slug, len(copies), by)
    return len(copies)


def _resend(originals) -> list[ReminderDelivery]:
    """New resend rows of these deliveries (locked by the caller), queued once this commits."""
    now = timezone.now()
    copies = ReminderDelivery.objects.bulk_create(
        ReminderDelivery(
            rule_id=original.rule_id,
            application_id=original.application_id,
            event_id=original.event_id,
            due_at=now,
            is_resend=True,
            resent_from=original,
            queued_at=now,
        )
        for original in originals
    )
    chunks = [[copy.pk for copy in copies[start : start + CHUNK]] for start in range(0, len(copies), CHUNK)]
    transaction.on_commit(lambda: [send_reminders.delay(chunk) for chunk in chunks], robust=True)
    return copies


def recipients_forget(*, vendor, **kwargs) -> None:
    """vendor_erased receiver: the business's e-mail addresses and phones in its deliveries go with
    its personal data (inside the erasure's transaction); the deliveries themselves stay, counted."""
    ReminderDelivery.objects.filter(application__vendor=vendor).exclude(recipients="").update(recipients="")
