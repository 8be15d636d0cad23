"""Zalo ZNS with a token that stays alive (issue 17): the OA's token pair in the database,
refreshed under a lock before it expires and once more when ZNS says "access token invalid";
a timeout after the request is out is "sent, unconfirmed", never a second message by e-mail.
Everything against HTTP servers this test starts on 127.0.0.1 (never Zalo)."""

import contextlib
import datetime as dt
import http.server
import json
import socket
import threading
import urllib.parse

import pytest
from django.core import mail
from django.db import connection
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from booths.models import Assignment
from tests import factories
from tuanhang.office.reminders import zalo
from tuanhang.office.reminders.models import OutboxStatus, ReminderDelivery, ReminderRule, ZaloToken
from tuanhang.office.reminders.periodic import refresh_zalo_token
from tuanhang.office.reminders.sending import delivery_send
from tuanhang.office.reminders.services import reminders_sweep

from .support import business, fair, opening_in, rule

P = OutboxStatus
OLD, NEW = ("old-access-" + "a" * 40, "refresh-1-" + "b" * 40), ("new-access-" + "c" * 40, "refresh-2-" + "d" * 40)


# --- the local servers ----------------------------------------------------------------------------


class Server:
    """A threading HTTP server on 127.0.0.1 with a random port; `handle(handler, body)` decides."""

    def __init__(self, handle):
        self.requests = []
        self.handle = handle
        self.release = threading.Event()  # lets a stalled handler go when the test ends
        server = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802
                body = self.rfile.read(int(self.headers["Content-Length"]))
                server.requests.append((self.headers, body))
                handle(server, self, body)

            def log_message(self, *args):
                pass

            def finish(self):
                with contextlib.suppress(OSError):  # a connection the test's server hung up on
                    super().finish()

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def close(self):
        self.release.set()
        self.httpd.shutdown()
        self.httpd.server_close()


def answer(handler, payload, status=200):
    data = json.dumps(payload).encode()
    handler.send_response(status)
    handler.send_header("Content-Type", "application/json")
    handler.send_header("Content-Length", str(len(data)))
    handler.end_headers()
    handler.wfile.write(data)


def zns_accepting(valid_token):
    """ZNS: sends with `valid_token`, refuses any other with -124 (as Zalo does for an expired one)."""

    def handle(server, handler, body):
        if handler.headers["access_token"] == valid_token:
            answer(handler, {"error": 0, "data": {"msg_id": "zns-1"}, "message": "Success"})
        else:
            answer(handler, {"error": -124, "message": "Access token invalid"})

    return handle


def zns_stalling(server, handler, body):
    """Reads the whole request (ZNS has it), then answers nothing until the test ends."""
    server.release.wait(30)


def zns_hanging_up(server, handler, body):
    """Reads the whole request, then drops the connection without an answer."""
    handler.close_connection = True
    handler.connection.shutdown(socket.SHUT_RDWR)


class OAuth:
    """Zalo's OAuth endpoint: each refresh token works once and gives the next pair."""

    def __init__(self, pairs, error=None, wait_for_second=False):
        self.pairs = dict(pairs)  # refresh token → the pair it gives
        self.used = []
        self.error = error
        self.second = threading.Event()
        self.wait_for_second = wait_for_second
        self.lock = threading.Lock()

    def __call__(self, server, handler, body):
        form = dict(urllib.parse.parse_qsl(body.decode()))
        with self.lock:
            self.used.append(form["refresh_token"])
            if len(self.used) == 2:
                self.second.set()
        if self.wait_for_second:
            # Give a second caller the time to arrive with the same refresh token: with the row
            # lock it never comes (it waits on the lock), without it it does.
            # (Shorter than the client's timeout, ZALO_ZNS_TIMEOUT below.)
            self.second.wait(2)
        if self.error:
            return answer(handler, self.error)
        with self.lock:
            pair = self.pairs.pop(form["refresh_token"], None)
        if pair is None:
            return answer(handler, {"error": -14014, "error_name": "invalid_refresh_token", "error_description": "x"})
        answer(handler, {"access_token": pair[0], "refresh_token": pair[1], "expires_in": "90000"})


