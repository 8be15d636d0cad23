"""/healthz: is this instance able to serve? For a load balancer, docker's HEALTHCHECK and monitoring.

Checks the database (SELECT 1), the cache (a write and a read) and, when it is a network broker,
the Celery broker (a connection), each with a short timeout, and answers 200 with
{"database": "ok", "cache": "ok", "broker": "ok"} or 503 naming the part that failed. No session,
no login, no CSRF, never cached. It is answered by `HealthCheckMiddleware`, first in MIDDLEWARE, so
that the probe's Host header (an address not in ALLOWED_HOSTS), plain http (SECURE_SSL_REDIRECT)
and a database that is down never stand in its way. A 503 here is logged as one warning line, never
as a server error: it must not mail the administrators every few seconds while the database is down.
"""

import json
import logging

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpResponse
from django.utils.cache import add_never_cache_headers

PATH = "/healthz"
TIMEOUT_SECONDS = 3
logger = logging.getLogger("tuanhang.health")


def _database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _cache() -> None:
    cache.set("healthz", "ok", timeout=10)
    if cache.get("healthz") != "ok":
        raise RuntimeError("the cache did not return what was just written")


def _broker() -> None:
    from kombu import Connection

    with Connection(settings.CELERY_BROKER_URL, connect_timeout=TIMEOUT_SECONDS) as broker:
        broker.ensure_connection(max_retries=1, timeout=TIMEOUT_SECONDS)


def checks() -> dict:
    """The checks of this installation: the broker only when it is a server (not the filesystem
    transport of the embedded default)."""
    found = {"database": _database, "cache": _cache}
    if not settings.CELERY_BROKER_URL.startswith("filesystem:"):
        found["broker"] = _broker
    return found


def healthz(request):
    status, results = 200, {}
    for name, check in checks().items():
        try:
            check()
            results[name] = "ok"
        except Exception as exc:  # noqa: BLE001 (any failure of a part is that part's answer)
            status, results[name] = 503, "error"
            logger.warning("health check: %s failed: %s: %s", name, type(exc).__name__, exc)
    response = HttpResponse(json.dumps(results), status=status, content_type="application/json")
    add_never_cache_headers(response)
    response["X-Content-Type-Options"] = "nosniff"
    # Django's request log would write the 503 as a server error (and mail it to ADMINS).
    response._has_been_logged = True
    return response


class HealthCheckMiddleware:
    """Answers GET/HEAD /healthz before any other middleware (host check, https redirect, session,
    locale, login throttling) sees the request."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.path_info == PATH and request.method in ("GET", "HEAD"):
            return healthz(request)
        return self.get_response(request)
