"""/healthz for load balancers (issue 17, item 6): 200 and a small JSON when the database, the cache
and the broker answer; 503 naming the part that does not; no login, session or CSRF, never cached,
and a failure is not logged as a server error (nor mailed to the administrators)."""

import json
import logging
import socket

import pytest
from django.core import mail
from django.db import OperationalError
from django.db.backends.utils import CursorWrapper
from django.test import Client, override_settings
from django.urls import reverse

from tuanhang.kernel import health


def _closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]  # nothing listens there once the socket is closed


def _expected_parts(settings) -> set[str]:
    return {"database", "cache"} | ({"broker"} if settings.REDIS_URL else set())


def test_healthz_answers_ok_for_every_part(db, client, settings):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert json.loads(response.content) == dict.fromkeys(_expected_parts(settings), "ok")
    assert "no-cache" in response["Cache-Control"] and "max-age=0" in response["Cache-Control"]
    assert "sessionid" not in response.cookies and "csrftoken" not in response.cookies
    assert reverse("healthz") == "/healthz"


@override_settings(ALLOWED_HOSTS=["hoicho.example.vn"], SECURE_SSL_REDIRECT=True, DEBUG=False)
def test_healthz_answers_the_probe_over_http_with_an_internal_host(db, client):
    # docker's HEALTHCHECK and a load balancer call http://10.0.0.5:8000/healthz: no redirect, no 400.
    response = client.get("/healthz", HTTP_HOST="10.0.0.5:8000")

    assert response.status_code == 200
    assert json.loads(response.content)["database"] == "ok"


def test_healthz_answers_503_when_the_database_is_down(db, client, monkeypatch, caplog):
    def refuse(*args, **kwargs):
        raise OperationalError("connection to server at 127.0.0.1 refused")

    with (
        monkeypatch.context() as patched,  # undone before the test database is torn down
        override_settings(ADMINS=[("Ops", "ops@example.vn")], DEBUG=False),
        caplog.at_level(logging.INFO),
    ):
        patched.setattr(CursorWrapper, "execute", refuse)
        response = client.get("/healthz")

    assert response.status_code == 503
    assert json.loads(response.content)["database"] == "error"
    assert json.loads(response.content)["cache"] == "ok"
    assert [r.levelname for r in caplog.records if r.name == "django.request"] == []
    assert [r.getMessage() for r in caplog.records if r.name == "tuanhang.health"] == [
        "health check: database failed: OperationalError: connection to server at 127.0.0.1 refused"
    ]
    assert mail.outbox == []


def test_healthz_answers_503_when_the_cache_is_down(db, client):
    unreachable = {
        "default": {
            "BACKEND": "django_redis.cache.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{_closed_port()}/0",
            "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 1, "SOCKET_TIMEOUT": 1},
        }
    }
    with override_settings(CACHES=unreachable):
        response = client.get("/healthz")

    assert response.status_code == 503
    assert json.loads(response.content)["cache"] == "error"
    assert json.loads(response.content)["database"] == "ok"


def test_healthz_answers_503_when_the_broker_is_down(db, client):
    with override_settings(CELERY_BROKER_URL=f"redis://127.0.0.1:{_closed_port()}/0"):
        response = client.get("/healthz")

    assert response.status_code == 503
    assert json.loads(response.content)["broker"] == "error"


def test_healthz_checks_no_broker_on_the_filesystem_transport(settings):
    settings.CELERY_BROKER_URL = "filesystem://localhost//"

    assert set(health.checks()) == {"database", "cache"}


def test_healthz_refuses_posts_like_any_page_without_csrf(db):
    # A POST is not the probe: it goes through the site as usual (no view takes it: 405 or 403).
    response = Client(enforce_csrf_checks=True).post("/healthz")

    assert response.status_code in (403, 405)


@pytest.mark.parametrize("query", ["?q=%00", "?page=²"])
def test_healthz_ignores_its_query_string(db, client, query):
    assert client.get("/healthz" + query).status_code == 200
