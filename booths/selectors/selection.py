"""Reads of booth self-selection: the business's application to a fair, the booths it may pick
and the ones it holds. A fixed number of queries whatever the number of booths.

They run for every business at every step of a rush, so they read rows (values_list, plain SQL for
the two that read the whole fair), not model instances (docs/DECISIONS.md)."""

import functools
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import connection
from django.http import Http404

from events.models import BoothType, Event, Zone
from vendors.models import Application, VendorMember
from vendors.permissions import owned_or_404

from ..codes import booth_code_key
from ..models import Assignment, Booth
from ..rules import zone_accepts
from ..selection import format_moment, pinned_refusal, selection_refusal


def application_for_selection(*, slug, vendor=None, user=None) -> Application:
    """The application to the fair of the business `vendor`, or of the business the account `user`
    acts for (one business per account: one query, without loading the business first), with its
    fair and booth type; 404 when there is none (another business's application is never
    reachable: the lookup is by the business). One query."""
    if user is not None:
        application = application_with_fair(user=user, slug=slug)
        if application is None:
            raise Http404
        return application
    queryset = Application.objects.select_related("event", "booth_type")
    return owned_or_404(queryset, vendor, event__slug=slug)


def application_with_fair(*, pk=None, user=None, slug=None, lock=False) -> Application | None:
    """The application with its fair and booth type loaded, or None: by its id, or to the fair
    `slug` of the business the account `user` acts for. With `lock`, its row is locked FOR NO KEY
    UPDATE (PostgreSQL), which still lets other transactions insert rows that point at it.

    One plain statement, the three models built from its row with Model.from_db (why: docs/DECISIONS.md)."""
    head, models = _application_statement()
    if pk is not None:
        sql, params = f"{head} WHERE a.id = %s", [pk]
    else:
        sql = f"{head} JOIN {_table(VendorMember)} m ON m.vendor_id = a.vendor_id WHERE m.user_id = %s AND e.slug = %s"
        params = [user.pk, slug]
    if lock and connection.features.has_select_for_no_key_update:
        sql += " FOR NO KEY UPDATE OF a"
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        row = cursor.fetchone()
    if row is None:
        return None
    row = list(row)
    for index, expression, converters in models.converters:
        for converter in converters:
            row[index] = converter(row[index], expression, connection)
    (application, event, booth_type) = (
        model.from_db(connection.alias, names, row[start:end]) for model, names, start, end in models.slices
    )
    application.event = event
    if application.booth_type_id is not None:
        application.booth_type = booth_type
    return application


@dataclass(frozen=True)
class _Columns:
    slices: list  # (model, attribute names, first column, end) for the application, its fair, its booth type
    converters: list  # (column, expression, the converters the ORM would apply to it)


@functools.cache
def _application_statement() -> tuple[str, _Columns]:
    """("SELECT <every column of the application, its fair, its booth type> FROM … JOIN …", where
    each model's columns are and how to convert them), built once per process from the models'
    fields, with the converters the ORM itself applies (the backend's and the fields' own: SQLite's
    dates, JSON fields), so the instances are the ones a queryset would have built."""
    parts, slices, converters = [], [], []
    for model, alias in ((Application, "a"), (Event, "e"), (BoothType, "t")):
        fields = model._meta.concrete_fields
        start = len(parts)
        for model_field in fields:
            expression = model_field.get_col(alias)
            found = connection.ops.get_db_converters(expression) + model_field.get_db_converters(connection)
            if found:
                converters.append((len(parts), expression, found))
            parts.append(f"{alias}.{connection.ops.quote_name(model_field.column)}")
        slices.append((model, [f.attname for f in fields], start, len(parts)))
    head = (
        f"SELECT {', '.join(parts)} FROM {_table(Application)} a "  # noqa: S608 (names only)
        f"JOIN {_table(Event)} e ON e.id = a.event_id LEFT JOIN {_table(BoothType)} t ON t.id = a.booth_type_id"
    )
    return head, _Columns(slices, converters)


def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


def placeholders(values) -> str:
    """The parameter placeholders of an IN (…) list of `values` in plain SQL ("NULL", matching
    nothing, for none)."""
    return ", ".join(["%s"] * len(values)) or "NULL"


def application_category_ids(application) -> set[int]:
    """The application's category ids (through the link table: no related manager to build)."""
    links = Application.categories.through.objects.filter(application_id=application.pk)
    return set(links.values_list("category_id", flat=True))


@dataclass(frozen=True, slots=True)
class ZoneRow:
    """A zone of the fair, as the page and the script show it."""

    pk: int
    code: str
    name: str
    colour: str


@dataclass(frozen=True, slots=True)
class HeldBooth:
    """One of the application's active assignments, as the page and the script show it."""

    booth_id: int
    code: str
    zone_id: int
    zone_name: str
    row: str
    status: str
    pinned: bool

    @property
    def confirmed(self) -> bool:
        return self.status == Assignment.Status.CONFIRMED


@dataclass
class Row:
    label: str
    key: tuple = ()
    booths: list = field(default_factory=list)


@dataclass
class ZoneChoices:
    zone: ZoneRow
    rows: list = field(default_factory=list)
    count: int = 0


