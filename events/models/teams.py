"""Who works for an organiser, and in which role (issue 16). What a role may do is in events/policy.py."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tuanhang.kernel.models import user_reference

from .fairs import Event, Organiser


class Membership(models.Model):
    """A user account working for an organiser, in one role, for every fair of the organiser or
    only the fairs named."""

    class Role(models.TextChoices):
        ADMIN = "admin", _("Administrator")
        REVIEWER = "reviewer", _("Application reviewer")
        ACCOUNTANT = "accountant", _("Accountant")
        FLOOR = "floor", _("Floor staff")
        VIEWER = "viewer", _("Reports only")
        OVERSIGHT = "oversight", _("Oversight (read-only)")

    organiser = models.ForeignKey(
        Organiser, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("organiser")
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="organiser_memberships",
        verbose_name=_("account"),
    )
    role = models.CharField(_("role"), max_length=12, choices=Role.choices)
    events = models.ManyToManyField(
        Event,
        blank=True,
        related_name="+",
        verbose_name=_("only these fairs"),
        help_text=_("Leave empty for every fair of the organiser."),
    )
    created_at = models.DateTimeField(_("since"), auto_now_add=True)
    created_by = user_reference(_("added by"))

    class Meta:
        ordering = ["organiser", "role", "user"]
        verbose_name = _("organiser staff member")
        verbose_name_plural = _("organiser staff members")
        constraints = [
            models.UniqueConstraint(fields=["organiser", "user"], name="membership_once_per_organiser"),
        ]

    def __str__(self):
        return f"{self.user} @ {self.organiser} ({self.get_role_display()})"
