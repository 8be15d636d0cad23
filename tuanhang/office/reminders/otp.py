"""One-time codes by Zalo ZNS (issue 18): the vendors app's phone log-in asks through the hook
vendors.hooks.otp_zalo_send; this module answers it with the ZNS client and the OA token the
reminders already keep alive (a refused token is refreshed once, as for reminders)."""

import dataclasses
import secrets

from vendors.otp_channels import ChannelFailed

from . import zalo
from .channels import ZnsRequest, _ZnsRelease, zns_settings
from .smtp import PermanentFailure, TemporaryFailure, Unconfirmed


def otp_send_by_zalo(phone: str, code: str, *, template_id: str, ttl_minutes: int) -> str:
    """Send `code` with the ZNS OTP template; the ZNS message id, or "unconfirmed: …" when the
    request went out without an answer. ChannelFailed when nothing was sent."""
    # The reminders' switch (ZALO_ZNS_ENABLED) is about reminders; a code is sent when asked for.
    config = dataclasses.replace(zns_settings(), enabled=True)
    if config.backend != "logging" and not (config.endpoint and zalo.zalo_token_usable()):
        raise ChannelFailed("zalo: ZNS endpoint or OA access token missing")
    request = ZnsRequest(
        phone=phone.lstrip("+"),
        template_id=template_id,
        template_data={"otp": code},
        tracking_id=f"otp-{secrets.token_hex(8)}",
    )
    try:
        return _ZnsRelease(config, request).release()
    except Unconfirmed as exc:
        return f"unconfirmed: {exc}"[:255]
    except (TemporaryFailure, PermanentFailure) as exc:
        raise ChannelFailed(f"zalo: {exc}") from exc
