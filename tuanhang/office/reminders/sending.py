"""Sending reminder deliveries, each exactly once (the work of tasks.send_reminders)."""

from django.conf import settings
from django.utils.translation import gettext as _

from vendors.models import Application

from . import outbox
from .channels import Outgoing, ZnsRequest
from .messages import reminder_email, zns_data, zns_phone
from .models import ReminderDelivery, ReminderRule
from .outbox import Skip
from .selectors import deliveries_for_sending

R = ReminderRule

# Read again under each row's lock, whatever the batch loaded: the rule may have been disabled,
# the application withdrawn, since.
FRESH = ("rule__enabled", "application__status")


def build_outgoing(delivery: ReminderDelivery) -> Outgoing:
    rule, application = delivery.rule, delivery.application
    if not delivery.is_resend:
        if not rule.enabled:
            raise Skip(_("The rule was disabled."))
        if application.status not in (rule.statuses or []):
            raise Skip(
                _("The application is now “%(status)s”.") % {"status": Application.Status(application.status).label}
            )
    ctx = delivery.context
    if rule.kind == R.Kind.DOCUMENTS_MISSING and not ctx.missing_documents:
        raise Skip(_("No document is missing any more."))
    if rule.kind == R.Kind.PAYMENT_DUE:
        _skip_when_paid(ctx)
    if not ctx.recipients:
        raise Skip(_("The business has no e-mail address."))
    zns = None
    if rule.channel == R.Channel.ZALO:
        templates = getattr(settings, "ZALO_ZNS_TEMPLATES", {})
        zns = ZnsRequest(
            phone=zns_phone(ctx.phone),
            template_id=templates.get(rule.kind, ""),
            template_data=zns_data(ctx),
            tracking_id=f"reminder-{delivery.pk}",
        )
    return Outgoing(email=reminder_email(rule, ctx, delivery_pk=delivery.pk), zns=zns, recipients=ctx.recipients)


def _skip_when_paid(ctx) -> None:
    """A payment reminder is not sent once what it asks for was paid (a statement import or a
    payment recorded since the sweep): everything, or for a deposit rule the deposit."""
    if ctx.instalment is None:
        raise Skip(_("What the reminder asks for has been paid."))


def deliveries_send(*, delivery_ids: list[int]) -> dict[int, outbox.Result]:
    """Send these reminder deliveries, each exactly once (see tuanhang.office.reminders.outbox): what
    their messages need is loaded for the whole batch in a few queries; then each row is locked
    on its own, skipped when no longer pending or no longer wanted, recorded sent before the
    point of no return, then confirmed with the server's answer. Temporary failures come back
    with the seconds to wait. An id with no row is "nothing to do"."""
    deliveries = {delivery.pk: delivery for delivery in deliveries_for_sending(delivery_ids)}
    results = {}
    for pk in delivery_ids:
        delivery = deliveries.get(pk)
        if delivery is None:
            results[pk] = outbox.Result("nothing to do")
        else:
            results[pk] = outbox.send_loaded(delivery, build_outgoing, fresh=FRESH)
    return results


def delivery_send(*, delivery_id: int) -> outbox.Result:
    """Send one reminder delivery exactly once (deliveries_send of one)."""
    return deliveries_send(delivery_ids=[delivery_id])[delivery_id]
