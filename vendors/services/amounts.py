"""What an application owes: recomputed from the fair's fee schedule and the booths the application
holds (or, before any is assigned, the booths it asked for) and stored as its AmountDue row.

Called on submission and approval, when a business changes the booths it asks for, when booths are
assigned, moved or released (booths.services), and when staff change the fair's fees or a booth
type's fee (the admin). The rules for one booth are in events.fees; the subsidy is worked out by
subsidy_for(): the fair's programme (vendors.services.subsidies, which keeps the grant ledger in
the same transaction), else the fair's flat subsidy share."""

from collections.abc import Iterable

from django.db import transaction

from events.fees import booth_subsidy, booth_type_fee, deposit_part
from events.models import BoothType, Event

from .. import hooks
from ..models import AmountDue, Application
from .subsidies import subsidies_settle, waiting_to_hand_on

FIELDS = ["booths", "from_assigned", "lines", "fee", "subsidy", "due", "deposit", "deposit_due_on", "balance"]
FIELDS += ["balance_due_on"]


def _lines(application: Application, held: dict[int, int], types: dict[int, BoothType], event: Event) -> list[dict]:
    """The booths charged for, by type: the assigned ones when there are any, else those requested."""
    if held:
        counted = sorted(held.items(), key=lambda item: (not types[item[0]].is_standard, types[item[0]].name))
    else:
        counted = [(application.booth_type_id, application.booths_requested)]
    lines = []
    for type_id, count in counted:
        booth_type = types.get(type_id)
        price = booth_type.price if booth_type else None
        name = booth_type.name if booth_type else ""
        lines.append({"type": type_id, "name": name, "count": count, "fee": booth_type_fee(price, event)})
    return lines


def subsidy_for(application: Application, event: Event, lines: list[dict], granted: dict[int, int]) -> int:
    """The subsidy taken off the application's fee, in VND: what the fair's programme grants it
    (`granted`, from subsidies_settle), or for a fair without a programme its flat subsidy share
    of every booth."""
    if event.subsidy_programme_id:
        return granted.get(application.pk, 0)
    return sum(line["count"] * booth_subsidy(line["fee"], event.subsidy_percent) for line in lines)


def compute_amount_due(application: Application, event: Event, held: dict[int, int], types, granted=None) -> dict:
    """The AmountDue field values for `application` (no queries: the caller fetched the rest;
    `granted` is what subsidies_settle() granted, for fairs with a programme)."""
    lines = _lines(application, held, types, event)
    fee = sum(line["count"] * line["fee"] for line in lines)
    subsidy = min(subsidy_for(application, event, lines, granted or {}), fee)
    due = fee - subsidy
    deposit = deposit_part(due, event)
    return {
        "booths": sum(line["count"] for line in lines),
        "from_assigned": bool(held),
        "lines": lines,
        "fee": fee,
        "subsidy": subsidy,
        "due": due,
        "deposit": deposit,
        "deposit_due_on": event.deposit_due_on if deposit else None,
        "balance": due - deposit,
        "balance_due_on": event.balance_due_on if due - deposit else None,
    }


def recompute_amount_due(application: Application, *, locked: bool = False) -> AmountDue:
    """Recompute and store what `application` owes (its AmountDue row, created when missing), in a
    transaction. Reads the fair's current fees, its booth types and the booths held (booths answers
    vendors.hooks.booth_types_held). Triggers nothing else.

    `locked`: the caller read `application` with its fair under the application's row lock in the
    transaction it is in, and lets any error end that transaction; the object is used as read
    (not read again) and no savepoint is taken. The booth choice's hot path (booths.services.selection)."""
    if locked and not transaction.get_connection().in_atomic_block:
        raise transaction.TransactionManagementError("locked=True needs the caller's transaction")
    row = recompute_amounts_due(application_ids=[application.pk], loaded=[application] if locked else None)[
        application.pk
    ]
    application.owed = row
    return row


def recompute_amounts_due(
    *, event: Event | None = None, application_ids: Iterable[int] | None = None, loaded=None
) -> dict:
    """recompute_amount_due() for every application of `event`, or for the applications listed, in
    a few queries whatever their number (one upsert). Returns {application id: AmountDue}.
    `loaded`: the applications as recompute_amount_due(locked=True) was given them."""
    with transaction.atomic(savepoint=loaded is None):
        if loaded is not None:
            applications = list(loaded)
        else:
            applications = Application.objects.order_by("pk")
            if event is not None:
                applications = applications.filter(event=event)
            if application_ids is not None:
                applications = applications.filter(pk__in=list(application_ids))
            applications = list(applications.select_related("event"))
        if not applications:
            return {}
        events = {a.event_id: a.event for a in applications}
        types = {t.pk: t for t in BoothType.objects.filter(event_id__in=list(events))}
        held = hooks.booth_types_held([a.pk for a in applications])
        freed = set()
        granted = subsidies_settle(
            applications, {a.pk: _lines(a, held.get(a.pk, {}), types, a.event) for a in applications}, freed
        )
        rows = [
            AmountDue(application=a, **compute_amount_due(a, events[a.event_id], held.get(a.pk, {}), types, granted))
            for a in applications
        ]
        AmountDue.objects.bulk_create(
            rows, update_conflicts=True, unique_fields=["application"], update_fields=[*FIELDS, "computed_at"]
        )
        # A released grant hands its place on: the programme's waiting applications are recomputed
        # in this transaction, under the programme lock subsidies_settle already holds.
        waiting = waiting_to_hand_on(freed, [a.pk for a in applications])
        if waiting:
            recompute_amounts_due(application_ids=waiting)
    for application, row in zip(applications, rows, strict=True):
        application.owed = row
    return {row.application_id: row for row in rows}
