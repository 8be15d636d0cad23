"""Run by tests/test_error_reporting.py in its own process, with SENTRY_DSN in the environment, so
that settings initialise Sentry exactly as in production: one failing request, then a flush."""

import os
import sys

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tuanhang.settings")
django.setup()

import sentry_sdk  # noqa: E402
from django.test import Client, override_settings  # noqa: E402

if os.environ.get("PROBE_CONTROL_WITH_PII"):
    # The control: the same request with personal data allowed, to show the test sees it when sent.
    from tuanhang.kernel.monitoring import init_sentry  # noqa: E402

    init_sentry(os.environ["SENTRY_DSN"], environment="test", release="probe")
    sentry_sdk.get_client().options["send_default_pii"] = True

with override_settings(ROOT_URLCONF="tests.error_reporting_urls", ALLOWED_HOSTS=["testserver"]):
    client = Client(raise_request_exception=False)
    client.cookies["sessionid"] = "session-secret-456"
    client.cookies["tuanhang_pref"] = "cookie-secret-123"
    status = client.get("/boom/", HTTP_USER_AGENT="probe").status_code
sentry_sdk.flush(timeout=10)
sys.stdout.write(f"status={status}\n")
