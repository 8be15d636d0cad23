"""Identity by phone number (issue 18): one-time codes, the counters that limit them, and the
account a verified phone belongs to."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class PhoneIdentity(models.Model):
    """A phone number proved by a one-time code, and the account it logs in to. Consent to the
    processing of personal data is recorded here with the version of the text that was shown."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="phone_identity", verbose_name=_("account")
    )
    phone = models.CharField(_("phone"), max_length=16, unique=True, help_text=_("Stored in E.164 form (+84…)."))
    verified_at = models.DateTimeField(_("last verified at"))
    consent_version = models.CharField(_("version of the privacy text agreed to"), max_length=20)
    consent_at = models.DateTimeField(_("consent to personal data processing"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("phone identity")
        verbose_name_plural = _("phone identities")

    def __str__(self):
        return self.phone


class OneTimeCode(models.Model):
    """A code sent to a phone. Only its HMAC is stored: a copy of the database gives no code."""

    phone = models.CharField(max_length=16, db_index=True)
    code_hash = models.CharField(max_length=64)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)
    channel = models.CharField(max_length=20, blank=True)
    # What the channel answered (a message id), or why nothing is known ("unconfirmed").
    channel_reply = models.CharField(max_length=255, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("one-time code")
        verbose_name_plural = _("one-time codes")

    def __str__(self):
        return f"{self.phone} {self.created_at:%Y-%m-%d %H:%M}"


class OtpQuota(models.Model):
    """A counter per key and window ("phone:+84…" per hour, "address:1.2.3.4" per hour, "day"
    per day), incremented with one INSERT … ON CONFLICT DO UPDATE whose row lock serialises the
    requests that share a key until their transaction ends."""

    key = models.CharField(max_length=80)
    window = models.CharField(max_length=20)
    count = models.PositiveIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["key", "window"], name="otp_quota_one_row_per_window")]

    def __str__(self):
        return f"{self.key} {self.window}: {self.count}"
