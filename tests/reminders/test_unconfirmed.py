"""Reminders recorded sent that the server never confirmed: flagged after a grace period, counted on
the fair's dashboard, listed in the delivery log, resent in one click by staff, and resent once by
the sweep itself where the rule asks for it (two sweeps at once included, with its control)."""

import datetime as dt
import threading

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from events.models import Membership
from tests import factories
from tuanhang.office.reminders import services
from tuanhang.office.reminders.models import OutboxStatus, ReminderDelivery
from tuanhang.office.reminders.services import deliveries_resend_automatically, reminders_sweep
from tuanhang.office.reminders.unconfirmed import flagged_unconfirmed

from .support import fair, many_businesses, opening_in, rule

pytestmark = pytest.mark.django_db
P = OutboxStatus


def en(name, *args):
    with translation.override("en"):
        return reverse(name, args=args)


def _fair_with_sent(n, *, minutes_ago=20, prefix="u", **rule_extra):
    """A fair whose n reminders were recorded sent `minutes_ago` and never confirmed."""
    event = fair(**opening_in(11), name=f"Tuần hàng {prefix}", slug=f"tuan-hang-{prefix}")
    reminder = rule(event, **rule_extra)
    many_businesses(event, n, prefix=prefix)
    reminders_sweep(now=timezone.now())
    sent_at = timezone.now() - dt.timedelta(minutes=minutes_ago)
    ReminderDelivery.objects.filter(rule=reminder).update(status=P.SENT, sent_at=sent_at, queued_at=sent_at)
    return event, reminder


def _resend_of(original, status, **extra):
    return ReminderDelivery.objects.create(
        rule_id=original.rule_id,
        application_id=original.application_id,
        event_id=original.event_id,
        due_at=timezone.now(),
        is_resend=True,
        resent_from=original,
        status=status,
        sent_at=timezone.now() if status == P.SENT else None,
        **extra,
    )


def _admin_of(event):
    return factories.StaffUserFactory(organiser=event.organiser)


# --- which are flagged -------------------------------------------------------------------------------


def test_flagged_are_unconfirmed_past_the_grace_period_and_not_taken_over_by_a_resend(settings):
    settings.REMINDERS_UNCONFIRMED_GRACE_MINUTES = 15
    event, _rule = _fair_with_sent(6)
    late, recent, confirmed, resent_waiting, resent_failed, resent_sent = ReminderDelivery.objects.order_by("pk")
    ReminderDelivery.objects.filter(pk=recent.pk).update(sent_at=timezone.now() - dt.timedelta(minutes=10))
    ReminderDelivery.objects.filter(pk=confirmed.pk).update(confirmed_at=timezone.now())
    _resend_of(resent_waiting, P.PENDING)
    _resend_of(resent_failed, P.FAILED)
    _resend_of(resent_sent, P.SENT, confirmed_at=timezone.now())

    flagged = set(flagged_unconfirmed().filter(event=event).values_list("pk", flat=True))

    # a resend that failed leaves its original to the staff again
    assert flagged == {late.pk, resent_failed.pk}
    later = timezone.now() + dt.timedelta(minutes=6)
    assert set(flagged_unconfirmed(now=later).filter(event=event).values_list("pk", flat=True)) == {
        late.pk,
        recent.pk,
        resent_failed.pk,
    }


# --- the dashboard ----------------------------------------------------------------------------------


def test_dashboard_counts_the_flagged_reminders_with_a_link_and_a_resend_button(client):
    event, _rule = _fair_with_sent(3)
    ReminderDelivery.objects.filter(pk=ReminderDelivery.objects.order_by("pk")[0].pk).update(
        confirmed_at=timezone.now()
    )
    client.force_login(_admin_of(event))

    page = client.get(en("events:dashboard", event.slug)).content.decode()

    assert "2 reminders were recorded sent but the mail server has not confirmed them for more than 15 minutes" in page
    log = en("reminders:log", event.slug) + "?status=flagged"
    assert f'id="unconfirmed-reminders-link" href="{log}"' in page
    assert f'action="{en("reminders:resend_unconfirmed", event.slug)}"' in page
    assert 'data-confirm="Send these reminders again? A business that did receive one will receive it twice."' in page


