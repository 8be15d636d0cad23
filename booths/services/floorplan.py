"""Writes of the floor plan: laying out a zone with the generator, blocking and unblocking booths,
merging booths into a larger stand, and importing a booth list.

Every edit of a fair's plan locks the fair's row first, so two organisers laying out or importing at
once take turns and cannot both pass the overlap check. Booths are then locked in id order, the
order booth_assign uses, so a booth cannot be given away while it is being blocked or merged.
"""

import logging
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from events.fees import booth_type_fee
from events.models import BoothType, Event, Zone
from tuanhang.kernel.codes import CODE_MESSAGE, is_code, upper_code
from tuanhang.kernel.page_cache import fair_changed
from vendors.services.amounts import recompute_amounts_due

from ..floorplan import (
    MAX_BOOTHS_PER_RUN,
    Rect,
    adjacent_chain,
    find_overlaps,
    generate_layout,
    hall_fit_error,
    merged_code,
)
from ..floorplan import RowBooth as _RowBooth
from ..importing import ImportOutcome, validate_table
from ..models import Assignment, Booth

logger = logging.getLogger(__name__)

CODE_MAX_LENGTH = Booth._meta.get_field("code").max_length
LISTED = 5  # how many booth codes a message names before "and N more"


def _lock_event(event) -> Event:
    return Event.objects.select_for_update().get(pk=event.pk)


def _lock_booths(pks) -> list[Booth]:
    return list(Booth.objects.select_for_update().filter(pk__in=list(pks)).order_by("pk"))


def _listed(codes) -> str:
    codes = list(codes)
    text = ", ".join(codes[:LISTED])
    if len(codes) > LISTED:
        text += " " + _("and %(count)s more") % {"count": len(codes) - LISTED}
    return text


def _m(value: Decimal) -> str:
    """Metres for a message: 3, 3.5, 61.25 (no trailing zeros)."""
    text = f"{Decimal(value):f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


# --- the generator ---------------------------------------------------------------------------------


def _next_number(codes, prefix: str) -> int:
    """One past the highest number of the codes "<prefix><digits>" (1 when there are none)."""
    highest = 0
    for code in codes:
        rest = code[len(prefix) :]
        if code.startswith(prefix) and rest.isascii() and rest.isdigit():  # not "²", which int() refuses
            highest = max(highest, int(rest))
    return highest + 1


def floorplan_generate(
    *, event, zone: Zone, booth_type: BoothType, rows: int, columns: int, origin, aisle, by=None, start=None
) -> list[Booth]:
    """Lay out rows × columns booths of `booth_type` in `zone`, from `origin` (x, y in metres), with an
    aisle of `aisle` metres after every two rows (see booths.floorplan.generate_layout).

    Codes are the zone's code and a number, from `start` or else one past the zone's highest number;
    rows are labelled after the zone's existing rows. Refuses, writing nothing, when a code already
    exists at the fair, a booth would leave the hall, or a booth would overlap one already on the plan.
    Returns the new booths.
    """
    if zone.event_id != event.pk or booth_type.event_id != event.pk:
        raise ValidationError(_("The zone and the booth type must belong to this fair."), code="wrong_event")
    if rows < 1 or columns < 1:
        raise ValidationError(_("Lay out at least one row and one column."), code="empty")
    if rows * columns > MAX_BOOTHS_PER_RUN:
        raise ValidationError(
            _("That is %(count)s booths; lay out at most %(max)s at a time.")
            % {"count": rows * columns, "max": MAX_BOOTHS_PER_RUN},
            code="too_many",
        )
    with transaction.atomic():
        event = _lock_event(event)
        existing = list(Booth.objects.filter(event=event).values("code", "zone_id", "row", "x", "y", "width", "depth"))
        zone_codes = [b["code"] for b in existing if b["zone_id"] == zone.pk]
        first = start if start else _next_number(zone_codes, zone.code)
        first_row = _next_number({b["row"] for b in existing if b["zone_id"] == zone.pk}, f"{zone.code}-")
        specs = generate_layout(
            prefix=zone.code,
            origin_x=origin[0],
            origin_y=origin[1],
            rows=rows,
            columns=columns,
            booth_width=booth_type.width_m,
            booth_depth=booth_type.depth_m,
            aisle=aisle,
            start=first,
            first_row=first_row,
        )
        _check_layout(event, specs, existing, zone_codes, zone.code)
        booths = Booth.objects.bulk_create(
            Booth(
                event=event,
                zone=zone,
                booth_type=booth_type,
                code=spec.code,
                x=spec.x,
                y=spec.y,
                width=spec.width,
                depth=spec.depth,
                row=spec.row,
            )
            for spec in specs
        )
        fair_changed(event.pk)  # bulk writes send no signal to the public pages' cache
    logger.info("floor plan: %s booths laid out in zone %s of %s by %s", len(booths), zone.code, event.slug, by)
    return booths


