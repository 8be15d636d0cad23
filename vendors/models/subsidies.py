"""The subsidy ledger: what a khuyến công programme pays for each approved application, kept by
the business's tax code so caps follow a business across every fair of the installation."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .applications import Application


class SubsidyGrant(models.Model):
    """One application's subsidy under a programme: granted at approval (vendors.services.subsidies),
    released when the application is withdrawn or cancelled. Released rows keep their last amount
    and count for nothing."""

    class Status(models.TextChoices):
        GRANTED = "granted", _("Granted")
        RELEASED = "released", _("Released")

    programme = models.ForeignKey(
        "events.SubsidyProgramme", on_delete=models.PROTECT, related_name="grants", verbose_name=_("programme")
    )
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="subsidy_grants", verbose_name=_("application")
    )
    # The business's tax code when granted; a later merge or identity change makes it a former code
    # of the business, and the caps count former codes too.
    tax_code = models.CharField(_("tax code"), max_length=14, db_index=True)
    year = models.PositiveSmallIntegerField(_("calendar year"))
    booths = models.PositiveSmallIntegerField(_("booths subsidised"))
    amount = models.PositiveBigIntegerField(_("subsidy (VND)"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.GRANTED)
    granted_at = models.DateTimeField(_("granted at"))
    released_at = models.DateTimeField(_("released at"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["programme", "year", "tax_code", "id"]
        verbose_name = _("subsidy grant")
        verbose_name_plural = _("subsidy grants")
        constraints = [
            models.UniqueConstraint(fields=["programme", "application"], name="subsidy_grant_once_per_application"),
            models.CheckConstraint(condition=Q(amount__gt=0) & Q(booths__gt=0), name="subsidy_grant_positive"),
            models.CheckConstraint(
                condition=Q(status="granted", released_at__isnull=True)
                | Q(status="released", released_at__isnull=False),
                name="subsidy_grant_released_when_dated",
            ),
        ]
        indexes = [models.Index(fields=["programme", "year", "status"])]

    def __str__(self):
        # No tax code: a household's is its owner's personal ID, and __str__ shows up everywhere.
        amount = f"{self.amount or 0:,}".replace(",", ".")  # an unsaved inline row has none
        return f"#{self.application_id} · {self.year} · {amount} ₫"


class SubsidyWaiting(models.Model):
    """An approved, eligible application that got less than the programme's share because the
    business already had its yearly number of fairs or the budget ran out. When a grant of the
    programme is released, the waiting applications are recomputed (vendors.services.subsidies),
    first come first served; a row goes away once the application gets its full share or stops
    qualifying."""

    class Reason(models.TextChoices):
        YEARLY_CAP = "year", _("Yearly number of fairs reached")
        BUDGET = "budget", _("Budget used up")

    programme = models.ForeignKey(
        "events.SubsidyProgramme", on_delete=models.CASCADE, related_name="waiting", verbose_name=_("programme")
    )
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="subsidy_waiting", verbose_name=_("application")
    )
    reason = models.CharField(_("reason"), max_length=6, choices=Reason.choices)
    since = models.DateTimeField(_("waiting since"))

    class Meta:
        ordering = ["programme", "since", "id"]
        verbose_name = _("application waiting for a subsidy")
        verbose_name_plural = _("applications waiting for a subsidy")
        constraints = [
            models.UniqueConstraint(fields=["programme", "application"], name="subsidy_waiting_once_per_application")
        ]
        # The hand-on reads a programme's oldest waiting rows.
        indexes = [models.Index(fields=["programme", "since", "id"], name="subsidy_waiting_queue")]

    def __str__(self):
        return f"#{self.application_id} · {self.reason}"
