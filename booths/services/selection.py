"""Booth self-selection: an approved business picks its booths, or changes them until the deadline.

A booth is scarce, so a choice is made in one transaction that locks the application's row (two
tabs of one business take turns) and then every booth involved, the chosen ones and the ones the
business holds now, in booth-id order, so two businesses choosing overlapping sets queue rather
than deadlock. The rules are checked again under those locks, and the partial unique index
booth_one_active_assignment stops a double booking even if all of that were wrong.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, OperationalError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from events.models import Zone
from tuanhang.kernel.page_cache import fair_changed
from vendors.models import Application
from vendors.services.amounts import recompute_amount_due

from ..models import Assignment, AssignmentChange, Booth
from ..selection import check_choice, pinned_refusal, selection_refusal
from ..selectors.selection import application_category_ids, application_with_fair, placeholders
from .core import BoothTaken

# How long a choice waits for a booth another business is choosing before giving up with
# "just taken"; far above the milliseconds a choice holds its locks.
LOCK_TIMEOUT = "3s"
# lock_not_available (lock_timeout ran out) and deadlock_detected: both mean "someone else was faster".
LOCK_CONFLICT_CODES = frozenset({"55P03", "40P01"})


class ChoiceTaken(BoothTaken):
    """Another participant holds (or is taking this very moment) one of the chosen booths."""

    def __init__(self, codes):
        codes = sorted(set(codes))
        message = ngettext(
            "Booth %(codes)s was just taken by another participant.",
            "One of the booths %(codes)s was just taken by another participant.",
            len(codes),
        ) % {"codes": ", ".join(codes)}
        ValidationError.__init__(self, message, code="booth_taken")
        self.booth_code = ", ".join(codes)
        self.booth_codes = codes


def booths_choose(*, application, booths, by=None, now=None) -> list[Assignment]:
    """Make `booths` (Booth objects or ids) the application's booths, all or nothing.

    Booths the application already holds and keeps are left alone; the others it held are
    released (released_by/at recorded) and the new ones created as held, chosen by the
    participant. Each change is recorded as an AssignmentChange (assign or move). Returns the
    application's active assignments afterwards, in booth-code order.

    Raises ChoiceTaken (a BoothTaken) when another participant holds a chosen booth or a lock
    could not be had within LOCK_TIMEOUT, and ValidationError (codes "closed", "pinned",
    "invalid") when the choice breaks a rule: not approved, self-selection off, deadline passed,
    wrong number of booths, wrong type or zone, blocked, not side by side, not on this fair.
    """
    return _choose_atomically({"pk": application.pk}, booths, by=by, now=now)


def booths_choose_for_account(*, user, slug, booths, now=None) -> list[Assignment]:
    """booths_choose for the application to the fair `slug` of the business the account `user`
    acts for, by that account: the choice endpoint's way in, which finds the application by
    locking it (one statement, no lookup before the transaction). Raises Application.DoesNotExist
    when the business has no application to that fair."""
    lookup = {"user": user, "slug": slug}
    return _choose_atomically(lookup, booths, by=user, now=now)


def _choose_atomically(lookup, booths, *, by, now):
    booth_ids = sorted({booth if isinstance(booth, int) else booth.pk for booth in booths})
    try:
        with transaction.atomic():
            _set_lock_timeout()
            return _choose(lookup, booth_ids, by=by, now=now or timezone.now())
    except OperationalError as exc:
        if getattr(exc.__cause__, "pgcode", None) not in LOCK_CONFLICT_CODES:
            raise
        codes = Booth.objects.filter(pk__in=booth_ids).values_list("code", flat=True)
        raise ChoiceTaken(list(codes)) from exc


def _choose(lookup, booth_ids, *, by, now):
    application = _lock_application(lookup)
    refusal = selection_refusal(application=application, event=application.event, now=now)
    if refusal:
        raise ValidationError(refusal, code="closed")
    locked = _lock_booths(sorted({*booth_ids, *_current_booth_ids(application)}))
    current, taken = _holders(booth_ids, application)  # read again under the booth locks
    for assignment in current:
        if assignment.booth_id in locked:  # the booths it holds are locked (and so loaded) already
            assignment.booth = locked[assignment.booth_id]
    refusal = pinned_refusal(a.booth.code for a in current if a.pinned)
    if refusal:
        raise ValidationError(refusal, code="pinned")
    chosen = [locked[pk] for pk in booth_ids if pk in locked and locked[pk].event_id == application.event_id]
    if len(chosen) != len(booth_ids):
        raise ValidationError(
            _("One of the booths you chose is not on this fair's plan; reload the page and choose again."),
            code="invalid",
        )
    zone_categories = _zone_categories({b.zone_id for b in chosen})
    check_choice(
        chosen,
        count=application.booths_requested,
        booth_type=application.booth_type,
        zone_categories=zone_categories,
        # Only a zone that names categories needs the application's.
        application_categories=application_category_ids(application) if any(zone_categories.values()) else set(),
    )
    if taken:
        raise ChoiceTaken([locked[pk].code for pk in taken])
    return _replace(application, current, chosen, by=by, now=now)


def _replace(application, current, chosen, *, by, now):
    """Release what is no longer chosen, create what is new, record the changes."""
    chosen_ids = {b.pk for b in chosen}
    kept = [a for a in current if a.booth_id in chosen_ids]
    released = sorted((a for a in current if a.booth_id not in chosen_ids), key=lambda a: a.booth.code)
    held_ids = {a.booth_id for a in current}
    added = sorted((b for b in chosen if b.pk not in held_ids), key=lambda b: b.code)
    if not released and not added:
        return _ordered(kept)
    if released:
        Assignment.objects.filter(pk__in=[a.pk for a in released]).update(
            status=Assignment.Status.RELEASED, released_at=now, released_by=by
        )
    try:
        # No savepoint needed: the error ends the whole choice, which booths_choose rolls back.
        created = Assignment.objects.bulk_create(
            Assignment(
                booth=booth,
                application=application,
                status=Assignment.Status.HELD,
                source=Assignment.Source.SELF,
                created_by=by,
            )
            for booth in added
        )
    except IntegrityError as exc:  # the unique index caught what the lock should have
        raise ChoiceTaken([b.code for b in added]) from exc
    AssignmentChange.objects.bulk_create(_changes(application, released, added, by))
    recompute_amount_due(application, locked=True)  # read under its lock by _lock_application
    fair_changed(application.event_id)  # bulk writes send no signal to the public pages' cache
    return _ordered(kept + created)


def _changes(application, released, added, by):
    """A move per booth given up and taken (in code order), an assign for each extra booth taken,
    a release for each extra booth given up."""
    changes = []
    for index in range(max(len(released), len(added))):
        from_booth = released[index].booth if index < len(released) else None
        to_booth = added[index] if index < len(added) else None
        if from_booth and to_booth:
            action = AssignmentChange.Action.MOVE
        elif to_booth:
            action = AssignmentChange.Action.ASSIGN
        else:
            action = AssignmentChange.Action.RELEASE
        changes.append(
            AssignmentChange(
                event_id=application.event_id,
                application=application,
                action=action,
                from_booth=from_booth,
                to_booth=to_booth,
                changed_by=by,
            )
        )
    return changes


def _ordered(assignments):
    return sorted(assignments, key=lambda a: a.booth.code)


def _set_lock_timeout():
    """PostgreSQL: give up waiting for a row lock after LOCK_TIMEOUT (this transaction only)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"SET LOCAL lock_timeout = '{LOCK_TIMEOUT}'")


