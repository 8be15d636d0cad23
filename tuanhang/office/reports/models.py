"""Figures participants report during the fair and the organisers' daily summary e-mails. Report
files (the closing report) are events.GeneratedFile rows, built by the builders of
tuanhang.office.reports.documents."""

from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tuanhang.kernel.models import user_reference
from tuanhang.office.reminders.models import OutboxRow

MAX_SALES = 100_000_000_000  # 100 billion đồng a day: anything above is a typing error
MAX_VISITORS = 1_000_000


class SalesEntry(models.Model):
    """One participant's sales (VND) and visitor estimate for one day of the fair."""

    application = models.ForeignKey(
        "vendors.Application", on_delete=models.CASCADE, related_name="sales_entries", verbose_name=_("application")
    )
    day = models.DateField(_("day"))
    sales = models.PositiveBigIntegerField(_("sales (VND)"), validators=[MaxValueValidator(MAX_SALES)])
    visitors = models.PositiveIntegerField(_("visitors (estimate)"), validators=[MaxValueValidator(MAX_VISITORS)])
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    updated_by = user_reference(_("updated by"))

    class Meta:
        ordering = ["application", "day"]
        verbose_name = _("daily sales figure")
        verbose_name_plural = _("daily sales figures")
        constraints = [
            models.UniqueConstraint(fields=["application", "day"], name="sales_entry_one_per_day"),
            models.CheckConstraint(condition=Q(sales__lte=MAX_SALES), name="sales_entry_sales_plausible"),
            models.CheckConstraint(condition=Q(visitors__lte=MAX_VISITORS), name="sales_entry_visitors_plausible"),
        ]

    def __str__(self):
        return f"{self.application} — {self.day:%d/%m/%Y}"


class DailySummary(OutboxRow):
    """The summary e-mail of one fair for one day, sent once to its organisers."""

    event = models.ForeignKey(
        "events.Event", on_delete=models.CASCADE, related_name="daily_summaries", verbose_name=_("fair")
    )
    day = models.DateField(_("day summarised"))

    class Meta:
        ordering = ["-day", "-id"]
        verbose_name = _("daily summary")
        verbose_name_plural = _("daily summaries")
        constraints = [
            models.UniqueConstraint(fields=["event", "day"], name="daily_summary_once_per_day"),
            models.CheckConstraint(
                condition=~Q(status="sent") | Q(sent_at__isnull=False), name="daily_summary_sent_has_time"
            ),
        ]

    def __str__(self):
        return f"{self.event} — {self.day:%d/%m/%Y}"
