"""The Zalo Official Account's token pair, kept alive (issue 17).

An OA access token lives about 25 hours; the refresh token that comes with it works ONCE and
lasts about three months. Refreshing therefore happens under the token row's lock
(SELECT … FOR UPDATE) and stores the new pair in the same transaction, so two workers never
spend the same refresh token (Zalo would refuse the second, and the second worker would
overwrite the good pair with nothing). The beat job refreshes ahead of expiry; the ZNS channel
refreshes once more when ZNS answers "access token invalid".

Refresh = POST https://oauth.zaloapp.com/v4/oa/access_token, form refresh_token, app_id,
grant_type=refresh_token, header secret_key; answer {"access_token", "refresh_token",
"expires_in": "90000"} (a string, sometimes a number) or {"error": -14014, "error_name",
"error_description"}.

Call the refresh functions outside any transaction of the caller: the new pair must be committed
as soon as Zalo has issued it (an outer rollback would lose it, and the old refresh token is dead).
"""

import contextlib
import json
import logging
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .models import ZaloToken

logger = logging.getLogger(__name__)

# Refresh when the access token expires within this margin (the beat job runs every 30 minutes).
REFRESH_MARGIN = timedelta(hours=1)
# Zalo does not say how long a refresh token lasts in its answer; its documentation says 3 months.
REFRESH_TOKEN_LIFETIME = timedelta(days=90)
# The admin warns when the refresh token expires within this: someone must authorise the app again.
REFRESH_TOKEN_WARNING = timedelta(days=14)


class ZaloRefreshError(Exception):
    """The refresh failed; the old pair is kept and the error is stored on the token row."""


@dataclass(frozen=True)
class Refresh:
    outcome: str  # "refreshed", "fresh" (nothing to do), "refreshed by another", "no token"
    token: ZaloToken | None


def zalo_token() -> ZaloToken | None:
    """The installation's token row, created from ZALO_ZNS_ACCESS_TOKEN / ZALO_ZNS_REFRESH_TOKEN
    the first time when those settings are given (the seed; afterwards the database wins)."""
    token = ZaloToken.objects.filter(pk=ZaloToken.SINGLETON).first()
    if token is not None:
        return token
    access = getattr(settings, "ZALO_ZNS_ACCESS_TOKEN", "")
    refresh = getattr(settings, "ZALO_ZNS_REFRESH_TOKEN", "")
    if not (access or refresh):
        return None
    token, _created = ZaloToken.objects.get_or_create(
        pk=ZaloToken.SINGLETON, defaults={"access_token": access, "refresh_token": refresh}
    )
    return token


def zalo_token_set(*, access_token: str, refresh_token: str, expires_in: int | None = None) -> ZaloToken:
    """Store a pair obtained by hand (the OA authorised the app again): replaces the old pair,
    clears the last error. Without expires_in the access token's expiry is unknown and the next
    beat run refreshes it, which tells."""
    now = timezone.now()
    with transaction.atomic():
        token, _created = ZaloToken.objects.select_for_update().get_or_create(pk=ZaloToken.SINGLETON)
        token.access_token, token.refresh_token = access_token.strip(), refresh_token.strip()
        token.access_expires_at = now + timedelta(seconds=expires_in) if expires_in else None
        token.refresh_expires_at = now + REFRESH_TOKEN_LIFETIME if token.refresh_token else None
        token.last_error, token.last_error_at = "", None
        token.save()
    return token


def _lock_token():
    """The token row, locked until the end of the transaction (the concurrency test's control
    replaces this function by an unlocked read)."""
    return ZaloToken.objects.select_for_update().filter(pk=ZaloToken.SINGLETON).first()


