"""An organiser's team: who may manage it, and every change to it (issue 16).

Services (each one transaction, each writing a TeamChange row with who and when):

    team_invite(organiser=, contact=, role=, fairs=, name=, by=)  -> Invitation
    team_member_change(membership=, role=, fairs=, by=)           -> Membership
    team_member_remove(membership=, by=)
    team_invitation_accepted(user=)                               -> how many rows were written

A new account made by an invitation has no usable password: `invitation_token` makes the link that
lets its owner choose one (Django's password-reset token machinery, with its own salt so a reset
link and an invitation link are not interchangeable). Sending that link is the caller's job: the
URL and the e-mail belong to the staff office.

An organiser always keeps an administrator for all its fairs: removing, demoting or limiting the
last one is refused (ValidationError, code "last_admin"), under a lock on the organiser's row so
two administrators demoting each other at the same moment cannot both succeed.
"""

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext as _

from tuanhang.kernel.vn import format_phone, parse_phone, sort_key

from .models import Membership, Organiser
from .models.teams import TeamChange
from .policy import REFUSALS, ROLE_CAPABILITIES, forget, organisers_for

R = Membership.Role
A = TeamChange.Action
MANAGER_ROLES = [role for role, capabilities in ROLE_CAPABILITIES.items() if "team.manage" in capabilities]


class InvitationTokenGenerator(PasswordResetTokenGenerator):
    """The set-password link of an invitation: dies once the password is set (the password hash is
    in the token) and after settings.PASSWORD_RESET_TIMEOUT."""

    key_salt = "events.teams.InvitationTokenGenerator"


invitation_token = InvitationTokenGenerator()


# --- who may manage which team ------------------------------------------------------------------


def may_manage_team(user, organiser) -> bool:
    """A superuser, or a member whose role has team.manage over the organiser (events/policy.py:
    an organiser-wide capability, which a membership limited to some fairs does not give)."""
    return organisers_for(user, "team.manage").filter(pk=organiser.pk).exists()


def team_organiser_or_404(user, pk) -> Organiser:
    """The organiser whose team `user` manages: Http404 for an organiser it does not work for (the
    same answer as no organiser), PermissionDenied with the Vietnamese refusal for a role that may
    not manage the team."""
    organiser = organisers_for(user).filter(pk=pk).first()
    if organiser is None:
        raise Http404
    if not may_manage_team(user, organiser):
        raise PermissionDenied(_(REFUSALS["team.manage"]))
    return organiser


def may_pass_on_link(user, organiser, *, by) -> bool:
    """Whether `by`, managing this organiser's team, may be shown the set-password link of `user`
    (to pass on to a person invited by phone): only when the account works for no other organiser,
    else whoever chose the password would get into teams that are not theirs. The installation's
    superusers, who see every team, may; nobody is shown a superuser's link."""
    if user.is_superuser:
        return False
    return by.is_superuser or not Membership.objects.filter(user=user).exclude(organiser=organiser).exists()


# --- reading a contact --------------------------------------------------------------------------


@dataclass(frozen=True)
class Contact:
    email: str = ""
    phone: str = ""  # E.164 (+84…)

    @property
    def username(self) -> str:
        """A new account's login: the address, or the phone number as Vietnamese people write it."""
        return self.email or phone_username(self.phone)


def phone_username(e164: str) -> str:
    return "0" + e164.removeprefix("+84")


def parse_contact(text: str) -> Contact:
    """An e-mail address (lower-cased) or a Vietnamese phone number; ValidationError otherwise."""
    text = (text or "").strip()
    if "@" in text:
        validate_email(text)
        return Contact(email=text.lower())
    try:
        return Contact(phone=parse_phone(text))
    except ValueError:
        raise ValidationError(
            _("Enter an e-mail address or a Vietnamese phone number (mobile 09xx xxx xxx or landline 02xx xxxx xxx)."),
            code="contact",
        ) from None


def phone_of(user) -> str:
    """The phone number of an account invited by phone (its username), shown in national form."""
    try:
        return format_phone(parse_phone(user.get_username()))
    except ValueError:
        return ""


def member_name(user) -> str:
    return user.get_full_name() or user.email or user.get_username()


def _account_for(contact: Contact):
    User = get_user_model()
    if contact.email:
        match = Q(username__iexact=contact.email) | Q(email__iexact=contact.email)
    else:
        match = Q(username__in=[phone_username(contact.phone), contact.phone])
    return User._default_manager.filter(match).order_by("pk").first()


# --- writes -------------------------------------------------------------------------------------


@dataclass
class Invitation:
    membership: Membership
    contact: Contact
    created_account: bool

    @property
    def user(self):
        return self.membership.user

    @property
    def needs_password(self) -> bool:
        """Whether the account has no password yet: its owner needs the set-password link."""
        return not self.user.has_usable_password()


def _fairs_note(fairs) -> str:
    names = sorted(str(fair) for fair in fairs)
    if not names:
        return _("every fair")
    return _("only: %(fairs)s") % {"fairs": "; ".join(names)}


def _log(organiser, user, action, *, by, old_role="", new_role="", note=""):
    TeamChange.objects.create(
        organiser=organiser,
        member=user,
        member_name=member_name(user)[:255],
        action=action,
        old_role=old_role,
        new_role=new_role,
        note=note[:1000],
        changed_by=by,
    )


