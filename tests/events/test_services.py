import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError
from django.utils import timezone

from events.fees import fee_after_subsidy
from events.models import Event, EventStatusChange
from events.services import event_transition, events_advance_by_dates
from tests.factories import EventFactory, StaffUserFactory

S = Event.Status


def test_event_transition_records_who_and_when(db):
    user = StaffUserFactory()
    event = EventFactory(status=S.DRAFT)
    event_transition(event=event, to_status=S.PUBLISHED, by=user)
    event.refresh_from_db()
    assert event.status == S.PUBLISHED
    assert event.status_changed_by == user
    assert event.status_changed_at is not None
    change = EventStatusChange.objects.get(event=event)
    assert (change.from_status, change.to_status, change.changed_by) == (S.DRAFT, S.PUBLISHED, user)


def test_event_walks_the_whole_life_cycle(db):
    event = EventFactory(status=S.DRAFT)
    steps = [S.PUBLISHED, S.REGISTRATION_OPEN, S.REGISTRATION_CLOSED, S.RUNNING, S.FINISHED, S.ARCHIVED]
    for step in steps:
        event_transition(event=event, to_status=step)
    assert (
        list(EventStatusChange.objects.filter(event=event).order_by("id").values_list("to_status", flat=True)) == steps
    )


@pytest.mark.parametrize(
    ("start", "target"),
    [(S.DRAFT, S.RUNNING), (S.ARCHIVED, S.DRAFT), (S.FINISHED, S.RUNNING), (S.REGISTRATION_OPEN, S.DRAFT)],
)
def test_event_transition_refuses_skipping_steps(db, start, target):
    event = EventFactory(status=start)
    with pytest.raises(ValidationError) as exc:
        event_transition(event=event, to_status=target)
    assert "cannot go from" in exc.value.messages[0] or "không thể" in exc.value.messages[0].lower()
    event.refresh_from_db()
    assert event.status == start
    assert not EventStatusChange.objects.exists()


def test_events_advance_by_dates_steps_due_fairs_only(db):
    now = timezone.now()
    due = EventFactory(status=S.PUBLISHED, registration_opens_at=now - dt.timedelta(hours=1))
    not_yet = EventFactory(status=S.PUBLISHED, registration_opens_at=now + dt.timedelta(days=1))
    draft = EventFactory(status=S.DRAFT, registration_opens_at=now - dt.timedelta(hours=1))
    assert events_advance_by_dates(now=now) == 1
    assert events_advance_by_dates(now=now) == 0  # running the sweep twice is harmless
    for event in (due, not_yet, draft):
        event.refresh_from_db()
    assert (due.status, not_yet.status, draft.status) == (S.REGISTRATION_OPEN, S.PUBLISHED, S.DRAFT)


def test_event_dates_constraint_rejects_closing_before_opening(db):
    event = EventFactory.build()
    event.closes_at = event.opens_at - dt.timedelta(hours=1)
    event.organiser.save()
    with pytest.raises(IntegrityError):
        event.save()


def test_event_subsidy_over_100_rejected_by_database(db):
    event = EventFactory()
    with pytest.raises(IntegrityError):
        Event.objects.filter(pk=event.pk).update(subsidy_percent=150)


def test_fee_after_subsidy(db):
    assert fee_after_subsidy(6_000_000, 70) == 1_800_000
