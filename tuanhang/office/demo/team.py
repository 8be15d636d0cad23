"""The demo's second organiser with its small fair, and one login per role (issue 16).

Every login shares the demo password. Hashing a password is slow on purpose, so it is hashed once
(for "organiser", by rows.ensure_user) and the other logins get the same hash: a run where nothing
changed hashes nothing more. Memberships are added through events.teams.team_invite, so the team
pages show who was invited, as in real use.
"""

from dataclasses import dataclass

from django.contrib.auth import get_user_model

from events.models import Membership
from events.teams import Contact, team_invite
from vendors.models import Application
from vendors.services import application_create, application_transition

from . import data, rows

A = Application.Status


@dataclass(frozen=True)
class Login:
    username: str
    password: str
    organiser: object
    role: str  # Membership.Role value, or "" for the installation's superuser

    @property
    def role_label(self) -> str:
        return str(Membership.Role(self.role).label) if self.role else ""


def ensure_logins(organisers, *, superuser, password, created) -> list[Login]:
    """The accounts of data.LOGINS, each staff with the demo password and its membership (added
    through team_invite by the organiser's first administrator when missing)."""
    User = get_user_model()
    usernames = [username for username, *_ in data.LOGINS]
    users = User.objects.in_bulk(usernames, field_name="username")
    logins = [Login(superuser.get_username(), password, organisers[1], "")]
    for username, number, role, name in data.LOGINS:
        organiser = organisers[number]
        user = users.get(username) or User(username=username, email=f"{username}@example.com", first_name=name)
        if user.pk is None or user.password != superuser.password or not (user.is_staff and user.is_active):
            created["logins"] += user.pk is None
            user.password = superuser.password  # the same password, already hashed
            user.is_staff = user.is_active = True
            user.save()
        if not Membership.objects.filter(organiser=organiser, user=user).exists():
            by = superuser if number == 1 else None
            team_invite(organiser=organiser, contact=Contact(email=user.email), role=role, by=by)
            created["memberships"] += 1
        logins.append(Login(username, password, organiser, role))
    return logins


def ensure_second_fair(organiser, categories, documents, vendors, first_event, by, today, created):
    """The association's fair with a few applications of local participants of the first fair (one
    registry of businesses for the whole installation)."""
    event = rows.ensure_event(organiser, categories, documents, by, today, created, values=data.EVENT_2)
    have = set(Application.objects.filter(event=event).values_list("vendor_id", flat=True))
    at_first = set(Application.objects.filter(event=first_event).values_list("vendor_id", flat=True))
    local = sorted(
        (v for v in vendors.values() if v.province_id == data.EVENT_2["province"] and v.pk in at_first),
        key=lambda v: v.tax_code,
    )
    for vendor, status in zip(local, data.EVENT_2_APPLICATIONS, strict=False):
        if vendor.pk in have:
            continue
        application = application_create(vendor=vendor, event=event, by=by)
        steps = [A.SUBMITTED] if status == A.SUBMITTED else [A.SUBMITTED, status]
        for step in steps:
            reason = data.DECISION_REASONS.get(step, [""])[0] if step == status else ""
            application_transition(application=application, to_status=step, by=by, reason=reason, notify=False)
        created["applications"] += 1
    return event