@pytest.fixture
def servers():
    started = []

    def start(handle):
        server = Server(handle)
        started.append(server)
        return server

    yield start
    for server in started:
        server.close()


def zalo_settings(zns=None, oauth=None, **extra):
    values = {
        "ZALO_ZNS_ENABLED": True,
        "ZALO_ZNS_BACKEND": "http",
        "ZALO_ZNS_ENDPOINT": f"{zns.url}/message/template" if zns else "http://127.0.0.1:9/",
        "ZALO_ZNS_ACCESS_TOKEN": "",
        "ZALO_ZNS_REFRESH_TOKEN": "",
        "ZALO_ZNS_TEMPLATES": {"fair_opens": "248001"},
        "ZALO_ZNS_TIMEOUT": 5,
        "ZALO_APP_ID": "1234567890",
        "ZALO_APP_SECRET": "bi-mat-cua-ung-dung",
        "ZALO_OAUTH_TOKEN_URL": f"{oauth.url}/v4/oa/access_token" if oauth else "http://127.0.0.1:9/",
        "EMAIL_BACKEND": "django.core.mail.backends.locmem.EmailBackend",
    }
    values.update(extra)
    return override_settings(**values)


def store(pair, *, access_in=dt.timedelta(hours=10), refresh_in=dt.timedelta(days=60)):
    now = timezone.now()
    return ZaloToken.objects.create(
        access_token=pair[0],
        refresh_token=pair[1],
        access_expires_at=now + access_in,
        refresh_expires_at=now + refresh_in,
    )


@pytest.fixture
def zalo_due(db):
    """A Zalo reminder due now for one approved business with a booth and a phone."""
    event = fair(**opening_in(11))
    reminder = rule(event, channel=ReminderRule.Channel.ZALO)
    application = business(event)
    booth = factories.BoothFactory(event=event, code="A07")
    Assignment.objects.create(booth=booth, application=application, status=Assignment.Status.CONFIRMED)
    reminders_sweep()
    return ReminderDelivery.objects.get(rule=reminder, application=application)


# --- (a) a timeout after the request is out: unconfirmed, no e-mail --------------------------------


@pytest.mark.parametrize("behaviour", [zns_stalling, zns_hanging_up], ids=["stalls", "hangs up"])
def test_zalo_no_answer_after_the_request_is_unconfirmed_and_no_email(zalo_due, servers, behaviour):
    zns = servers(behaviour)
    store(OLD)

    with zalo_settings(zns, ZALO_ZNS_TIMEOUT=1):
        result = delivery_send(delivery_id=zalo_due.pk)

    assert result.outcome == "unconfirmed"
    assert len(zns.requests) == 1
    assert json.loads(zns.requests[0][1])["tracking_id"] == f"reminder-{zalo_due.pk}"
    row = ReminderDelivery.objects.get(pk=zalo_due.pk)
    assert (row.status, row.channel, row.fell_back, row.confirmed_at) == (P.SENT, "zalo", False, None)
    assert row.last_error.startswith("unconfirmed: Zalo ZNS: no answer after the request")
    assert mail.outbox == []


# --- (d) nothing sent (connection refused): e-mail once -----------------------------------------


def _closed_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_zalo_connection_refused_falls_back_to_email_once(zalo_due):
    store(OLD)

    with zalo_settings(ZALO_ZNS_ENDPOINT=f"http://127.0.0.1:{_closed_port()}/message/template"):
        result = delivery_send(delivery_id=zalo_due.pk)

    assert result.outcome == "sent"
    [message] = mail.outbox
    assert message.to == ["giamdoc@catHai.vn"]
    row = ReminderDelivery.objects.get(pk=zalo_due.pk)
    assert (row.status, row.channel, row.fell_back) == (P.SENT, "email", True)
    assert "Zalo ZNS: cannot connect: ConnectionRefusedError" in row.last_error


# --- (b) "access token invalid": refresh once, send again ------------------------------------------


