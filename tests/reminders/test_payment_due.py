"""The "payment due" reminder (issue 20): timed from each application's own deposit or balance
deadline, only to businesses that still owe (with_money's outstanding), with the amount, the
deadline, the payment code and the receiving account in its text; a statement import that pays in
full stops it, one that pays in part does not."""

import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from tests.vendors._statement_support import account_for, memo_for, vcb_csv
from tuanhang.kernel.bank_statements import read_statement
from tuanhang.office.reminders.forms import ReminderRuleForm
from tuanhang.office.reminders.messages import reminder_email
from tuanhang.office.reminders.models import OutboxStatus, ReminderDelivery, ReminderRule
from tuanhang.office.reminders.selectors import deadline_at, deliveries_for_sending, due_applications
from tuanhang.office.reminders.sending import delivery_send
from tuanhang.office.reminders.services import reminders_sweep
from vendors.models import Payment
from vendors.payment_codes import code_for
from vendors.services.amounts import recompute_amounts_due
from vendors.services.statements import statement_import

from .support import business, fair, many_businesses, opening_in, rule

pytestmark = pytest.mark.django_db
R = ReminderRule
DEPOSIT_ON = dt.date(2026, 11, 10)
BALANCE_ON = dt.date(2026, 11, 20)
# Two booths at 5.000.000 ₫ less 50 %: 5.000.000 ₫ due, 2.500.000 ₫ of it the deposit.
DUE, DEPOSIT = 5_000_000, 2_500_000


@pytest.fixture
def event():
    event = fair(
        **opening_in(24 * 30), deposit_percent=50, deposit_due_on=DEPOSIT_ON, balance_due_on=BALANCE_ON, slug="tt-pay"
    )
    event.bank_account = account_for(event.organiser)
    event.save(update_fields=["bank_account"])
    return event


def payment_rule(event, anchor=R.Anchor.BALANCE_DUE, direction=R.Direction.BEFORE, days=3):
    return rule(
        event,
        kind=R.Kind.PAYMENT_DUE,
        anchor=anchor,
        direction=direction,
        days=days,
        hours=0,
        subject_vi="Nhắc thanh toán {fair_name}",
        body_vi="Còn phải thanh toán {amount_outstanding}, nộp {amount_by_deadline} trước {payment_deadline}. "
        "Tài khoản: {receiving_account}. Nội dung: {payment_code}",
        subject_en="",
        body_en="",
    )


def pay(application, amount):
    Payment.objects.create(application=application, amount=amount, paid_on=dt.date(2026, 11, 1))


def due_ids(rule, now):
    return sorted(pk for pk, _at in due_applications(rule, now))


def import_statement(event, lines):
    statement = read_statement(io.BytesIO(vcb_csv(lines)), "sao-ke.csv")
    assert statement.errors == []
    return statement_import(account=event.bank_account, statement=statement, file_name="sao-ke.csv", by=None)


def test_due_only_to_businesses_still_owing_from_their_deadline_until_the_late_limit(event):
    reminder = payment_rule(event)  # 3 days before the balance deadline (8:00 that day)
    unpaid = business(event)
    part = business(event, name="HTX Trả một phần", email="p@example.vn")
    paid = business(event, name="HTX Trả đủ", email="d@example.vn")
    business(event, name="HTX Bị từ chối", email="r@example.vn", status="rejected")
    pay(part, 1_000_000)
    pay(paid, DUE)
    sent_at = deadline_at(BALANCE_ON) - dt.timedelta(days=3)

    assert due_ids(reminder, sent_at - dt.timedelta(minutes=1)) == []
    assert due_ids(reminder, sent_at) == sorted([unpaid.pk, part.pk])
    assert due_ids(reminder, sent_at + dt.timedelta(hours=23)) == sorted([unpaid.pk, part.pk])
    assert due_ids(reminder, sent_at + dt.timedelta(hours=25)) == []  # more than the late limit late
    assert {at for _pk, at in due_applications(reminder, sent_at + dt.timedelta(hours=2))} == {sent_at}


def test_deposit_reminder_stops_once_the_deposit_is_paid_balance_reminder_does_not(event):
    deposit_rule = payment_rule(event, anchor=R.Anchor.DEPOSIT_DUE, direction=R.Direction.AFTER, days=1)
    balance_rule = payment_rule(event, anchor=R.Anchor.BALANCE_DUE, direction=R.Direction.AFTER, days=1)
    short = business(event)
    deposit_paid = business(event, name="HTX Đã cọc", email="c@example.vn")
    pay(short, DEPOSIT - 1)
    pay(deposit_paid, DEPOSIT)

    assert due_ids(deposit_rule, deadline_at(DEPOSIT_ON) + dt.timedelta(days=1, hours=1)) == [short.pk]
    assert due_ids(balance_rule, deadline_at(BALANCE_ON) + dt.timedelta(days=1, hours=1)) == sorted(
        [short.pk, deposit_paid.pk]
    )


