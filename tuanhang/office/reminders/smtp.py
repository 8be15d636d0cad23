"""SMTP in two steps, so that a message is recorded as sent before the server can accept it.

A mail server accepts a message only when it reads the line with the single "." that ends the
data (RFC 5321, 4.1.1.4); a connection that drops before that line makes the server discard
what it had. `prepare()` runs the conversation up to that line (MAIL, RCPT, DATA and the whole
message); the caller records the message as sent and commits; `release()` then writes the final
"." and reads the answer. See events/reminders/outbox.py for why this order, and the README for what it
leaves open.

The connection is kept open between messages of one worker process (one EHLO/login for many
messages) and opened again when the server has closed it.
"""

import contextlib
import functools
import logging
import re
import smtplib
import socket
import threading

from django.conf import settings
from django.core.mail.backends.smtp import EmailBackend
from django.core.mail.message import sanitize_address

logger = logging.getLogger(__name__)

CRLF = b"\r\n"
_LEADING_DOT = re.compile(rb"(?m)^\.")


@functools.lru_cache(maxsize=16)
def _sender(address: str, encoding: str) -> str:
    """The sender, checked and encoded once (it is the same for every message)."""
    return sanitize_address(address, encoding)


class TemporaryFailure(Exception):
    """Nothing was sent; trying again later may work (server busy, connection refused…)."""


class PermanentFailure(Exception):
    """Nothing was sent and trying again will not help (address refused, message refused)."""


class Unconfirmed(Exception):
    """The message was released but no answer came back: it may or may not have arrived."""


def _failure(exc: Exception) -> Exception:
    code = getattr(exc, "smtp_code", None)
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        codes = [c for c, _msg in exc.recipients.values()]
        code = min(codes) if codes else None
    text = f"{type(exc).__name__}: {exc}"
    if code is not None and 500 <= code < 600:
        return PermanentFailure(text)
    return TemporaryFailure(text)


class TwoPhaseSMTPBackend(EmailBackend):
    """Django's SMTP backend (same settings: EMAIL_HOST, EMAIL_PORT, TLS, login, EMAIL_TIMEOUT)
    with prepare/release instead of one send. One instance per worker process (`shared()`)."""

    _shared = None
    _shared_key = None
    _shared_lock = threading.Lock()

    @classmethod
    def shared(cls) -> "TwoPhaseSMTPBackend":
        """The worker process's backend, kept open between messages (a new one when the
        e-mail settings changed)."""
        key = (settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_HOST_USER, settings.EMAIL_USE_TLS)
        with cls._shared_lock:
            if cls._shared is None or cls._shared_key != key:
                if cls._shared is not None:
                    cls._shared._drop()
                cls._shared = cls(timeout=getattr(settings, "EMAIL_TIMEOUT", None) or 30)
                cls._shared_key = key
            return cls._shared

    def prepare(self, email_message) -> "PreparedSMTP":
        """Send everything but the final "." of one message; raises TemporaryFailure or
        PermanentFailure (and then nothing will arrive)."""
        encoding = email_message.encoding or settings.DEFAULT_CHARSET
        from_email = _sender(email_message.from_email, encoding)
        recipients = [sanitize_address(addr, encoding) for addr in email_message.recipients()]
        if not recipients:
            raise PermanentFailure("no recipient")
        data = email_message.message().as_bytes(linesep="\r\n")
        for attempt in (1, 2):
            try:
                if self.open():
                    # The final "." goes in a packet of its own, after the commit: TCP_NODELAY, so
                    # Nagle's algorithm does not wait for the server's delayed ACK.
                    self.connection.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
                self._start(from_email, recipients, data)
                return PreparedSMTP(self)
            except smtplib.SMTPServerDisconnected as exc:
                # An idle connection the server closed meanwhile: open a new one, once.
                self._drop()
                if attempt == 2:
                    raise TemporaryFailure(f"{type(exc).__name__}: {exc}") from exc
            except smtplib.SMTPException as exc:
                self._drop()
                raise _failure(exc) from exc
            except OSError as exc:
                self._drop()
                raise TemporaryFailure(f"{type(exc).__name__}: {exc}") from exc
        raise AssertionError("unreachable")

    def _start(self, from_email, recipients, data):
        smtp = self.connection
        smtp.ehlo_or_helo_if_needed()
        options = [f"size={len(data)}"] if smtp.does_esmtp and smtp.has_extn("size") else []
        code, reply = smtp.mail(from_email, options)
        if code != 250:
            raise smtplib.SMTPSenderRefused(code, reply, from_email)
        refused = {}
        for address in recipients:
            code, reply = smtp.rcpt(address)
            if code not in (250, 251):
                refused[address] = (code, reply)
        if len(refused) == len(recipients):
            raise smtplib.SMTPRecipientsRefused(refused)
        smtp.putcmd("data")
        code, reply = smtp.getreply()
        if code != 354:
            raise smtplib.SMTPDataError(code, reply)
        body = _LEADING_DOT.sub(b"..", data)
        if not body.endswith(CRLF):
            body += CRLF
        smtp.send(body)

    def _drop(self):
        """Close the connection without QUIT: a message in the middle of its data is discarded."""
        connection, self.connection = self.connection, None
        if connection is not None:
            with contextlib.suppress(OSError):
                connection.close()


class PreparedSMTP:
    """A message sent up to its final "."; release() or abort() exactly once."""

    def __init__(self, backend: TwoPhaseSMTPBackend):
        self.backend = backend

    def release(self) -> str:
        """Write the final "." and read the server's answer. Returns the answer (2xx); raises
        TemporaryFailure (4xx: refused, not delivered), PermanentFailure (5xx) or Unconfirmed
        (no answer: it may have arrived)."""
        smtp = self.backend.connection
        try:
            smtp.send(b"." + CRLF)
        except (smtplib.SMTPServerDisconnected, OSError) as exc:
            self.backend._drop()
            raise Unconfirmed(f"{type(exc).__name__}: {exc}") from exc
        try:
            code, reply = smtp.getreply()
        except (smtplib.SMTPServerDisconnected, OSError) as exc:
            self.backend._drop()
            raise Unconfirmed(f"{type(exc).__name__}: {exc}") from exc
        text = f"{code} {reply.decode('utf-8', 'replace')}"[:255]
        if code == 250:
            return text
        if code == 421:
            self.backend._drop()
        if 500 <= code < 600:
            raise PermanentFailure(text)
        raise TemporaryFailure(text)

    def abort(self):
        """Give the message up: the connection is closed in the middle of its data."""
        self.backend._drop()


def smtp_configured() -> bool:
    return settings.EMAIL_BACKEND == "django.core.mail.backends.smtp.EmailBackend"
