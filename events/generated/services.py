"""Writes of generated files: asking for a document, built in the request when it is quick,
otherwise queued for the worker (events.tasks.build_generated_file, which runs building.py).

A document is handed out again, without building, while the fair's data gives the same
fingerprint as when it was built: generated_file_request() collects what the document would
show, hashes it, and looks for a finished file (or one being built) with that hash.
"""

from __future__ import annotations

import logging

from django.db import transaction
from django.utils import translation
from django.utils.translation import gettext as _

from ..models import Event, GeneratedFile
from ..tasks import build_generated_file
from .building import fingerprint, generated_file_build, options_key
from .registry import get_builder

logger = logging.getLogger(__name__)

G = GeneratedFile.Status


def generated_file_request(*, event: Event, kind: str, options=None, by=None, language=None) -> GeneratedFile:
    """A file of document `kind` for the fair with these options (checked by the document's
    form: ValidationError when wrong). Returns, in this order of preference: the latest finished
    file that still shows the fair's current data; a file being built for that same data; or a
    new one — built here and now when the document is quick, otherwise queued for the worker
    (events.build_generated_file, sent once the transaction commits)."""
    builder = get_builder(kind)
    language = language or translation.get_language() or "vi"
    with translation.override(language):
        options = builder.clean(options, event=event)
        data = builder.collect(event, options)
        key, print_hash = options_key(options), fingerprint(builder, options, language, data)
        existing = (
            GeneratedFile.objects.filter(
                event=event,
                kind=kind,
                parameters_key=key,
                language=language,
                fingerprint=print_hash,
                status__in=[G.DONE, *GeneratedFile.WORKING],
            )
            .order_by("-created_at", "-id")
            .first()
        )
        if existing is not None and (existing.status != G.DONE or existing.file):
            return existing
        generated = GeneratedFile.objects.create(
            event=event,
            kind=kind,
            parameters=options,
            parameters_key=key,
            language=language,
            fingerprint=print_hash,
            created_by=by,
            message=_("Waiting for a worker to build the file."),
        )
        if builder.quick(data):
            generated_file_build(generated, builder, event, data)
        else:
            transaction.on_commit(lambda: build_generated_file.delay(generated.pk), robust=True)
    return generated
