"""Erasure of a business's personal data on its request (Decree 13/2023, the 2025 Law on Personal
Data Protection: the right to deletion), kept to what the law lets go.

Erased: the representative's and contact's names, phone, e-mail, address, website, the logo and
product pictures, every uploaded document with its file, the invitations, the application notes,
and the accounts' logins (deactivated, personal fields blanked; staff accounts are never touched).
Kept: the legal name and tax code of an enterprise or cooperative, the payments (amounts, dates,
references), the applications with their status and history (the fair's figures), check-ins and
booth assignments. A household's name is its owner's: it becomes "Hộ kinh doanh đã xoá dữ liệu
#<id>"; its tax code (the owner's personal ID) is replaced too, unless a payment or a subsidised
approved application exists: tax and budget records must be kept (vendors.services.erasure.
tax_record_required).
"""

from functools import partial

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import (
    Application,
    ApplicationDocument,
    ErasureRequest,
    IdentityChangeRequest,
    Payment,
    Product,
    Vendor,
    VendorFormerCode,
    VendorInvitation,
    VendorMerge,
)
from ..signals import vendor_erased
from .profile import delete_files

S = ErasureRequest.Status
ERASED_HOUSEHOLD = "Hộ kinh doanh đã xoá dữ liệu #{pk}"
VENDOR_BLANKED = ("short_name", "address", "representative", "contact_name", "phone", "email", "website")


def erasure_request_create(*, vendor: Vendor, by, reason: str = "") -> ErasureRequest:
    """Record the business's request to erase its personal data (waiting). Raises ValidationError
    when one is already waiting or the data was already erased."""
    with transaction.atomic():
        vendor = Vendor.objects.select_for_update().get(pk=vendor.pk)
        if vendor.erased_at is not None:
            raise ValidationError(_("Your personal data has already been erased."), code="erased")
        if vendor.erasure_requests.filter(status=S.WAITING).exists():
            raise ValidationError(_("Your request is already waiting for the organisers."), code="waiting")
        return ErasureRequest.objects.create(vendor=vendor, requested_by=by, reason=reason.strip())


def _locked(request_pk) -> ErasureRequest:
    return ErasureRequest.objects.select_for_update().select_related("vendor").get(pk=request_pk)


def erasure_refuse(*, erasure: ErasureRequest, by, reason: str) -> ErasureRequest:
    """Refuse a waiting request with a reason the business is shown. ValidationError when the reason
    is empty or the request was already decided."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Say why the request is refused: the business is shown it.")})
    with transaction.atomic():
        erasure = _locked(erasure.pk)
        if not erasure.is_waiting:
            raise ValidationError(_("This request has already been decided."), code="decided")
        erasure.status, erasure.decided_by, erasure.decided_at = S.REFUSED, by, timezone.now()
        erasure.refusal_reason = reason
        erasure.save(update_fields=["status", "decided_by", "decided_at", "refusal_reason"])
    return erasure


def erasure_carry_out(*, erasure: ErasureRequest, by) -> ErasureRequest:
    """Carry out a waiting request: erase the business's personal data (vendor_erase) and mark the
    request done, in one transaction; the files go after it commits. Carrying out a request that is
    already done changes nothing (idempotent); a refused one raises ValidationError."""
    with transaction.atomic():
        erasure = _locked(erasure.pk)
        if erasure.status == S.DONE:
            return erasure
        if erasure.status == S.REFUSED:
            raise ValidationError(_("This request has already been decided."), code="decided")
        vendor_erase(vendor=erasure.vendor)
        erasure.status, erasure.decided_by, erasure.decided_at = S.DONE, by, timezone.now()
        erasure.save(update_fields=["status", "decided_by", "decided_at"])
    return erasure


def tax_record_required(vendor: Vendor) -> bool:
    """Whether the business's tax code must be kept: a payment was recorded, or an approved
    application at a subsidised fair (a settlement with the budget) exists."""
    applications = Application.objects.filter(vendor=vendor)
    return (
        Payment.objects.filter(application__vendor=vendor).exists()
        or applications.filter(status=Application.Status.APPROVED, owed__subsidy__gt=0).exists()
    )


def vendor_erase(*, vendor: Vendor) -> list[str]:
    """Erase `vendor`'s personal data (see the module's docstring), inside the caller's transaction
    or its own; the removed files are deleted after the commit. Running it again changes nothing.
    Sends vendor_erased (the layers above blank what they hold, e.g. reminder recipients).
    Returns the storage names of the files removed."""
    with transaction.atomic():
        vendor = Vendor.objects.select_for_update().get(pk=vendor.pk)
        files = [vendor.logo.name, vendor.logo_thumbnail.name]
        for name in VENDOR_BLANKED:
            setattr(vendor, name, "")
        vendor.logo = vendor.logo_thumbnail = ""
        vendor.commune = None
        if vendor.kind == Vendor.Kind.HKD:
            _erase_household_identity(vendor)
        vendor.erased_at = vendor.erased_at or timezone.now()
        vendor.save()

        products = Product.objects.filter(vendor=vendor)
        for image, thumbnail in products.values_list("image", "image_thumbnail"):
            files += [image, thumbnail]
        products.update(image="", image_thumbnail="")
        documents = ApplicationDocument.objects.filter(application__vendor=vendor)
        files += list(documents.values_list("file", flat=True))
        documents.delete()
        Application.objects.filter(vendor=vendor).update(note="")
        VendorInvitation.objects.filter(vendor=vendor).delete()
        _deactivate_accounts(vendor)
        vendor_erased.send(sender=Vendor, vendor=vendor)
        files = [name for name in files if name]
        transaction.on_commit(partial(delete_files, files), robust=True)
    return files


def _erase_household_identity(vendor: Vendor) -> None:
    """A household's name (and, unless tax records need it, its tax code) are its owner's."""
    placeholder = ERASED_HOUSEHOLD.format(pk=vendor.pk)
    vendor.name, vendor.description = placeholder, ""
    IdentityChangeRequest.objects.filter(vendor=vendor).update(old_name=placeholder, new_name=placeholder)
    VendorMerge.objects.filter(kept=vendor).update(merged_name=placeholder)
    approved = Application.objects.filter(vendor=vendor).exclude(approved_tax_code="")
    approved.update(approved_name=placeholder)
    if tax_record_required(vendor):
        return
    code = f"XOA{vendor.pk}"
    vendor.tax_code = code
    VendorFormerCode.objects.filter(vendor=vendor).delete()
    IdentityChangeRequest.objects.filter(vendor=vendor).update(old_tax_code=code, new_tax_code=code)
    VendorMerge.objects.filter(kept=vendor).update(merged_tax_code=code, kept_tax_code=code)
    approved.update(approved_tax_code=code)


def _deactivate_accounts(vendor: Vendor) -> None:
    """The business's own accounts can no longer log in and keep no personal field; an account of
    staff (never a business's in practice) is left alone."""
    User = get_user_model()
    for user in User.objects.select_for_update().filter(
        vendor_membership__vendor=vendor, is_staff=False, is_superuser=False
    ):
        user.username = f"erased-{user.pk}"
        user.first_name = user.last_name = user.email = ""
        user.is_active = False
        user.set_unusable_password()
        user.save()
