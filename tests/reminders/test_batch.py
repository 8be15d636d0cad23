"""A task's batch of reminders: loaded in a fixed number of queries, then the same few queries per
message whatever the batch's size; what changed after the batch was loaded is read again under
each row's lock; the outbox's plain statements behave as the ORM would (SQLite and PostgreSQL)."""

import datetime as dt

import pytest
from django.core import mail
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from booths.models import Assignment
from tests import factories
from tuanhang.office.reminders import outbox, sending, statements
from tuanhang.office.reminders.models import OutboxStatus, ReminderDelivery, ReminderRule
from tuanhang.office.reminders.selectors import deliveries_for_sending
from tuanhang.office.reminders.sending import deliveries_send
from tuanhang.office.reminders.services import reminders_sweep
from vendors.models import Application

from .support import fair, many_businesses, opening_in, require_documents, rule

pytestmark = pytest.mark.django_db
P = OutboxStatus


def _batch(n, slug, **rule_fields):
    event = fair(slug=slug, **opening_in(11))
    reminder = rule(event, **rule_fields)
    applications = many_businesses(event, n, prefix=slug)
    zone = factories.ZoneFactory(event=event)
    for i, application in enumerate(applications[:3]):
        booth = factories.BoothFactory(event=event, zone=zone, code=f"A{i:02d}")
        Assignment.objects.create(booth=booth, application=application)
    reminders_sweep()
    return list(ReminderDelivery.objects.filter(rule=reminder).order_by("pk").values_list("pk", flat=True))


def _queries(ids):
    with CaptureQueriesContext(connection) as ctx:
        results = deliveries_send(delivery_ids=ids)
    assert {r.outcome for r in results.values()} == {"sent"}
    return len(ctx.captured_queries)


def test_a_batch_costs_fixed_queries_plus_the_same_few_per_message():
    small, large = _batch(3, "nho"), _batch(30, "lon")

    at_3, at_30 = _queries(small), _queries(large)

    per_message = (at_30 - at_3) / 27
    # lock, "sent", confirmation, and the savepoint of the per-message transaction (the test's own
    # transaction around it); a query per row anywhere else would show here.
    assert per_message == 5, (at_3, at_30)
    assert at_3 - 3 * per_message == 3  # the deliveries with their joins, the addresses, the booths
    assert len(mail.outbox) == 33
    booths = sorted(m.body.split("Gian hàng: ")[1].split(".")[0] for m in mail.outbox[:3])
    assert booths == ["A00", "A01", "A02"]


def test_missing_documents_are_read_for_the_whole_batch(db):
    now = timezone.now()
    event = fair(
        status="registration_open",
        registration_opens_at=now - dt.timedelta(days=10),
        registration_closes_at=now + dt.timedelta(days=5, hours=-1),
        setup_at=now + dt.timedelta(days=9),
        opens_at=now + dt.timedelta(days=10),
        closes_at=now + dt.timedelta(days=14),
    )
    rule(
        event,
        kind=ReminderRule.Kind.DOCUMENTS_MISSING,
        anchor=ReminderRule.Anchor.REGISTRATION_CLOSES,
        days=5,
        hours=0,
        body_vi="Còn thiếu: {missing_documents}.",
        body_en="",
        subject_en="",
    )
    licence, _safety = require_documents(event, "Giấy chứng nhận ĐKKD", "Giấy chứng nhận ATTP")
    first, second = many_businesses(event, 2, prefix="docs")
    first.documents.create(
        document_type=licence, file="x.pdf", original_name="x.pdf", content_type="application/pdf", size=1
    )
    reminders_sweep()
    ids = list(ReminderDelivery.objects.order_by("application_id").values_list("pk", flat=True))

    deliveries = {d.application_id: d for d in deliveries_for_sending(ids)}

    assert deliveries[first.pk].context.missing_documents == [("Giấy chứng nhận ATTP",)]
    assert deliveries[second.pk].context.missing_documents == [("Giấy chứng nhận ATTP",), ("Giấy chứng nhận ĐKKD",)]


def test_what_changed_after_the_batch_was_loaded_is_read_again_under_the_lock():
    first, second, third = _batch(3, "doi")
    loaded = {d.pk: d for d in deliveries_for_sending([first, second, third])}
    delivery = loaded[first]
    Application.objects.filter(pk=delivery.application_id).update(status="withdrawn")
    ReminderRule.objects.filter(pk=delivery.rule_id).update(enabled=False)
    ReminderDelivery.objects.filter(pk=second).update(status=P.SENT, sent_at=timezone.now())  # another worker

    outcomes = [outbox.send_loaded(loaded[pk], sending.build_outgoing, fresh=sending.FRESH).outcome for pk in loaded]

    assert outcomes == ["skipped", "nothing to do", "skipped"]  # the rule is off for the third too
    assert ReminderDelivery.objects.get(pk=first).last_error == "Quy tắc đã bị tắt."
    assert mail.outbox == []


def test_a_row_waiting_for_its_retry_is_not_sent_before_its_time():
    [pk] = _batch(1, "cho")
    ReminderDelivery.objects.filter(pk=pk).update(next_attempt_at=timezone.now() + dt.timedelta(minutes=5))

    assert deliveries_send(delivery_ids=[pk])[pk].outcome == "nothing to do"
    ReminderDelivery.objects.filter(pk=pk).update(next_attempt_at=timezone.now() - dt.timedelta(seconds=1))
    assert deliveries_send(delivery_ids=[pk])[pk].outcome == "sent"


def test_statements_read_and_write_like_the_orm():
    [pk] = _batch(1, "sql")
    now = timezone.now()
    with transaction.atomic():
        locked = statements.lock(ReminderDelivery, pk, now, ("rule__enabled", "application__status"))
    assert (locked.status, locked.attempts, locked.fell_back, locked.waiting) == (P.PENDING, 0, False, False)
    assert locked.fresh == (True, "approved")

    statements.update(ReminderDelivery, pk, status=P.SENT, sent_at=now, fell_back=True, attempts=2)

    row = ReminderDelivery.objects.get(pk=pk)
    assert (row.status, row.sent_at, row.fell_back, row.attempts) == (P.SENT, now, True, 2)
    assert statements.lock(ReminderDelivery, 0, now) is None


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_confirmation_without_waiting_for_the_disk_leaves_the_session_as_it_was():
    [pk] = _batch(1, "dia")
    now = timezone.now()

    statements.update(ReminderDelivery, pk, wait_for_disk=False, confirmed_at=now, server_reply="250 OK")

    assert ReminderDelivery.objects.get(pk=pk).server_reply == "250 OK"
    with connection.cursor() as cursor:
        cursor.execute("SHOW synchronous_commit")
        assert cursor.fetchone() == ("on",)
    with transaction.atomic():  # inside a transaction the setting would cover all of it: not used
        statements.update(ReminderDelivery, pk, wait_for_disk=False, server_reply="250 again")
        with connection.cursor() as cursor:
            cursor.execute("SHOW synchronous_commit")
            assert cursor.fetchone() == ("on",)
