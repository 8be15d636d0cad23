"""Sending one reminder, in this process, to a real SMTP server (aiosmtpd on 127.0.0.1): the
message itself, exactly once per row, retries with backoff, permanent failures, skips, and the
Zalo channel with its fallback to e-mail (against a local HTTP server, never the internet)."""

import datetime as dt
import http.server
import json
import threading

import pytest
from django.conf import settings
from django.core import mail
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from booths.models import Assignment
from tests import factories
from tuanhang.office.reminders import outbox
from tuanhang.office.reminders.models import OutboxStatus, ReminderDelivery, ReminderRule
from tuanhang.office.reminders.sending import delivery_send
from tuanhang.office.reminders.services import reminders_sweep

from .smtp_server import SMTPServer
from .support import FAIR, at, business, fair, opening_in, rule

pytestmark = pytest.mark.django_db
P = OutboxStatus


@pytest.fixture
def smtp():
    with (
        SMTPServer() as server,
        override_settings(
            EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
            EMAIL_HOST="127.0.0.1",
            EMAIL_PORT=server.port,
            EMAIL_HOST_USER="",
            EMAIL_HOST_PASSWORD="",
            EMAIL_USE_TLS=False,
            EMAIL_USE_SSL=False,
        ),
    ):
        yield server.recorder


@pytest.fixture
def due(db):
    """A fair opening in 11 hours, a rule due 12 hours before opening, one approved business with a booth."""
    event = fair(**opening_in(11))
    reminder = rule(event)
    application = business(event)
    booth = factories.BoothFactory(event=event, code="A07")
    Assignment.objects.create(booth=booth, application=application, status=Assignment.Status.CONFIRMED)
    reminders_sweep()
    return ReminderDelivery.objects.get(rule=reminder, application=application)


def test_reminder_is_sent_once_over_smtp_with_both_languages(smtp, due):
    result = delivery_send(delivery_id=due.pk)

    assert result.outcome == "sent"
    [(rcpt, message)] = smtp.messages
    assert rcpt == ["giamdoc@catHai.vn"]
    opens = timezone.localtime(due.event.opens_at).strftime("%H:%M %d/%m/%Y")
    assert message["Subject"].strip() == f"{FAIR} khai mạc lúc {opens} / {FAIR} opens"
    assert message["Message-ID"] == f"<tuanhang.reminder.{due.pk}@{message['Message-ID'].split('@')[1]}"
    assert message["Reply-To"] == "khuyencong@haiphong.vn"
    text = message.get_body(("plain",)).get_content().replace("\r\n", "\n")
    assert "Kính gửi Công ty TNHH Nước mắm Cát Hải,\n\nGian hàng: A07. Phí: 5.000.000 ₫." in text
    assert "———— English ————\n\nDear Công ty TNHH Nước mắm Cát Hải, your booth: A07." in text
    html = message.get_body(("html",)).get_content()
    assert '<div lang="en"><p>Dear Công ty TNHH Nước mắm Cát Hải, your booth: A07.</p></div>' in html
    row = ReminderDelivery.objects.get(pk=due.pk)
    assert (row.status, row.channel, row.attempts, row.recipients) == (P.SENT, "email", 1, "giamdoc@catHai.vn")
    assert row.sent_at is not None and row.confirmed_at is not None
    assert row.server_reply.startswith("250 ")
    assert row.message_id == message["Message-ID"]


def test_sending_a_row_again_sends_nothing(smtp, due):
    delivery_send(delivery_id=due.pk)
    again = delivery_send(delivery_id=due.pk)

    assert again.outcome == "nothing to do"
    assert smtp.count == 1


def test_business_text_is_escaped_in_html(smtp, db):
    event = fair(**opening_in(11))
    rule(event, body_vi="Kính gửi {business_name}", body_en="")
    application = business(event, name='<b onclick="x()">HTX & Co</b>')
    reminders_sweep()
    delivery_send(delivery_id=ReminderDelivery.objects.get(application=application).pk)

    [(_rcpt, message)] = smtp.messages
    html = message.get_body(("html",)).get_content()
    assert "&lt;b onclick=&quot;x()&quot;&gt;HTX &amp; Co&lt;/b&gt;" in html
    assert "<b onclick" not in html
    assert 'Kính gửi <b onclick="x()">HTX & Co</b>' in message.get_body(("plain",)).get_content()


def test_temporary_refusal_is_retried_with_backoff_then_sent(smtp, due):
    smtp.rcpt_reply = "451 4.3.0 Try again later"

    result = delivery_send(delivery_id=due.pk)

    assert result == outbox.Result("retry", retry_in=30)
    row = ReminderDelivery.objects.get(pk=due.pk)
    assert (row.status, row.attempts) == (P.PENDING, 1)
    assert "451" in row.last_error
    assert row.next_attempt_at > timezone.now()
    assert delivery_send(delivery_id=due.pk).outcome == "nothing to do"  # not before its time

    smtp.rcpt_reply = None
    ReminderDelivery.objects.filter(pk=due.pk).update(next_attempt_at=timezone.now())
    assert delivery_send(delivery_id=due.pk).outcome == "sent"
    assert smtp.count == 1
    assert ReminderDelivery.objects.get(pk=due.pk).attempts == 2


