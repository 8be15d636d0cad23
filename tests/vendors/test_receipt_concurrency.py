"""Two payments recorded at the same moment get consecutive, distinct receipt numbers (issue 20
item 4), on PostgreSQL: the organiser's counter row is taken FOR UPDATE in the recording's
transaction. The control replaces the locked read by a plain read and makes both recordings read
before either writes: then both take the same number, and the database's unique constraint
refuses the second receipt, which shows the test can see the race."""

import threading

import pytest
from django.db import connection
from django.utils import timezone

from tests import factories
from vendors.models import Payment, Receipt, VoucherCounter
from vendors.models.receipts import Series
from vendors.services import receipts
from vendors.services.payments import payment_record

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _record_together(monkeypatch, *, locked: bool):
    event = factories.EventFactory()
    applications = [factories.ApplicationFactory(event=event) for _ in range(2)]
    staff = factories.StaffUserFactory(organiser=event.organiser)
    year = timezone.localdate().year
    VoucherCounter.objects.create(organiser=event.organiser, series=Series.RECEIPT, year=year)
    barrier = threading.Barrier(2)
    real = receipts.counter_for_update

    def locked_read(organiser_id, series, year):
        barrier.wait(timeout=10)  # both recordings are in their transactions before either locks
        return real(organiser_id, series, year)

    def plain_read(organiser_id, series, year):
        counter = VoucherCounter.objects.get(organiser_id=organiser_id, series=series, year=year)
        barrier.wait(timeout=10)  # both have read the counter before either writes
        return counter

    monkeypatch.setattr(receipts, "counter_for_update", locked_read if locked else plain_read)
    outcomes = []

    def run(application):
        try:
            payment_record(
                application=application, amount=1_000, paid_on=timezone.localdate(), method="transfer", by=staff
            )
            outcomes.append("recorded")
        except Exception as exc:  # the control's duplicate number
            outcomes.append(type(exc).__name__)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(a,)) for a in applications]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return sorted(outcomes), sorted(Receipt.objects.values_list("sequence", flat=True))


def test_two_payments_at_once_get_consecutive_distinct_numbers(monkeypatch, on_postgres):
    outcomes, sequences = _record_together(monkeypatch, locked=True)
    assert outcomes == ["recorded", "recorded"]
    assert sequences == [1, 2]
    assert Payment.objects.count() == 2


def test_control_without_the_lock_both_take_the_same_number(monkeypatch, on_postgres):
    outcomes, sequences = _record_together(monkeypatch, locked=False)
    assert outcomes == ["IntegrityError", "recorded"]
    assert sequences == [1]  # the second recording rolled back: its payment is not kept either
    assert Payment.objects.count() == 1
