"""The channels a message can go through, behind one interface.

    release = channel.prepare(outgoing)   # everything that can fail without sending anything
    ...record the message as sent and commit...
    reply = release.release()             # the point of no return, then the channel's answer

- EmailChannel: always there. HTML + plain text through Django's e-mail backend. With the SMTP
  backend it goes in two steps (reminders.smtp); with any other backend (console, locmem, file,
  an e-mail service's backend) the whole send happens in release().
- ZaloZnsChannel: optional (ZALO_ZNS_ENABLED). POSTs a pre-approved template and its data to the
  ZNS endpoint with the Official Account's access token, read from the database and kept alive
  by tuanhang.office.reminders.zalo; ZALO_ZNS_BACKEND=logging only logs what it would send
  (development). A failure before the request is out makes the message fall back to e-mail; a
  timeout after it is out leaves it "sent, unconfirmed" (never a second message by e-mail).
"""

import json
import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection

from tuanhang.kernel import http_json

from . import zalo
from .smtp import PermanentFailure, TemporaryFailure, TwoPhaseSMTPBackend, Unconfirmed, smtp_configured

logger = logging.getLogger(__name__)

__all__ = [
    "EmailChannel",
    "Outgoing",
    "PermanentFailure",
    "TemporaryFailure",
    "Unconfirmed",
    "ZaloZnsChannel",
    "zns_settings",
]


@dataclass
class ZnsRequest:
    phone: str  # 84xxxxxxxxx
    template_id: str
    template_data: dict
    tracking_id: str


@dataclass
class Outgoing:
    """One message ready to go: the e-mail, and the Zalo request when that channel is wanted."""

    email: EmailMultiAlternatives
    zns: ZnsRequest | None = None
    recipients: list[str] = field(default_factory=list)


class _Release:
    def release(self) -> str:
        raise NotImplementedError

    def abort(self):
        pass


class _BackendRelease(_Release):
    """Any Django e-mail backend: the whole send happens on release."""

    def __init__(self, message):
        self.message = message

    def release(self) -> str:
        try:
            sent = get_connection(fail_silently=False).send_messages([self.message])
        except Exception as exc:  # which exceptions depend on the backend: all of them end here
            raise TemporaryFailure(f"{type(exc).__name__}: {exc}") from exc
        if not sent:
            raise PermanentFailure("the e-mail backend sent nothing")
        return "accepted by the e-mail backend"


class EmailChannel:
    name = "email"

    def prepare(self, outgoing: Outgoing):
        if not outgoing.email.recipients():
            raise PermanentFailure("no e-mail address")
        if smtp_configured():
            return TwoPhaseSMTPBackend.shared().prepare(outgoing.email)
        return _BackendRelease(outgoing.email)


# --- Zalo ZNS ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ZnsSettings:
    enabled: bool
    backend: str  # "http" or "logging"
    endpoint: str
    templates: dict  # reminder kind → template id
    timeout: float


def zns_settings() -> ZnsSettings:
    return ZnsSettings(
        enabled=getattr(settings, "ZALO_ZNS_ENABLED", False),
        backend=getattr(settings, "ZALO_ZNS_BACKEND", "http"),
        endpoint=getattr(settings, "ZALO_ZNS_ENDPOINT", ""),
        templates=getattr(settings, "ZALO_ZNS_TEMPLATES", {}),
        timeout=getattr(settings, "ZALO_ZNS_TIMEOUT", 10),
    )


# ZNS error codes that mean "this access token is not valid (any more)": refresh once and retry.
TOKEN_ERRORS = frozenset({-124, -216})


class _ZnsRelease(_Release):
    """The one HTTP call of a ZNS message, in three steps that fail differently: connecting (nothing
    sent: TemporaryFailure, the outbox may fall back to e-mail), sending the request (a failure
    while writing leaves the server with an incomplete body it cannot act on: TemporaryFailure),
    and waiting for the answer (the request is out; a timeout or reset now may hide a message ZNS
    accepted: Unconfirmed, which the outbox records and never sends again by e-mail)."""

    def __init__(self, config: ZnsSettings, request: ZnsRequest):
        self.config, self.request = config, request

    def release(self) -> str:
        payload = {
            "phone": self.request.phone,
            "template_id": self.request.template_id,
            "template_data": self.request.template_data,
            "tracking_id": self.request.tracking_id,
        }
        if self.config.backend == "logging":
            logger.info("Zalo ZNS (logging backend, nothing sent): %s", json.dumps(payload, ensure_ascii=False))
            return "logged"
        token = zalo.zalo_token_for_sending()
        answer = self._post(payload, token)
        if answer.get("error") in TOKEN_ERRORS:
            # Refused for its token, so not sent: refresh once (unless another worker already
            # did) and try once more with the new token.
            try:
                refreshed = zalo.zalo_token_refresh(stale=token)
            except zalo.ZaloRefreshError as exc:
                raise PermanentFailure(f"{_zns_error(answer)}; the token refresh failed: {exc}"[:500]) from exc
            if refreshed.token is None or refreshed.token.access_token == token:
                raise PermanentFailure(f"{_zns_error(answer)}; no refresh token to renew it"[:500])
            answer = self._post(payload, refreshed.token.access_token)
        # ZNS answers HTTP 200 with {"error": 0, "data": {"msg_id": …}} on success, error ≠ 0 otherwise.
        if answer.get("error") != 0:
            raise PermanentFailure(_zns_error(answer)[:500])
        data = answer.get("data") if isinstance(answer.get("data"), dict) else {}
        return f"Zalo ZNS msg_id {data.get('msg_id', '?')}"[:255]

    def _post(self, payload: dict, token: str) -> dict:
        """One POST to ZNS (tuanhang.kernel.http_json tells "nothing went out" from "no answer")."""
        try:
            return http_json.post_json(
                self.config.endpoint, payload, headers={"access_token": token}, timeout=self.config.timeout
            ).data
        except http_json.NotSent as exc:  # nothing went out, or no usable answer: e-mail may follow
            raise TemporaryFailure(f"Zalo ZNS: {exc}") from exc
        except http_json.Unconfirmed as exc:  # the request is out: never a second message by itself
            raise Unconfirmed(f"Zalo ZNS: {exc}") from exc


def _zns_error(answer: dict) -> str:
    return f"Zalo ZNS error {answer.get('error')}: {answer.get('message', '')}"


class ZaloZnsChannel:
    name = "zalo"

    def __init__(self, config: ZnsSettings | None = None):
        self.config = config or zns_settings()

    def prepare(self, outgoing: Outgoing):
        config = self.config
        if not config.enabled:
            raise PermanentFailure("Zalo ZNS is not enabled (ZALO_ZNS_ENABLED)")
        request = outgoing.zns
        if request is None or not request.phone:
            raise PermanentFailure("no phone number for Zalo")
        if not request.template_id:
            raise PermanentFailure("no Zalo ZNS template for this reminder (ZALO_ZNS_TEMPLATE_…)")
        if config.backend != "logging" and not (config.endpoint and zalo.zalo_token_usable()):
            raise PermanentFailure("Zalo ZNS endpoint or access token missing")
        return _ZnsRelease(config, request)