def _check_layout(event, specs, existing, zone_codes, prefix) -> None:
    errors = []
    too_long = [s.code for s in specs if len(s.code) > CODE_MAX_LENGTH]
    if too_long:
        errors.append(
            _("Booth codes can have at most %(max)s characters; %(codes)s would be longer.")
            % {"max": CODE_MAX_LENGTH, "codes": _listed(too_long)}
        )
    malformed = [s.code for s in specs if not is_code(s.code)]
    if malformed:
        errors.append(
            _("Booth codes %(codes)s would break the rule for codes (%(rule)s): correct the zone's code first.")
            % {"codes": _listed(malformed), "rule": CODE_MESSAGE}
        )
    taken = {b["code"] for b in existing}
    clashes = [s.code for s in specs if s.code in taken]
    if clashes:
        errors.append(
            _("Booth codes %(codes)s already exist at this fair; start numbering at %(next)s or later.")
            % {"codes": _listed(clashes), "next": _next_number(zone_codes, prefix)}
        )
    # The whole layout is checked as one rectangle: the message names its first and last booth.
    left, top = min(s.x for s in specs), min(s.y for s in specs)
    right, bottom = max(s.x + s.width for s in specs), max(s.y + s.depth for s in specs)
    what = _("The layout of booths %(first)s to %(last)s") % {"first": specs[0].code, "last": specs[-1].code}
    outside = hall_fit_error(what, left, top, right - left, bottom - top, event.hall_width_m, event.hall_depth_m)
    if outside:
        errors.append(outside + " " + _("Move the starting corner or lay out fewer rows or columns."))
    new = [Rect(s.code, s.x, s.y, s.width, s.depth) for s in specs]
    old = [Rect(b["code"], b["x"], b["y"], b["width"], b["depth"]) for b in existing]
    # New booths come first in each pair, and a generated grid never overlaps itself.
    hit = sorted({existing_rect.key for _new_rect, existing_rect in find_overlaps(new, old)})
    if hit:
        errors.append(
            _(
                "The new booths would overlap booths already on the plan: %(codes)s. Move the starting corner "
                "or lay out fewer rows or columns."
            )
            % {"codes": _listed(hit)}
        )
    if errors:
        raise ValidationError(errors, code="layout")


# --- blocking ------------------------------------------------------------------------------------------


def _holders(booths) -> dict:
    """{booth code: participant name} for the booths that are held or confirmed (one query)."""
    active = Assignment.objects.filter(booth__in=booths, status__in=Assignment.ACTIVE).select_related(
        "booth", "application__vendor"
    )
    return {a.booth.code: a.application.vendor.short_name or a.application.vendor.name for a in active}


def _same_fair(booths) -> list[Booth]:
    booths = list(booths)
    if not booths:
        raise ValidationError(_("Choose at least one booth."), code="empty")
    if len({b.event_id for b in booths}) > 1:
        raise ValidationError(_("The booths must all belong to one fair."), code="wrong_event")
    return booths


def _refuse_held(locked, message: str) -> None:
    """Raise `message` (with %(code)s and %(holder)s) for each booth that is held or confirmed."""
    holders = _holders(locked)
    if holders:
        raise ValidationError(
            [message % {"code": code, "holder": holder} for code, holder in sorted(holders.items())],
            code="booth_held",
        )


