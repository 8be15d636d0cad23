"""A Celery worker whose reminder sending is naive, for the controls of the crash tests:

    python -m tests.reminders.control_worker send-then-record worker --pool solo …
    python -m tests.reminders.control_worker record-then-send worker --pool solo …

send-then-record: check the row under its lock, send the whole message, then record it sent
(a crash after the server accepted the message sends it again: duplicates).
record-then-send: record the row sent first, then talk to the server (a crash before the
server has the message loses it).
Nothing else differs from the real worker."""

import sys

import django


def _naive(order):
    from django.core.mail import get_connection
    from django.db import transaction
    from django.utils import timezone

    from tuanhang.office.reminders import outbox
    from tuanhang.office.reminders.models import OutboxStatus

    def send_loaded(row, build, *, fresh=()):
        model = type(row)
        with transaction.atomic():
            status = model.objects.select_for_update().filter(pk=row.pk).values_list("status", flat=True).first()
            if status != OutboxStatus.PENDING:
                return outbox.Result("nothing to do")
            outgoing = build(row)
            if order == "record-then-send":
                model.objects.filter(pk=row.pk).update(status=OutboxStatus.SENT, sent_at=timezone.now())
        get_connection().send_messages([outgoing.email])
        if order == "send-then-record":
            model.objects.filter(pk=row.pk).update(status=OutboxStatus.SENT, sent_at=timezone.now())
        return outbox.Result("sent")

    return send_loaded


def main(argv):
    order, celery_args = argv[0], argv[1:]
    if order not in ("send-then-record", "record-then-send"):
        raise SystemExit(f"unknown variant {order!r}")
    django.setup()
    from tuanhang.office.reminders import outbox

    outbox.send_loaded = _naive(order)
    from tuanhang.celery import app

    app.worker_main(celery_args)


if __name__ == "__main__":
    main(sys.argv[1:])