def test_reminder_text_names_amount_deadline_payment_code_and_account(event):
    reminder = payment_rule(event)
    application = business(event)
    pay(application, 1_000_000)
    reminders_sweep(now=deadline_at(BALANCE_ON) - dt.timedelta(days=3))
    [delivery] = deliveries_for_sending(ReminderDelivery.objects.filter(rule=reminder).values_list("pk", flat=True))

    message = reminder_email(reminder, delivery.context, delivery_pk=delivery.pk)

    assert (
        "Còn phải thanh toán 4.000.000 ₫, nộp 4.000.000 ₫ trước 20/11/2026. "
        f"Tài khoản: Vietcombank · 0011004455667 · TT KHUYEN CONG HAI PHONG. Nội dung: {code_for(application.pk)}"
    ) in message.body


def test_deposit_reminder_text_asks_for_the_rest_of_the_deposit_by_its_deadline(event):
    reminder = payment_rule(event, anchor=R.Anchor.DEPOSIT_DUE)
    application = business(event)
    pay(application, 1_000_000)
    reminders_sweep(now=deadline_at(DEPOSIT_ON) - dt.timedelta(days=3))
    [delivery] = deliveries_for_sending(ReminderDelivery.objects.filter(rule=reminder).values_list("pk", flat=True))

    body = reminder_email(reminder, delivery.context, delivery_pk=delivery.pk).body

    assert "Còn phải thanh toán 4.000.000 ₫, nộp 1.500.000 ₫ trước 10/11/2026." in body


def test_statement_paying_in_part_keeps_the_reminder_due_paying_in_full_stops_it(event):
    reminder = payment_rule(event, direction=R.Direction.AFTER, days=1)
    application = business(event)
    now = deadline_at(BALANCE_ON) + dt.timedelta(days=1, hours=1)

    import_statement(event, [("21/11/2026", "FT1", "", "3.000.000", "3.000.000", memo_for(application))])
    assert reminders_sweep(now=now, dry_run=True).due_total == 1  # 2.000.000 ₫ still owed

    import_statement(event, [("21/11/2026", "FT2", "", "2.000.000", "5.000.000", memo_for(application))])
    assert reminders_sweep(now=now, dry_run=True).due_total == 0
    assert due_ids(reminder, now) == []


def test_reminder_recorded_before_the_payment_is_skipped_when_sent(event, mailoutbox):
    reminder = payment_rule(event, direction=R.Direction.AFTER, days=1)
    application = business(event)
    reminders_sweep(now=deadline_at(BALANCE_ON) + dt.timedelta(days=1, hours=1))
    delivery = ReminderDelivery.objects.get(rule=reminder, application=application)
    import_statement(event, [("21/11/2026", "FT1", "", "5.000.000", "5.000.000", memo_for(application))])

    result = delivery_send(delivery_id=delivery.pk)

    delivery.refresh_from_db()
    assert result.outcome == "skipped"
    assert delivery.status == OutboxStatus.SKIPPED
    assert delivery.last_error == "Khoản tiền lời nhắc yêu cầu đã được thanh toán."
    assert mailoutbox == []


def test_due_selector_is_one_query_whatever_the_number_of_businesses(event):
    reminder = payment_rule(event)
    now = deadline_at(BALANCE_ON) - dt.timedelta(days=3)

    def queries(n, prefix):
        many_businesses(event, n, prefix=prefix)
        recompute_amounts_due(event=event)
        with CaptureQueriesContext(connection) as ctx:
            due = due_applications(reminder, now)
        return len(ctx.captured_queries), len(due)

    assert queries(1, "one-") == (1, 1)
    assert queries(40, "many-") == (1, 41)


def test_rule_form_keeps_payment_deadlines_for_payment_reminders(event):
    data = {
        "event": event.pk,
        "kind": R.Kind.FAIR_OPENS,
        "enabled": True,
        "anchor": R.Anchor.BALANCE_DUE,
        "direction": R.Direction.BEFORE,
        "days": 3,
        "hours": 0,
        "statuses": ["approved"],
        "channel": R.Channel.EMAIL,
        "subject_vi": "Nhắc {fair_name}",
        "body_vi": "Còn nợ {amount_outstanding}, mã {payment_code}",
    }
    form = ReminderRuleForm(data=data)
    with translation.override("en"):
        assert not form.is_valid()
        assert form.errors["anchor"] == ["Only a “Payment due” reminder is timed by a payment deadline."]

    form = ReminderRuleForm(data={**data, "kind": R.Kind.PAYMENT_DUE})
    assert form.is_valid(), form.errors
