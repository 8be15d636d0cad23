"""Reads of setup-day check-in: finding a participant, one participant's check-in, and who has
not arrived yet by zone. Fixed query counts whatever the number of participants or booths."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef
from django.db.models.functions import Collate

from booths.models import Assignment
from booths.selectors.search import application_matches, found_on_booth
from events.models import Zone
from tuanhang.kernel.collation import VI_COLLATION
from tuanhang.kernel.vn import fold
from vendors.models import Application, CheckIn, CheckInChange
from vendors.selectors.checkin import checkin_state
from vendors.selectors.money import with_money

A = Application.Status
SEARCH_LIMIT = 30


def _approved(event):
    arrived = CheckIn.objects.filter(application_id=OuterRef("pk"), arrived_at__isnull=False)
    return Application.objects.filter(event=event, status=A.APPROVED).annotate(arrived=Exists(arrived))


@dataclass(frozen=True)
class Row:
    """One participant in the check-in lists."""

    application_id: int
    vendor_id: int
    name: str
    sign_name: str
    arrived: bool
    booths: list = field(default_factory=list)  # booth codes

    def as_json(self) -> dict:
        return {"id": self.application_id, "name": self.name, "sign": self.sign_name, "booths": self.booths}


def _booth_codes(event) -> tuple[dict, dict]:
    """(application id → its active booth codes in order, application id → zone id of the first). One query."""
    codes, zones = defaultdict(list), {}
    rows = (
        Assignment.objects.filter(booth__event=event, status__in=Assignment.ACTIVE)
        .order_by("booth__code")
        .values_list("application_id", "booth__code", "booth__zone_id")
    )
    for app_id, code, zone_id in rows:
        codes[app_id].append(code)
        zones.setdefault(app_id, zone_id)
    return codes, zones


def _rows(applications, codes) -> list[Row]:
    values = applications.values_list("pk", "vendor_id", "vendor__name", "vendor__short_name", "arrived")
    return [
        Row(app_id, vendor_id, name, short or name, arrived, codes.get(app_id, []))
        for app_id, vendor_id, name, short, arrived in values
    ]


def checkin_search(*, event, query: str) -> list[Row]:
    """Approved participants found by the words (booths.selectors.search: name, province, former
    province or commune, accents, case and đ ignored), or who hold the booth with this code; booth
    matches first, then by name. Two queries."""
    query = (query or "").strip()[:100]
    folded = fold(query)
    if not folded:
        return []
    applications = (
        _approved(event)
        .filter(application_matches(query, event=event))
        .annotate(on_booth=found_on_booth(query, event=event))
        .order_by("-on_booth", Collate("vendor__name", VI_COLLATION), "pk")[:SEARCH_LIMIT]
    )
    codes, _zones = _booth_codes(event)
    return _rows(applications, codes)


@dataclass(frozen=True)
class ZoneProgress:
    code: str
    name: str
    colour: str
    arrived: int
    total: int
    pending: list  # of Row, in booth order

    def as_json(self) -> dict:
        return {
            "code": self.code,
            "name": self.name,
            "arrived": self.arrived,
            "total": self.total,
            "pending": [row.as_json() for row in self.pending],
        }


@dataclass(frozen=True)
class Progress:
    arrived: int
    total: int
    zones: list  # of ZoneProgress, the fair's zone order; participants without a booth last

    def as_json(self) -> dict:
        return {"arrived": self.arrived, "total": self.total, "zones": [z.as_json() for z in self.zones]}


def progress_by_zone(*, event, no_booth_label: str) -> Progress:
    """Arrivals per zone and the participants not arrived yet, by the zone of their (first)
    booth, in booth order; participants without a booth in a last group. Three queries."""
    codes, zone_of = _booth_codes(event)
    rows = _rows(_approved(event).order_by(), codes)
    zones = list(
        Zone.objects.filter(event=event).order_by("position", "code").values_list("id", "code", "name", "colour")
    )
    grouped = defaultdict(list)
    for row in rows:
        grouped[zone_of.get(row.application_id)].append(row)
    result = []
    for zone_id, code, name, colour in [*zones, (None, "", no_booth_label, "#adb5bd")]:
        members = grouped.get(zone_id, [])
        if not members:
            continue
        pending = sorted((r for r in members if not r.arrived), key=lambda r: (r.booths[:1], r.name))
        arrived = len(members) - len(pending)
        result.append(ZoneProgress(code, name, colour, arrived, len(members), pending))
    return Progress(arrived=sum(r.arrived for r in rows), total=len(rows), zones=result)


@dataclass(frozen=True)
class CheckInDetail:
    application: Application
    booths: list
    checkin: CheckIn | None
    changes: list
    outstanding: int = 0  # VND still owed (0 or less: paid in full)
    paid_in_full_first: bool = False  # the fair hands booths over only when paid in full


def participants(event):
    """The fair's approved participants with their business (the views narrow it to the user's
    fairs and one id)."""
    return Application.objects.select_related("vendor__province").filter(event=event, status=A.APPROVED)


def checkin_detail(*, application) -> CheckInDetail:
    """One approved participant (read through participants()) with its booths, check-in and
    history, and what it still owes. Four queries."""
    booths = list(
        Assignment.objects.filter(application=application, status__in=Assignment.ACTIVE)
        .select_related("booth__zone", "booth__booth_type")
        .order_by("booth__code")
    )
    checkin = checkin_state(application_id=application.pk)
    changes = []
    if checkin is not None:
        changes = list(CheckInChange.objects.filter(checkin=checkin).select_related("changed_by")[:50])
    money = with_money(Application.objects.filter(pk=application.pk).select_related("event"))
    with_event = money.only("event__handover_requires_full_payment", "status").get()
    return CheckInDetail(
        application=application,
        booths=[a.booth for a in booths],
        checkin=checkin,
        changes=changes,
        outstanding=with_event.outstanding,
        paid_in_full_first=with_event.event.handover_requires_full_payment,
    )
