"""The demo fair: "Tuần hàng Việt Nam tại KCN VSIP Thủy Nguyên năm 2024" with its hall plan,
~90 participants from 27 provinces, their products and applications in every status; a second
organiser (a business association) with a small fair of its own; one login per role (team.py).

`seed_demo()` is idempotent: every row has a natural key (username, organiser name, category name,
document-type slug, fair slug, zone/booth-type/booth code, tax code, product name per participant,
one application per participant and fair) and is only created when missing, so a second run writes
nothing. The participant data is planned from a fixed random seed, so every run plans the same rows.

Applications are opened and moved through vendors.services (application_create /
application_transition) and booths given through booths.services.booth_assign, so the history rows
and side effects are those of real use. The fair is created as a draft and stepped to
"registration open" through events.services.event_transition, which records the steps.
"""

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from booths.models import Assignment
from events.models import Event
from tuanhang.kernel.page_cache import fair_changed
from tuanhang.office.reminders.models import ReminderRule
from tuanhang.office.reminders.services import reminder_rules_create_defaults
from vendors.models import Vendor

from . import data, rows
from .plan import booth_layout, plan_participants
from .team import Login, ensure_logins, ensure_second_fair

__all__ = ["DEFAULT_PASSWORD", "USERNAME", "DemoSummary", "Login", "booth_layout", "plan_participants", "seed_demo"]

USERNAME = rows.USERNAME
DEFAULT_PASSWORD = "tuanhang-demo"  # noqa: S105  (the documented demo login; DEMO_PASSWORD overrides it)


@dataclass
class DemoSummary:
    event: Event
    username: str
    password: str
    created: dict[str, int]
    totals: dict[str, int]
    second_event: Event | None = None
    logins: tuple[Login, ...] = ()


def seed_demo(
    *, password: str | None = None, today: dt.date | None = None, with_reminders: bool = False
) -> DemoSummary:
    """Create whatever part of the demo fair is missing; returns what was created and the totals.

    Writes the organiser login (staff + superuser; its password is reset to `password` if it
    differs), the organiser, categories, document types, the fair, its zones, booth types and booths,
    its khuyến công programme, participants with products, applications and booth assignments
    (approved ones subsidised under the programme); the second organiser, its fair
    and a few applications there; one login per role with its membership. One transaction.

    The fair's default reminder rules are created disabled unless `with_reminders`: the demo
    businesses have real-looking addresses, and a running worker would otherwise mail them (33
    "booth assigned" reminders an hour after `make run`). Rules that exist already are left as they are.
    """
    password = password or DEFAULT_PASSWORD
    today = today or timezone.localdate()
    created = defaultdict(int)
    with transaction.atomic():
        user = rows.ensure_user(password)
        organiser = rows.ensure_organiser(user, created)
        categories = rows.ensure_categories(created)
        documents = rows.ensure_document_types(created)
        event = rows.ensure_event(organiser, categories, documents, user, today, created)
        rows.ensure_bank_account(event)
        rows.ensure_subsidy_programme(event, created)
        booth_types = rows.ensure_booth_types(event)
        zones = rows.ensure_zones(event, categories, created)
        rows.ensure_booths(event, zones, booth_types, created)
        communes = rows.communes_by_province()
        plans = plan_participants(communes=communes, today=today)
        vendors = rows.ensure_vendors(plans, categories, created)
        rows.ensure_products(plans, vendors, categories, created)
        rows.ensure_applications(event, plans, vendors, zones, booth_types, categories, user, created)
        fair_changed(event.pk)  # some rows were bulk-created: no signal told the public pages' cache
        rules_made = reminder_rules_create_defaults(event=event)
        if rules_made and not with_reminders:
            ReminderRule.objects.filter(event=event).update(enabled=False)
        created["reminder_rules"] += rules_made
        organiser_2 = rows.ensure_organiser(None, created, data.ORGANISER_2)
        logins = ensure_logins({1: organiser, 2: organiser_2}, superuser=user, password=password, created=created)
        admin_2 = next(login for login in logins if login.organiser == organiser_2)
        second = ensure_second_fair(
            organiser_2, categories, documents, vendors, event, _user(admin_2.username), today, created
        )
    totals = {
        "participants": Vendor.objects.count(),
        "booths": event.booths.count(),
        "applications": event.applications.count(),
        "assignments": Assignment.objects.filter(booth__event=event, status__in=Assignment.ACTIVE).count(),
    }
    return DemoSummary(
        event=event,
        username=USERNAME,
        password=password,
        created=dict(created),
        totals=totals,
        second_event=second,
        logins=tuple(logins),
    )


def _user(username):
    return get_user_model().objects.get(username=username)
