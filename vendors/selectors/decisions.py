"""Reads for the decision e-mails."""

from django.db.models import Prefetch, Q

from ..models import ApplicationStatusChange, VendorMember


def status_change_for_email(pk: int) -> ApplicationStatusChange:
    """A status change with its application, business, fair and organiser, and the business's
    accounts; raises ApplicationStatusChange.DoesNotExist."""
    return (
        ApplicationStatusChange.objects.select_related(
            "application__vendor",
            "application__event__organiser",
            "application__event__bank_account",
            "application__owed",
            "changed_by",
        )
        .prefetch_related(
            Prefetch(
                "application__vendor__memberships",
                queryset=VendorMember.objects.select_related("user").filter(
                    Q(user__is_active=True) & ~Q(user__email="")
                ),
                to_attr="mailable_members",
            )
        )
        .get(pk=pk)
    )
