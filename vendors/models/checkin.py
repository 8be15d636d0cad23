"""Setup-day check-in: whether an approved participant has arrived, and the booth handover."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from tuanhang.kernel.models import HistoryRow, user_reference

from .applications import Application


class CheckIn(models.Model):
    """One approved application's arrival on setup day and its handover checklist.

    At most one row per application; services lock it (SELECT … FOR UPDATE) for every change."""

    application = models.OneToOneField(
        Application, on_delete=models.CASCADE, related_name="checkin", verbose_name=_("application")
    )
    arrived_at = models.DateTimeField(_("arrived at"), null=True, blank=True)
    arrived_by = user_reference(_("checked in by"))
    power_ok = models.BooleanField(_("power socket works"), default=False)
    furniture_ok = models.BooleanField(_("table and chairs in place"), default=False)
    fascia_ok = models.BooleanField(_("fascia board correct"), default=False)
    note = models.TextField(_("note"), blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("check-in")
        verbose_name_plural = _("check-ins")

    def __str__(self):
        return str(self.application)

    @property
    def arrived(self) -> bool:
        return self.arrived_at is not None

    @property
    def handover_complete(self) -> bool:
        return self.power_ok and self.furniture_ok and self.fascia_ok


class CheckInChange(HistoryRow):
    """The record of one check-in step: arrival, its undoing, or the handover checklist."""

    class Action(models.TextChoices):
        ARRIVE = "arrive", _("Arrived")
        UNDO = "undo", _("Arrival undone")
        HANDOVER = "handover", _("Handover checklist")

    checkin = models.ForeignKey(CheckIn, on_delete=models.CASCADE, related_name="changes", verbose_name=_("check-in"))
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    # For an undo: the arrival it cancelled. For a handover: the checklist as recorded.
    previous_arrived_at = models.DateTimeField(_("arrival undone"), null=True, blank=True)
    power_ok = models.BooleanField(_("power socket works"), default=False)
    furniture_ok = models.BooleanField(_("table and chairs in place"), default=False)
    fascia_ok = models.BooleanField(_("fascia board correct"), default=False)
    note = models.TextField(_("note"), blank=True)

    class Meta(HistoryRow.Meta):
        verbose_name = _("check-in change")
        verbose_name_plural = _("check-in changes")

    def __str__(self):
        return f"{self.checkin}: {self.get_action_display()}"
