"""Reads of the accounts part: who acts for a business, and its invitations."""

from django.db.models import DateTimeField, ExpressionWrapper, F

from ..models import PhoneIdentity, VendorInvitation, VendorMember
from ..services.accounts import INVITATION_VALID_FOR, invitation_token_digest


def membership_of(user):
    """The user's membership (with its business), or None. One query."""
    if not user.is_authenticated:
        return None
    return VendorMember.objects.select_related("vendor").filter(user=user).first()


def members_of(vendor):
    """The accounts acting for a business, owners first, then by date joined."""
    return (
        VendorMember.objects.filter(vendor=vendor)
        .select_related("user")
        .order_by("-role", "created_at", "pk")  # "owner" sorts after "member": descending puts owners first
    )


def pending_invitations(vendor):
    """Invitations of a business not accepted yet (expired ones included), newest first, each
    with `expires_at`."""
    return (
        VendorInvitation.objects.filter(vendor=vendor, accepted_at__isnull=True)
        .select_related("invited_by")
        .annotate(expires_at=ExpressionWrapper(F("created_at") + INVITATION_VALID_FOR, output_field=DateTimeField()))
        .order_by("-created_at", "-pk")
    )


def invitation_for_token(token: str):
    """The invitation of a link's token (with its business and inviter), or None."""
    return (
        VendorInvitation.objects.select_related("vendor", "invited_by")
        .filter(token=invitation_token_digest(token or ""))
        .first()
    )


def verified_phone(user) -> str:
    """The phone number the account proved with a one-time code (E.164), or ""."""
    return PhoneIdentity.objects.filter(user=user).values_list("phone", flat=True).first() or ""