def test_dashboard_without_flagged_reminders_says_nothing_about_them(client):
    event, _rule = _fair_with_sent(2, minutes_ago=5)  # still within the grace period
    client.force_login(_admin_of(event))

    page = client.get(en("events:dashboard", event.slug)).content.decode()

    assert 'id="unconfirmed-reminders"' not in page


def test_dashboard_offers_the_resend_only_to_a_role_that_manages_reminders(client):
    event, _rule = _fair_with_sent(2)
    client.force_login(factories.StaffUserFactory(organiser=event.organiser, role=Membership.Role.REVIEWER))

    page = client.get(en("events:dashboard", event.slug)).content.decode()

    assert 'id="unconfirmed-reminders-link"' in page
    assert 'id="unconfirmed-reminders-resend"' not in page


@pytest.mark.parametrize("flagged", [1, 40])
def test_dashboard_query_count_does_not_grow_with_the_flagged_reminders(client, flagged):
    event, _rule = _fair_with_sent(flagged, prefix=f"q{flagged}-")
    client.force_login(_admin_of(event))

    # as tests/events/test_dashboard.py: the count is read with the fair, in the same query
    with CaptureQueriesContext(connection) as queries:
        response = client.get(en("events:dashboard", event.slug))

    assert response.status_code == 200
    assert response.context["event"].unconfirmed_reminders == flagged
    assert len(queries) == 7


def test_delivery_log_filtered_on_flagged_lists_exactly_them(client):
    event, _rule = _fair_with_sent(3)
    first, second, third = ReminderDelivery.objects.order_by("pk")
    ReminderDelivery.objects.filter(pk=first.pk).update(confirmed_at=timezone.now())
    _resend_of(second, P.PENDING)
    client.force_login(_admin_of(event))

    response = client.get(en("reminders:log", event.slug), {"status": "flagged"})

    assert [d.pk for d in response.context["deliveries"]] == [third.pk]
    assert response.context["counts"].flagged == 1
    assert "1 reminder is still not confirmed by the server after the grace period" in response.content.decode()


# --- resend all, in one click ---------------------------------------------------------------------------


def test_resend_all_flagged_makes_one_new_row_each_and_queues_them(client, django_capture_on_commit_callbacks):
    event, _rule = _fair_with_sent(3)
    confirmed, *flagged = ReminderDelivery.objects.order_by("pk")
    ReminderDelivery.objects.filter(pk=confirmed.pk).update(confirmed_at=timezone.now())
    client.force_login(_admin_of(event))

    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(en("reminders:resend_unconfirmed", event.slug))

    assert response.status_code == 302
    assert response["Location"] == en("reminders:log", event.slug)
    assert len(callbacks) == 1
    copies = ReminderDelivery.objects.filter(is_resend=True).order_by("resent_from_id")
    assert [(c.resent_from_id, c.status, c.resent_automatically) for c in copies] == [
        (original.pk, P.PENDING, False) for original in flagged
    ]
    assert all(c.queued_at is not None for c in copies)
    # nothing flagged any more: the dashboard is quiet, and a second click resends nothing
    assert 'id="unconfirmed-reminders"' not in client.get(en("events:dashboard", event.slug)).content.decode()
    client.post(en("reminders:resend_unconfirmed", event.slug))
    assert ReminderDelivery.objects.filter(is_resend=True).count() == 2


def test_resend_all_is_refused_to_a_role_that_does_not_manage_reminders(client):
    event, _rule = _fair_with_sent(2)
    client.force_login(factories.StaffUserFactory(organiser=event.organiser, role=Membership.Role.REVIEWER))

    response = client.post(en("reminders:resend_unconfirmed", event.slug))

    assert response.status_code == 403
    assert ReminderDelivery.objects.filter(is_resend=True).count() == 0


def test_resend_all_of_another_organisers_fair_is_404_and_resends_nothing(client):
    event, _rule = _fair_with_sent(2)
    client.force_login(factories.StaffUserFactory())  # an administrator of another organiser

    assert client.post(en("reminders:resend_unconfirmed", event.slug)).status_code == 404
    assert client.get(en("reminders:log", event.slug), {"status": "flagged"}).status_code == 404
    assert ReminderDelivery.objects.filter(is_resend=True).count() == 0


