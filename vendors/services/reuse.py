"""A document sent with one application reused for another of the same business (issue 18):
copied, never shared. Called inside the caller's transaction, on an application it has locked:
by application_save_draft / application_save_and_submit (the "reuse" boxes of the new-application
page and its autosave) and by registry.application_document_copy (the per-document upload page)."""

from functools import partial
from pathlib import PurePosixPath

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from tuanhang.kernel.uploads import delete_stored_file

from ..models import Application, ApplicationDocument


def reuse_refusal(*, document: ApplicationDocument, application: Application) -> str | None:
    """Why `document` cannot be reused for `application` (None when it can): another business's, an
    identity document (its consent is asked at every upload), or a paper filled in for each fair."""
    if document.application.vendor_id != application.vendor_id:
        return _("This document belongs to another business.")
    if document.document_type.personal:
        return _("An identity document is not reused: upload it again with your consent.")
    if not document.document_type.reusable:
        return _("This document is filled in for each fair: upload a new one.")
    return None


def document_copy_into(*, application: Application, document: ApplicationDocument, by=None) -> ApplicationDocument:
    """Copy `document`'s file under a new name into `application`'s document of that type (replacing
    the one it had; the old file is deleted after commit). The copy keeps the date the file was sent
    (the reuse window counts from it, however often it is reused) and remembers its source."""
    target = (
        ApplicationDocument.objects.select_for_update()
        .filter(application=application, document_type_id=document.document_type_id)
        .first()
    ) or ApplicationDocument(application=application, document_type_id=document.document_type_id)
    old_name = target.file.name if target.pk else None
    with document.file.open("rb") as source:
        content = ContentFile(source.read())
    suffix = PurePosixPath(document.file.name).suffix or ".bin"
    target.file.save(f"document{suffix}", content, save=False)
    target.original_name, target.content_type, target.size = (
        document.original_name,
        document.content_type,
        document.size,
    )
    target.uploaded_by, target.copied_from, target.consent_at = by, document, None
    storage, new_name = target.file.storage, target.file.name
    try:
        target.save()
    except Exception:
        storage.delete(new_name)
        raise
    ApplicationDocument.objects.filter(pk=target.pk).update(uploaded_at=document.uploaded_at)
    target.uploaded_at = document.uploaded_at
    if old_name:
        transaction.on_commit(partial(delete_stored_file, storage, old_name))
    return target


def copy_withdraw(*, application: Application, document: ApplicationDocument) -> bool:
    """Remove `application`'s copy of `document` (a "reuse" box unticked after the draft took it);
    a file uploaded since, or copied from elsewhere, stays. Whether something was removed."""
    copy = (
        ApplicationDocument.objects.select_for_update()
        .filter(application=application, document_type_id=document.document_type_id, copied_from=document)
        .first()
    )
    if copy is None:
        return False
    storage, name = copy.file.storage, copy.file.name
    copy.delete()
    transaction.on_commit(partial(delete_stored_file, storage, name))
    return True
