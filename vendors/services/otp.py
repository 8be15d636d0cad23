"""Identity by phone number (issue 18): one-time codes and the account a verified phone logs in to.

otp_request sends a 6-digit code (from `secrets`) to a phone through the configured channel
(vendors.otp_channels). Only an HMAC-SHA256 of the code (keyed with SECRET_KEY, with the phone in
the message) is stored; a code lives OTP_TTL_SECONDS, takes OTP_MAX_ATTEMPTS tries, and only the
newest code of a phone works. Limits, each a counter row incremented with one
INSERT … ON CONFLICT DO UPDATE inside the request's transaction (the row stays locked until the
commit, so two requests sharing a key are serialised, and a refusal rolls every increment back):
a phone waits OTP_PHONE_WAIT_SECONDS between codes and gets OTP_PHONE_PER_HOUR an hour; an address
OTP_ADDRESS_PER_HOUR (high: a carrier puts many phones behind one address); the installation
OTP_DAILY_CAP a day (each message costs money). The counters are taken in that order, always.

Nothing here looks at accounts before the code is verified: a phone with an account and one
without get the same code, the same answers and the same refusals.
"""

import hashlib
import hmac
import logging
import secrets
from datetime import UTC, timedelta

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import IntegrityError, connection, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from ..models import OneTimeCode, OtpQuota, PhoneIdentity
from ..otp_channels import ChannelFailed, current_channel

logger = logging.getLogger(__name__)
User = get_user_model()

CODE_DIGITS = 6


class OtpRefused(Exception):
    """No code was sent. `code`: "off", "wait", "phone_hour", "address", "daily_cap", "channel"."""

    def __init__(self, message: str, code: str, wait_seconds: int = 0):
        super().__init__(message)
        self.message, self.code, self.wait_seconds = message, code, wait_seconds


class OtpInvalid(Exception):
    """The code was not accepted. `code`: "expired" (none alive), "wrong", "too_many"."""

    def __init__(self, message: str, code: str):
        super().__init__(message)
        self.message, self.code = message, code


def code_digest(phone: str, code: str) -> str:
    """What is stored of a code: HMAC-SHA256 keyed with SECRET_KEY over the phone and the code."""
    return hmac.new(settings.SECRET_KEY.encode(), f"otp:{phone}:{code}".encode(), hashlib.sha256).hexdigest()


def _new_code() -> str:
    return f"{secrets.randbelow(10**CODE_DIGITS):0{CODE_DIGITS}d}"


def quota_take(key: str, window: str, limit: int) -> bool:
    """Count one more use of `key` in `window`; False when that passes `limit`. The counter row
    stays locked until the caller's transaction ends (the concurrency test's control replaces this
    function by a read-then-write)."""
    table = connection.ops.quote_name(OtpQuota._meta.db_table)
    key_c, window_c, count_c = (connection.ops.quote_name(name) for name in ("key", "window", "count"))
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({key_c}, {window_c}, {count_c}) VALUES (%s, %s, 1) "  # noqa: S608 (names only)
            f"ON CONFLICT ({key_c}, {window_c}) DO UPDATE SET {count_c} = {table}.{count_c} + 1 RETURNING {count_c}",
            [key[:80], window],
        )
        (count,) = cursor.fetchone()
    return count <= limit


def _quota_give_back(keys: list[tuple[str, str]]) -> None:
    """Undo quota_take for a code that was not sent after all."""
    for key, window in keys:
        OtpQuota.objects.filter(key=key[:80], window=window, count__gt=0).update(count=F("count") - 1)


def _quota_keys(phone: str, address: str | None, now) -> list[tuple[str, str, int, str]]:
    """(key, window, limit, refusal code) in the one order every request takes them."""
    hour = now.astimezone(UTC).strftime("%Y%m%d%H")
    day = timezone.localtime(now).strftime("%Y-%m-%d")
    keys = [(f"phone:{phone}", hour, settings.OTP_PHONE_PER_HOUR, "phone_hour")]
    if address:
        keys.append((f"address:{address}", hour, settings.OTP_ADDRESS_PER_HOUR, "address"))
    keys.append(("day", day, settings.OTP_DAILY_CAP, "daily_cap"))
    return keys


