"""Writes of the shared business registry (issue 16, item 3).

A business is one record across the installation, found by its tax code (or a household's personal
ID) and by the codes it had before (VendorFormerCode). Organisers rely on its legal identity, so:

- once it has applied to a fair, a change of its tax code, legal name or kind is held as an
  IdentityChangeRequest that the installation's administrators approve or reject;
- two records of the same business can be merged: every row pointing to the duplicate moves to the
  kept record, the duplicate's tax code becomes a former code, a VendorMerge row logs it.
- a document reused for another application is copied (a new file, a new row): a document belongs
  to the application it was sent with, so replacing or deleting one never touches the other.
"""

from functools import partial

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tuanhang.kernel.vn import clean_tax_code

from ..models import (
    Application,
    ApplicationDocument,
    ErasureRequest,
    IdentityChangeRequest,
    Vendor,
    VendorFormerCode,
    VendorMerge,
)
from ..selectors.registry import shared_fairs, tax_code_used_elsewhere
from .applying import application_edit_refusal
from .documents import fair_asks_for
from .identity import IDENTITY_FIELDS, vendor_identity_hold  # noqa: F401 (IDENTITY_FIELDS: read from here)
from .profile import delete_files, vendor_profile_update
from .reuse import document_copy_into, reuse_refusal

ICR = IdentityChangeRequest.Status
A = Application.Status


# --- legal identity ---------------------------------------------------------------------------


def vendor_profile_save(*, form, by=None) -> IdentityChangeRequest | None:
    """Save a valid VendorProfileForm of an existing business; hold a change of its legal identity.

    When the business has applied to a fair and the form changes its tax code, legal name or kind,
    those three keep their stored values and an IdentityChangeRequest (pending) records the change
    asked for (vendors.services.identity); every other field is saved. A business that never
    applied changes them directly. Returns the pending request, or None."""
    with transaction.atomic():
        held = vendor_identity_hold(vendor=form.instance, by=by)
        vendor_profile_update(form=form)
    return held


def _locked_pending(request_pk) -> IdentityChangeRequest:
    request = IdentityChangeRequest.objects.select_for_update().filter(pk=request_pk).first()
    if request is None or not request.is_pending:
        raise ValidationError(_("This change has already been decided."), code="decided")
    return request


def identity_change_approve(*, request_pk: int, by) -> IdentityChangeRequest:
    """Apply a pending legal identity change to its business and mark it approved.

    Checks again that the tax code asked for is valid for the kind and used by no other business
    (now or as a former code); raises ValidationError otherwise and changes nothing. The code it
    replaces becomes a former code of the business."""
    with transaction.atomic():
        request = _locked_pending(request_pk)
        vendor = Vendor.objects.select_for_update().get(pk=request.vendor_id)
        new_code = _checked_code(request.new_tax_code, request.new_kind, vendor.pk)
        if new_code != vendor.tax_code:
            VendorFormerCode.objects.filter(vendor=vendor, tax_code=new_code).delete()
            VendorFormerCode.objects.get_or_create(
                tax_code=vendor.tax_code,
                defaults={"vendor": vendor, "note": _("changed to %(code)s") % {"code": new_code}},
            )
        vendor.tax_code, vendor.name, vendor.kind = new_code, request.new_name, request.new_kind
        vendor.save(update_fields=["tax_code", "name", "kind", "updated_at"])
        request.status, request.decided_by, request.decided_at = ICR.APPROVED, by, timezone.now()
        request.save(update_fields=["status", "decided_by", "decided_at"])
    return request


def _checked_code(tax_code: str, kind: str, vendor_pk: int) -> str:
    try:
        code = clean_tax_code(tax_code, kind)
    except ValueError:
        raise ValidationError(
            _("%(code)s is not a valid tax code for this kind of business: reject the change.") % {"code": tax_code},
            code="invalid_tax_code",
        ) from None
    if tax_code_used_elsewhere(code, vendor_pk):
        raise ValidationError(
            _(
                "Another business already uses the tax code %(code)s (now or before): reject the change, or merge "
                "the two records if they are the same business."
            )
            % {"code": code},
            code="tax_code_taken",
        )
    return code


