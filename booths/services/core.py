"""Writes for booths. A booth is scarce: assigning one locks its row (in booth-id order)
and the partial unique index booth_one_active_assignment backs the lock."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tuanhang.kernel.page_cache import fair_changed
from tuanhang.kernel.transitions import copy_fields
from vendors.models import Application
from vendors.services.amounts import recompute_amount_due, recompute_amounts_due

from ..models import Assignment, Booth


class BoothTaken(ValidationError):
    """Raised when a booth already has a held or confirmed assignment."""

    def __init__(self, booth_code):
        super().__init__(
            _("Booth %(code)s was just taken by another participant.") % {"code": booth_code}, code="booth_taken"
        )
        self.booth_code = booth_code


def _lock_booth(booth_pk) -> Booth:
    """Take the booth's row lock for the rest of the transaction (SELECT … FOR UPDATE)."""
    return Booth.objects.select_for_update().get(pk=booth_pk)


def _booth_is_held(booth: Booth) -> bool:
    return Assignment.objects.filter(booth=booth, status__in=Assignment.ACTIVE).exists()


def booth_assign(
    *, booth: Booth, application, source=Assignment.Source.MANUAL, by=None, confirm=False, recompute=True
) -> Assignment:
    """Give a booth to an application.

    Locks the booth row, re-checks it is free and not blocked and belongs to the
    application's fair, then creates the assignment and recomputes what the application owes
    (unless recompute is False: a caller assigning many booths recomputes once at the end).
    Raises BoothTaken if it is held, ValidationError for any other rule.
    """
    with transaction.atomic():
        locked = _lock_booth(booth.pk)
        if locked.event_id != application.event_id:
            raise ValidationError(_("This booth belongs to another fair."), code="wrong_event")
        if locked.blocked:
            raise ValidationError(_("Booth %(code)s is blocked.") % {"code": locked.code}, code="blocked")
        if _booth_is_held(locked):
            raise BoothTaken(locked.code)
        try:
            with transaction.atomic():
                assignment = Assignment.objects.create(
                    booth=locked,
                    application=application,
                    source=source,
                    status=Assignment.Status.CONFIRMED if confirm else Assignment.Status.HELD,
                    created_by=by,
                )
        except IntegrityError as exc:
            raise BoothTaken(locked.code) from exc
        if recompute:
            recompute_amount_due(application)
        return assignment


# An application in one of these statuses keeps no booth (booths.apps connects the receiver below).
A = Application.Status
RELEASES_BOOTHS = {A.REJECTED, A.WITHDRAWN, A.CANCELLED, A.WAITLISTED}


def release_booths_on_status_change(sender, *, application, to_status, by=None, **kwargs) -> None:
    """vendors.signals.application_status_changed receiver: rejection, withdrawal, cancellation and
    waitlisting release the application's booths, in the same transaction."""
    if to_status in RELEASES_BOOTHS:
        assignments_release_for_application(application=application, by=by)


def assignments_release_for_application(*, application, by=None) -> int:
    """Release every active booth of an application (on withdrawal, rejection, cancellation) and
    recompute what it owes."""
    count = Assignment.objects.filter(application=application, status__in=Assignment.ACTIVE).update(
        status=Assignment.Status.RELEASED, released_at=timezone.now(), released_by=by
    )
    if count:
        fair_changed(application.event_id)  # a bulk update sends no signal to the public pages' cache
        recompute_amount_due(application)
    return count


def assignment_confirm(*, assignment: Assignment, by=None) -> Assignment:
    """Turn a held booth into a confirmed one (e.g. once the fee is paid)."""
    with transaction.atomic():
        locked = Assignment.objects.select_for_update().get(pk=assignment.pk)
        if locked.status != Assignment.Status.HELD:
            raise ValidationError(
                _("Only a held booth can be confirmed; this one is “%(status)s”.")
                % {"status": Assignment.Status(locked.status).label},
                code="invalid_transition",
            )
        locked.status = Assignment.Status.CONFIRMED
        locked.save(update_fields=["status"])
    assignment.status = locked.status
    return assignment


def assignment_release(*, assignment: Assignment, by=None) -> Assignment:
    """Free a booth: the assignment is kept, marked released with who and when; what the
    application owes is recomputed."""
    with transaction.atomic():
        locked = Assignment.objects.select_for_update().get(pk=assignment.pk)
        if locked.status == Assignment.Status.RELEASED:
            raise ValidationError(_("This booth assignment was already released."), code="invalid_transition")
        locked.status, locked.released_at, locked.released_by = Assignment.Status.RELEASED, timezone.now(), by
        changed = ["status", "released_at", "released_by"]
        locked.save(update_fields=changed)
        recompute_amounts_due(application_ids=[locked.application_id])
    copy_fields(locked, assignment, changed)
    return assignment