def _refusal(code: str, wait_seconds: int = 0) -> OtpRefused:
    email = _("You can also sign up or log in with an e-mail address.")
    messages = {
        "off": _("Logging in by phone is not available on this site. Please sign up or log in with an e-mail address."),
        "wait": ngettext(
            "A code was sent to this number a moment ago. Enter it below, or ask for a new one in %(seconds)d second.",
            "A code was sent to this number a moment ago. Enter it below, or ask for a new one in %(seconds)d seconds.",
            wait_seconds,
        )
        % {"seconds": wait_seconds},
        "phone_hour": _("Too many codes were asked for this number in the last hour. Please try again later.")
        + " "
        + email,
        "address": _("Too many codes were asked from your network in the last hour. Please try again later.")
        + " "
        + email,
        "daily_cap": _(
            "Today's sign-in codes by text message have run out. Please sign up or log in with an e-mail address, "
            "or try again tomorrow."
        ),
        "channel": _("We could not send the code just now. Please try again in a minute.") + " " + email,
    }
    return OtpRefused(messages[code], code, wait_seconds)


def otp_request(*, phone: str, address: str | None = None, now=None) -> OneTimeCode:
    """Send a new one-time code to `phone` (E.164) and return its record (the code itself is not in it).

    Raises OtpRefused (nothing sent, nothing counted) when phone log-in is off, a limit is reached
    or the channel failed before the message was out. Earlier codes of the phone stop working. A
    channel that got the request but gave no answer counts as sent: nothing is sent again by itself."""
    channel = current_channel()
    if channel is None:
        raise _refusal("off")
    now = now or timezone.now()
    keys = _quota_keys(phone, address, now)
    code = _new_code()
    with transaction.atomic():
        for position, (key, window, limit, refusal) in enumerate(keys):
            if not quota_take(key, window, limit):
                raise _refusal(refusal)
            if position == 0:
                # The phone's counter row is locked now: the newest code cannot change under us.
                latest = OneTimeCode.objects.filter(phone=phone).order_by("-created_at", "-id").first()
                wait = timedelta(seconds=settings.OTP_PHONE_WAIT_SECONDS)
                if latest is not None and latest.created_at + wait > now:
                    seconds = int((latest.created_at + wait - now).total_seconds()) + 1
                    raise _refusal("wait", seconds)
        OneTimeCode.objects.filter(phone=phone, used_at__isnull=True, expires_at__gt=now).update(expires_at=now)
        record = OneTimeCode.objects.create(
            phone=phone,
            code_hash=code_digest(phone, code),
            created_at=now,
            expires_at=now + timedelta(seconds=settings.OTP_TTL_SECONDS),
            channel=channel.name,
        )
    try:
        reply = channel.send_code(phone, code)
    except ChannelFailed as exc:
        logger.error("One-time code to %s not sent: %s", phone, exc)
        with transaction.atomic():
            record.delete()
            _quota_give_back([(key, window) for key, window, _limit, _refusal_code in keys])
        raise _refusal("channel") from exc
    if reply.startswith("unconfirmed"):
        logger.warning("One-time code to %s: %s", phone, reply)
    record.channel_reply = reply[:255]
    record.save(update_fields=["channel_reply"])
    return record


