"""Who works for an organiser, in which role, and the history of its team (issue 16). What a role
may do is in events/policy.py; invitations, role changes and removals go through events/teams.py."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tuanhang.kernel.models import HistoryRow, user_reference

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


class TeamChange(HistoryRow):
    """One change to an organiser's team, written by events/teams.py: who was invited, given
    another role or other fairs, removed, or accepted the invitation; by whom and when. Kept when
    the member's account goes (`member_name` is the name it had)."""

    class Action(models.TextChoices):
        INVITED = "invited", _("Invited")
        ROLE_CHANGED = "role_changed", _("Role changed")
        FAIRS_LIMITED = "fairs_limited", _("Fairs changed")
        REMOVED = "removed", _("Removed")
        ACCEPTED = "accepted", _("Invitation accepted")

    organiser = models.ForeignKey(
        Organiser, on_delete=models.CASCADE, related_name="team_changes", verbose_name=_("organiser")
    )
    member = user_reference(_("member"))
    member_name = models.CharField(_("member's name"), max_length=255)
    action = models.CharField(_("change"), max_length=16, choices=Action.choices)
    old_role = models.CharField(_("old role"), max_length=12, choices=Membership.Role.choices, blank=True)
    new_role = models.CharField(_("new role"), max_length=12, choices=Membership.Role.choices, blank=True)
    note = models.CharField(_("note"), max_length=1000, blank=True)

    class Meta(HistoryRow.Meta):
        verbose_name = _("team change")
        verbose_name_plural = _("team changes")
        indexes = [models.Index(fields=["organiser", "-changed_at"], name="teamchange_organiser_at")]

    def __str__(self):
        return f"{self.member_name}: {self.get_action_display()}"
