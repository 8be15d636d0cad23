"""Building a generated file: render it with progress saved every half second, store it (or the
error), and drop older files the new one replaces. The worker's task runs generated_file_execute;
a quick document is built by services.generated_file_request during the request."""

from __future__ import annotations

import hashlib
import json
import logging
import time

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from tuanhang.kernel.pdf import Progress

from ..models import Event, GeneratedFile
from ..policy import can
from .header import fair_for_print
from .registry import Builder, get_builder

logger = logging.getLogger(__name__)

G = GeneratedFile.Status
PROGRESS_EVERY_SECONDS = 0.5


def options_key(options: dict) -> str:
    return hashlib.sha256(json.dumps(options, sort_keys=True, default=str).encode()).hexdigest()


def fingerprint(builder: Builder, options: dict, language: str, data) -> str:
    """sha256 of the document's kind, layout version, options, language and of everything it shows."""
    digest = hashlib.sha256()
    for part in (builder.kind, builder.version, options_key(options), language):
        digest.update(part.encode())
        digest.update(b"\0")
    digest.update(repr(data).encode())
    return digest.hexdigest()


def generated_file_execute(*, file_id: int) -> GeneratedFile | None:
    """Build a queued file (the worker calls this): collect the fair's data again, render with
    progress saved every half second, store the file (status "done") or the error ("failed").
    A file that is already finished or gone is left alone (a task delivered twice does nothing).
    A file asked for from a page is built only if the account that asked may still build prints
    at the fair (its role may have changed while the file waited): otherwise it ends "failed",
    saying why, and nothing is read or built."""
    claimed = GeneratedFile.objects.filter(pk=file_id, status__in=GeneratedFile.WORKING).update(
        status=G.RUNNING, progress=0, message=_("Reading the fair's data.")
    )
    if not claimed:
        return None
    generated = GeneratedFile.objects.select_related("created_by").get(pk=file_id)
    with translation.override(generated.language):
        try:
            builder = get_builder(generated.kind)
            event = fair_for_print(pk=generated.event_id)
            if not _may_still_build(generated, event):
                return _refused(generated)
            data = builder.collect(event, generated.parameters)
            generated.fingerprint = fingerprint(builder, generated.parameters, generated.language, data)
        except Exception as exc:
            return _failed(generated, exc)
        generated_file_build(generated, builder, event, data)
    return generated


class _ProgressSaver:
    """Saves a running file's progress at most every half second."""

    def __init__(self, generated: GeneratedFile):
        self.generated, self.saved_at = generated, 0.0

    def __call__(self, percent: int):
        now = time.monotonic()
        if now - self.saved_at < PROGRESS_EVERY_SECONDS:
            return
        self.saved_at = now
        GeneratedFile.objects.filter(pk=self.generated.pk, status=G.RUNNING).update(
            progress=min(percent, 99), message=_("Building the file: %(percent)s %% done.") % {"percent": percent}
        )


def generated_file_build(generated: GeneratedFile, builder: Builder, event: Event, data) -> GeneratedFile:
    GeneratedFile.objects.filter(pk=generated.pk).update(status=G.RUNNING)
    try:
        content = builder.render(event, data, generated.parameters, Progress(_ProgressSaver(generated)))
        filename = builder.filename(event, generated.parameters)
    except Exception as exc:
        return _failed(generated, exc)
    with transaction.atomic():
        generated.file.save(filename, ContentFile(content), save=False)
        generated.filename = filename
        generated.content_type = builder.content_type
        generated.size = len(content)
        generated.status, generated.progress = G.DONE, 100
        generated.message = _("Ready.")
        generated.finished_at = timezone.now()
        generated.save(
            update_fields=[
                "file",
                "filename",
                "content_type",
                "size",
                "status",
                "progress",
                "message",
                "finished_at",
                "fingerprint",
            ]
        )
        _drop_replaced(generated)
    logger.info("generated file %s (%s, %s bytes) ready", generated.pk, generated.kind, generated.size)
    return generated


def _may_still_build(generated: GeneratedFile, event: Event) -> bool:
    """Files asked for by nobody (a command run on the server, a periodic task) are always built."""
    return generated.created_by_id is None or can(generated.created_by, "print.build", event)


def _refused(generated: GeneratedFile) -> GeneratedFile:
    logger.warning(
        "generated file %s (%s) not built: user %s may no longer build prints at fair %s",
        generated.pk,
        generated.kind,
        generated.created_by_id,
        generated.event_id,
    )
    generated.status = G.FAILED
    generated.message = _("Not built: the account that asked for this file may no longer build prints for this fair.")
    generated.finished_at = timezone.now()
    generated.save(update_fields=["status", "message", "finished_at"])
    return generated


def _failed(generated: GeneratedFile, exc: Exception) -> GeneratedFile:
    logger.exception("generated file %s (%s) failed", generated.pk, generated.kind)
    generated.status = G.FAILED
    generated.message = (_("The file could not be built: %(error)s") % {"error": exc})[:255]
    generated.finished_at = timezone.now()
    generated.save(update_fields=["status", "message", "finished_at"])
    return generated


def _drop_replaced(generated: GeneratedFile) -> None:
    """Older finished or failed files of the same document and options are replaced by this one:
    their rows go now, their stored files once the transaction commits."""
    replaced = GeneratedFile.objects.filter(
        event_id=generated.event_id,
        kind=generated.kind,
        parameters_key=generated.parameters_key,
        language=generated.language,
        status__in=[G.DONE, G.FAILED],
        created_at__lte=generated.created_at,
    ).exclude(pk=generated.pk)
    names = [name for name in replaced.values_list("file", flat=True) if name]
    replaced.delete()
    if names:
        storage = generated.file.storage

        def delete_files():
            for name in names:
                storage.delete(name)

        transaction.on_commit(delete_files, robust=True)
