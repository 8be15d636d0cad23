"""Booth self-selection under concurrency, on PostgreSQL (real row locks, one connection per thread).

Many businesses choose the same booths at the same moment: every booth ends with exactly one
holder, every loser gets BoothTaken from the re-check under the lock (not from a lock timeout or a
deadlock), and nothing else goes wrong. A control shows the same race double-booking once the
lock is switched off and the unique index dropped, and another shows the index alone still stops
it, so the passing tests prove the protections rather than luck."""

import random
import threading
import time

import pytest
from django.db import OperationalError, connection
from django.db.models import Count

from booths.models import Assignment, Booth
from booths.selectors.selection import application_with_fair
from booths.services import selection as services
from booths.services.core import BoothTaken
from tests import factories
from vendors.models import Application

APPROVED = Application.Status.APPROVED
pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _hall(n_booths):
    """A self-selection fair with one row of n side-by-side standard booths (R01, R02 …)."""
    event = factories.EventFactory(allow_self_selection=True)
    zone = factories.ZoneFactory(event=event, code="R", name="Khu OCOP")
    standard = factories.BoothTypeFactory(event=event, code="std")
    booths = [
        factories.BoothFactory(event=event, zone=zone, booth_type=standard, code=f"R{i + 1:02d}", row="R", x=3 * i, y=0)
        for i in range(n_booths)
    ]
    return event, booths


def _applications(event, n, booths_requested=1):
    return [
        factories.ApplicationFactory(event=event, status=APPROVED, booths_requested=booths_requested).pk
        for _ in range(n)
    ]


def _race(attempts, pause_after_check):
    """Run every (application pk, booth pks) attempt at once, each in its own thread and connection.
    Returns {"won": [...], "taken": n, "lock_conflicts": n, "errors": [...]}."""
    results = {"won": [], "taken": 0, "lock_conflicts": 0, "errors": []}
    guard = threading.Lock()
    barrier = threading.Barrier(len(attempts))
    real_holders = services._holders

    def slow_holders(booth_ids, application):
        held = real_holders(booth_ids, application)
        time.sleep(pause_after_check)  # widen the window between the check and the insert
        return held

    def attempt(application_pk, booth_pks):
        try:
            application = Application.objects.get(pk=application_pk)
            barrier.wait()
            services.booths_choose(application=application, booths=booth_pks)
            with guard:
                results["won"].append((application_pk, tuple(booth_pks)))
        except BoothTaken as exc:
            with guard:
                results["taken"] += 1
                # A lock timeout or deadlock also ends as BoothTaken; with locks taken in a fixed
                # order none should happen, so count them apart.
                results["lock_conflicts"] += isinstance(exc.__cause__, OperationalError)
        except Exception as exc:  # anything else is a bug the test must show
            with guard:
                results["errors"].append(repr(exc))
        finally:
            connection.close()

    services._holders = slow_holders
    try:
        threads = [threading.Thread(target=attempt, args=a) for a in attempts]
        for t in threads:
            t.start()
        for t in threads:
            t.join(timeout=120)
        assert not any(t.is_alive() for t in threads), "an attempt hung"
    finally:
        services._holders = real_holders
    return results


def _holders_per_booth(booths) -> dict[str, int]:
    counts = (
        Assignment.objects.filter(booth__in=booths, status__in=Assignment.ACTIVE)
        .values("booth__code")
        .annotate(n=Count("id"))
    )
    return {row["booth__code"]: row["n"] for row in counts}


def test_concurrent_choices_of_five_booths_give_each_to_exactly_one(on_postgres):
    event, booths = _hall(5)
    apps = _applications(event, 20)
    attempts = [(pk, [booths[i % 5].pk]) for i, pk in enumerate(apps)]
    random.Random(4).shuffle(attempts)
    results = _race(attempts, pause_after_check=0.02)
    assert results["errors"] == []
    assert (len(results["won"]), results["taken"], results["lock_conflicts"]) == (5, 15, 0)
    assert _holders_per_booth(booths) == {b.code: 1 for b in booths}
    winners = {app for app, _ in results["won"]}
    assert set(Assignment.objects.filter(status__in=Assignment.ACTIVE).values_list("application", flat=True)) == winners


