"""Server errors reach the administrators (issue 17, item 6): a 5xx is mailed to ADMINS when DEBUG
is off, a 4xx is not; a failed Celery task is mailed too; with SENTRY_DSN set, the error reaches a
Sentry server, without cookies or the user's e-mail."""

import gzip
import json
import os
import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from django.core import mail
from django.core.exceptions import ImproperlyConfigured
from django.test import Client, override_settings

from tuanhang.celery import app
from tuanhang.kernel.monitoring import parse_admins

ROOT = Path(__file__).resolve().parent.parent
ADMINS = [("Ban tổ chức", "it@hoicho.example.vn")]


@app.task(name="tests.error_reporting.fails")
def fails(application_id):
    raise RuntimeError(f"cannot send the letter of application {application_id}")


@pytest.mark.urls("tests.error_reporting_urls")
@override_settings(ADMINS=ADMINS, DEBUG=False)
def test_server_error_is_mailed_to_the_admins_once(db):
    response = Client(raise_request_exception=False).get("/boom/")

    assert response.status_code == 500
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["it@hoicho.example.vn"]
    assert "Internal Server Error: /boom/" in mail.outbox[0].subject
    assert "BoomError" in mail.outbox[0].body


@override_settings(ADMINS=ADMINS, DEBUG=False)
def test_refused_request_is_not_mailed(db):
    assert Client(enforce_csrf_checks=True).post("/vi/dang-nhap/").status_code in (403, 404)
    assert Client().get("/khong-co-trang-nay/").status_code == 404

    assert mail.outbox == []


@pytest.mark.urls("tests.error_reporting_urls")
@override_settings(ADMINS=ADMINS, DEBUG=True)
def test_server_error_is_not_mailed_while_debugging(db):
    Client(raise_request_exception=False).get("/boom/")

    assert mail.outbox == []


@override_settings(ADMINS=ADMINS, DEBUG=False)
def test_failed_celery_task_is_mailed_to_the_admins():
    fails.apply(args=(42,))

    assert len(mail.outbox) == 1
    assert "tests.error_reporting.fails" in mail.outbox[0].subject
    assert "cannot send the letter of application 42" in mail.outbox[0].body


def test_admins_read_from_the_environment_format():
    assert parse_admins("Ban tổ chức <it@hoicho.example.vn>, ops@example.vn") == [
        ("Ban tổ chức", "it@hoicho.example.vn"),
        ("ops@example.vn", "ops@example.vn"),
    ]
    assert parse_admins("") == []
    with pytest.raises(ImproperlyConfigured):
        parse_admins("Ban tổ chức")


# --- Sentry ---------------------------------------------------------------------------------------


class _Envelopes(BaseHTTPRequestHandler):
    received: list[bytes]

    def do_POST(self):  # noqa: N802 (http.server's name)
        body = self.rfile.read(int(self.headers["Content-Length"]))
        encoding = self.headers.get("Content-Encoding")
        if encoding == "gzip":
            body = gzip.decompress(body)
        elif encoding == "br":  # sentry-sdk compresses with brotli when the module is there (WeasyPrint's)
            import brotli

            body = brotli.decompress(body)
        self.server.received.append((self.path, body))
        self.send_response(200)
        self.end_headers()
        self.wfile.write(b"{}")

    def log_message(self, *args):
        pass


@pytest.fixture
def sentry_server():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Envelopes)
    server.received = []
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


def _probe(server, tmp_path, **extra_env):
    env = {
        **os.environ,
        "SENTRY_DSN": f"http://publickey@127.0.0.1:{server.server_address[1]}/1",
        "SENTRY_ENVIRONMENT": "ci",
        "APP_RELEASE": "tuanhang@test",
        "TUANHANG_VAR_DIR": str(tmp_path),
        "DEBUG": "on",
        **extra_env,
    }
    result = subprocess.run(
        [sys.executable, "-m", "tests.sentry_probe"], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    assert "status=500" in result.stdout
    events = []
    for path, body in server.received:
        assert path == "/api/1/envelope/"
        for line in body.splitlines():
            try:
                item = json.loads(line)
            except ValueError:
                continue
            if isinstance(item, dict) and "exception" in item:
                events.append((item, body.decode("utf-8", "replace")))
    return events


def test_server_error_reaches_sentry_without_personal_data(sentry_server, tmp_path):
    events = _probe(sentry_server, tmp_path)

    assert len(events) == 1
    event, raw = events[0]
    assert event["exception"]["values"][-1]["type"] == "BoomError"
    assert event["environment"] == "ci"
    assert event["release"] == "tuanhang@test"
    assert "cookie-secret-123" not in raw and "session-secret-456" not in raw
    assert "bantochuc@hoicho.example.vn" not in raw
    assert "user" not in event or "email" not in event["user"]


def test_sentry_control_with_personal_data_allowed_shows_them(sentry_server, tmp_path):
    # Shows the test above would see the cookie and the e-mail if they were sent.
    events = _probe(sentry_server, tmp_path, PROBE_CONTROL_WITH_PII="1")

    raw = events[-1][1]
    assert "cookie-secret-123" in raw
    assert "bantochuc@hoicho.example.vn" in raw