def zalo_token_refresh(*, force: bool = False, stale: str | None = None, margin: timedelta = REFRESH_MARGIN) -> Refresh:
    """Refresh the access token when it expires within `margin` (or is of unknown expiry), or
    when `force`, or when it is still `stale` (the token ZNS just refused). Under the row lock, so
    a second caller waits and then finds the new pair. Stores the new pair and the refresh time,
    or the error (old pair kept, ZaloRefreshError raised)."""
    zalo_token()  # the seed from the settings, if any
    now = timezone.now()
    error = None
    with transaction.atomic():
        token = _lock_token()
        if token is None or not token.refresh_token:
            return Refresh("no token", token)
        if stale is not None and token.access_token != stale:
            return Refresh("refreshed by another", token)
        due = token.access_expires_at is None or token.access_expires_at <= now + margin
        if not (force or due or stale is not None):
            return Refresh("fresh", token)
        try:
            answer = _call_oauth(token.refresh_token)
        except ZaloRefreshError as exc:
            error = exc
            token.last_error, token.last_error_at = str(exc)[:2000], now
            token.save(update_fields=["last_error", "last_error_at", "updated_at"])
        else:
            token.access_token = answer["access_token"]
            token.refresh_token = answer["refresh_token"]
            token.access_expires_at = now + timedelta(seconds=answer["expires_in"])
            token.refresh_expires_at = now + timedelta(seconds=answer["refresh_expires_in"])
            token.refreshed_at = now
            token.last_error, token.last_error_at = "", None
            token.save()
    if error is not None:
        logger.error("Zalo OA token refresh failed: %s", error)
        raise error
    logger.info("Zalo OA token refreshed; the access token expires at %s", token.access_expires_at)
    return Refresh("refreshed", token)


def _seconds(value, default: int) -> int:
    try:
        seconds = int(str(value).strip())
    except (TypeError, ValueError):
        return default
    return seconds if seconds > 0 else default


def _call_oauth(refresh_token: str) -> dict:
    """POST the refresh to Zalo's OAuth endpoint; the new pair and lifetimes, or ZaloRefreshError."""
    app_id = getattr(settings, "ZALO_APP_ID", "")
    secret = getattr(settings, "ZALO_APP_SECRET", "")
    if not (app_id and secret):
        raise ZaloRefreshError("ZALO_APP_ID or ZALO_APP_SECRET is not set")
    body = urllib.parse.urlencode(
        {"refresh_token": refresh_token, "app_id": app_id, "grant_type": "refresh_token"}
    ).encode()
    request = urllib.request.Request(  # noqa: S310 (the configured https endpoint)
        settings.ZALO_OAUTH_TOKEN_URL,
        data=body,
        headers={"Content-Type": "application/x-www-form-urlencoded", "secret_key": secret},
        method="POST",
    )
    timeout = getattr(settings, "ZALO_ZNS_TIMEOUT", 10)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310
            raw = response.read()
    except urllib.error.HTTPError as exc:
        raw = exc.read()
    except (urllib.error.URLError, OSError) as exc:
        raise ZaloRefreshError(f"Zalo OAuth unreachable: {type(exc).__name__}: {exc}") from exc
    try:
        answer = json.loads(raw.decode() or "{}")
    except ValueError as exc:
        raise ZaloRefreshError(f"Zalo OAuth answered something that is not JSON: {raw[:200]!r}") from exc
    if not isinstance(answer, dict):
        raise ZaloRefreshError(f"Zalo OAuth answered {answer!r}"[:500])
    if answer.get("error") or not (answer.get("access_token") and answer.get("refresh_token")):
        name = answer.get("error_name") or ""
        description = answer.get("error_description") or answer.get("message") or ""
        raise ZaloRefreshError(f"Zalo OAuth error {answer.get('error', '?')}: {name} {description}".strip()[:500])
    return {
        "access_token": str(answer["access_token"]),
        "refresh_token": str(answer["refresh_token"]),
        "expires_in": _seconds(answer.get("expires_in"), 3600),
        "refresh_expires_in": _seconds(
            answer.get("refresh_token_expires_in"), int(REFRESH_TOKEN_LIFETIME.total_seconds())
        ),
    }


def refresh_token_expires_soon(token: ZaloToken | None) -> bool:
    """Whether someone must authorise the app again soon (the admin shows a warning)."""
    if token is None or not token.refresh_token or token.refresh_expires_at is None:
        return False
    return token.refresh_expires_at <= timezone.now() + REFRESH_TOKEN_WARNING


def zalo_token_usable() -> bool:
    """Whether there is an access token to send with (or a refresh token to get one)."""
    token = zalo_token()
    return token is not None and bool(token.access_token or token.refresh_token)


def zalo_token_for_sending() -> str:
    """The access token to send with now. One known to have expired (the beat job was down) is
    refreshed first; a failed refresh leaves the old one, which ZNS then refuses with a clear error."""
    token = zalo_token()
    if token is None:
        return ""
    expired = token.access_expires_at is not None and token.access_expires_at <= timezone.now()
    if token.refresh_token and (expired or not token.access_token):
        # A failure is stored on the row; the send then fails with ZNS's own word for it.
        with contextlib.suppress(ZaloRefreshError):
            token = zalo_token_refresh(margin=timedelta(0)).token or token
    return token.access_token