@dataclass
class SelectionPage:
    """Everything the choice page shows."""

    application: Application
    refusal: str | None
    deadline_text: str
    mine: list  # HeldBooth: the application's active assignments
    zones: list  # ZoneChoices of the booths it may pick (free or already its own)

    @property
    def event(self):
        return self.application.event

    @property
    def needed(self) -> int:
        return self.application.booths_requested

    @property
    def mine_ids(self) -> set:
        return {b.booth_id for b in self.mine}

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
    (zones with their categories, the application's booths, the fair's booths, who holds them),
    five when a zone names categories."""
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
    rules. The same queries as selection_page, without grouping the booths (the script asks for
    this after every lost race, so it is kept light).

    "free" is a list of [id, code, zone id, row] arrays, its columns named once in "free_fields"
    (why: docs/DECISIONS.md)."""
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
        "mine": [{"id": b.booth_id, "code": b.code, "zone": b.zone_id, "row": b.row} for b in mine],
        "free_fields": FREE_FIELDS,
        "free": free,
        "zones": [{"id": z.pk, "code": z.code, "name": z.name} for z in accepted.values()],
    }


_ACTIVE = placeholders(Assignment.ACTIVE)
# The application's active assignments with their booth and zone, in booth-code order.
_MINE_SQL = (
    'SELECT a.booth_id, b.code, b.zone_id, z.name, b."row", a.status, a.pinned '  # noqa: S608 (names only)
    f"FROM {Assignment._meta.db_table} a JOIN {Booth._meta.db_table} b ON b.id = a.booth_id "
    f"JOIN {Zone._meta.db_table} z ON z.id = b.zone_id "
    f"WHERE a.application_id = %s AND a.status IN ({_ACTIVE}) ORDER BY b.code"
)
# The fair's zones in zone order, a row per (zone, category) and one with NULL for a zone without.
_ZONES_SQL = (
    "SELECT z.id, z.code, z.name, z.colour, zc.category_id "  # noqa: S608 (names only)
    f"FROM {Zone._meta.db_table} z LEFT JOIN {Zone.categories.through._meta.db_table} zc ON zc.zone_id = z.id "
    "WHERE z.event_id = %s ORDER BY z.position, z.code"
)


def _frame(application, now):
    """(zones that take the application's categories by id, its active assignments, why it may not
    choose or None). Two plain queries (zones with their categories, the assignments), and a third
    for the application's categories only when a zone names some."""
    accepted = _accepted_zones(application)
    with connection.cursor() as cursor:
        cursor.execute(_MINE_SQL, [application.pk, *Assignment.ACTIVE])
        mine = [HeldBooth(*row[:6], pinned=bool(row[6])) for row in cursor.fetchall()]
    refusal = selection_refusal(application=application, event=application.event, now=now) or pinned_refusal(
        b.code for b in mine if b.pinned
    )
    return accepted, mine, refusal


def _accepted_zones(application) -> dict[int, ZoneRow]:
    """The fair's zones that take the application's categories, by id in zone order: a zone that
    names no categories takes every application."""
    zones, named = {}, {}
    with connection.cursor() as cursor:
        cursor.execute(_ZONES_SQL, [application.event_id])
        rows = cursor.fetchall()
    for pk, code, name, colour, category_id in rows:  # a row per (zone, category), one for a zone without
        if pk not in zones:
            zones[pk], named[pk] = ZoneRow(pk, code, name, colour), set()
        if category_id is not None:
            named[pk].add(category_id)
    if not any(named.values()):
        return zones
    own = application_category_ids(application)
    return {pk: zone for pk, zone in zones.items() if zone_accepts(named[pk], own)}


def _deadline_text(event) -> str:
    deadline = event.booth_choice_deadline
    return format_moment(deadline) if deadline else ""


def _candidates(application, zone_ids, *, with_position=True) -> list[tuple]:
    """(pk, code, zone_id, row[, x, y]) of the fair's booths the application could pick if they were
    free: not blocked, in one of `zone_ids`, of its booth type when it has one.

    Who holds them comes from _holders, a second query, not a NOT EXISTS the planner mishandles on
    stale statistics; plain SQL like _holders (docs/DECISIONS.md)."""
    zone_ids = list(zone_ids)
    if not zone_ids:
        return []
    columns = 'id, code, zone_id, "row"' + (", x, y" if with_position else "")
    # Only column and table names and placeholders are put into the text; the values are parameters.
    sql = (
        f"SELECT {columns} FROM {Booth._meta.db_table} "  # noqa: S608
        f"WHERE event_id = %s AND NOT blocked AND zone_id IN ({placeholders(zone_ids)})"
    )
    params = [application.event_id, *zone_ids]
    if application.booth_type_id:
        sql += " AND booth_type_id = %s"
        params.append(application.booth_type_id)
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    if with_position and connection.vendor != "postgresql":  # SQLite answers numbers, not Decimals
        rows = [(*row[:4], _decimal(row[4]), _decimal(row[5])) for row in rows]
    return rows


def _decimal(value) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(str(value))


_HOLDERS_SQL = (
    f"SELECT a.booth_id, a.application_id FROM {Assignment._meta.db_table} a "  # noqa: S608 (names only)
    f"JOIN {Booth._meta.db_table} b ON b.id = a.booth_id "
    f"WHERE b.event_id = %s AND a.status IN ({_ACTIVE})"
)


def _holders(application) -> dict[int, int]:
    """{booth id: id of the application holding it} for every held or confirmed booth of the fair."""
    # Through the booths: the partial unique index keeps this plan cheap whatever the statistics say.
    with connection.cursor() as cursor:
        cursor.execute(_HOLDERS_SQL, [application.event_id, *Assignment.ACTIVE])
        return dict(cursor.fetchall())


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
    name: str = ""  # the accessible name, as the map says it (the view fills it in from the map)


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
    natural = {label: booth_code_key(label) for label in {b.row for b in booths}}
    booths.sort(key=lambda b: (position[b.zone_id], natural[b.row], b.y if not b.row else 0, b.x, b.code))
    return booths


def booth_json(booth) -> dict:
    return {"id": booth.pk, "code": booth.code, "zone": booth.zone_id, "row": booth.row}