def identity_change_reject(*, request_pk: int, by, reason: str) -> IdentityChangeRequest:
    """Mark a pending legal identity change rejected, with the reason the business will read."""
    if not reason.strip():
        raise ValidationError({"reason": _("Say why, for the business.")}, code="required")
    with transaction.atomic():
        request = _locked_pending(request_pk)
        request.status, request.decided_by, request.decided_at = ICR.REJECTED, by, timezone.now()
        request.reason = reason.strip()
        request.save(update_fields=["status", "decided_by", "decided_at", "reason"])
    return request


# --- merging two records of the same business -------------------------------------------------


def _close_pending_identity_changes(duplicate, keep, by) -> None:
    """The duplicate's pending identity change would clash with the kept record's (one pending each)."""
    duplicate.identity_changes.filter(status=ICR.PENDING).update(
        status=ICR.REJECTED,
        decided_by=by,
        decided_at=timezone.now(),
        reason=_("The record was merged into %(code)s.") % {"code": keep.tax_code},
    )


def _refuse_erasure_pending(duplicate, keep, by) -> None:
    """An erasure asked for or carried out on either record must be decided first: a merge would
    otherwise put erased and kept data together (and two waiting requests clash, one each)."""
    erasure = ErasureRequest.objects.filter(vendor__in=[duplicate, keep], status=ErasureRequest.Status.WAITING)
    if erasure.exists() or duplicate.erased_at or keep.erased_at:
        raise ValidationError(
            _("One of the records has an erasure request or erased data: decide the request before merging."),
            code="erasure",
        )


def _refuse_shared_fairs(duplicate, keep, by) -> None:
    """One application per business and fair: two applications to the same fair cannot both move."""
    names = shared_fairs(keep, duplicate)
    if names:
        raise ValidationError(
            _(
                "Both records have an application to %(fairs)s: withdraw or delete one of them in each fair "
                "before merging."
            )
            % {"fairs": ", ".join(f"“{name}”" for name in names)},
            code="shared_fair",
        )


# Relations to Vendor whose rows cannot simply be re-pointed (a unique constraint involves the
# business): what to do before the move. Every other relation is moved as it is; a relation found
# in Vendor._meta.related_objects is never skipped (tests/vendors/test_registry.py holds that).
BEFORE_MOVE = {
    "vendors.Application": _refuse_shared_fairs,
    "vendors.IdentityChangeRequest": _close_pending_identity_changes,
    "vendors.ErasureRequest": _refuse_erasure_pending,
}


def vendor_relations():
    """Every relation from another model to Vendor, as (label, model, field name, many_to_many)."""
    found = []
    for relation in Vendor._meta.related_objects:
        model = relation.related_model
        if relation.many_to_many:
            found.append((f"{model._meta.label}.{relation.field.name}", model, relation.field.name, True))
        else:
            found.append((model._meta.label, model, relation.field.name, False))
    return found


def relations_needing_a_rule():
    """Relations whose move could break a unique constraint: they need an entry in BEFORE_MOVE."""
    risky = set()
    for label, model, field_name, many in vendor_relations():
        field = model._meta.get_field(field_name)
        if many or field.one_to_one or field.unique:
            risky.add(label)
            continue
        for constraint in model._meta.constraints:
            if field_name in (getattr(constraint, "fields", None) or ()):
                risky.add(label)
        for together in model._meta.unique_together:
            if field_name in together:
                risky.add(label)
    return risky


