"""The sweep: which businesses each kind of rule is due for, one row per rule and business
however often it runs, the default rules of a new fair, run_reminders, the staff log."""

import io
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from booths.models import Assignment
from tests import factories
from tuanhang.office.reminders.defaults import DEFAULT_RULES
from tuanhang.office.reminders.models import OutboxStatus, ReminderDelivery, ReminderRule
from tuanhang.office.reminders.services import delivery_resend, reminder_rules_create_defaults, reminders_sweep
from vendors.models import ApplicationDocument

from .support import at, business, fair, many_businesses, opening_in, require_documents, rule

pytestmark = pytest.mark.django_db
R = ReminderRule


def test_sweep_records_one_row_per_rule_and_business_however_often_it_runs():
    event = fair(**opening_in(11))
    reminder = rule(event)
    many_businesses(event, 5)
    many_businesses(event, 2, status="rejected", prefix="no")

    first = reminders_sweep()
    second = reminders_sweep()

    assert first.due_total == 5 and second.due_total == 0
    assert ReminderDelivery.objects.filter(rule=reminder).count() == 5
    assert first.queued == 5 and second.queued == 0  # queued recently: not queued twice


def test_duplicate_insert_is_refused_by_the_database():
    from django.db import IntegrityError, transaction

    event = fair(**opening_in(11))
    reminder = rule(event)
    application = business(event)
    values = {"rule": reminder, "application": application, "event": event, "due_at": timezone.now()}
    ReminderDelivery.objects.create(**values)
    with pytest.raises(IntegrityError), transaction.atomic():
        ReminderDelivery.objects.create(**values)


@pytest.mark.parametrize(("hours_to_opening", "due"), [(13, False), (11, True), (-13, False)])
def test_fair_date_rule_is_due_from_its_time_until_the_late_limit(hours_to_opening, due):
    event = fair(**opening_in(hours_to_opening))
    rule(event)  # 12 h before opening
    business(event)

    assert reminders_sweep(dry_run=True).due_total == int(due)
    assert not ReminderDelivery.objects.exists()  # dry run writes nothing


def test_registration_closing_goes_to_drafts_only_while_registration_is_open():
    event = fair(registration_closes_at=at(days=2, hours=12), status="registration_open")
    rule(
        event,
        kind=R.Kind.REGISTRATION_CLOSING,
        anchor=R.Anchor.REGISTRATION_CLOSES,
        days=3,
        hours=0,
        statuses=["draft"],
    )
    draft = business(event, status="draft")
    business(event, name="HTX Đã nộp", email="b@example.vn", status="submitted")

    reminders_sweep()
    assert list(ReminderDelivery.objects.values_list("application", flat=True)) == [draft.pk]

    event.status = "registration_closed"
    event.save()
    ReminderDelivery.objects.all().delete()
    assert reminders_sweep().due_total == 0


def test_documents_missing_only_for_businesses_missing_some():
    event = fair(registration_closes_at=at(days=4, hours=12))
    [licence] = require_documents(event, "Giấy chứng nhận ĐKDN")
    rule(
        event,
        kind=R.Kind.DOCUMENTS_MISSING,
        anchor=R.Anchor.REGISTRATION_CLOSES,
        days=5,
        hours=0,
        statuses=["submitted"],
    )
    missing = business(event, status="submitted")
    complete = business(event, name="HTX Đủ hồ sơ", email="c@example.vn", status="submitted")
    ApplicationDocument.objects.create(
        application=complete,
        document_type=licence,
        file="x.pdf",
        original_name="x.pdf",
        content_type="application/pdf",
        size=1,
    )

    reminders_sweep()

    assert list(ReminderDelivery.objects.values_list("application", flat=True)) == [missing.pk]


