"""Reminder rules per fair and the deliveries they make, one row per rule and application.

A delivery row is the outbox entry of one message: created by the sweep (unique per rule and
application, so a second sweep adds nothing), then sent once by a worker under its row lock.
The status says how far it got; see events/reminders/outbox.py for the order of steps."""

from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tuanhang.kernel.models import user_reference

from .wording import offset_text


class OutboxStatus(models.TextChoices):
    PENDING = "pending", _("Waiting to be sent")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
    SKIPPED = "skipped", _("Not needed")


class OutboxRow(models.Model):
    """What every outgoing message row records: how far it got, how often it was tried, what the
    channel answered. `sent_at` is set when the message was released to the channel (the point of
    no return), `confirmed_at` when the channel acknowledged it."""

    Status = OutboxStatus

    status = models.CharField(_("status"), max_length=10, choices=OutboxStatus.choices, default=OutboxStatus.PENDING)
    channel = models.CharField(_("channel used"), max_length=10, blank=True)
    fell_back = models.BooleanField(_("fell back to email"), default=False)
    recipients = models.CharField(_("recipients"), max_length=500, blank=True)
    message_id = models.CharField(_("message id"), max_length=200, blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    last_error = models.TextField(_("last error"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    queued_at = models.DateTimeField(_("queued at"), null=True, blank=True)
    next_attempt_at = models.DateTimeField(_("next attempt at"), null=True, blank=True)
    sent_at = models.DateTimeField(_("sent at"), null=True, blank=True)
    confirmed_at = models.DateTimeField(_("confirmed by the server at"), null=True, blank=True)
    server_reply = models.CharField(_("server reply"), max_length=255, blank=True)
    resent_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("resend of")
    )

    class Meta:
        abstract = True

    @property
    def unconfirmed(self) -> bool:
        """Released to the channel, but its acknowledgement never came back (see the README)."""
        return self.status == OutboxStatus.SENT and self.confirmed_at is None


class ReminderRule(models.Model):
    """What to tell whom, when, through which channel: one reminder of a fair."""

    class Kind(models.TextChoices):
        REGISTRATION_CLOSING = "registration_closing", _("Registration closing soon")
        DOCUMENTS_MISSING = "documents_missing", _("Documents missing")
        APPLICATION_DECIDED = "application_decided", _("Application decided")
        BOOTH_ASSIGNED = "booth_assigned", _("Booth assigned")
        SETUP_TOMORROW = "setup_tomorrow", _("Booth handover tomorrow")
        FAIR_OPENS = "fair_opens", _("Fair opens")
        SALES_FIGURES = "sales_figures", _("Send your sales figures")
        PAYMENT_DUE = "payment_due", _("Payment due")

    class Anchor(models.TextChoices):
        REGISTRATION_OPENS = "registration_opens_at", _("registration opens")
        REGISTRATION_CLOSES = "registration_closes_at", _("registration closes")
        SETUP = "setup_at", _("booth handover")
        OPENS = "opens_at", _("opening")
        CLOSES = "closes_at", _("closing")
        DECIDED = "decided_at", _("the application's decision")
        BOOTH_ASSIGNED = "booth_assigned_at", _("the booth assignment")
        DEPOSIT_DUE = "deposit_due_on", _("the deposit deadline")
        BALANCE_DUE = "balance_due_on", _("the balance deadline")

    class Direction(models.TextChoices):
        BEFORE = "before", _("before")
        AFTER = "after", _("after")

    class Channel(models.TextChoices):
        EMAIL = "email", _("E-mail")
        ZALO = "zalo", _("Zalo ZNS (falls back to e-mail)")

    event = models.ForeignKey(
        "events.Event", on_delete=models.CASCADE, related_name="reminder_rules", verbose_name=_("fair")
    )
    kind = models.CharField(_("what"), max_length=24, choices=Kind.choices)
    enabled = models.BooleanField(_("enabled"), default=True)
    anchor = models.CharField(_("date"), max_length=24, choices=Anchor.choices)
    direction = models.CharField(_("before or after"), max_length=6, choices=Direction.choices)
    days = models.PositiveSmallIntegerField(_("days"), default=0, validators=[MaxValueValidator(365)])
    hours = models.PositiveSmallIntegerField(_("hours"), default=0, validators=[MaxValueValidator(23)])
    statuses = models.JSONField(
        _("applications in these statuses"), default=list, help_text=_("Who receives it, by application status.")
    )
    channel = models.CharField(_("channel"), max_length=10, choices=Channel.choices, default=Channel.EMAIL)
    # Per rule (so per kind and fair): a reminder that matters (the handover tomorrow) may be worth
    # a rare duplicate, a courtesy one is not. See docs/DECISIONS.md.
    resend_unconfirmed = models.BooleanField(
        _("resend automatically when unconfirmed"),
        default=False,
        help_text=_(
            "When the mail server has not confirmed a reminder within the grace period, send it again"
            " once by itself. The business may then, rarely, receive it twice."
        ),
    )
    subject_vi = models.CharField(_("subject (Vietnamese)"), max_length=200)
    body_vi = models.TextField(_("message (Vietnamese)"))
    subject_en = models.CharField(_("subject (English)"), max_length=200, blank=True)
    body_en = models.TextField(_("message (English)"), blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    updated_by = user_reference(_("updated by"), editable=False)

    class Meta:
        ordering = ["event", "id"]
        verbose_name = _("reminder rule")
        verbose_name_plural = _("reminder rules")
        constraints = [
            models.CheckConstraint(condition=Q(hours__lte=23), name="reminder_rule_hours_below_24"),
        ]

    def __str__(self):
        return f"{self.event}: {self.get_kind_display()}"

    @property
    def when(self) -> str:
        """When it goes out, in words: "3 ngày trước ngày khai mạc", "1 giờ sau khi duyệt hồ sơ"."""
        return offset_text(days=self.days, hours=self.hours, direction=self.direction, anchor=self.anchor)

    @property
    def offset_hours(self) -> int:
        """Signed offset from the anchor date in hours (negative: before)."""
        hours = self.days * 24 + self.hours
        return -hours if self.direction == self.Direction.BEFORE else hours

    @property
    def per_application_anchor(self) -> bool:
        return self.anchor in (
            self.Anchor.DECIDED,
            self.Anchor.BOOTH_ASSIGNED,
            self.Anchor.DEPOSIT_DUE,
            self.Anchor.BALANCE_DUE,
        )

    @property
    def payment_deadline_anchor(self) -> bool:
        """Timed from the application's own deposit or balance deadline (its AmountDue)."""
        return self.anchor in (self.Anchor.DEPOSIT_DUE, self.Anchor.BALANCE_DUE)


class ReminderDelivery(OutboxRow):
    """One reminder to one business: created once by the sweep, sent once by a worker."""

    rule = models.ForeignKey(ReminderRule, on_delete=models.CASCADE, related_name="deliveries", verbose_name=_("rule"))
    application = models.ForeignKey(
        "vendors.Application", on_delete=models.CASCADE, related_name="reminders", verbose_name=_("application")
    )
    # The fair, copied from the rule, so the per-fair log filters on one indexed column.
    event = models.ForeignKey("events.Event", on_delete=models.CASCADE, related_name="+", verbose_name=_("fair"))
    due_at = models.DateTimeField(_("due at"))
    # A resend by staff is a new row; the original keeps its history. Only one original per pair.
    is_resend = models.BooleanField(_("resend"), default=False, editable=False)
    # A resend the sweep made by itself (the rule's resend_unconfirmed): at most one per original.
    resent_automatically = models.BooleanField(_("resent automatically"), default=False, editable=False)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("reminder delivery")
        verbose_name_plural = _("reminder deliveries")
        constraints = [
            # Exactly one original delivery per rule and business, whatever the sweeps do.
            models.UniqueConstraint(
                fields=["rule", "application"], condition=Q(is_resend=False), name="reminder_delivery_once"
            ),
            # Two sweeps at once resend an unconfirmed delivery once (INSERT … ON CONFLICT DO NOTHING).
            models.UniqueConstraint(
                fields=["resent_from"],
                condition=Q(resent_automatically=True),
                name="reminder_delivery_auto_resend_once",
            ),
            models.CheckConstraint(
                condition=~Q(status="sent") | Q(sent_at__isnull=False), name="reminder_delivery_sent_has_time"
            ),
        ]
        indexes = [
            models.Index(fields=["event", "status"]),
            models.Index(fields=["status", "queued_at"]),
        ]

    def __str__(self):
        return f"{self.rule} → {self.application.vendor}"


class ZaloToken(models.Model):
    """The Zalo Official Account's token pair: one row for the installation (the OA belongs to the
    installation, not to an organiser). An access token lives about 25 hours; its refresh token
    works once and lasts about three months, so every refresh stores the new pair in the same
    transaction that used the old one (tuanhang.office.reminders.zalo)."""

    SINGLETON = 1

    id = models.PositiveSmallIntegerField(primary_key=True, default=SINGLETON, editable=False)
    access_token = models.TextField(_("access token"), blank=True)
    refresh_token = models.TextField(_("refresh token"), blank=True)
    access_expires_at = models.DateTimeField(_("access token expires at"), null=True, blank=True)
    refresh_expires_at = models.DateTimeField(_("refresh token expires at"), null=True, blank=True)
    refreshed_at = models.DateTimeField(_("last refreshed at"), null=True, blank=True)
    last_error = models.TextField(_("last refresh error"), blank=True)
    last_error_at = models.DateTimeField(_("last refresh error at"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("Zalo OA token")
        verbose_name_plural = _("Zalo OA token")
        constraints = [models.CheckConstraint(condition=Q(id=1), name="zalo_token_one_row")]

    def __str__(self):
        return str(_("Zalo Official Account token"))