def test_zalo_token_expired_is_refreshed_and_the_message_sent_again(zalo_due, servers):
    zns = servers(zns_accepting(NEW[0]))
    oauth = servers(OAuth({OLD[1]: NEW}))
    store(OLD)

    with zalo_settings(zns, oauth):
        result = delivery_send(delivery_id=zalo_due.pk)

    assert result.outcome == "sent"
    assert [headers["access_token"] for headers, _body in zns.requests] == [OLD[0], NEW[0]]
    [(headers, body)] = oauth.requests
    assert headers["secret_key"] == "bi-mat-cua-ung-dung"
    assert dict(urllib.parse.parse_qsl(body.decode())) == {
        "refresh_token": OLD[1],
        "app_id": "1234567890",
        "grant_type": "refresh_token",
    }
    token = ZaloToken.objects.get()
    assert (token.access_token, token.refresh_token, token.last_error) == (NEW[0], NEW[1], "")
    expected = token.refreshed_at + dt.timedelta(seconds=90000)
    assert token.access_expires_at == expected
    assert token.refresh_expires_at > timezone.now() + dt.timedelta(days=80)
    row = ReminderDelivery.objects.get(pk=zalo_due.pk)
    assert (row.channel, row.fell_back, row.server_reply) == ("zalo", False, "Zalo ZNS msg_id zns-1")
    assert row.confirmed_at is not None
    assert mail.outbox == []


def test_zalo_token_still_refused_after_the_refresh_falls_back_to_email_once(zalo_due, servers):
    zns = servers(zns_accepting("a token nobody has"))
    oauth = servers(OAuth({OLD[1]: NEW}))
    store(OLD)

    with zalo_settings(zns, oauth):
        assert delivery_send(delivery_id=zalo_due.pk).outcome == "sent"

    assert len(zns.requests) == 2
    assert len(oauth.requests) == 1
    assert len(mail.outbox) == 1
    row = ReminderDelivery.objects.get(pk=zalo_due.pk)
    assert (row.channel, row.fell_back) == ("email", True)
    assert "Zalo ZNS error -124: Access token invalid" in row.last_error


# --- (c) the refresh fails: error stored and shown, old pair kept ----------------------------------

REFUSED = {"error": -14014, "error_name": "invalid_refresh_token", "error_description": "Refresh token is invalid"}


def test_zalo_refresh_error_is_stored_and_the_old_pair_kept(db, servers):
    oauth = servers(OAuth({}, error=REFUSED))
    store(OLD)

    with zalo_settings(oauth=oauth), pytest.raises(zalo.ZaloRefreshError, match="-14014"):
        zalo.zalo_token_refresh(force=True)

    token = ZaloToken.objects.get()
    assert (token.access_token, token.refresh_token, token.refreshed_at) == (OLD[0], OLD[1], None)
    assert token.last_error == "Zalo OAuth error -14014: invalid_refresh_token Refresh token is invalid"
    assert token.last_error_at is not None


def test_zalo_refresh_error_during_a_send_falls_back_to_email_and_shows_in_the_admin(zalo_due, servers, client):
    zns = servers(zns_accepting(NEW[0]))
    oauth = servers(OAuth({}, error=REFUSED))
    store(OLD)

    with zalo_settings(zns, oauth):
        assert delivery_send(delivery_id=zalo_due.pk).outcome == "sent"

    assert len(mail.outbox) == 1
    row = ReminderDelivery.objects.get(pk=zalo_due.pk)
    assert "the token refresh failed: Zalo OAuth error -14014" in row.last_error
    client.force_login(factories.StaffUserFactory(is_superuser=True, username="quan.tri"))
    page = client.get(reverse("admin:reminders_zalotoken_change", args=[1])).content.decode()
    assert "Zalo OAuth error -14014: invalid_refresh_token Refresh token is invalid" in page
    assert OLD[0] not in page and OLD[1] not in page
    assert f"{OLD[0][:4]}…{OLD[0][-4:]}" in page


# --- (e) the beat job --------------------------------------------------------------------------------