def test_row_sent_after_a_failure_no_longer_shows_the_old_error(smtp, due, client):
    smtp.rcpt_reply = "451 4.3.0 Try again later"
    delivery_send(delivery_id=due.pk)
    assert "451" in ReminderDelivery.objects.get(pk=due.pk).last_error

    smtp.rcpt_reply = None
    ReminderDelivery.objects.filter(pk=due.pk).update(next_attempt_at=None)
    assert delivery_send(delivery_id=due.pk).outcome == "sent"

    row = ReminderDelivery.objects.get(pk=due.pk)
    assert (row.status, row.last_error) == (P.SENT, "")
    assert row.confirmed_at is not None
    client.force_login(factories.StaffUserFactory(organiser=due.event.organiser))
    log = client.get(reverse("reminders:log", args=[due.event.slug])).content.decode()
    assert f'data-delivery="{due.pk}" data-status="sent"' in log
    assert "451" not in log


def test_temporary_failures_give_up_after_five_attempts(smtp, due):
    smtp.rcpt_reply = "451 4.3.0 Try again later"
    delays = []
    for _ in range(outbox.MAX_ATTEMPTS):
        ReminderDelivery.objects.filter(pk=due.pk).update(next_attempt_at=None)
        result = delivery_send(delivery_id=due.pk)
        delays.append(result.retry_in)

    assert delays == [30, 60, 120, 240, None]
    row = ReminderDelivery.objects.get(pk=due.pk)
    assert (row.status, row.attempts) == (P.FAILED, 5)
    assert smtp.count == 0


def test_refusal_at_the_end_of_the_message_fails_without_delivery(smtp, due):
    smtp.data_reply = "554 5.6.0 Message refused"

    assert delivery_send(delivery_id=due.pk).outcome == "failed"

    row = ReminderDelivery.objects.get(pk=due.pk)
    assert (row.status, row.sent_at, row.confirmed_at) == (P.FAILED, None, None)
    assert "554 5.6.0 Message refused" in row.last_error
    assert smtp.count == 0


def test_unreachable_mail_server_is_a_temporary_failure(due):
    with override_settings(
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend", EMAIL_HOST="127.0.0.1", EMAIL_PORT=9
    ):
        result = delivery_send(delivery_id=due.pk)

    assert result.outcome == "retry"
    assert "ConnectionRefusedError" in ReminderDelivery.objects.get(pk=due.pk).last_error


def test_retry_countdown_stays_below_the_visibility_timeout():
    visibility = settings.CELERY_BROKER_TRANSPORT_OPTIONS.get("visibility_timeout", 3600)
    assert max(outbox.backoff(n) for n in range(1, 30)) < visibility
    with override_settings(CELERY_BROKER_TRANSPORT_OPTIONS={"visibility_timeout": 300}):
        assert max(outbox.backoff(n) for n in range(1, 30)) == 150


def test_application_withdrawn_meanwhile_is_skipped(smtp, due):
    factories.Application.objects.filter(pk=due.application_id).update(status="withdrawn")

    assert delivery_send(delivery_id=due.pk).outcome == "skipped"

    row = ReminderDelivery.objects.get(pk=due.pk)
    assert row.status == P.SKIPPED
    assert row.last_error == "Hồ sơ hiện ở trạng thái “Đã rút đơn”."
    assert smtp.count == 0


def test_business_without_address_is_skipped(smtp, db):
    event = fair(**opening_in(11))
    rule(event)
    business(event, email="")
    reminders_sweep()
    row = ReminderDelivery.objects.get()

    assert delivery_send(delivery_id=row.pk).outcome == "skipped"
    assert ReminderDelivery.objects.get(pk=row.pk).last_error == "Đơn vị không có địa chỉ e-mail."


def test_other_email_backends_send_through_django(due):
    # pytest-django's locmem backend: no two-step conversation, the whole send on release.
    assert delivery_send(delivery_id=due.pk).outcome == "sent"

    [message] = mail.outbox
    assert message.to == ["giamdoc@catHai.vn"]
    assert message.extra_headers["Message-ID"].startswith(f"<tuanhang.reminder.{due.pk}@")
    assert ReminderDelivery.objects.get(pk=due.pk).server_reply == "accepted by the e-mail backend"


# --- Zalo ZNS ------------------------------------------------------------------------------------


