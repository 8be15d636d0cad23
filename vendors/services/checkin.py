"""Writes of setup-day check-in: a participant arrived (or not after all), and its booth handover.

Every change runs in a transaction holding the row lock of the application's CheckIn row
(created on first use, INSERT … ON CONFLICT DO NOTHING, then SELECT … FOR UPDATE), so two
staff members tapping "arrived" for the same business at once record one arrival. Each step
that changes something writes a CheckInChange row: who, when, what.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from events.models import Event

from ..models import Application, CheckIn, CheckInChange
from ..selectors.money import with_money

A = Application.Status
NOTE_MAX = 1000


def _refuse_unless_approved(application: Application) -> None:
    if application.status != A.APPROVED:
        raise ValidationError(
            _("Only an approved participant can be checked in; this application is “%(status)s”.")
            % {"status": A(application.status).label},
            code="not_approved",
        )


def _locked(application: Application) -> CheckIn:
    """The application's CheckIn row, created if missing, locked for the rest of the transaction."""
    CheckIn.objects.bulk_create([CheckIn(application=application)], ignore_conflicts=True)
    return CheckIn.objects.select_for_update().get(application=application)


def outstanding(application: Application) -> int:
    """What the participant still owes for the application, in VND (0 or less: paid in full). One query."""
    return with_money(Application.objects.filter(pk=application.pk)).values_list("outstanding", flat=True).get()


def _refuse_unless_paid(application: Application) -> None:
    """The fair hands booths over only when paid in full (Event.handover_requires_full_payment)."""
    if not Event.objects.filter(pk=application.event_id, handover_requires_full_payment=True).exists():
        return
    owed = outstanding(application)
    if owed > 0:
        amount = f"{owed:,}".replace(",", ".")
        message = _(
            "This fair hands booths over only when paid in full: the participant still owes %(amount)s ₫. "
            "Record the payment first."
        ) % {"amount": amount}
        raise ValidationError({"__all__": ValidationError(message, code="unpaid")})


def checkin_arrive(*, application: Application, by) -> tuple[CheckIn, bool]:
    """Mark an approved participant as arrived, with who and when. Doing it again changes
    nothing (the first arrival stands). Returns (check-in, whether this call recorded it)."""
    _refuse_unless_approved(application)
    with transaction.atomic():
        checkin = _locked(application)
        if checkin.arrived_at is not None:
            return checkin, False
        checkin.arrived_at, checkin.arrived_by = timezone.now(), by
        checkin.save(update_fields=["arrived_at", "arrived_by", "updated_at"])
        CheckInChange.objects.create(checkin=checkin, action=CheckInChange.Action.ARRIVE, changed_by=by)
    return checkin, True


def checkin_undo(*, application: Application, by, note: str = "") -> tuple[CheckIn, bool]:
    """Undo a wrong check-in: the participant counts as not arrived again. The undo is recorded
    with the arrival it cancelled. Undoing when not checked in changes nothing. Returns
    (check-in, whether this call undid an arrival)."""
    with transaction.atomic():
        checkin = _locked(application)
        if checkin.arrived_at is None:
            return checkin, False
        previous = checkin.arrived_at
        checkin.arrived_at, checkin.arrived_by = None, None
        checkin.save(update_fields=["arrived_at", "arrived_by", "updated_at"])
        CheckInChange.objects.create(
            checkin=checkin,
            action=CheckInChange.Action.UNDO,
            previous_arrived_at=previous,
            note=(note or "").strip()[:NOTE_MAX],
            changed_by=by,
        )
    return checkin, True


def checkin_handover(
    *, application: Application, by, power_ok: bool, furniture_ok: bool, fascia_ok: bool, note: str = ""
) -> tuple[CheckIn, bool]:
    """Record the booth handover checklist (power, table and chairs, fascia board) and a note for
    a participant already checked in. Recording the same again changes nothing. Raises
    ValidationError (by field) when the participant has not arrived or the note is too long.
    Returns (check-in, whether something changed)."""
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        message = _("Keep the note under %(max)d characters.") % {"max": NOTE_MAX}
        raise ValidationError({"note": ValidationError(message, code="max_length")})
    _refuse_unless_approved(application)
    values = {"power_ok": bool(power_ok), "furniture_ok": bool(furniture_ok), "fascia_ok": bool(fascia_ok)}
    with transaction.atomic():
        checkin = _locked(application)
        if checkin.arrived_at is None:
            message = _("Check the participant in first: the handover is recorded on arrival.")
            raise ValidationError({"__all__": ValidationError(message, code="not_arrived")})
        _refuse_unless_paid(application)
        if all(getattr(checkin, k) == v for k, v in values.items()) and checkin.note == note:
            return checkin, False
        for name, value in values.items():
            setattr(checkin, name, value)
        checkin.note = note
        checkin.save(update_fields=[*values, "note", "updated_at"])
        CheckInChange.objects.create(
            checkin=checkin, action=CheckInChange.Action.HANDOVER, note=note, changed_by=by, **values
        )
    return checkin, True
