"""Production hardening: what `check --deploy` says and what a browser receives with DEBUG off."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.test import Client

ROOT = Path(__file__).resolve().parent.parent
PRODUCTION = {
    "DEBUG": "off",
    "SECRET_KEY": "k3Q9-production-like-secret-0b7e5a1c9d2f4e6a8b0c1d3e5f7a9b1c3d5e7f9a1b3c5d7e9f",
    "ALLOWED_HOSTS": "hoicho.example.vn",
    "CSRF_TRUSTED_ORIGINS": "https://hoicho.example.vn",
}
# What the login page's response carries, read in a separate process started with production settings.
HEADERS_SCRIPT = """
import json, django
django.setup()
from django.test import Client
response = Client().get("/account/login/", secure=True, HTTP_HOST="hoicho.example.vn")
cookies = {name: {"secure": bool(c["secure"]), "httponly": bool(c["httponly"]), "samesite": c["samesite"]}
           for name, c in response.cookies.items()}
plain = Client().get("/account/login/", HTTP_HOST="hoicho.example.vn")
print(json.dumps({"status": response.status_code, "headers": dict(response.headers), "cookies": cookies,
                  "plain_status": plain.status_code, "plain_location": plain.headers.get("Location")}))
"""


def _production(tmp_path, *args):
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "PYTEST_"))}
    env.update(PRODUCTION, DJANGO_SETTINGS_MODULE="tuanhang.settings", TUANHANG_VAR_DIR=str(tmp_path))
    env["STATIC_ROOT"] = str(tmp_path / "static")
    return subprocess.run([sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)


def test_check_deploy_reports_nothing_with_production_settings(tmp_path):
    result = _production(tmp_path, "manage.py", "check", "--deploy", "--fail-level", "WARNING")

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues (0 silenced)." in result.stdout


def test_production_responses_carry_the_security_headers(tmp_path):
    collected = _production(tmp_path, "manage.py", "collectstatic", "--noinput", "-v", "0")
    assert collected.returncode == 0, collected.stderr
    result = _production(tmp_path, "-c", HEADERS_SCRIPT)
    assert result.returncode == 0, result.stderr
    seen = json.loads(result.stdout.strip().splitlines()[-1])
    headers = {key.lower(): value for key, value in seen["headers"].items()}

    assert seen["status"] == 200
    assert headers["strict-transport-security"] == "max-age=31536000; includeSubDomains; preload"
    assert headers["referrer-policy"] == "same-origin"
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["x-frame-options"] == "DENY"
    assert headers["cross-origin-opener-policy"] == "same-origin"
    policy = dict(part.strip().split(" ", 1) for part in headers["content-security-policy"].split(";"))
    assert policy["script-src"] == "'self'"
    assert policy["style-src"] == "'self'"
    assert policy["object-src"] == "'none'"
    assert policy["frame-ancestors"] == "'none'"
    assert "unsafe-inline" not in headers["content-security-policy"]
    assert seen["cookies"]["csrftoken"]["secure"] is True
    # Plain http is sent to https.
    assert seen["plain_status"] == 301
    assert seen["plain_location"] == "https://hoicho.example.vn/account/login/"


@pytest.mark.django_db
def test_every_page_of_the_embedded_default_carries_the_policy_too(client: Client):
    response = client.get("/account/login/")

    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    assert "unsafe-inline" not in response.headers["Content-Security-Policy"]