def test_resend_all_takes_only_this_fairs_deliveries(client):
    event, _rule = _fair_with_sent(2, prefix="a")
    _other, _other_rule = _fair_with_sent(3, prefix="b")
    client.force_login(_admin_of(event))

    client.post(en("reminders:resend_unconfirmed", event.slug))

    assert set(ReminderDelivery.objects.filter(is_resend=True).values_list("event_id", flat=True)) == {event.pk}
    assert ReminderDelivery.objects.filter(is_resend=True).count() == 2


# --- automatic resend, per rule -----------------------------------------------------------------------


def test_sweep_resends_automatically_once_and_only_where_the_rule_asks():
    event, automatic = _fair_with_sent(2, prefix="auto", resend_unconfirmed=True)
    _manual_fair, manual = _fair_with_sent(2, prefix="manual")

    reminders_sweep()
    reminders_sweep()

    copies = ReminderDelivery.objects.filter(is_resend=True)
    assert sorted(copies.values_list("resent_from__rule_id", "resent_automatically", "status")) == [
        (automatic.pk, True, P.PENDING),
        (automatic.pk, True, P.PENDING),
    ]
    assert copies.filter(queued_at__isnull=False).count() == 2  # queued by the same sweep
    # the automatic resend failed: the original goes back to the staff, never resent by itself again
    copies.update(status=P.FAILED)
    reminders_sweep()
    assert ReminderDelivery.objects.filter(is_resend=True).count() == 2
    assert flagged_unconfirmed().filter(event=event).count() == 2
    assert flagged_unconfirmed().filter(rule=manual).count() == 2


def test_sweep_does_not_resend_an_old_reminder_when_the_rule_is_switched_on_later(settings):
    settings.REMINDERS_LATE_LIMIT_HOURS = 24
    _event, reminder = _fair_with_sent(1, minutes_ago=26 * 60, resend_unconfirmed=True)

    assert deliveries_resend_automatically() == 0
    assert ReminderDelivery.objects.filter(is_resend=True).count() == 0
    assert flagged_unconfirmed().filter(rule=reminder).count() == 1  # still the staff's to see


def _two_sweeps_at_once(monkeypatch):
    """Both sweeps read the same candidates before either inserts (a barrier between the read and
    the insert, in threads with their own connections). Returns the errors raised."""
    barrier = threading.Barrier(2, timeout=30)
    real = services.auto_resend_candidates
    errors = []

    def read_then_wait(now):
        found = real(now)
        barrier.wait()
        return found

    monkeypatch.setattr(services, "auto_resend_candidates", read_then_wait)

    def sweep():
        try:
            deliveries_resend_automatically()
        except Exception as exc:  # anything is a bug the test must show
            errors.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=sweep) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a sweep hung"
    return errors


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_sweeps_at_once_resend_each_unconfirmed_delivery_once(monkeypatch):
    _fair_with_sent(5, resend_unconfirmed=True)

    errors = _two_sweeps_at_once(monkeypatch)

    assert errors == []
    assert ReminderDelivery.objects.filter(is_resend=True).count() == 5
    assert ReminderDelivery.objects.filter(is_resend=True).values("resent_from").distinct().count() == 5


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_control_two_sweeps_at_once_without_the_unique_index_resend_twice(monkeypatch):
    _fair_with_sent(5, resend_unconfirmed=True)
    with connection.cursor() as cursor:
        cursor.execute("DROP INDEX reminder_delivery_auto_resend_once")
    try:
        errors = _two_sweeps_at_once(monkeypatch)
        doubled = ReminderDelivery.objects.filter(is_resend=True).count()
    finally:
        ReminderDelivery.objects.filter(is_resend=True).delete()
        with connection.cursor() as cursor:
            cursor.execute(
                "CREATE UNIQUE INDEX reminder_delivery_auto_resend_once ON reminders_reminderdelivery (resent_from_id)"
                " WHERE resent_automatically"
            )

    assert errors == []
    assert doubled == 10
