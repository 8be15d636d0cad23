"""Settings from the environment, production refusal without a key, Vietnamese formats."""

import datetime
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django import forms
from django.conf import settings
from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils import formats, translation

ROOT = Path(__file__).resolve().parent.parent
SETUP = "import django; django.setup(); from django.conf import settings; print(settings.DEBUG)"


def _django_setup(tmp_path, **env_overrides):
    env = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "PYTEST_"))}
    env.update(DJANGO_SETTINGS_MODULE="tuanhang.settings", TUANHANG_VAR_DIR=str(tmp_path), **env_overrides)
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings; print(settings.DEBUG)",
        ],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_settings_debug_off_without_secret_key_refuses_to_start(tmp_path):
    # An empty SECRET_KEY in the environment also stops a developer's .env from supplying one.
    result = _django_setup(tmp_path, DEBUG="off", SECRET_KEY="")
    assert result.returncode == 1
    assert "django.core.exceptions.ImproperlyConfigured: SECRET_KEY must be set when DEBUG is off." in result.stderr
    assert not (tmp_path / "secret_key").exists()


def test_settings_debug_off_with_secret_key_starts(tmp_path):
    result = _django_setup(tmp_path, DEBUG="off", SECRET_KEY="a-production-key-from-the-environment")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


def test_settings_debug_on_generates_dev_key_in_var_dir(tmp_path):
    result = _django_setup(tmp_path, DEBUG="on", SECRET_KEY="")
    assert result.returncode == 0, result.stderr
    assert len((tmp_path / "secret_key").read_text()) >= 50


def test_vietnamese_date_field_parses_day_first():
    with translation.override("vi"):
        assert forms.DateField().clean("05/03/2024") == datetime.date(2024, 3, 5)
        assert forms.DateTimeField().clean("05/03/2024 14:30").strftime("%d.%m.%Y %H:%M") == "05.03.2024 14:30"


def test_vietnamese_numbers_grouped_by_thousands():
    with translation.override("vi"):
        assert intcomma(1500000) == "1.500.000"
        assert formats.number_format(1500000, force_grouping=True) == "1.500.000"


def test_vietnamese_short_date_format_and_week_start():
    with translation.override("vi"):
        assert formats.date_format(datetime.date(2024, 3, 5), "SHORT_DATE_FORMAT") == "05/03/2024"
        assert formats.get_format("FIRST_DAY_OF_WEEK") == 1


def test_english_interface_keeps_vietnamese_dates_and_24_hour_times():
    with translation.override("en"):
        assert forms.DateField().clean("31/03/2027") == datetime.date(2027, 3, 31)
        assert forms.DateField().clean("05/03/2024") == datetime.date(2024, 3, 5)
        assert forms.TimeField().clean("17:00") == datetime.time(17, 0)
        assert formats.date_format(datetime.date(2024, 3, 5), "SHORT_DATE_FORMAT") == "05/03/2024"
        assert formats.date_format(datetime.date(2024, 3, 5)) == "5 March 2024"
        assert formats.get_format("FIRST_DAY_OF_WEEK") == 1


def test_settings_language_and_time_zone():
    assert settings.LANGUAGE_CODE == "vi"
    assert settings.TIME_ZONE == "Asia/Ho_Chi_Minh"
    assert [code for code, _name in settings.LANGUAGES] == ["vi", "en"]


@pytest.mark.parametrize("document", [".env.example", "README.md"])
def test_settings_every_environment_variable_documented(document):
    read = set(re.findall(r'env(?:\.\w+)?\("([A-Z_]+)"', (ROOT / "tuanhang" / "settings.py").read_text()))
    text = (ROOT / document).read_text()
    assert {"SECRET_KEY", "DATABASE_URL", "REDIS_URL"} <= read
    assert sorted(name for name in read if not re.search(rf"\b{name}\b", text)) == []


SITE_URL_PRINT = "import django; django.setup(); from django.conf import settings; print(settings.SITE_URL)"


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"DEBUG": "on", "PORT": "8123"}, "http://127.0.0.1:8123"),
        ({"DEBUG": "on", "HOST": "0.0.0.0", "PORT": "8123"}, "http://127.0.0.1:8123"),  # noqa: S104
        ({"DEBUG": "on", "PORT": "8123", "SITE_URL": "https://hoicho.example.vn/"}, "https://hoicho.example.vn"),
        ({"DEBUG": "off", "SECRET_KEY": "k", "PORT": "8123"}, "http://127.0.0.1:8000"),
    ],
)
def test_settings_site_url_follows_port_in_development(tmp_path, env, expected):
    base = {key: value for key, value in os.environ.items() if not key.startswith(("DJANGO_", "PYTEST_"))}
    for key in ("SITE_URL", "HOST", "PORT"):
        base.pop(key, None)
    base.update(DJANGO_SETTINGS_MODULE="tuanhang.settings", TUANHANG_VAR_DIR=str(tmp_path), **env)
    result = subprocess.run(
        [sys.executable, "-c", SITE_URL_PRINT], cwd=ROOT, env=base, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == expected