def test_booth_assigned_is_timed_from_each_assignment():
    event = fair(**opening_in(24 * 10))
    rule(event, kind=R.Kind.BOOTH_ASSIGNED, anchor=R.Anchor.BOOTH_ASSIGNED, direction="after", hours=1, days=0)
    early, late, none = (
        business(event),
        business(event, name="B", email="b@x.vn"),
        business(event, name="C", email="c@x.vn"),
    )
    for application, hours_ago in ((early, 2), (late, 0)):
        booth = factories.BoothFactory(event=event)
        assignment = Assignment.objects.create(booth=booth, application=application)
        Assignment.objects.filter(pk=assignment.pk).update(created_at=at(hours=-hours_ago))

    reminders_sweep()

    [row] = ReminderDelivery.objects.all()
    assert row.application_id == early.pk
    assert none.pk != row.application_id


def test_sweep_runs_a_fixed_number_of_queries():
    def queries(n):
        event = fair(**opening_in(11), name=f"Hội chợ {n}", slug=f"hoi-cho-{n}")
        rule(event)
        many_businesses(event, n, prefix=f"q{n}-")
        with CaptureQueriesContext(connection) as ctx:
            reminders_sweep()
        ReminderRule.objects.filter(event=event).update(enabled=False)
        return len(ctx.captured_queries)

    # SQLite statements take at most 999 parameters: ~45 delivery rows per INSERT there.
    many = 300 if connection.vendor == "postgresql" else 40
    assert queries(3) == queries(many)


def test_new_fair_gets_the_default_rules_once_with_decided_disabled(organiser_user, client):
    event = fair()
    assert reminder_rules_create_defaults(event=event) == len(DEFAULT_RULES)
    assert reminder_rules_create_defaults(event=event) == 0

    rules = {r.kind: r for r in ReminderRule.objects.filter(event=event)}
    assert set(rules) == set(R.Kind.values)
    assert rules[R.Kind.APPLICATION_DECIDED].enabled is False
    assert all(r.enabled for kind, r in rules.items() if kind != R.Kind.APPLICATION_DECIDED)


def test_seed_demo_creates_default_rules_and_stays_idempotent():
    call_command("seed_demo", stdout=io.StringIO())
    count = ReminderRule.objects.count()
    call_command("seed_demo", stdout=io.StringIO())

    assert count == len(DEFAULT_RULES)
    assert ReminderRule.objects.count() == count


def test_seed_demo_makes_the_worker_send_nothing_unless_asked(mailoutbox):
    out = io.StringIO()
    with translation.override("en"):
        call_command("seed_demo", stdout=out)

    # Two hours on: every "booth assigned" reminder (1 hour after the assignment) would be due.
    report = reminders_sweep(now=timezone.now() + timedelta(hours=2))

    assert report.due_total == 0
    assert not ReminderDelivery.objects.exists()
    assert mailoutbox == []
    assert not ReminderRule.objects.filter(enabled=True).exists()
    assert f"Reminder rules enabled: 0 of {len(DEFAULT_RULES)}" in out.getvalue()


def test_seed_demo_with_reminders_makes_the_rules_live():
    call_command("seed_demo", "--with-reminders", stdout=io.StringIO())

    report = reminders_sweep(now=timezone.now() + timedelta(hours=2))

    enabled = {r.kind for r in ReminderRule.objects.filter(enabled=True)}
    assert enabled == {r["kind"] for r in DEFAULT_RULES if r.get("enabled", True)}
    assert {rule.kind: n for rule, n in report.due}[R.Kind.BOOTH_ASSIGNED] > 0
    assert ReminderDelivery.objects.filter(rule__kind=R.Kind.BOOTH_ASSIGNED).exists()


def test_run_reminders_dry_run_lists_and_records_nothing():
    event = fair(**opening_in(11))
    rule(event)
    many_businesses(event, 3)
    out = io.StringIO()

    call_command("run_reminders", "--dry-run", stdout=out)

    assert "3" in out.getvalue()
    assert not ReminderDelivery.objects.exists()
    call_command("run_reminders", stdout=io.StringIO())
    assert ReminderDelivery.objects.count() == 3


# --- the staff delivery log ------------------------------------------------------------------------


def _log_with(n, status=OutboxStatus.FAILED):
    event = fair(**opening_in(11), name=f"Log {n}", slug=f"log-{n}")
    rule(event)
    many_businesses(event, n, prefix=f"log{n}-")
    reminders_sweep()
    ReminderDelivery.objects.filter(event=event).update(status=status, last_error="550 mailbox unavailable")
    return event