class _ZnsHandler(http.server.BaseHTTPRequestHandler):
    answer = {"error": 0, "data": {"msg_id": "zns-1"}}
    received: list = []

    def do_POST(self):  # noqa: N802
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        type(self).received.append((self.headers["access_token"], body))
        payload = json.dumps(type(self).answer).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)

    def log_message(self, *args):
        pass


@pytest.fixture
def zns_server():
    _ZnsHandler.received = []
    server = http.server.HTTPServer(("127.0.0.1", 0), _ZnsHandler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server, _ZnsHandler
    server.shutdown()
    server.server_close()


def _zns_settings(server, **extra):
    values = {
        "ZALO_ZNS_ENABLED": True,
        "ZALO_ZNS_BACKEND": "http",
        "ZALO_ZNS_ENDPOINT": f"http://127.0.0.1:{server.server_address[1]}/message/template",
        "ZALO_ZNS_ACCESS_TOKEN": "test-token",
        "ZALO_ZNS_TEMPLATES": {"fair_opens": "248001"},
    }
    values.update(extra)
    return override_settings(**values)


@pytest.fixture
def zalo_due(due):
    ReminderRule.objects.filter(pk=due.rule_id).update(channel=ReminderRule.Channel.ZALO)
    return due


def test_zalo_sends_the_template_and_no_email(zalo_due, zns_server, smtp):
    server, handler = zns_server
    with _zns_settings(server):
        assert delivery_send(delivery_id=zalo_due.pk).outcome == "sent"

    [(token, body)] = handler.received
    assert token == "test-token"
    assert body["template_id"] == "248001"
    assert body["phone"] == zalo_due.application.vendor.phone.lstrip("+")
    assert body["template_data"]["booth_codes"] == "A07"
    assert body["tracking_id"] == f"reminder-{zalo_due.pk}"
    row = ReminderDelivery.objects.get(pk=zalo_due.pk)
    assert (row.channel, row.fell_back, row.server_reply) == ("zalo", False, "Zalo ZNS msg_id zns-1")
    assert smtp.count == 0


def test_zalo_error_falls_back_to_email(zalo_due, zns_server, smtp):
    server, handler = zns_server
    handler.answer = {"error": -124, "message": "Access token invalid"}
    try:
        with _zns_settings(server):
            assert delivery_send(delivery_id=zalo_due.pk).outcome == "sent"
    finally:
        handler.answer = {"error": 0, "data": {"msg_id": "zns-1"}}

    assert len(handler.received) == 1
    assert smtp.count == 1
    row = ReminderDelivery.objects.get(pk=zalo_due.pk)
    assert (row.status, row.channel, row.fell_back) == (P.SENT, "email", True)
    assert "Zalo ZNS error -124: Access token invalid" in row.last_error


def test_zalo_endpoint_down_falls_back_to_email(zalo_due, smtp):
    with override_settings(
        ZALO_ZNS_ENABLED=True,
        ZALO_ZNS_ENDPOINT="http://127.0.0.1:9/",
        ZALO_ZNS_ACCESS_TOKEN="t",
        ZALO_ZNS_TEMPLATES={"fair_opens": "1"},
    ):
        assert delivery_send(delivery_id=zalo_due.pk).outcome == "sent"

    row = ReminderDelivery.objects.get(pk=zalo_due.pk)
    assert (row.channel, row.fell_back) == ("email", True)
    assert smtp.count == 1


@pytest.mark.parametrize(
    ("overrides", "why"),
    [
        ({"ZALO_ZNS_ENABLED": False}, "not enabled"),
        ({"ZALO_ZNS_ENABLED": True, "ZALO_ZNS_BACKEND": "logging", "ZALO_ZNS_TEMPLATES": {}}, "no Zalo ZNS template"),
    ],
)
def test_zalo_not_usable_goes_by_email(zalo_due, smtp, overrides, why):
    with override_settings(**overrides):
        delivery_send(delivery_id=zalo_due.pk)

    row = ReminderDelivery.objects.get(pk=zalo_due.pk)
    assert (row.channel, row.fell_back) == ("email", True)
    assert why in row.last_error
    assert smtp.count == 1


def test_zalo_logging_backend_logs_instead_of_sending(zalo_due, smtp, caplog):
    with override_settings(ZALO_ZNS_ENABLED=True, ZALO_ZNS_BACKEND="logging", ZALO_ZNS_TEMPLATES={"fair_opens": "9"}):
        caplog.set_level("INFO", logger="tuanhang.office.reminders.channels")
        assert delivery_send(delivery_id=zalo_due.pk).outcome == "sent"

    assert "Zalo ZNS (logging backend, nothing sent)" in caplog.text
    assert '"template_id": "9"' in caplog.text
    assert ReminderDelivery.objects.get(pk=zalo_due.pk).channel == "zalo"
    assert smtp.count == 0


def test_due_time_is_recorded_from_the_rule(due):
    assert due.due_at == due.event.opens_at - dt.timedelta(hours=12)
    assert due.due_at <= at()
