"""Who may do what, at which fair: the one place that answers it (issue 16).

A staff account works for organisers through Memberships; each membership has a role and may be
limited to some of the organiser's fairs. A role is a set of named capabilities. Views, the admin,
JSON endpoints, commands run for a user and tasks started from a page all ask here:

    can(user, "application.decide", event)      -> bool
    Event.objects.for_user(user)                 -> the fairs the user may see at all
    fairs_for(user, "payment.record")            -> the fairs where the user may do that
    fair_or_404(user, slug, "export")            -> the fair, Http404 if the user may not see it,
                                                    PermissionDenied if its role may not do that

A superuser may do everything everywhere. An account with no membership sees no fair.

An overseeing body (the Sở Công Thương over its centre, a federation over its associations) is
given an OVERSIGHT membership in each organiser it oversees, by name: it reads fairs, lists,
reports and exports there and never writes.
"""

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import Event, Membership

R = Membership.Role

# capability → what it lets a member do (the README's "who can do what" table is built from this)
CAPABILITIES = {
    "fair.view": "see the fair's dashboard, counts and booth map",
    "application.view": "read applications with the businesses' private data: documents, notes, payments",
    "personal.view": "see households' personal ID numbers and download ID-card images",
    "fair.manage": "change the fair, its hall plan, booths and allocation",
    "application.decide": "approve, waitlist, reject or cancel applications",
    "payment.record": "record money received",
    "checkin.record": "check businesses in on setup day",
    "export": "download exports and prints with the businesses' data",
    "print.build": "build prints (participant lists, letters, booth signs)",
    "reminder.manage": "change reminder rules and resend reminders",
    "report.view": "read the reports",
    "team.manage": "invite staff and change their roles",
}

# The capabilities that only read: the oversight role is made of these and nothing else.
READ_ONLY = frozenset({"fair.view", "application.view", "personal.view", "export", "report.view"})

ROLE_CAPABILITIES = {
    R.ADMIN: frozenset(CAPABILITIES),
    R.REVIEWER: frozenset(
        {
            "fair.view",
            "application.view",
            "personal.view",
            "application.decide",
            "export",
            "print.build",
            "report.view",
        }
    ),
    R.ACCOUNTANT: frozenset(
        {"fair.view", "application.view", "payment.record", "export", "print.build", "report.view"}
    ),
    R.FLOOR: frozenset({"fair.view", "checkin.record"}),
    R.VIEWER: frozenset({"fair.view", "report.view"}),
    R.OVERSIGHT: frozenset({"fair.view", "export", "report.view"}),
}

# Capabilities over the organiser itself, not one of its fairs: only a membership covering every
# fair of the organiser has them (an administrator limited to some fairs could otherwise lift its
# own limit on the team page).
ORGANISER_WIDE = frozenset({"team.manage"})

assert ROLE_CAPABILITIES[R.OVERSIGHT] <= READ_ONLY, "the oversight role never writes"
assert set(ROLE_CAPABILITIES) == set(R), "every role has its capabilities"

# What the 403 page says when a role lacks a capability (Vietnamese through the catalogue).
REFUSALS = {
    "fair.view": gettext_lazy("Your role does not include this fair."),
    "application.view": gettext_lazy("Your role cannot read the businesses' applications and documents."),
    "personal.view": gettext_lazy(
        "Only the organiser's administrators and application reviewers may open documents with personal "
        "identity data (ID cards)."
    ),
    "fair.manage": gettext_lazy("Only the organiser's administrators can change the fair, its hall plan and booths."),
    "application.decide": gettext_lazy("Your role cannot decide applications."),
    "payment.record": gettext_lazy("Your role cannot record payments."),
    "checkin.record": gettext_lazy("Your role cannot check businesses in."),
    "export": gettext_lazy("Your role cannot download the businesses' data."),
    "print.build": gettext_lazy("Your role cannot build prints."),
    "reminder.manage": gettext_lazy("Your role cannot change or resend reminders."),
    "report.view": gettext_lazy("Your role cannot read the reports."),
    "team.manage": gettext_lazy("Only the organiser's administrators can manage its staff."),
}


def _check(capability):
    if capability is not None and capability not in CAPABILITIES:
        raise ValueError(f"unknown capability: {capability!r}")


def _active(user) -> bool:
    return bool(user and user.is_authenticated and user.is_active)


def _memberships(user):
    """The user's memberships with their fair limits, read once per request (cached on the user)."""
    cached = getattr(user, "_tuanhang_memberships", None)
    if cached is None:
        cached = list(Membership.objects.filter(user=user).prefetch_related("events"))
        user._tuanhang_memberships = cached
    return cached


def forget(user):
    """Drop the memberships cached on this user object (after they changed)."""
    user.__dict__.pop("_tuanhang_memberships", None)


def _grants(membership) -> frozenset:
    """What this membership lets its user do (a fair-limited one: nothing organiser-wide)."""
    capabilities = ROLE_CAPABILITIES[membership.role]
    return capabilities - ORGANISER_WIDE if _limits(membership) else capabilities


def _limits(membership) -> list:
    return [e.pk for e in membership.events.all()]


