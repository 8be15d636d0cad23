"""Sending one outbox row (a reminder delivery, a daily summary) exactly once.

The order of steps is the whole point:

1. In one transaction: lock the row (SELECT … FOR UPDATE); if it is no longer pending, stop.
   Build the message and run the channel's conversation up to its point of no return (for SMTP:
   MAIL, RCPT, DATA and the whole message, all but the final "."). Record the row as sent.
   COMMIT.
2. Release: write the final "." (or make the one HTTP call of Zalo) and read the answer.
3. Record the answer: confirmed, or back to pending for a retry when the server refused the
   message at its last line (so it was not delivered), or failed.

A worker that dies during step 1, before it sends COMMIT, leaves no trace: PostgreSQL rolls the
transaction back and frees the lock, the mail server drops the half-sent message, and the row is
pending again for the next sweep. A worker that dies after the final "." never causes a second
send: the row says sent.

The gap, and it is not microseconds: from the moment COMMIT leaves the worker until the final
"." has been written to the socket. That is the whole commit (PostgreSQL writes and flushes its
WAL: longer on a slow or busy disk, and with a synchronous standby it also waits for the
standby's answer) plus the time to write the "." afterwards. A worker killed in there can leave
the row committed as sent while the mail server never got the "." and dropped the message: it is
lost, and nothing retries it on its own, because trying again could send it twice. Such a row
stays sent without confirmed_at. After REMINDERS_UNCONFIRMED_GRACE_MINUTES it is flagged
(selectors.flagged_unconfirmed): counted on the fair's dashboard and listed in the delivery log,
where staff resend one or all of them in one click; a rule with resend_unconfirmed has the sweep
resend it once by itself (services.deliveries_resend_automatically), accepting that a message
that did arrive (a connection lost after the "." but before the answer looks the same) arrives
twice. A second worker given the same row (a duplicated task) waits on the lock and then finds
it sent.
"""

import logging
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from . import statements
from .channels import EmailChannel, Outgoing, PermanentFailure, TemporaryFailure, Unconfirmed, ZaloZnsChannel
from .models import OutboxStatus

logger = logging.getLogger(__name__)

P = OutboxStatus
MAX_ATTEMPTS = 5


class Skip(Exception):  # noqa: N818 (a decision, not an error)
    """The message is no longer needed (status changed, nobody to write to…): the reason."""


@dataclass(frozen=True)
class Result:
    outcome: str  # "sent", "unconfirmed", "skipped", "retry", "failed", "nothing to do"
    retry_in: int | None = None  # seconds, when outcome is "retry"