def test_beat_job_refreshes_a_token_that_expires_soon(db, servers):
    oauth = servers(OAuth({OLD[1]: NEW}))
    store(OLD, access_in=dt.timedelta(minutes=40))

    with zalo_settings(oauth=oauth):
        assert refresh_zalo_token() == "refreshed"

    assert oauth.handle.used == [OLD[1]]
    token = ZaloToken.objects.get()
    assert (token.access_token, token.refresh_token) == NEW
    assert token.access_expires_at > timezone.now() + dt.timedelta(hours=24)


def test_beat_job_leaves_a_fresh_token_alone(db, servers):
    oauth = servers(OAuth({OLD[1]: NEW}))
    stored = store(OLD, access_in=dt.timedelta(hours=3))

    with zalo_settings(oauth=oauth):
        assert refresh_zalo_token() == "fresh"

    assert oauth.requests == []
    token = ZaloToken.objects.get()
    assert (token.access_token, token.refresh_token, token.access_expires_at) == (*OLD, stored.access_expires_at)


def test_beat_job_records_a_failure_and_keeps_the_pair(db, servers):
    oauth = servers(OAuth({}, error=REFUSED))
    store(OLD, access_in=dt.timedelta(minutes=10))

    with zalo_settings(oauth=oauth):
        assert refresh_zalo_token() == "failed"

    token = ZaloToken.objects.get()
    assert (token.access_token, token.refresh_token) == OLD
    assert "-14014" in token.last_error


