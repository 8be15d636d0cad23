"""The one-time code limits hold when requests arrive together (issue 18), on PostgreSQL: the
counter rows are taken with INSERT … ON CONFLICT DO UPDATE, whose row lock lasts until the
request's transaction ends. Each test has a control that replaces quota_take with a read, a
pause and a write (no lock): then the limit is passed, which shows the test can see the race."""

import threading

import pytest
from django.db import connection

from vendors.models import OneTimeCode, OtpQuota
from vendors.services import otp

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _unlocked_take(barrier, real, *, write: bool):
    """quota_take without its lock: read the count, wait for the other request, then (for a
    counting limit) write. Without `write` nothing holds the phone's row during the wait check."""

    def take(key, window, limit):
        seen = OtpQuota.objects.filter(key=key[:80], window=window).values_list("count", flat=True).first() or 0
        barrier.wait(timeout=10)  # both requests have read the count before either writes
        if write:
            real(key, window, limit)
        return seen + 1 <= limit  # decided on what was read, as code without the lock would

    return take


def _together(monkeypatch, phones, *, locked: bool):
    barrier = threading.Barrier(len(phones))
    real = otp.quota_take
    if locked:
        # Only the first contested counter waits: the phone's when the phones are the same, else the day's.
        contested = f"phone:{phones[0]}" if len(set(phones)) == 1 else "day"

        def take(key, window, limit):
            if key == contested:
                barrier.wait(timeout=10)
            return real(key, window, limit)

        monkeypatch.setattr(otp, "quota_take", take)
    else:
        contested = f"phone:{phones[0]}" if len(set(phones)) == 1 else "day"
        unlocked = _unlocked_take(barrier, real, write=contested == "day")
        monkeypatch.setattr(
            otp, "quota_take", lambda key, window, limit: (unlocked if key == contested else real)(key, window, limit)
        )
    outcomes = []

    def run(phone):
        try:
            otp.otp_request(phone=phone)
            outcomes.append("sent")
        except otp.OtpRefused as refusal:
            outcomes.append(refusal.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(phone,)) for phone in phones]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    return sorted(outcomes)


@pytest.mark.parametrize("locked", [True, False], ids=["locked", "control-without-lock"])
def test_two_requests_for_one_phone_at_once_send_one_code(monkeypatch, settings, on_postgres, locked):
    settings.OTP_BACKEND = "console"
    outcomes = _together(monkeypatch, ["+84912345678", "+84912345678"], locked=locked)
    if locked:
        assert outcomes == ["sent", "wait"] and OneTimeCode.objects.count() == 1
    else:
        assert outcomes == ["sent", "sent"] and OneTimeCode.objects.count() == 2


@pytest.mark.parametrize("locked", [True, False], ids=["locked", "control-without-lock"])
def test_the_daily_cap_holds_for_requests_at_once(monkeypatch, settings, on_postgres, locked):
    settings.OTP_BACKEND, settings.OTP_DAILY_CAP = "console", 1
    outcomes = _together(monkeypatch, ["+84912345678", "+84987654321"], locked=locked)
    if locked:
        assert outcomes == ["daily_cap", "sent"]
    else:
        assert outcomes == ["sent", "sent"]
