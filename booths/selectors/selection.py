"""Reads of booth self-selection: the business's application to a fair, the booths it may pick
and the ones it holds. A fixed number of queries whatever the number of booths."""

import re
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Prefetch

from events.models import Category
from vendors.models import Application
from vendors.permissions import owned_or_404

from ..models import Assignment, Booth, Zone
from ..selection import format_moment, pinned_refusal, selection_refusal, zone_accepts


def application_for_selection(*, vendor, slug) -> Application:
    """The business's application to the fair, with what the rules need; 404 when it has none
    (another business's application is never reachable: the lookup is by the business). Two queries."""
    queryset = Application.objects.select_related("event", "booth_type").prefetch_related(
        Prefetch("categories", queryset=Category.objects.only("pk"))
    )
    return owned_or_404(queryset, vendor, event__slug=slug)


def application_ref_for_selection(*, vendor, slug) -> Application:
    """Only the id of the business's application to the fair (the choice service loads the rest
    under its lock); 404 as above. One query."""
    return owned_or_404(Application.objects.only("pk", "vendor_id", "event_id"), vendor, event__slug=slug)


@dataclass
class Row:
    label: str
    key: tuple = ()
    booths: list = field(default_factory=list)


@dataclass
class ZoneChoices:
    zone: Zone
    rows: list = field(default_factory=list)
    count: int = 0


@dataclass
class SelectionPage:
    """Everything the choice page shows."""

    application: Application
    refusal: str | None
    deadline_text: str
    mine: list  # the application's active assignments, booth and zone loaded
    zones: list  # ZoneChoices of the booths it may pick (free or already its own)

    @property
    def event(self):
        return self.application.event

    @property
    def needed(self) -> int:
        return self.application.booths_requested

    @property
    def mine_ids(self) -> set:
        return {a.booth_id for a in self.mine}

    @property
    def can_choose(self) -> bool:
        return self.refusal is None

    @property
    def input_type(self) -> str:
        """One booth: radio buttons; several: check boxes."""
        return "radio" if self.needed == 1 else "checkbox"


def selection_page(*, application, now=None) -> SelectionPage:
    """The booths the application may pick, grouped by zone and row (in x order), and its own.

    A booth may be picked when it is on this fair, not blocked, of the application's booth type
    (when it has one), in a zone that takes its categories, and held by nobody else. Four queries
    (zones, their categories, the application's booths, the pickable booths)."""
    accepted, mine, refusal = _frame(application, now)
    groups = {pk: ZoneChoices(zone) for pk, zone in accepted.items()}
    for booth in _pickable_booths(application, accepted):
        group = groups[booth.zone_id]
        key = (booth.row, booth.y if not booth.row else 0)
        if not group.rows or group.rows[-1].key != key:
            group.rows.append(Row(booth.row, key))
        group.rows[-1].booths.append(booth)
        group.count += 1
    return SelectionPage(
        application=application,
        refusal=refusal,
        deadline_text=_deadline_text(application.event),
        mine=mine,
        zones=[g for g in groups.values() if g.count],
    )


FREE_FIELDS = ("id", "code", "zone", "row")  # the columns of selection_json's "free" rows


def selection_json(*, application, now=None) -> dict:
    """What the page's script reads: the free booths it may pick (by code), the ones it holds, the
    rules. The same five queries as selection_page, without grouping the booths (the script asks
    for this after every lost race, so it is kept light).

    "free" is a list of [id, code, zone id, row] arrays, its columns named once in "free_fields":
    a fair has over a thousand free booths at first and every business loads the list before
    choosing, so building and encoding an object per booth was a sixth of the server's CPU during
    a rush (bench_selection)."""
    accepted, mine, refusal = _frame(application, now)
    holders = _holders(application)
    free = [booth for booth in _candidates(application, accepted, with_position=False) if booth[0] not in holders]
    free.sort(key=lambda booth: booth[1])
    return {
        "ok": True,
        "can_choose": refusal is None,
        "refusal": refusal,
        "needed": application.booths_requested,
        "deadline": _deadline_text(application.event),
        "mine": [booth_json(a.booth) for a in mine],
        "free_fields": FREE_FIELDS,
        "free": free,
        "zones": [{"id": z.pk, "code": z.code, "name": z.name} for z in accepted.values()],
    }


