"""Purging one-time codes and their counters (issue 18 leftovers): the hourly job deletes expired
codes and old counter windows, and keeps what the wait, the per-phone limit and the daily cap
still read, so a purge between two requests changes no answer."""

import datetime as dt

import pytest
from django.conf import settings

from vendors.models import OneTimeCode, OtpQuota
from vendors.services import otp
from vendors.tasks import purge_one_time_codes

pytestmark = pytest.mark.django_db

# 10:30 UTC is 17:30 in Hà Nội: the hour window "2025031410", the day "2025-03-14".
NOW = dt.datetime(2025, 3, 14, 10, 30, tzinfo=dt.UTC)
PHONE, OTHER, THIRD = "+84912345678", "+84987654321", "+84901234567"


@pytest.fixture
def console(settings):
    settings.OTP_BACKEND = "console"
    settings.OTP_TTL_SECONDS = 300
    settings.OTP_PHONE_WAIT_SECONDS = 60
    return settings


def _code(phone, *, made, expires, used=None):
    return OneTimeCode.objects.create(
        phone=phone, code_hash="x" * 64, created_at=NOW + made, expires_at=NOW + expires, used_at=used
    )


def test_purge_deletes_expired_codes_and_old_windows_and_keeps_the_rest(console):
    minutes = dt.timedelta(minutes=1)
    old = _code(PHONE, made=-120 * minutes, expires=-115 * minutes)
    used = _code(OTHER, made=-10 * minutes, expires=-5 * minutes, used=NOW - 9 * minutes)
    replaced_just_now = _code(THIRD, made=-0.5 * minutes, expires=-0.1 * minutes)  # the wait still reads it
    alive = _code(PHONE, made=-1 * minutes, expires=4 * minutes)
    for key, window in [
        (f"phone:{PHONE}", "2025031410"),  # this hour
        (f"phone:{PHONE}", "2025031409"),  # the previous hour
        (f"phone:{PHONE}", "2025031408"),
        ("address:203.0.113.5", "2025031301"),
        ("day", "2025-03-14"),
        ("day", "2025-03-13"),
        ("day", "2025-03-12"),
    ]:
        OtpQuota.objects.create(key=key, window=window, count=3)

    assert otp.otp_purge(now=NOW) == (2, 3)

    assert set(OneTimeCode.objects.values_list("pk", flat=True)) == {replaced_just_now.pk, alive.pk}
    assert not OneTimeCode.objects.filter(pk__in=[old.pk, used.pk]).exists()
    assert sorted(OtpQuota.objects.values_list("key", "window")) == [
        ("day", "2025-03-13"),
        ("day", "2025-03-14"),
        (f"phone:{PHONE}", "2025031409"),
        (f"phone:{PHONE}", "2025031410"),
    ]
    assert otp.otp_purge(now=NOW) == (0, 0)  # safe to run twice


def test_limits_answer_the_same_after_a_purge(console):
    console.OTP_PHONE_WAIT_SECONDS = 0
    console.OTP_PHONE_PER_HOUR = 2
    console.OTP_DAILY_CAP = 3
    second = dt.timedelta(seconds=1)
    otp.otp_request(phone=PHONE, now=NOW)
    otp.otp_request(phone=PHONE, now=NOW + second)
    otp.otp_purge(now=NOW + 2 * second)

    with pytest.raises(otp.OtpRefused) as per_phone:
        otp.otp_request(phone=PHONE, now=NOW + 3 * second)
    otp.otp_request(phone=OTHER, now=NOW + 4 * second)
    otp.otp_purge(now=NOW + 5 * second)
    with pytest.raises(otp.OtpRefused) as daily:
        otp.otp_request(phone=THIRD, now=NOW + 6 * second)

    assert (per_phone.value.code, daily.value.code) == ("phone_hour", "daily_cap")


def test_the_wait_between_codes_holds_after_a_purge_even_for_an_expired_code(console):
    console.OTP_TTL_SECONDS = 1
    otp.otp_request(phone=PHONE, now=NOW)
    otp.otp_purge(now=NOW + dt.timedelta(seconds=5))  # the code has expired, the wait has not passed

    with pytest.raises(otp.OtpRefused) as refused:
        otp.otp_request(phone=PHONE, now=NOW + dt.timedelta(seconds=10))

    assert refused.value.code == "wait"


def test_the_purge_runs_hourly_from_the_beat_schedule(console):
    entries = [e for e in settings.CELERY_BEAT_SCHEDULE.values() if e["task"] == "vendors.otp_purge"]
    _code(PHONE, made=-dt.timedelta(days=2), expires=-dt.timedelta(days=2) + dt.timedelta(minutes=5))

    assert purge_one_time_codes() == 1

    assert len(entries) == 1
    assert entries[0]["schedule"].minute == {7} and len(entries[0]["schedule"].hour) == 24
