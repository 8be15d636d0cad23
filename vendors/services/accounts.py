"""Writes for user accounts: sign-up, email verification, invitations to act for a business.

Nothing here tells a caller whether an email address has an account: sign-up and resend
always "succeed" and the address itself gets an email that fits its situation. Emails are
rendered in the active language when the service runs and sent once the transaction commits.
"""

import hashlib
import secrets
from datetime import timedelta
from urllib.parse import urlencode

from axes.utils import reset as axes_reset
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.tokens import PasswordResetTokenGenerator
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.dateformat import format as date_format
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_decode, urlsafe_base64_encode
from django.utils.translation import gettext as _

from ..models import VendorInvitation, VendorMember

User = get_user_model()

# The username is the address itself, so an address can be at most as long as a username.
EMAIL_MAX_LENGTH = User._meta.get_field(User.USERNAME_FIELD).max_length
INVITATION_VALID_DAYS = 7
INVITATION_VALID_FOR = timedelta(days=INVITATION_VALID_DAYS)


def normalise_email(value: str) -> str:
    """One spelling per address: surrounding spaces dropped, lower case. It is the username."""
    return (value or "").strip().lower()


class EmailVerificationTokenGenerator(PasswordResetTokenGenerator):
    """Tokens for the sign-up link. A token dies once the account is active or has logged in
    (both are in the hash), when the password changes (a later sign-up of the same address),
    and after settings.PASSWORD_RESET_TIMEOUT."""

    key_salt = "vendors.services.accounts.EmailVerificationTokenGenerator"

    def _make_hash_value(self, user, timestamp):
        login = "" if user.last_login is None else user.last_login.replace(microsecond=0, tzinfo=None)
        return f"{user.pk}{user.password}{user.is_active}{login}{user.email}{timestamp}"


email_verification_token = EmailVerificationTokenGenerator()


def is_unverified(user) -> bool:
    """Signed up but never opened the link: inactive and never logged in. (An account a member
    of staff switched off has logged in before; a verification link must not switch it back on.)"""
    return not user.is_active and user.last_login is None


def account_for_email(email: str, *, lock=False):
    """The account whose username or email is this address (case-insensitive), or None."""
    email = normalise_email(email)
    accounts = User._default_manager.filter(Q(username__iexact=email) | Q(email__iexact=email)).order_by("pk")
    if lock:
        accounts = accounts.select_for_update()
    return accounts.first()


def _link(base_url: str, path: str, **query) -> str:
    query = {key: value for key, value in query.items() if value}
    return f"{base_url.rstrip('/')}{path}" + (f"?{urlencode(query)}" if query else "")


def _queue_mail(*, to: str, template: str, context: dict) -> None:
    """Render emails/accounts/<template>{_subject.txt,.txt,.html} now and send after commit.

    A mail server failure is logged, not raised: the person already saw "check your email" and
    can ask for the link again; the data written is complete either way."""
    subject = "".join(render_to_string(f"emails/accounts/{template}_subject.txt", context).splitlines()).strip()
    message = EmailMultiAlternatives(subject, render_to_string(f"emails/accounts/{template}.txt", context), to=[to])
    message.attach_alternative(render_to_string(f"emails/accounts/{template}.html", context), "text/html")
    transaction.on_commit(message.send, robust=True)


def _queue_verification(user, *, base_url: str, next_url: str = "", again=False) -> None:
    uidb64 = urlsafe_base64_encode(force_bytes(user.pk))
    path = reverse(
        "vendors:verify_email", kwargs={"uidb64": uidb64, "token": email_verification_token.make_token(user)}
    )
    _queue_mail(
        to=user.email,
        template="verify_email",
        context={
            "link": _link(base_url, path, next=next_url),
            "again": again,
            "valid_days": _link_valid_days(),
        },
    )


def _queue_already_registered(user, *, base_url: str, next_url: str = "") -> None:
    _queue_mail(
        to=user.email or user.get_username(),
        template="already_registered",
        context={
            "login_link": _link(base_url, reverse("vendors:login"), next=next_url),
            "reset_link": _link(base_url, reverse("vendors:password_reset")),
        },
    )


