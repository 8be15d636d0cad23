import threading
import time

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction

from booths.models import Assignment, Booth
from booths.services import BoothTaken, booth_assign
from booths.services import core as services
from tests.factories import ApplicationFactory, AssignmentFactory, BoothFactory, EventFactory
from vendors.models import Application

APPROVED = Application.Status.APPROVED


def test_booth_assign_gives_a_free_booth(db):
    booth = BoothFactory()
    application = ApplicationFactory(event=booth.event, status=APPROVED)
    assignment = booth_assign(booth=booth, application=application, source=Assignment.Source.MANUAL)
    assert (assignment.booth, assignment.application, assignment.status) == (booth, application, Assignment.Status.HELD)


def test_booth_assign_refuses_a_held_booth_with_a_clear_message(db):
    booth = BoothFactory()
    booth_assign(booth=booth, application=ApplicationFactory(event=booth.event, status=APPROVED))
    with pytest.raises(BoothTaken) as exc:
        booth_assign(booth=booth, application=ApplicationFactory(event=booth.event, status=APPROVED))
    assert booth.code in exc.value.messages[0]
    assert Assignment.objects.filter(booth=booth).count() == 1


def test_booth_assign_refuses_blocked_booth_and_other_fair(db):
    blocked = BoothFactory(blocked=True)
    with pytest.raises(ValidationError):
        booth_assign(booth=blocked, application=ApplicationFactory(event=blocked.event))
    booth = BoothFactory()
    with pytest.raises(ValidationError):
        booth_assign(booth=booth, application=ApplicationFactory(event=EventFactory()))
    assert not Assignment.objects.exists()


def test_database_refuses_two_active_assignments_of_one_booth(db):
    """Even code that skips the service cannot double-book: the partial unique index stops it."""
    first = AssignmentFactory(status=Assignment.Status.CONFIRMED)
    with pytest.raises(IntegrityError), transaction.atomic():
        AssignmentFactory(booth=first.booth, status=Assignment.Status.HELD)


def test_released_assignments_do_not_block_the_booth(db):
    first = AssignmentFactory(status=Assignment.Status.RELEASED, released_at="2024-01-01T00:00:00Z")
    second = AssignmentFactory(booth=first.booth, status=Assignment.Status.HELD)
    assert second.pk


# --- concurrency (PostgreSQL: real row locks, one connection per thread) -----------------

ATTEMPTS = 12


def _race(booth_pk, application_pks, pause_after_check):
    """Every application tries to take the same booth at once. Returns (wins, taken, errors)."""
    results = {"won": 0, "taken": 0, "errors": []}
    lock = threading.Lock()
    barrier = threading.Barrier(len(application_pks))
    real_is_held = services._booth_is_held

    def slow_is_held(booth):
        held = real_is_held(booth)
        time.sleep(pause_after_check)  # widen the check-then-insert window
        return held

    def attempt(app_pk):
        try:
            barrier.wait()
            booth_assign(booth=Booth.objects.get(pk=booth_pk), application=Application.objects.get(pk=app_pk))
            with lock:
                results["won"] += 1
        except BoothTaken:
            with lock:
                results["taken"] += 1
        except Exception as exc:  # anything else is a bug the test must show
            with lock:
                results["errors"].append(repr(exc))
        finally:
            connection.close()

    services._booth_is_held = slow_is_held
    try:
        threads = [threading.Thread(target=attempt, args=(pk,)) for pk in application_pks]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=60)
    finally:
        services._booth_is_held = real_is_held
    return results


def _setup_race():
    booth = BoothFactory()
    apps = [ApplicationFactory(event=booth.event, status=APPROVED).pk for _ in range(ATTEMPTS)]
    return booth, apps


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_assignments_give_one_booth_to_exactly_one(on_postgres):
    booth, apps = _setup_race()
    results = _race(booth.pk, apps, pause_after_check=0.05)
    assert results == {"won": 1, "taken": ATTEMPTS - 1, "errors": []}
    assert Assignment.objects.filter(booth=booth, status__in=Assignment.ACTIVE).count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_constraint_alone_still_prevents_double_booking_without_lock(on_postgres, monkeypatch):
    """Lock switched off: the unique index turns the lost race into a clean 'taken' answer."""
    monkeypatch.setattr(services, "_lock_booth", lambda pk: Booth.objects.get(pk=pk))
    booth, apps = _setup_race()
    results = _race(booth.pk, apps, pause_after_check=0.2)
    assert results["errors"] == []
    assert results["won"] == 1
    assert Assignment.objects.filter(booth=booth, status__in=Assignment.ACTIVE).count() == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_control_without_lock_and_constraint_double_books(on_postgres, monkeypatch):
    """Control: with both protections off the same race really double-books the booth,
    so the two tests above prove the protections, not luck."""
    monkeypatch.setattr(services, "_lock_booth", lambda pk: Booth.objects.get(pk=pk))
    with connection.cursor() as cursor:
        cursor.execute("DROP INDEX booth_one_active_assignment")
    try:
        booth, apps = _setup_race()
        results = _race(booth.pk, apps, pause_after_check=0.2)
        holders = Assignment.objects.filter(booth=booth, status__in=Assignment.ACTIVE).count()
        assert holders > 1
        assert results["won"] == holders
    finally:
        Assignment.objects.all().delete()
        with connection.cursor() as cursor:
            cursor.execute(
                "CREATE UNIQUE INDEX booth_one_active_assignment ON booths_assignment (booth_id) "
                "WHERE status IN ('held', 'confirmed')"
            )


def test_assignment_confirm_then_release_records_who_and_when(db):
    from booths.services import assignment_confirm, assignment_release
    from tests.factories import StaffUserFactory

    staff = StaffUserFactory()
    assignment = AssignmentFactory(status=Assignment.Status.HELD)
    assignment_confirm(assignment=assignment, by=staff)
    assert Assignment.objects.get(pk=assignment.pk).status == Assignment.Status.CONFIRMED
    with pytest.raises(ValidationError):
        assignment_confirm(assignment=assignment, by=staff)
    assignment_release(assignment=assignment, by=staff)
    stored = Assignment.objects.get(pk=assignment.pk)
    assert (stored.status, stored.released_by) == (Assignment.Status.RELEASED, staff)
    assert stored.released_at is not None
    with pytest.raises(ValidationError):
        assignment_release(assignment=assignment, by=staff)