def booths_block(*, booths, reason: str, by=None) -> int:
    """Block booths so nobody can be given them (a stage, an entrance, a pillar), saying why.

    Refuses, changing nothing, when a booth is held or confirmed by a participant: release it first.
    Returns how many booths are blocked.
    """
    booths = _same_fair(booths)
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError(_("Say why the booths are blocked (stage, entrance, pillar…)."), code="no_reason")
    max_reason = Booth._meta.get_field("blocked_reason").max_length
    if len(reason) > max_reason:
        raise ValidationError(_("Keep the reason to %(max)s characters.") % {"max": max_reason}, code="reason_too_long")
    with transaction.atomic():
        locked = _lock_booths(b.pk for b in booths)
        _refuse_held(locked, _("Booth %(code)s is held by %(holder)s: release it before blocking it."))
        count = Booth.objects.filter(pk__in=[b.pk for b in locked]).update(blocked=True, blocked_reason=reason)
        fair_changed(*{b.event_id for b in locked})
    logger.info("floor plan: %s booths blocked by %s (%s)", count, by, reason)
    return count


def booths_unblock(*, booths, by=None) -> int:
    """Make blocked booths available again. Returns how many booths were blocked before."""
    booths = _same_fair(booths)
    with transaction.atomic():
        locked = _lock_booths(b.pk for b in booths)
        count = Booth.objects.filter(pk__in=[b.pk for b in locked], blocked=True).update(
            blocked=False, blocked_reason=""
        )
        fair_changed(*{b.event_id for b in locked})
    logger.info("floor plan: %s booths unblocked by %s", count, by)
    return count


# --- merging -------------------------------------------------------------------------------------------


def booths_merge(*, booths, by=None, booth_type: BoothType | None = None) -> Booth:
    """Merge free booths side by side in one row of one zone into one larger stand.

    The stand takes the row's place, the combined width and a code such as "A01-02"; its booth type
    is `booth_type`, else the fair's type of that size, else a new type "Merged stand N×W m" priced at
    the sum of the booths' prices. The original booths are deleted. Refuses, changing nothing, when
    the booths are not adjacent in one row of one zone, or one is blocked, held, or has past
    bookings on record (deleting it would lose that history).
    """
    booths = _same_fair(booths)
    if len({b.pk for b in booths}) < 2:
        raise ValidationError(_("Choose at least two booths to merge."), code="too_few")
    with transaction.atomic():
        event = _lock_event(booths[0].event)
        locked = sorted(
            Booth.objects.select_for_update()
            .filter(pk__in=[b.pk for b in booths])
            .select_related("booth_type")
            .order_by("pk"),
            key=lambda b: b.x,
        )
        _check_mergeable(locked)
        code = merged_code([b.code for b in locked])
        _check_merged_code(event, code, locked)
        width = sum((b.width for b in locked), Decimal(0))
        depth = locked[0].depth
        if booth_type is None:
            booth_type = _merged_type(event, locked, width, depth)
        elif booth_type.event_id != event.pk:
            raise ValidationError(_("The booth type must belong to this fair."), code="wrong_event")
        first = locked[0]
        Booth.objects.filter(pk__in=[b.pk for b in locked]).delete()
        merged = Booth.objects.create(
            event=event,
            zone_id=first.zone_id,
            booth_type=booth_type,
            code=code,
            x=first.x,
            y=first.y,
            width=width,
            depth=depth,
            row=first.row,
        )
    logger.info("floor plan: %s merged into %s by %s", [b.code for b in locked], code, by)
    return merged


def _check_mergeable(locked) -> None:
    codes = [b.code for b in locked]
    blocked = [b for b in locked if b.blocked]
    if blocked:
        raise ValidationError(
            _("Booth %(code)s is blocked (%(reason)s): unblock it before merging.")
            % {"code": blocked[0].code, "reason": blocked[0].blocked_reason or _("no reason given")},
            code="blocked",
        )
    _refuse_held(locked, _("Booth %(code)s is held by %(holder)s: only free booths can be merged."))
    with_history = sorted(set(Assignment.objects.filter(booth__in=locked).values_list("booth__code", flat=True)))
    if with_history:
        raise ValidationError(
            _("Booth %(codes)s has past bookings on record; merging would delete that history, so it cannot be merged.")
            % {"codes": _listed(with_history)},
            code="history",
        )
    ok, why = adjacent_chain([_RowBooth(b.code, b.zone_id, b.row, b.x, b.y, b.width, b.depth) for b in locked])
    if ok:
        return
    messages = {
        "zone": _("Booths %(codes)s are in different zones; only booths of one zone can be merged."),
        "row": _("Booths %(codes)s are not in one row; only booths side by side in one row can be merged."),
        "gap": _("Booths %(codes)s are not side by side; merge booths that touch, with none left out between them."),
    }
    raise ValidationError(messages[why] % {"codes": ", ".join(codes)}, code=f"not_adjacent_{why}")


