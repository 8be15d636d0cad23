"""Who may do what, at which fair: the one place that answers it (issue 16).

A staff account works for organisers through Memberships; each membership has a role and may be
limited to some of the organiser's fairs. A role is a set of named capabilities. Views, the admin,
JSON endpoints, commands run for a user and tasks started from a page all ask here:

    can(user, "application.decide", event)      -> bool
    Event.objects.for_user(user)                 -> the fairs the user may see at all
    fairs_for(user, "payment.record")            -> the fairs where the user may do that

A superuser may do everything everywhere. An account with no membership sees no fair.
"""

from django.contrib.auth import get_user_model
from django.db.models import Q

from .models import Event, Membership

R = Membership.Role

# capability → what it lets a member do
CAPABILITIES = {
    "fair.view": "see the fair's dashboard, its applications and its lists",
    "fair.manage": "change the fair, its hall plan, booths and allocation",
    "application.decide": "approve, waitlist, reject or cancel applications",
    "payment.record": "record money received",
    "checkin.record": "check businesses in on setup day",
    "export": "download exports and prints with the businesses' data",
    "reminder.manage": "change reminder rules and resend reminders",
    "report.view": "read the reports",
    "team.manage": "invite staff and change their roles",
}

ROLE_CAPABILITIES = {
    R.ADMIN: frozenset(CAPABILITIES),
    R.REVIEWER: frozenset({"fair.view", "application.decide", "export", "report.view"}),
    R.ACCOUNTANT: frozenset({"fair.view", "payment.record", "export", "report.view"}),
    R.FLOOR: frozenset({"fair.view", "checkin.record"}),
    R.VIEWER: frozenset({"fair.view", "report.view"}),
}


def _memberships(user):
    """The user's memberships with their fair limits, read once per request (cached on the user)."""
    cached = getattr(user, "_tuanhang_memberships", None)
    if cached is None:
        cached = list(Membership.objects.filter(user=user).prefetch_related("events"))
        user._tuanhang_memberships = cached
    return cached


def _covers(membership, event) -> bool:
    if membership.organiser_id != event.organiser_id:
        return False
    limited = [e.pk for e in membership.events.all()]
    return not limited or event.pk in limited


def can(user, capability: str, event) -> bool:
    """Whether `user` may do `capability` at `event`."""
    if capability not in CAPABILITIES:
        raise ValueError(f"unknown capability: {capability!r}")
    if not (user and user.is_authenticated and user.is_active):
        return False
    if user.is_superuser:
        return True
    return any(capability in ROLE_CAPABILITIES[m.role] and _covers(m, event) for m in _memberships(user))


def fairs_filter(user, capability: str | None = None) -> Q:
    """A filter on Event for the fairs where `user` has `capability` (any role, when None)."""
    if not (user and user.is_authenticated and user.is_active):
        return Q(pk__in=[])
    if user.is_superuser:
        return Q()
    condition = Q(pk__in=[])
    for membership in _memberships(user):
        if capability is not None and capability not in ROLE_CAPABILITIES[membership.role]:
            continue
        limited = [e.pk for e in membership.events.all()]
        scope = Q(organiser_id=membership.organiser_id)
        condition |= scope & Q(pk__in=limited) if limited else scope
    return condition


def fairs_for(user, capability: str | None = None):
    """The fairs where `user` has `capability` (every fair it may see at all, when None)."""
    return Event.objects.filter(fairs_filter(user, capability))


def members_with(capability: str, event):
    """The active accounts of the fair's organiser whose role has `capability` at this fair."""
    if capability not in CAPABILITIES:
        raise ValueError(f"unknown capability: {capability!r}")
    roles = [role for role, capabilities in ROLE_CAPABILITIES.items() if capability in capabilities]
    memberships = Membership.objects.filter(organiser_id=event.organiser_id, role__in=roles).filter(
        Q(events=None) | Q(events=event)
    )
    return get_user_model().objects.filter(pk__in=memberships.values("user_id"), is_active=True)