def test_beat_schedule_refreshes_the_zalo_token_every_half_hour():
    from celery.schedules import crontab
    from django.conf import settings

    tasks = {entry["task"]: entry["schedule"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert tasks["reminders.zalo_token_refresh"] == crontab(minute="*/30")


def test_the_settings_token_seeds_the_database_once(db, servers):
    zns = servers(zns_accepting("seeded-access"))
    with zalo_settings(zns, ZALO_ZNS_ACCESS_TOKEN="seeded-access", ZALO_ZNS_REFRESH_TOKEN="seeded-refresh"):
        assert zalo.zalo_token().access_token == "seeded-access"
        ZaloToken.objects.update(access_token="from-the-database")
        assert zalo.zalo_token().access_token == "from-the-database"


# --- two refreshes at once (PostgreSQL: the row lock) --------------------------------------------


def _refresh_twice_at_once():
    barrier = threading.Barrier(2)
    outcomes = []

    def run():
        try:
            barrier.wait(5)
            outcomes.append(zalo.zalo_token_refresh(force=False).outcome)
        except zalo.ZaloRefreshError as exc:
            outcomes.append(f"error: {exc}")
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return sorted(outcomes)


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_refreshes_at_once_use_the_refresh_token_once(servers):
    oauth = servers(OAuth({OLD[1]: NEW}, wait_for_second=True))
    store(OLD, access_in=dt.timedelta(minutes=5))

    with zalo_settings(oauth=oauth):
        outcomes = _refresh_twice_at_once()

    assert oauth.handle.used == [OLD[1]]
    assert outcomes == ["fresh", "refreshed"]
    token = ZaloToken.objects.get()
    assert (token.access_token, token.refresh_token, token.last_error) == (*NEW, "")


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_control_without_the_row_lock_the_refresh_token_is_used_twice(servers, monkeypatch):
    """The control of the test above: the lock replaced by a plain read, the same two callers
    both spend the one-time refresh token, and the second one's refusal is what the row keeps."""
    monkeypatch.setattr(zalo, "_lock_token", lambda: ZaloToken.objects.filter(pk=ZaloToken.SINGLETON).first())
    oauth = servers(OAuth({OLD[1]: NEW}, wait_for_second=True))
    store(OLD, access_in=dt.timedelta(minutes=5))

    with zalo_settings(oauth=oauth):
        outcomes = _refresh_twice_at_once()

    assert oauth.handle.used == [OLD[1], OLD[1]]
    assert outcomes[1] == "refreshed" and outcomes[0].startswith("error: Zalo OAuth error -14014")


# --- the admin screen ----------------------------------------------------------------------------


@pytest.fixture
def superuser_client(client, db):
    client.force_login(factories.StaffUserFactory(is_superuser=True, username="quan.tri"))
    return client


def test_admin_shows_expiries_masked_and_warns_two_weeks_before_the_refresh_token_dies(superuser_client):
    store(OLD, refresh_in=dt.timedelta(days=10))

    page = superuser_client.get(reverse("admin:reminders_zalotoken_change", args=[1])).content.decode()

    assert "hãy ủy quyền lại ứng dụng cho Official Account" in page
    assert OLD[0] not in page and OLD[1] not in page
    assert f"{OLD[1][:4]}…{OLD[1][-4:]}" in page
    assert 'name="new_access_token"' in page and 'type="password"' in page


def test_admin_no_warning_while_the_refresh_token_has_months_left(superuser_client):
    store(OLD, refresh_in=dt.timedelta(days=60))

    page = superuser_client.get(reverse("admin:reminders_zalotoken_change", args=[1])).content.decode()

    assert "ủy quyền lại" not in page


def test_admin_takes_a_new_pair_and_never_shows_it_back(superuser_client):
    stored = store(OLD)
    stored.last_error = "Zalo OAuth error -14014: old"
    stored.save()
    url = reverse("admin:reminders_zalotoken_change", args=[1])

    response = superuser_client.post(
        url, {"new_access_token": f" {NEW[0]} ", "new_refresh_token": NEW[1], "expires_in": "90000"}
    )

    assert response.status_code == 302
    token = ZaloToken.objects.get()
    assert (token.access_token, token.refresh_token, token.last_error) == (*NEW, "")
    assert token.access_expires_at > timezone.now() + dt.timedelta(hours=24)
    page = superuser_client.get(url).content.decode()
    assert NEW[0] not in page and NEW[1] not in page


def test_admin_refuses_half_a_pair(superuser_client):
    store(OLD)

    response = superuser_client.post(
        reverse("admin:reminders_zalotoken_change", args=[1]), {"new_access_token": NEW[0]}
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.non_field_errors()
    assert ZaloToken.objects.get().access_token == OLD[0]


def test_admin_first_pair_through_the_add_page(superuser_client):
    response = superuser_client.post(
        reverse("admin:reminders_zalotoken_add"), {"new_access_token": OLD[0], "new_refresh_token": OLD[1]}
    )

    assert response.status_code == 302
    token = ZaloToken.objects.get()
    assert (token.access_token, token.refresh_token, token.access_expires_at) == (*OLD, None)
    assert token.refresh_expires_at > timezone.now() + dt.timedelta(days=80)
    # One row per installation: no second add.
    assert superuser_client.get(reverse("admin:reminders_zalotoken_add")).status_code == 403


def test_admin_refresh_now_button(superuser_client, servers):
    oauth = servers(OAuth({OLD[1]: NEW}))
    store(OLD)
    url = reverse("admin:reminders_zalotoken_change", args=[1])

    with zalo_settings(oauth=oauth):
        response = superuser_client.post(url, {"_refresh": "1"}, follow=True)

    assert oauth.handle.used == [OLD[1]]
    assert ZaloToken.objects.get().access_token == NEW[0]
    assert [m.level_tag for m in response.context["messages"]] == ["success"]


def test_admin_refresh_now_action_shows_the_error(superuser_client, servers):
    oauth = servers(OAuth({}, error=REFUSED))
    store(OLD)

    with zalo_settings(oauth=oauth):
        response = superuser_client.post(
            reverse("admin:reminders_zalotoken_changelist"),
            {"action": "refresh_now", "_selected_action": ["1"]},
            follow=True,
        )

    assert "-14014" in " ".join(str(m) for m in response.context["messages"])
    assert ZaloToken.objects.get().access_token == OLD[0]


def test_admin_token_page_is_for_superusers_only(client, db):
    store(OLD)
    client.force_login(factories.StaffUserFactory(username="quantri"))  # the organiser's administrator

    assert client.get(reverse("admin:reminders_zalotoken_change", args=[1])).status_code == 403
    assert client.get(reverse("admin:reminders_zalotoken_changelist")).status_code == 403