def _lock_application(lookup) -> Application:
    """Lock the application's row (found by `lookup`: its id, or its business's account and fair)
    and load its fair and booth type. FOR NO KEY UPDATE: it still lets other transactions insert
    rows that point at the application (a staff assignment), so it cannot deadlock with them."""
    application = application_with_fair(**lookup, lock=True)
    if application is None:
        raise Application.DoesNotExist
    return application


def _lock_booths(booth_ids) -> dict:
    """Lock the booths' rows in id order (SELECT … FOR UPDATE ORDER BY id): a fixed order, so two
    choices over overlapping booths wait for each other instead of deadlocking. (Plain SQL, as
    _current_booth_ids: the hottest write of a rush; a booth's zone is loaded only for a refusal
    that names it.)"""
    if not booth_ids:
        return {}
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    sql = f"SELECT * FROM {Booth._meta.db_table} WHERE id IN ({placeholders(booth_ids)}) ORDER BY id{lock}"  # noqa: S608 (names only)
    return {booth.pk: booth for booth in Booth.objects.raw(sql, list(booth_ids))}


_CURRENT_SQL = (
    f"SELECT booth_id FROM {Assignment._meta.db_table} "  # noqa: S608 (names only)
    f"WHERE application_id = %s AND status IN ({placeholders(Assignment.ACTIVE)})"
)


def _current_booth_ids(application) -> list[int]:
    with connection.cursor() as cursor:
        cursor.execute(_CURRENT_SQL, [application.pk, *Assignment.ACTIVE])
        return [booth_id for (booth_id,) in cursor.fetchall()]


def _holders(booth_ids, application) -> tuple[list[Assignment], list[int]]:
    """(the application's active assignments, ids of the chosen booths another application holds
    or has confirmed), in one query (plain SQL, as _lock_booths)."""
    sql = (
        f"SELECT * FROM {Assignment._meta.db_table} "  # noqa: S608 (names only)
        f"WHERE status IN ({placeholders(Assignment.ACTIVE)}) "
        f"AND (application_id = %s OR booth_id IN ({placeholders(booth_ids)}))"
    )
    current, taken = [], []
    for assignment in Assignment.objects.raw(sql, [*Assignment.ACTIVE, application.pk, *booth_ids]):
        if assignment.application_id == application.pk:
            current.append(assignment)
        else:
            taken.append(assignment.booth_id)
    return current, taken


def _zone_categories(zone_ids) -> dict[int, set[int]]:
    """{zone id: its category ids} for the given zones (a zone with none accepts every category)."""
    result = {zone_id: set() for zone_id in zone_ids}
    if not result:
        return result
    sql = (
        f"SELECT zone_id, category_id FROM {Zone.categories.through._meta.db_table} "  # noqa: S608 (names only)
        f"WHERE zone_id IN ({placeholders(result)})"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, list(result))
        for zone_id, category_id in cursor.fetchall():
            result[zone_id].add(category_id)
    return result