def _check_merged_code(event, code: str, locked) -> None:
    if not is_code(code):
        raise ValidationError(
            _(
                "The merged stand's code %(code)s would break the rule for codes (%(rule)s): "
                "correct the booths' codes first."
            )
            % {"code": code, "rule": CODE_MESSAGE},
            code="code_invalid",
        )
    if len(code) > CODE_MAX_LENGTH:
        raise ValidationError(
            _("The merged stand's code %(code)s would be longer than %(max)s characters.")
            % {"code": code, "max": CODE_MAX_LENGTH},
            code="code_too_long",
        )
    if Booth.objects.filter(event=event, code=code).exclude(pk__in=[b.pk for b in locked]).exists():
        raise ValidationError(_("There is already a booth %(code)s at this fair.") % {"code": code}, code="code_taken")


def _merged_type(event, locked, width: Decimal, depth: Decimal) -> BoothType:
    """The fair's booth type of this size (a non-standard one first), or a new "merged stand" type."""
    same_size = BoothType.objects.filter(event=event, width_m=width, depth_m=depth).order_by("is_standard", "code")
    found = same_size.first()
    if found is not None:
        return found
    widths = {b.width for b in locked}
    if len(widths) == 1:
        name = _("Merged stand %(count)s×%(size)s m") % {"count": len(locked), "size": _m(widths.pop())}
    else:
        name = _("Merged stand %(width)s × %(depth)s m") % {"width": _m(width), "depth": _m(depth)}
    base = f"merged-{_m(width)}x{_m(depth)}".replace(".", "-")
    taken = set(BoothType.objects.filter(event=event, code__startswith=base).values_list("code", flat=True))
    code, n = base, 2
    while code in taken:
        code, n = f"{base}-{n}", n + 1
    return BoothType.objects.create(
        event=event,
        code=code,
        name=name,
        width_m=width,
        depth_m=depth,
        price=sum(booth_type_fee(b.booth_type.price, event) for b in locked),
        is_standard=False,
    )


# --- import ---------------------------------------------------------------------------------------------


def booths_import(*, event, table, by=None, dry_run=False):
    """Create and update a fair's booths from a Table read by booths.importing.read_table.

    Under the fair's lock and with every booth of the fair locked, checks the rows against the plan
    as it is now (booths.importing.validate_table); if any row has an error nothing is written.
    Otherwise creates the new codes and updates the existing ones that change. With dry_run,
    only reports. Returns an ImportOutcome.
    """
    with transaction.atomic():
        event = _lock_event(event)
        list(Booth.objects.select_for_update().filter(event=event).order_by("pk").values_list("pk", flat=True))
        plan = validate_table(table, event=event)
        outcome = ImportOutcome.of(plan)
        if outcome.failed or dry_run:
            return outcome
        _write_import(event, plan)
        outcome.written = True
    logger.info("floor plan: import into %s by %s: %s", event.slug, by, outcome.as_json())
    return outcome


IMPORT_FIELDS = ("zone", "booth_type", "x", "y", "width", "depth", "row", "blocked", "blocked_reason")


def _write_import(event, plan) -> None:
    created, updated = [], []
    for row in plan.rows:
        values = row.booth_values()
        if row.action == "create":
            created.append(Booth(event=event, code=upper_code(row.code), **values))  # messages quote the file
        elif row.action == "update":
            booth = row.existing
            for name, value in values.items():
                setattr(booth, name, value)
            updated.append(booth)
    Booth.objects.bulk_create(created, batch_size=500)
    Booth.objects.bulk_update(updated, IMPORT_FIELDS, batch_size=500)
    if updated:  # a held booth may have changed type: what its holder owes with it
        recompute_amounts_due(event=event)
    fair_changed(event.pk)  # bulk writes send no signal to the public pages' cache