def _covers(membership, event) -> bool:
    if membership.organiser_id != event.organiser_id:
        return False
    limited = _limits(membership)
    return not limited or event.pk in limited


def capabilities_at(user, event) -> frozenset:
    """Every capability the user has at this fair (all of them for a superuser)."""
    if not _active(user):
        return frozenset()
    if user.is_superuser:
        return frozenset(CAPABILITIES)
    found = set()
    for m in _memberships(user):
        if _covers(m, event):
            found |= _grants(m)
    return frozenset(found)


def can(user, capability: str, event) -> bool:
    """Whether `user` may do `capability` at `event`."""
    _check(capability)
    return capability in capabilities_at(user, event)


def can_anywhere(user, capability: str | None = None) -> bool:
    """Whether `user` has `capability` at some fair or organiser (any membership at all, when None)."""
    _check(capability)
    if not _active(user):
        return False
    if user.is_superuser:
        return True
    return any(capability is None or capability in _grants(m) for m in _memberships(user))


def fairs_filter(user, capability: str | None = None, prefix: str = "") -> Q:
    """A filter for the fairs where `user` has `capability` (any role, when None).

    `prefix` puts the filter on a relation: fairs_filter(user, "export", "event__") filters
    applications by their fair."""
    _check(capability)
    if not _active(user):
        return Q(pk__in=[])
    if user.is_superuser:
        return Q()
    pk = f"{prefix}pk" if prefix else "pk"
    condition = Q(**{f"{pk}__in": []})
    for membership in _memberships(user):
        if capability is not None and capability not in _grants(membership):
            continue
        limited = _limits(membership)
        scope = Q(**{f"{prefix}organiser_id": membership.organiser_id})
        condition |= scope & Q(**{f"{pk}__in": limited}) if limited else scope
    return condition


def organisers_for(user, capability: str | None = None):
    """The organisers where `user` holds a role with `capability` (for any of their fairs)."""
    from .models import Organiser

    _check(capability)
    if not _active(user):
        return Organiser.objects.none()
    if user.is_superuser:
        return Organiser.objects.all()
    ids = {m.organiser_id for m in _memberships(user) if capability is None or capability in _grants(m)}
    return Organiser.objects.filter(pk__in=ids)


def organiser_ids_for(user, capability: str) -> set[int]:
    """The ids of the organisers where `user`'s memberships grant `capability` (from the memberships
    already read for this request: no query). Empty for a superuser, who holds no membership."""
    _check(capability)
    if not _active(user):
        return set()
    return {m.organiser_id for m in _memberships(user) if capability in _grants(m)}


def sees_several_organisers(user) -> bool:
    """A superuser, an overseeing body, or a member of more than one organiser: lists of fairs then
    name each fair's organiser. (From the memberships already read for this request.)"""
    if not _active(user):
        return False
    if user.is_superuser:
        return True
    memberships = _memberships(user)
    return len({m.organiser_id for m in memberships}) > 1 or any(m.role == R.OVERSIGHT for m in memberships)


def fairs_for(user, capability: str | None = None):
    """The fairs where `user` has `capability` (every fair it may see at all, when None)."""
    return Event.objects.filter(fairs_filter(user, capability))


def require(user, capability: str, event):
    """PermissionDenied with the role's Vietnamese refusal unless `user` may do `capability` here."""
    if not can(user, capability, event):
        raise PermissionDenied(str(REFUSALS[capability]))


def fair_or_404(user, slug, capability: str | None = None, queryset=None) -> Event:
    """The fair at this address, for this user.

    A fair the user may not see at all answers 404, the same as an address with no fair (another
    organiser's fair is not even confirmed to exist); a fair it sees but whose role lacks
    `capability` answers 403 with a message that says what the role cannot do."""
    queryset = queryset if queryset is not None else Event.objects.select_related("organiser")
    event = queryset.filter(fairs_filter(user)).filter(slug=slug).first()
    if event is None:
        raise Http404(_("No fair with this address."))
    if capability is not None:
        require(user, capability, event)
    return event


def scoped_or_404(queryset, user, capability: str | None, event_path: str = "event", **lookup):
    """One object of `queryset` (found by `lookup`) whose fair, reached by `event_path`, the user
    may see; Http404 otherwise. Then 403 unless its role has `capability` at that fair.

        payment_app = scoped_or_404(Application.objects.all(), user, "payment.record", pk=pk)
    """
    prefix = f"{event_path}__"
    obj = queryset.filter(fairs_filter(user, None, prefix=prefix)).filter(**lookup).select_related(event_path).first()
    if obj is None:
        raise Http404
    if capability is not None:
        event = obj
        for part in event_path.split("__"):
            event = getattr(event, part)
        require(user, capability, event)
    return obj


def members_with(capability: str, event):
    """The active accounts of the fair's organiser whose role has `capability` at this fair."""
    _check(capability)
    roles = [role for role, capabilities in ROLE_CAPABILITIES.items() if capability in capabilities]
    fairs = Q(events=None) if capability in ORGANISER_WIDE else Q(events=None) | Q(events=event)
    memberships = Membership.objects.filter(organiser_id=event.organiser_id, role__in=roles).filter(fairs)
    return get_user_model().objects.filter(pk__in=memberships.values("user_id"), is_active=True)
