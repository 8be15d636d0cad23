"""Writes about the businesses' personal data (issue 17): removing ID documents once the organiser's
retention period after a fair has passed."""

from __future__ import annotations

import datetime as dt
import logging

from django.db import transaction
from django.utils import timezone

from events.access_log import access_log_bulk
from events.models import AccessLog, Event
from tuanhang.kernel.dates import months_after
from tuanhang.kernel.uploads import delete_stored_file

from ..models import ApplicationDocument

logger = logging.getLogger(__name__)


def personal_documents_expire(*, now: dt.datetime | None = None) -> int:
    """Remove the documents with personal identity data (DocumentType.personal: ID cards) of every
    fair that closed more than its organiser's `personal_documents_months` ago: the rows now, the
    files once the transaction commits; one access-log row per fair saying how many went.
    Returns how many documents were removed; running it again removes nothing more."""
    now = now or timezone.now()
    fairs = Event.objects.filter(closes_at__lt=now).select_related("organiser")
    expired = [fair for fair in fairs if months_after(fair.closes_at, fair.organiser.personal_documents_months) <= now]
    if not expired:
        return 0
    removed, entries = 0, []
    with transaction.atomic():
        documents = list(
            ApplicationDocument.objects.select_for_update()
            .filter(application__event__in=expired, document_type__personal=True)
            .select_related("application")
        )
        by_fair = {}
        for document in documents:
            by_fair.setdefault(document.application.event_id, []).append(document)
        names = [d.file.name for d in documents if d.file]
        ApplicationDocument.objects.filter(pk__in=[d.pk for d in documents]).delete()
        for fair in expired:
            gone = by_fair.get(fair.pk, [])
            if gone:
                removed += len(gone)
                entries.append({"event": fair, "kind": AccessLog.Kind.RETENTION, "label": len(gone), "personal": True})
        access_log_bulk(entries)
        storage = ApplicationDocument._meta.get_field("file").storage
        transaction.on_commit(lambda: [delete_stored_file(storage, name) for name in names])  # + previews
    if removed:
        logger.info("removed %s expired personal document(s) of %s fair(s)", removed, len(entries))
    return removed
