"""Writes of the reports: participants' daily sales figures and the daily summary e-mails (one row
per fair and day, sent exactly once through tuanhang.office.reminders.outbox). The closing report's files
are built by events.generated (see tuanhang.office.reports.documents)."""

import datetime as dt
import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from events.models import Event
from events.policy import members_with
from tuanhang.kernel.sites import site_url
from tuanhang.kernel.spreadsheets import CONTENT_TYPES, tables_to_xlsx
from tuanhang.office.reminders import outbox
from tuanhang.office.reminders.channels import Outgoing
from tuanhang.office.reminders.messages import message_id
from tuanhang.office.reminders.models import OutboxStatus
from tuanhang.office.reminders.outbox import Skip
from vendors.models import Application

from . import selectors
from .exports import summary_tables
from .models import MAX_SALES, MAX_VISITORS, DailySummary, SalesEntry

logger = logging.getLogger(__name__)
A = Application.Status
# Participants may enter figures from the opening day until this many days after closing.
SALES_GRACE_DAYS = 7


# --- sales figures -----------------------------------------------------------------------------


def sales_window_open(event, today=None) -> bool:
    today = today or timezone.localdate()
    first, last = timezone.localdate(event.opens_at), timezone.localdate(event.closes_at)
    return first <= today <= last + dt.timedelta(days=SALES_GRACE_DAYS)


def sales_save(*, application: Application, figures: dict, by=None, today=None) -> int:
    """Save a participant's figures {day: (sales, visitors) or None}. Only approved
    applications, only days of the fair up to today, only while the window is open; a day left
    empty removes its figures. Raises ValidationError keyed "<day>-sales"/"<day>-visitors"
    (or "__all__") and writes nothing then. Returns the number of days with figures."""
    today = today or timezone.localdate()
    event = application.event
    if application.status != A.APPROVED:
        raise ValidationError(_("Only approved participants report sales."), code="not_approved")
    if not sales_window_open(event, today):
        raise ValidationError(
            _("Sales figures can be entered from the opening day until %(days)d days after the fair closes.")
            % {"days": SALES_GRACE_DAYS},
            code="closed",
        )
    days = set(selectors.fair_days(event))
    errors = {}
    for day, value in figures.items():
        if day not in days:
            errors["__all__"] = _("%(day)s is not a day of the fair.") % {"day": day.strftime("%d/%m/%Y")}
            continue
        if value is None:
            continue
        sales, visitors = value
        key = day.isoformat()
        if day > today:
            errors[f"{key}-sales"] = _("This day has not come yet.")
        if not isinstance(sales, int) or not 0 <= sales <= MAX_SALES:
            errors[f"{key}-sales"] = _("Enter sales between 0 and 100.000.000.000 ₫.")
        if not isinstance(visitors, int) or not 0 <= visitors <= MAX_VISITORS:
            errors[f"{key}-visitors"] = _("Enter a visitor estimate between 0 and 1.000.000.")
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        for day, value in figures.items():
            if value is None:
                SalesEntry.objects.filter(application=application, day=day).delete()
            else:
                SalesEntry.objects.update_or_create(
                    application=application,
                    day=day,
                    defaults={"sales": value[0], "visitors": value[1], "updated_by": by},
                )
    return SalesEntry.objects.filter(application=application).count()


# --- daily summary -----------------------------------------------------------------------------


def summary_recipients(event) -> list[str]:
    """The organiser's staff who may read the fair's reports, then the organiser's own address."""
    addresses = []
    readers = members_with("report.view", event).exclude(email="").order_by("pk")
    for email in readers.values_list("email", flat=True):
        if email not in addresses:
            addresses.append(email)
    if event.organiser.email and event.organiser.email not in addresses:
        addresses.append(event.organiser.email)
    return addresses


def daily_summaries_sweep(*, today=None) -> int:
    """Record the summary of yesterday for every fair whose registration is open (one row per
    fair and day: unique, safe to run twice) and send the pending ones. Returns rows sent."""
    today = today or timezone.localdate()
    day = today - dt.timedelta(days=1)
    events = Event.objects.filter(status=Event.Status.REGISTRATION_OPEN).values_list("pk", flat=True)
    DailySummary.objects.bulk_create((DailySummary(event_id=pk, day=day) for pk in events), ignore_conflicts=True)
    sent = 0
    for pk in DailySummary.objects.filter(status=OutboxStatus.PENDING, day__gte=day - dt.timedelta(days=2)).values_list(
        "pk", flat=True
    ):
        sent += summary_send(summary_id=pk).outcome == "sent"
    return sent


def summary_sheet(figures: selectors.DailyFigures) -> bytes:
    """The summary's attachment: the day's new applications, by province, by category."""
    return tables_to_xlsx(summary_tables(figures))


def _build_summary(summary: DailySummary) -> Outgoing:
    event = summary.event
    recipients = summary_recipients(event)
    if not recipients:
        raise Skip(_("The organiser has no e-mail address."))
    with translation.override(settings.LANGUAGE_CODE):
        figures = selectors.daily_figures(event, summary.day)
        context = {
            "event": event,
            "figures": figures,
            "reports_url": site_url(reverse("reports:page", args=[event.slug])),
        }
        subject = _("Daily summary %(day)s: %(fair)s") % {"day": summary.day.strftime("%d/%m/%Y"), "fair": event.name}
        text = render_to_string("emails/reports/daily_summary.txt", context)
        html = render_to_string("emails/reports/daily_summary.html", context)
        sheet = summary_sheet(figures)
    message = EmailMultiAlternatives(
        subject=subject, body=text, to=recipients, headers={"Message-ID": message_id("summary", summary.pk)}
    )
    message.attach_alternative(html, "text/html")
    message.attach(f"tong-hop-{summary.day:%Y-%m-%d}.xlsx", sheet, CONTENT_TYPES["xlsx"])
    return Outgoing(email=message, recipients=recipients)


def summary_send(*, summary_id: int) -> outbox.Result:
    """Send one daily summary exactly once (reminders.outbox), with its .xlsx attached."""
    queryset = DailySummary.objects.select_related("event__organiser")
    return outbox.send(queryset, summary_id, _build_summary)