def test_concurrent_choices_of_overlapping_pairs_never_double_book_or_deadlock(on_postgres):
    """Two-booth requests over overlapping pairs (R01+R02, R02+R03 …): the locks are taken in booth-id
    order, so the transactions queue instead of deadlocking."""
    event, booths = _hall(10)
    apps = _applications(event, 20, booths_requested=2)
    rng = random.Random(8)
    attempts = []
    for pk in apps:
        start = rng.randrange(9)
        pair = [booths[start + 1].pk, booths[start].pk]  # given out of order on purpose
        attempts.append((pk, pair))
    results = _race(attempts, pause_after_check=0.02)
    assert results["errors"] == []
    assert results["lock_conflicts"] == 0
    assert len(results["won"]) + results["taken"] == 20
    holders = _holders_per_booth(booths)
    assert set(holders.values()) <= {1}
    assert sum(holders.values()) == 2 * len(results["won"])
    for app, _ in results["won"]:
        held = sorted(Assignment.objects.filter(application=app, status__in=Assignment.ACTIVE).values_list("booth__x"))
        assert len(held) == 2 and held[1][0] - held[0][0] == 3  # side by side


def test_concurrent_changes_of_choice_crossing_each_other_do_not_deadlock(on_postgres):
    """Business 1 holds R01 and moves to R02 while business 2 holds R02 and moves to R01: both lock
    {R01, R02} in the same order, so one waits for the other and both get a clean "taken"."""
    event, booths = _hall(2)
    first, second = _applications(event, 2)
    services.booths_choose(application=Application.objects.get(pk=first), booths=[booths[0]])
    services.booths_choose(application=Application.objects.get(pk=second), booths=[booths[1]])
    results = _race([(first, [booths[1].pk]), (second, [booths[0].pk])], pause_after_check=0.3)
    assert results == {"won": [], "taken": 2, "lock_conflicts": 0, "errors": []}
    assert _holders_per_booth(booths) == {"R01": 1, "R02": 1}


def _held_first_one_by_one(monkeypatch):
    """Control: lock the booths one at a time, those the business holds first and then the ones it
    wants (pausing between), instead of all of them in id order: two businesses swapping booths
    then lock them in opposite orders."""
    held = threading.local()
    real_current = services._current_booth_ids

    def current(application):
        held.ids = real_current(application)
        return held.ids

    def lock_one_by_one(booth_ids):
        ordered = [pk for pk in held.ids if pk in booth_ids] + [pk for pk in booth_ids if pk not in held.ids]
        locked = {}
        for pk in ordered:
            locked[pk] = Booth.objects.select_for_update().get(pk=pk)
            time.sleep(0.3)  # the other business takes its first lock meanwhile
        return locked

    monkeypatch.setattr(services, "_current_booth_ids", current)
    monkeypatch.setattr(services, "_lock_booths", lock_one_by_one)


def test_control_without_the_lock_order_crossing_changes_deadlock(on_postgres, monkeypatch):
    """Control: the same crossing changes deadlock once the booths are not locked in one fixed
    order (PostgreSQL aborts one of them after its deadlock_timeout), so the test above proves the
    order, not luck."""
    event, booths = _hall(2)
    first, second = _applications(event, 2)
    services.booths_choose(application=Application.objects.get(pk=first), booths=[booths[0]])
    services.booths_choose(application=Application.objects.get(pk=second), booths=[booths[1]])
    _held_first_one_by_one(monkeypatch)
    started = time.monotonic()
    results = _race([(first, [booths[1].pk]), (second, [booths[0].pk])], pause_after_check=0.3)
    assert time.monotonic() - started < 30
    assert results == {"won": [], "taken": 2, "lock_conflicts": 1, "errors": []}
    assert _holders_per_booth(booths) == {"R01": 1, "R02": 1}