def test_delivery_log_needs_staff(client):
    event = _log_with(1)
    url = reverse("reminders:log", args=[event.slug])
    assert client.get(url).status_code == 302
    client.force_login(factories.UserFactory())
    assert client.get(url).status_code == 403


def test_delivery_log_query_count_is_fixed(client, organiser_user):
    client.force_login(organiser_user)

    def queries(n):
        event = _log_with(n)
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(reverse("reminders:log", args=[event.slug]))
        assert response.status_code == 200
        return len(ctx.captured_queries), response

    small, _ = queries(2)
    large, response = queries(60)
    assert small == large
    assert response.content.decode().count('data-status="failed"') == 50  # one page


def test_delivery_log_filters_and_resends_a_failed_one(client, organiser_user, django_capture_on_commit_callbacks):
    event = _log_with(2)
    sent = ReminderDelivery.objects.filter(event=event).first()
    ReminderDelivery.objects.filter(pk=sent.pk).update(
        status=OutboxStatus.SENT, sent_at=timezone.now(), confirmed_at=timezone.now()
    )
    failed = ReminderDelivery.objects.get(event=event, status=OutboxStatus.FAILED)
    client.force_login(organiser_user)

    page = client.get(reverse("reminders:log", args=[event.slug]), {"status": "failed"}).content.decode()
    assert f'data-delivery="{failed.pk}"' in page and f'data-delivery="{sent.pk}"' not in page

    with django_capture_on_commit_callbacks() as callbacks:
        response = client.post(reverse("reminders:resend", args=[event.slug, failed.pk]))
    assert response.status_code == 302
    assert len(callbacks) == 1
    copy = ReminderDelivery.objects.get(resent_from=failed)
    assert (copy.status, copy.is_resend) == (OutboxStatus.PENDING, True)

    with pytest.raises(ValidationError, match="đang chờ được gửi lại"):
        delivery_resend(delivery=failed)
    with pytest.raises(ValidationError, match="Chỉ gửi lại được"):
        delivery_resend(delivery=ReminderDelivery.objects.get(pk=sent.pk))


def test_rule_form_refuses_unknown_variables(organiser_user, client):
    event = fair()
    client.force_login(organiser_user)
    response = client.post(
        reverse("admin:reminders_reminderrule_add"),
        {
            "event": event.pk,
            "kind": "fair_opens",
            "enabled": "on",
            "anchor": "opens_at",
            "direction": "before",
            "days": 1,
            "hours": 0,
            "statuses": ["approved"],
            "channel": "email",
            "subject_vi": "Chào {ten_don_vi}",
            "body_vi": "Nội dung",
            "subject_en": "",
            "body_en": "",
        },
    )
    assert response.status_code == 200
    assert "{ten_don_vi}" in response.content.decode()
    assert not ReminderRule.objects.exists()


def test_beat_schedule_has_the_sweep_and_the_daily_summary():
    from celery.schedules import crontab
    from django.conf import settings

    tasks = {entry["task"]: entry["schedule"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert tasks["reminders.sweep"] == crontab(minute="*")
    assert tasks["reports.send_daily_summaries"] == crontab(hour=7, minute=0)


def test_every_task_the_beat_schedule_names_is_registered_by_autodiscovery():
    """The apps live under events/ (tuanhang.office.reminders, tuanhang.office.reports): the worker must still find
    their tasks by the names beat sends, and the tasks queued on commit by theirs."""
    from django.conf import settings

    from tuanhang.celery import app

    app.loader.import_default_modules()
    named = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert named - set(app.tasks) == set()
    assert {"reminders.sweep", "reminders.send", "reports.send_daily_summaries"} <= set(app.tasks)
    assert app.tasks["reminders.send"].__module__ == "tuanhang.office.reminders.tasks"
    assert app.tasks["reports.send_daily_summaries"].__module__ == "tuanhang.office.reports.tasks"