def vendors_merge(*, keep: Vendor, duplicate: Vendor, by=None) -> VendorMerge:
    """Merge `duplicate` into `keep`: one business, one record.

    In one transaction, with both rows locked (by id): every row of every model pointing to the
    duplicate (applications with their documents, payments, decisions and check-ins; products;
    accounts; invitations; former codes; identity changes; merge logs…) is moved to `keep`; its
    categories are added; its tax code becomes a former code of `keep`; a VendorMerge row logs who,
    when, both codes and the counts moved; the duplicate is deleted (its logo files after the commit).
    Raises ValidationError and writes nothing when both have an application to the same fair."""
    if keep.pk == duplicate.pk:
        raise ValidationError(_("Choose two different records."), code="same")
    with transaction.atomic():
        locked = {
            v.pk: v for v in Vendor.objects.select_for_update().filter(pk__in=[keep.pk, duplicate.pk]).order_by("pk")
        }
        if len(locked) != 2:
            raise ValidationError(_("One of the two records no longer exists."), code="gone")
        keep, duplicate = locked[keep.pk], locked[duplicate.pk]
        for rule in BEFORE_MOVE.values():
            rule(duplicate, keep, by)
        moved = {
            label: _move(model, field_name, many, duplicate, keep)
            for label, model, field_name, many in vendor_relations()
        }
        keep.categories.add(*duplicate.categories.all())
        VendorFormerCode.objects.filter(tax_code=duplicate.tax_code).delete()
        VendorFormerCode.objects.create(
            vendor=keep, tax_code=duplicate.tax_code, note=_("merged record: %(name)s") % {"name": duplicate.name}
        )
        log = VendorMerge.objects.create(
            kept=keep,
            kept_tax_code=keep.tax_code,
            merged_tax_code=duplicate.tax_code,
            merged_name=duplicate.name,
            merged_vendor_id=duplicate.pk,
            moved=moved,
            merged_by=by,
        )
        files = [duplicate.logo.name, duplicate.logo_thumbnail.name]
        duplicate.delete()
        transaction.on_commit(partial(delete_files, files), robust=True)
    return log


def _move(model, field_name, many, duplicate, keep) -> int:
    if not many:
        return model._default_manager.filter(**{field_name: duplicate}).update(**{field_name: keep})
    # Another model's many-to-many to Vendor: re-point its link rows, dropping those keep already has.
    through = model._meta.get_field(field_name).remote_field.through
    vendor_column = next(f.name for f in through._meta.fields if f.related_model is Vendor)
    other_column = next(f.name for f in through._meta.fields if f.is_relation and f.related_model is model)
    have = through._default_manager.filter(**{vendor_column: keep}).values(other_column)
    through._default_manager.filter(**{vendor_column: duplicate, f"{other_column}__in": have}).delete()
    return through._default_manager.filter(**{vendor_column: duplicate}).update(**{vendor_column: keep})


# --- documents --------------------------------------------------------------------------------


def application_document_copy(*, document: ApplicationDocument, application: Application, by=None):
    """Reuse a document the business sent with one application for another of its applications:
    the file is copied under a new name into a new ApplicationDocument of `application` (replacing
    the one it had for that document type; the old file is deleted after commit), so the two never
    share a row or a stored file (reuse.document_copy_into).

    Raises ValidationError and stores nothing when the document belongs to another business's
    application, cannot be reused (identity document, paper filled in per fair), the fair does not
    ask for that document, or the application can no longer change."""
    refusal = reuse_refusal(document=document, application=application)
    if refusal:
        raise ValidationError(refusal, code="not_reusable")
    with transaction.atomic():
        locked = Application.objects.select_for_update(of=("self",)).select_related("event").get(pk=application.pk)
        refusal = application_edit_refusal(locked)
        if refusal:
            raise ValidationError(refusal, code="not_editable")
        if not fair_asks_for(locked.event, document.document_type_id):
            raise ValidationError(_("This fair does not ask for this document."), code="not_required")
        return document_copy_into(application=locked, document=document, by=by)
