"""Writes of the organisers' review: decisions on applications (one or many) with the free-booth
check (payments received are vendors.services.payments).

The decision itself goes through core.application_transition (via applications_decide), which
records who, when, from which status and why, releases booths on rejection, and queues the
decision e-mail on commit, so the admin actions and these pages behave the same.
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from tuanhang.office.review.selectors import booths_without_assignment, event_capacity
from vendors.models import Application
from vendors.services.core import APPLICATION_TRANSITIONS, applications_decide

A = Application.Status

# The decisions the review pages offer (the admin also has "cancel").
REVIEW_DECISIONS = (A.APPROVED, A.WAITLISTED, A.REJECTED)
APPROVABLE = tuple(status for status, targets in APPLICATION_TRANSITIONS.items() if A.APPROVED in targets)


class OverCapacity(Exception):
    """Approving would promise more booths than the fair has free; the organiser must confirm."""

    def __init__(self, *, needed: int, free: int):
        super().__init__(f"needs {needed} booths, {free} free")
        self.needed = needed
        self.free = max(free, 0)


def approval_shortfall(*, event, applications) -> tuple[int, int]:
    """(booths that approving `applications` needs, booths the fair can still give).

    Applications already approved, holding a booth, or that cannot be approved from their status
    need nothing more; the others need the booths they ask for."""
    ids = [application.pk for application in applications]
    needed = booths_without_assignment(Application.objects.filter(pk__in=ids, event=event, status__in=APPROVABLE))
    return needed, event_capacity(event).free


def decision_apply(
    *, event, applications, to_status: str, by, reason: str = "", over_capacity_confirmed: bool = False
) -> tuple[int, list[str]]:
    """Approve, waitlist or reject applications of one fair from the review pages.

    A rejection needs a reason. An approval that needs more booths than the fair has free raises
    OverCapacity unless `over_capacity_confirmed`. Each application then moves in its own
    transaction through applications_decide, which records the step, releases booths on
    rejection and queues the decision e-mail on commit. Returns (done, error messages)."""
    if to_status not in REVIEW_DECISIONS:
        raise ValueError(f"not a review decision: {to_status!r}")
    reason = (reason or "").strip()
    if to_status == A.REJECTED and not reason:
        raise ValidationError({"reason": _("Give a reason for the rejection.")}, code="required")
    applications = [application for application in applications if application.event_id == event.pk]
    if to_status == A.APPROVED and not over_capacity_confirmed:
        needed, free = approval_shortfall(event=event, applications=applications)
        if needed and needed > free:
            raise OverCapacity(needed=needed, free=free)
    return applications_decide(applications=applications, to_status=to_status, by=by, reason=reason)