def max_countdown() -> int:
    """A retry's countdown never reaches the broker's visibility timeout: with Redis a task
    reserved longer than that is handed to another worker as well."""
    visibility = settings.CELERY_BROKER_TRANSPORT_OPTIONS.get("visibility_timeout", 3600)
    return max(1, min(getattr(settings, "REMINDERS_MAX_RETRY_SECONDS", 900), visibility // 2))


def backoff(attempts: int) -> int:
    """30 s, 60 s, 120 s, 240 s… capped by max_countdown()."""
    return min(30 * 2 ** max(attempts - 1, 0), max_countdown())


def send(queryset, pk: int, build) -> Result:
    """Send the outbox row `pk` of `queryset` once: the single-row path (a daily summary, a
    resend). `build(row)` returns an Outgoing (with a Zalo request when that channel is wanted)
    or raises Skip. Returns what happened."""
    row = queryset.filter(pk=pk).first()
    if row is None:
        return Result("nothing to do")
    return send_loaded(row, build)


def send_loaded(row, build, *, fresh: tuple[str, ...] = ()) -> Result:
    """Send `row` once. The row may have been loaded beforehand, without a lock, with everything
    its message needs (a batch loads all of its rows in a few queries): it is locked here and its
    outbox columns are read again under the lock, with the related fields named in `fresh` (e.g.
    "rule__enabled"), which are set on the loaded objects before `build(row)` decides. The lock
    and the updates of every message are plain statements (tuanhang.office.reminders.statements).
    The row recorded sent keeps no error of an earlier attempt: only why Zalo was not used."""
    return _send(row, build, fresh, zalo_refused="")


def _send(row, build, fresh, zalo_refused: str) -> Result:
    """send_loaded(); `zalo_refused` is why Zalo refused this message a moment ago (the e-mail
    that replaces it keeps that reason as its note)."""
    model = type(row)
    now = timezone.now()
    release = None
    try:
        with transaction.atomic():
            current = statements.lock(model, row.pk, now, fresh)
            if current is None or current.status != P.PENDING or current.waiting:
                return Result("nothing to do")
            row.status, row.attempts, row.fell_back = current.status, current.attempts, current.fell_back
            _refresh(row, fresh, current.fresh)
            try:
                outgoing = build(row)
            except Skip as reason:
                _save(row, status=P.SKIPPED, last_error=str(reason))
                return Result("skipped")
            channel, release, note = _prepare(row, outgoing)
            fields = {
                "status": P.SENT,
                "sent_at": now,
                "channel": channel.name,
                "recipients": ", ".join(outgoing.recipients)[:500],
                "message_id": outgoing.email.extra_headers.get("Message-ID", ""),
                "attempts": row.attempts + 1,
                # An earlier attempt's error is history once the message goes: never shown as its note.
                "last_error": note or zalo_refused,
            }
            if note:
                fields["fell_back"] = True
            _save(row, **fields)
    except (TemporaryFailure, PermanentFailure) as exc:
        if release is not None:
            release.abort()
        return _failed(model, row.pk, exc, attempts_done=1)
    except BaseException:
        if release is not None:
            release.abort()
        raise
    # Committed: from here on the row is never sent again by the machinery.
    try:
        reply = release.release()
    except Unconfirmed as exc:
        statements.update(model, row.pk, last_error=f"unconfirmed: {exc}"[:2000])
        logger.warning("outbox %s %s: released but unconfirmed (%s)", model.__name__, row.pk, exc)
        return Result("unconfirmed")
    except (TemporaryFailure, PermanentFailure) as exc:
        # Refused at the last step: not delivered. Zalo falls back to e-mail; e-mail retries.
        if channel.name == ZaloZnsChannel.name:
            model._default_manager.filter(pk=row.pk, status=P.SENT).update(
                status=P.PENDING, fell_back=True, last_error=str(exc)[:2000], next_attempt_at=None
            )
            return _send(row, build, fresh, zalo_refused=str(exc)[:2000])
        model._default_manager.filter(pk=row.pk, status=P.SENT).update(status=P.PENDING, sent_at=None)
        return _failed(model, row.pk, exc, attempts_done=0)
    _confirm(model, row.pk, reply)
    return Result("sent")


def _refresh(row, names, values):
    """Set the related fields the lock query read again on the row's loaded related objects."""
    for name, value in zip(names, values, strict=True):
        *path, attribute = name.split("__")
        target = row
        for step in path:
            target = getattr(target, step)
        setattr(target, attribute, value)


def _confirm(model, pk, reply):
    """Record the server's acknowledgement. It is information, not part of the guarantee (the
    row is already sent), so on PostgreSQL this commit does not wait for the disk: a database
    crash right after could lose the confirmation, never the "sent"."""
    statements.update(model, pk, wait_for_disk=False, confirmed_at=timezone.now(), server_reply=reply[:255])


def _prepare(row, outgoing: Outgoing):
    """The channel to use and its prepared message. Zalo first when wanted and not already
    failed for this row; any Zalo problem falls back to e-mail (returned as a note)."""
    note = ""
    if outgoing.zns is not None and not row.fell_back:
        zalo = ZaloZnsChannel()
        try:
            return zalo, zalo.prepare(outgoing), ""
        except (TemporaryFailure, PermanentFailure) as exc:
            note = f"Zalo: {exc}"
    email = EmailChannel()
    return email, email.prepare(outgoing), note


def _save(row, **fields):
    for name, value in fields.items():
        setattr(row, name, value)
    statements.update(type(row), row.pk, **fields)


def _failed(model, pk, exc, *, attempts_done) -> Result:
    """Record a failure (nothing was delivered): a temporary one is tried again later with
    backoff, up to MAX_ATTEMPTS; a permanent one (or the last attempt) marks the row failed."""
    with transaction.atomic():
        row = model._default_manager.select_for_update().filter(pk=pk).first()
        if row is None or row.status != P.PENDING:
            return Result("nothing to do")
        attempts = row.attempts + attempts_done
        message = f"{exc}"[:2000]
        if isinstance(exc, PermanentFailure) or attempts >= MAX_ATTEMPTS:
            _save(row, status=P.FAILED, attempts=attempts, last_error=message, next_attempt_at=None)
            logger.warning("outbox %s %s failed: %s", model.__name__, pk, message)
            return Result("failed")
        delay = backoff(attempts)
        now = timezone.now()
        _save(
            row,
            attempts=attempts,
            last_error=message,
            next_attempt_at=now + timedelta(seconds=delay),
            queued_at=now,
        )
        logger.info("outbox %s %s: temporary failure, again in %s s: %s", model.__name__, pk, delay, message)
        return Result("retry", retry_in=delay)