def test_concurrent_choices_of_one_business_in_two_tabs_leave_it_one_booth(on_postgres):
    event, booths = _hall(4)
    [app] = _applications(event, 1)
    results = _race([(app, [b.pk]) for b in booths], pause_after_check=0.05)
    assert results["errors"] == []
    assert len(results["won"]) == 4  # each tab's choice replaced the one before
    assert Assignment.objects.filter(application=app, status__in=Assignment.ACTIVE).count() == 1


def test_control_without_the_application_lock_one_business_ends_with_several_booths(on_postgres, monkeypatch):
    """Control: without the lock on the application's row, the tabs no longer wait for each other
    (each locks a different booth) and the business keeps several booths, so the test above proves
    that lock, not luck."""
    monkeypatch.setattr(services, "_lock_application", lambda lookup: application_with_fair(**lookup, lock=False))
    event, booths = _hall(4)
    [app] = _applications(event, 1)
    results = _race([(app, [b.pk]) for b in booths], pause_after_check=0.3)
    assert results["errors"] == []
    assert Assignment.objects.filter(application=app, status__in=Assignment.ACTIVE).count() > 1


def _unlocked(booth_ids):
    return {b.pk: b for b in Booth.objects.select_related("zone").filter(pk__in=booth_ids)}


def test_index_alone_still_prevents_double_booking_without_the_lock(on_postgres, monkeypatch):
    """Lock switched off: the partial unique index turns the lost race into a clean "taken"."""
    monkeypatch.setattr(services, "_lock_booths", _unlocked)
    event, [booth] = _hall(1)
    apps = _applications(event, 12)
    results = _race([(pk, [booth.pk]) for pk in apps], pause_after_check=0.2)
    assert results["errors"] == []
    assert (len(results["won"]), results["taken"]) == (1, 11)
    assert _holders_per_booth([booth]) == {booth.code: 1}


def test_control_without_lock_and_index_double_books(on_postgres, monkeypatch):
    """Control: with both protections off, the same race really gives one booth to several
    businesses, so the tests above prove the protections, not luck."""
    monkeypatch.setattr(services, "_lock_booths", _unlocked)
    with connection.cursor() as cursor:
        cursor.execute("DROP INDEX booth_one_active_assignment")
    try:
        event, [booth] = _hall(1)
        apps = _applications(event, 12)
        results = _race([(pk, [booth.pk]) for pk in apps], pause_after_check=0.2)
        holders = _holders_per_booth([booth])[booth.code]
        assert holders > 1
        assert len(results["won"]) == holders
    finally:
        Assignment.objects.all().delete()
        with connection.cursor() as cursor:
            cursor.execute(
                "CREATE UNIQUE INDEX booth_one_active_assignment ON booths_assignment (booth_id) "
                "WHERE status IN ('held', 'confirmed')"
            )


def test_a_lock_held_too_long_becomes_a_taken_answer(on_postgres, monkeypatch):
    """A choice that waits longer than the lock timeout for a booth gets "just taken", not an error."""
    monkeypatch.setattr(services, "LOCK_TIMEOUT", "100ms")
    event, [booth] = _hall(1)
    [app] = _applications(event, 1)
    locked, release = threading.Event(), threading.Event()

    def hold_the_booth():
        from django.db import transaction

        try:
            with transaction.atomic():
                Booth.objects.select_for_update().get(pk=booth.pk)
                locked.set()
                release.wait(10)
        finally:
            connection.close()

    holder = threading.Thread(target=hold_the_booth)
    holder.start()
    try:
        assert locked.wait(10)
        with pytest.raises(BoothTaken) as exc:
            services.booths_choose(application=Application.objects.get(pk=app), booths=[booth])
        assert isinstance(exc.value.__cause__, OperationalError)
        assert exc.value.booth_codes == ["R01"]
    finally:
        release.set()
        holder.join()
    assert not Assignment.objects.exists()