def _frame(application, now):
    """(zones that take the application's categories by id, its active assignments, why it may not
    choose or None). Three queries: zones, their categories, the assignments."""
    zones = (
        Zone.objects.filter(event_id=application.event_id).prefetch_related("categories").order_by("position", "code")
    )
    mine = list(
        Assignment.objects.filter(application=application, status__in=Assignment.ACTIVE)
        .select_related("booth__zone")
        .order_by("booth__code")
    )
    refusal = selection_refusal(application=application, event=application.event, now=now) or pinned_refusal(mine)
    categories = {c.pk for c in application.categories.all()}
    accepted = {z.pk: z for z in zones if zone_accepts({c.pk for c in z.categories.all()}, categories)}
    return accepted, mine, refusal


def _deadline_text(event) -> str:
    deadline = event.booth_choice_deadline
    return format_moment(deadline) if deadline else ""


def _candidates(application, zone_ids, *, with_position=True) -> list[tuple]:
    """(pk, code, zone_id, row[, x, y]) of the fair's booths the application could pick if they were
    free: not blocked, in one of `zone_ids`, of its booth type when it has one.

    Who holds them comes from _holders, a second query, rather than a NOT EXISTS here: during a
    rush of choices the assignment table grows faster than PostgreSQL's statistics, and with
    estimates of one row the planner turned that anti-join into a scan of every assignment for
    every booth (0.2 s a request at 600 choices). Two plain queries cost the same whatever the
    statistics say."""
    queryset = Booth.objects.filter(event_id=application.event_id, blocked=False, zone_id__in=list(zone_ids))
    if application.booth_type_id:
        queryset = queryset.filter(booth_type_id=application.booth_type_id)
    fields = ("pk", "code", "zone_id", "row", *(("x", "y") if with_position else ()))
    return list(queryset.order_by().values_list(*fields))


def _holders(application) -> dict[int, int]:
    """{booth id: id of the application holding it} for every held or confirmed booth of the fair."""
    # Through the booths: booth → its active assignment is the partial unique index, a plan that
    # stays cheap even when the statistics think the tables are empty (through the applications
    # it was a nested loop over both).
    active = Assignment.objects.filter(booth__event_id=application.event_id, status__in=Assignment.ACTIVE)
    return dict(active.order_by().values_list("booth_id", "application_id"))


@dataclass(slots=True)
class PickableBooth:
    """A booth the application may pick: the few fields the page and the map script need."""

    pk: int
    code: str
    zone_id: int
    row: str
    x: Decimal
    y: Decimal
    is_mine: bool


def _pickable_booths(application, accepted_zones) -> list[PickableBooth]:
    """The booths the application may pick: free, or already its own. Rows, not model instances:
    a fair has over a thousand booths and the page is hot."""
    holders = _holders(application)
    booths = [
        PickableBooth(pk, code, zone_id, row, x, y, is_mine=holders.get(pk) == application.pk)
        for pk, code, zone_id, row, x, y in _candidates(application, accepted_zones)
        if holders.get(pk, application.pk) == application.pk
    ]
    # Zone order, then rows in natural label order (booths without a label by y), then left to right.
    position = {pk: index for index, pk in enumerate(accepted_zones)}
    natural = {label: _natural(label) for label in {b.row for b in booths}}
    booths.sort(key=lambda b: (position[b.zone_id], natural[b.row], b.y if not b.row else 0, b.x, b.code))
    return booths


def _natural(label: str) -> tuple:
    """ "A2" before "A10"."""
    return tuple((0, int(part), "") if part.isdigit() else (1, 0, part) for part in re.split(r"(\d+)", label) if part)


def booth_json(booth) -> dict:
    return {"id": booth.pk, "code": booth.code, "zone": booth.zone_id, "row": booth.row}