def _link_valid_days() -> int:
    return max(1, settings.PASSWORD_RESET_TIMEOUT // (24 * 3600))


def account_signup(*, email: str, password: str, base_url: str, next_url: str = "") -> None:
    """Open an account for `email` (username = the lower-cased address), inactive until the
    emailed link is opened.

    Returns nothing and raises nothing for a known address, so the caller cannot tell: an
    address that was never verified gets a fresh link (and the new password replaces the old
    one, which kills the links sent before: whoever reads that mailbox decides the password);
    any other account gets an email saying it already exists, with login and reset links.
    `next_url` (a local path, already checked) is carried through the link."""
    email = normalise_email(email)
    hashed = make_password(password)  # hashed whatever happens next, so timing says nothing either
    with transaction.atomic():
        existing = account_for_email(email, lock=True)
        if existing is None:
            try:
                with transaction.atomic():
                    user = User._default_manager.create(username=email, email=email, password=hashed, is_active=False)
            except IntegrityError:  # the same address signed up a moment ago, in another request
                existing = account_for_email(email, lock=True)
            else:
                _queue_verification(user, base_url=base_url, next_url=next_url)
                return
        if is_unverified(existing):
            existing.password = hashed
            existing.save(update_fields=["password"])
            _queue_verification(existing, base_url=base_url, next_url=next_url, again=True)
        else:
            _queue_already_registered(existing, base_url=base_url, next_url=next_url)


def account_verification_resend(*, email: str, base_url: str) -> None:
    """Email a new verification link if the address has an unverified account, or a reminder
    that the account exists if it is already verified; nothing for an unknown address. The
    caller cannot tell which happened."""
    with transaction.atomic():
        user = account_for_email(email)
        if user is None:
            return
        if is_unverified(user):
            _queue_verification(user, base_url=base_url, again=True)
        else:
            _queue_already_registered(user, base_url=base_url)


def _user_from_uidb64(uidb64: str, *, lock=False):
    try:
        pk = urlsafe_base64_decode(uidb64).decode()
        users = User._default_manager.select_for_update() if lock else User._default_manager
        return users.get(pk=pk)
    except (TypeError, ValueError, OverflowError, UnicodeDecodeError, User.DoesNotExist, ValidationError):
        return None


def account_verify(*, uidb64: str, token: str):
    """Activate the account of a verification link and return it (the view then logs it in).

    Raises ValidationError code "already_verified" when the account is already active, and
    "invalid" for a wrong, used or expired link."""
    with transaction.atomic():
        user = _user_from_uidb64(uidb64, lock=True)
        if user is not None and user.is_active:
            raise ValidationError(
                _("This email address is already verified. Log in with it and your password."),
                code="already_verified",
            )
        if user is None or not is_unverified(user) or not email_verification_token.check_token(user, token):
            raise ValidationError(
                _(
                    "This confirmation link does not work: it is incomplete, has expired or was replaced by a "
                    "newer one. Ask for a new link below."
                ),
                code="invalid",
            )
        user.is_active = True
        user.save(update_fields=["is_active"])
    return user


def account_lockout_clear(*, user) -> None:
    """Forget the failed logins of an account (django-axes), e.g. once its password was reset
    through the emailed link: whoever did that controls the mailbox."""
    axes_reset(username=user.get_username())


# Invitations ---------------------------------------------------------------------------------


def invitation_token_digest(token: str) -> str:
    """Only a digest of an invitation token is stored: a copy of the database opens nothing."""
    return hashlib.sha256(token.encode()).hexdigest()


def invitation_expires_at(invitation):
    return invitation.created_at + INVITATION_VALID_FOR


def _require_owner(*, vendor, user) -> None:
    if not VendorMember.objects.filter(vendor=vendor, user=user, role=VendorMember.Role.OWNER).exists():
        raise PermissionDenied(_("Only the owner of the business account can manage invitations."))


def invitation_create(*, vendor, email: str, by, base_url: str) -> VendorInvitation:
    """Invite `email` to act for `vendor` and email them a link valid INVITATION_VALID_DAYS days.

    Only an owner may invite (PermissionDenied otherwise). A pending invitation to the same
    address is replaced, so only the newest link works. Raises ValidationError on the email
    field when that address already acts for this business."""
    _require_owner(vendor=vendor, user=by)
    email = normalise_email(email)
    already = VendorMember.objects.filter(vendor=vendor).filter(
        Q(user__username__iexact=email) | Q(user__email__iexact=email)
    )
    if already.exists():
        raise ValidationError(
            {"email": _("%(email)s already acts for your business.") % {"email": email}}, code="already_member"
        )
    token = secrets.token_urlsafe(32)
    with transaction.atomic():
        VendorInvitation.objects.filter(vendor=vendor, email=email, accepted_at__isnull=True).delete()
        invitation = VendorInvitation.objects.create(
            vendor=vendor, email=email, token=invitation_token_digest(token), invited_by=by
        )
        _queue_mail(
            to=email,
            template="invitation",
            context={
                "vendor": vendor,
                "invited_by": by,
                "link": _link(base_url, reverse("vendors:invitation_accept", kwargs={"token": token})),
                "expires_at": invitation_expires_at(invitation),
            },
        )
    return invitation


def invitation_check(invitation, *, membership=None, now=None) -> None:
    """Raise ValidationError unless the invitation can be accepted by an account whose current
    membership is `membership` (None: acts for no business). Codes: "invalid", "used", "expired",
    "already_member", "other_business"."""
    if invitation is None:
        raise ValidationError(
            _(
                "This invitation link does not work: it is incomplete, or the invitation was withdrawn or "
                "replaced by a newer one. Ask the business's owner to invite you again."
            ),
            code="invalid",
        )
    if invitation.accepted_at is not None:
        raise ValidationError(
            _("This invitation has already been used. Log in with the account that accepted it."), code="used"
        )
    expires_at = invitation_expires_at(invitation)
    if expires_at <= (now or timezone.now()):
        raise ValidationError(
            _(
                "This invitation expired on %(date)s. Invitations are valid for %(days)s days: ask the owner of "
                "%(business)s to invite you again."
            )
            % {
                "date": date_format(timezone.localtime(expires_at), "d/m/Y H:i"),
                "days": INVITATION_VALID_DAYS,
                "business": invitation.vendor,
            },
            code="expired",
        )
    if membership is not None:
        raise _membership_error(membership, invitation)


def invitation_accept(*, token: str, user) -> VendorMember:
    """Make `user` a colleague (role member) of the inviting business and mark the invitation used.

    Raises ValidationError (see invitation_check): "invalid", "used", "expired", "already_member"
    when the account already acts for this business, "other_business" when it acts for another
    one (an account acts for one business only)."""
    with transaction.atomic():
        invitation = (
            VendorInvitation.objects.select_for_update(of=("self",))
            .select_related("vendor")
            .filter(token=invitation_token_digest(token or ""))
            .first()
        )
        invitation_check(invitation, membership=VendorMember.objects.select_related("vendor").filter(user=user).first())
        try:
            with transaction.atomic():
                membership = VendorMember.objects.create(
                    vendor=invitation.vendor, user=user, role=VendorMember.Role.MEMBER
                )
        except IntegrityError:  # the account joined a business in another request just now
            raise _membership_error(VendorMember.objects.select_related("vendor").get(user=user), invitation) from None
        invitation.accepted_at = timezone.now()
        invitation.accepted_by = user
        invitation.save(update_fields=["accepted_at", "accepted_by"])
    return membership


def _membership_error(current, invitation) -> ValidationError:
    if current.vendor_id == invitation.vendor_id:
        return ValidationError(
            _("Your account already acts for %(business)s.") % {"business": current.vendor}, code="already_member"
        )
    return ValidationError(
        _(
            "Your account already acts for another business (%(other)s), and an account acts for one business "
            "only. To accept this invitation from %(business)s, log out and sign up with another email address."
        )
        % {"other": current.vendor, "business": invitation.vendor},
        code="other_business",
    )


def invitation_revoke(*, invitation: VendorInvitation, by) -> None:
    """Withdraw a pending invitation (owner only): its link stops working at once."""
    _require_owner(vendor=invitation.vendor, user=by)
    with transaction.atomic():
        locked = VendorInvitation.objects.select_for_update().filter(pk=invitation.pk).first()
        if locked is None:
            return  # already withdrawn: nothing left to do
        if locked.accepted_at is not None:
            raise ValidationError(
                _("%(email)s has already accepted this invitation; it can no longer be withdrawn.")
                % {"email": locked.email},
                code="used",
            )
        locked.delete()