def _check_fairs(organiser, fairs):
    if any(fair.organiser_id != organiser.pk for fair in fairs):
        raise ValidationError(_("Choose only fairs of this organiser."), code="fairs")


def _lock(organiser) -> Organiser:
    return Organiser.objects.select_for_update().get(pk=organiser.pk)


def _is_full_admin(role, fairs) -> bool:
    return role in MANAGER_ROLES and not fairs


def _check_keeps_an_admin(membership):
    """Raise unless another member manages the whole team (call with the organiser locked)."""
    others = Membership.objects.filter(organiser_id=membership.organiser_id, role__in=MANAGER_ROLES, events=None)
    if not others.exclude(pk=membership.pk).exists():
        raise ValidationError(
            _(
                "%(name)s is the organiser's last administrator for all its fairs: first make someone else "
                "an administrator, then change or remove this member."
            )
            % {"name": member_name(membership.user)},
            code="last_admin",
        )


def team_invite(*, organiser, contact: Contact, role: str, fairs=(), name: str = "", by=None) -> Invitation:
    """Add the person at `contact` to the organiser's team in `role`, limited to `fairs` (all when
    empty), and log it.

    An existing account (same e-mail or phone) gets the membership and becomes staff; otherwise a
    staff account with no usable password is created (username: the e-mail, or the phone as
    0xxxxxxxxx) and the caller sends it the set-password link (see Invitation.needs_password).
    ValidationError "already_member" when the account already works for this organiser."""
    fairs = list(fairs)
    _check_fairs(organiser, fairs)
    with transaction.atomic():
        organiser = _lock(organiser)
        user = _account_for(contact)
        created = user is None
        if created:
            user = get_user_model()(username=contact.username, email=contact.email, is_staff=True)
            user.first_name = name.strip()[:150]
            user.set_unusable_password()
            user.save()
        elif Membership.objects.filter(organiser=organiser, user=user).exists():
            raise ValidationError(
                _("%(name)s is already in this team: change the member's role below.") % {"name": member_name(user)},
                code="already_member",
            )
        elif not user.is_staff:
            user.is_staff = True
            user.save(update_fields=["is_staff"])
        membership = Membership.objects.create(organiser=organiser, user=user, role=role, created_by=by)
        membership.events.set(fairs)
        _log(organiser, user, A.INVITED, by=by, new_role=role, note=_fairs_note(fairs))
    forget(user)
    return Invitation(membership=membership, contact=contact, created_account=created)


def team_member_change(*, membership: Membership, role: str, fairs=(), by=None) -> Membership:
    """Give a member another role and/or other fairs; one log row per kind of change (nothing is
    written when nothing changed). Refuses ("last_admin") to demote or limit the last administrator
    of all the organiser's fairs."""
    fairs = list(fairs)
    _check_fairs(membership.organiser, fairs)
    with transaction.atomic():
        _lock(membership.organiser)
        membership = Membership.objects.select_for_update().select_related("user", "organiser").get(pk=membership.pk)
        before = set(membership.events.values_list("pk", flat=True))
        after = {fair.pk for fair in fairs}
        if _is_full_admin(membership.role, before) and not _is_full_admin(role, after):
            _check_keeps_an_admin(membership)
        if role != membership.role:
            _log(membership.organiser, membership.user, A.ROLE_CHANGED, by=by, old_role=membership.role, new_role=role)
            membership.role = role
            membership.save(update_fields=["role"])
        if before != after:
            membership.events.set(fairs)
            _log(membership.organiser, membership.user, A.FAIRS_LIMITED, by=by, new_role=role, note=_fairs_note(fairs))
    forget(membership.user)
    return membership


def team_member_remove(*, membership: Membership, by=None) -> None:
    """Take a member off the team (its account stays, with its other memberships) and log it.
    Refuses ("last_admin") to remove the last administrator of all the organiser's fairs."""
    with transaction.atomic():
        _lock(membership.organiser)
        membership = Membership.objects.select_for_update().select_related("user", "organiser").get(pk=membership.pk)
        if _is_full_admin(membership.role, list(membership.events.all())):
            _check_keeps_an_admin(membership)
        _log(membership.organiser, membership.user, A.REMOVED, by=by, old_role=membership.role)
        membership.delete()
    forget(membership.user)


def team_invitation_accepted(*, user) -> int:
    """Log, in each team the account belongs to, that it chose its password (the invitation link
    was used). Returns how many rows were written."""
    with transaction.atomic():
        memberships = list(Membership.objects.filter(user=user).select_related("organiser"))
        for membership in memberships:
            _log(membership.organiser, user, A.ACCEPTED, by=user, new_role=membership.role)
    return len(memberships)


# --- reads for the team page --------------------------------------------------------------------


ROLE_ORDER = {role: position for position, role in enumerate(R)}


def team_members(organiser) -> list[Membership]:
    """The organiser's members with their accounts and fair limits (two queries), administrators
    first, then in the order of the roles."""
    members = Membership.objects.filter(organiser=organiser).select_related("user").prefetch_related("events")
    return sorted(members, key=lambda m: (ROLE_ORDER[m.role], sort_key(member_name(m.user))))


def team_changes(organiser):
    """The organiser's team history, newest first."""
    return TeamChange.objects.filter(organiser=organiser).select_related("changed_by")