def otp_verify(*, phone: str, code: str, now=None) -> OneTimeCode:
    """Accept `code` for `phone` once: marks the newest live code used and returns it.

    Raises OtpInvalid: "expired" (no live code: expired, used, replaced or never asked), "wrong"
    (the try is counted), "too_many" (OTP_MAX_ATTEMPTS tries spent: ask for a new code)."""
    now = now or timezone.now()
    code = (code or "").strip()
    error = None
    with transaction.atomic():
        record = (
            OneTimeCode.objects.select_for_update()
            .filter(phone=phone, used_at__isnull=True)
            .order_by("-created_at", "-id")
            .first()
        )
        if record is None or record.expires_at <= now:
            error = OtpInvalid(
                _("This code has expired or was replaced by a newer one. Ask for a new code."), "expired"
            )
        elif record.attempts >= settings.OTP_MAX_ATTEMPTS:
            error = _too_many()
        else:
            record.attempts += 1
            if hmac.compare_digest(record.code_hash, code_digest(phone, code)):
                record.used_at = now
                record.save(update_fields=["attempts", "used_at"])
            else:
                record.save(update_fields=["attempts"])  # the failed try counts even though we refuse
                left = settings.OTP_MAX_ATTEMPTS - record.attempts
                error = _too_many() if left <= 0 else _wrong(left)
    if error is not None:
        raise error
    return record


def _too_many() -> OtpInvalid:
    return OtpInvalid(_("Too many wrong tries for this code. Ask for a new code."), "too_many")


def _wrong(left: int) -> OtpInvalid:
    return OtpInvalid(
        ngettext(
            "This code is not correct. You have %(left)d more try.",
            "This code is not correct. You have %(left)d more tries.",
            left,
        )
        % {"left": left},
        "wrong",
    )


def otp_purge(*, now=None) -> tuple[int, int]:
    """Delete what the limits no longer read (periodic, vendors.otp_purge; safe to run twice).

    Codes: those expired (used, replaced or timed out: otp_verify only reads a live one) and made
    longer ago than OTP_PHONE_WAIT_SECONDS (the wait between codes reads the newest). Counters:
    the hour windows before the previous hour and the day windows before yesterday (requests
    only count in the current window; the previous one is kept for a request that read the clock
    just before the turn). Returns (codes deleted, counter rows deleted)."""
    now = now or timezone.now()
    wait = timedelta(seconds=settings.OTP_PHONE_WAIT_SECONDS)
    last_hour = (now - timedelta(hours=1)).astimezone(UTC).strftime("%Y%m%d%H")
    yesterday = (timezone.localtime(now) - timedelta(days=1)).strftime("%Y-%m-%d")
    with transaction.atomic():
        codes, _ = OneTimeCode.objects.filter(expires_at__lte=now, created_at__lte=now - wait).delete()
        hourly, _ = OtpQuota.objects.exclude(key="day").filter(window__lt=last_hour).delete()
        daily, _ = OtpQuota.objects.filter(key="day", window__lt=yesterday).delete()
    return codes, hourly + daily


def _free_username(phone: str) -> str:
    """The phone itself (an e-mail username always has an @, so the two never meet); a suffix in
    the unlikely case someone already took it as a plain username."""
    username = phone
    while User._default_manager.filter(username__iexact=username).exists():
        username = f"{phone}-{secrets.token_hex(3)}"
    return username


def phone_account_login(*, phone: str, consent_version: str, consent_at=None, now=None):
    """The account of a phone whose code was just verified (otp_verify), created for a new phone
    (no password, no e-mail: both can be added later). Records the consent to the processing of
    personal data with the version of the text shown. Returns the user; the view logs it in."""
    now = now or timezone.now()
    consent_at = consent_at or now
    with transaction.atomic():
        identity = PhoneIdentity.objects.select_for_update().select_related("user").filter(phone=phone).first()
        if identity is None:
            try:
                with transaction.atomic():
                    user = User._default_manager.create_user(username=_free_username(phone))
                    identity = PhoneIdentity.objects.create(
                        user=user, phone=phone, verified_at=now, consent_version=consent_version, consent_at=consent_at
                    )
                return user
            except IntegrityError:  # the same phone was verified a moment ago in another request
                identity = PhoneIdentity.objects.select_for_update().select_related("user").get(phone=phone)
        identity.verified_at = now
        identity.consent_version, identity.consent_at = consent_version, consent_at
        identity.save(update_fields=["verified_at", "consent_version", "consent_at"])
    return identity.user
