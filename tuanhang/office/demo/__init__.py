"""The demo fair: "Tuần hàng Việt Nam tại KCN VSIP Thủy Nguyên năm 2024" with its hall plan,
~90 participants from 27 provinces, their products and applications in every status.

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

from django.db import transaction
from django.utils import timezone

from booths.models import Assignment
from events.models import Event
from tuanhang.kernel.page_cache import fair_changed
from tuanhang.office.reminders.services import reminder_rules_create_defaults
from vendors.models import Vendor

from . import rows
from .plan import booth_layout, plan_participants

__all__ = ["DEFAULT_PASSWORD", "USERNAME", "DemoSummary", "booth_layout", "plan_participants", "seed_demo"]

USERNAME = rows.USERNAME
DEFAULT_PASSWORD = "tuanhang-demo"  # noqa: S105  (the documented demo login; DEMO_PASSWORD overrides it)


@dataclass
class DemoSummary:
    event: Event
    username: str
    password: str
    created: dict[str, int]
    totals: dict[str, int]


def seed_demo(*, password: str | None = None, today: dt.date | None = None) -> DemoSummary:
    """Create whatever part of the demo fair is missing; returns what was created and the totals.

    Writes the organiser login (staff + superuser; its password is reset to `password` if it
    differs), the organiser, categories, document types, the fair, its zones, booth types and booths,
    participants with products, applications and booth assignments. One transaction.
    """
    password = password or DEFAULT_PASSWORD
    today = today or timezone.localdate()
    created = defaultdict(int)
    with transaction.atomic():
        user = rows.ensure_user(password)
        organiser = rows.ensure_organiser(user)
        categories = rows.ensure_categories(created)
        documents = rows.ensure_document_types(created)
        event = rows.ensure_event(organiser, categories, documents, user, today, created)
        booth_types = rows.ensure_booth_types(event)
        zones = rows.ensure_zones(event, categories, created)
        rows.ensure_booths(event, zones, booth_types, created)
        communes = rows.communes_by_province()
        plans = plan_participants(communes=communes, today=today)
        vendors = rows.ensure_vendors(plans, categories, created)
        rows.ensure_products(plans, vendors, categories, created)
        rows.ensure_applications(event, plans, vendors, zones, booth_types, categories, user, created)
        fair_changed(event.pk)  # some rows were bulk-created: no signal told the public pages' cache
        created["reminder_rules"] += reminder_rules_create_defaults(event=event)
    totals = {
        "participants": Vendor.objects.count(),
        "booths": event.booths.count(),
        "applications": event.applications.count(),
        "assignments": Assignment.objects.filter(booth__event=event, status__in=Assignment.ACTIVE).count(),
    }
    return DemoSummary(event=event, username=USERNAME, password=password, created=dict(created), totals=totals)
