"""The legal identity of a business (tax code, legal name, kind) is locked once it has applied.

Organisers decide on that identity, and an approved application keeps showing it; so a change of
it, from whatever path (the business's profile, the admin, a participant-list import), is held as
an IdentityChangeRequest that staff approve (vendors.services.registry), never written directly.
"""

from django.db import transaction
from django.utils import timezone

from ..models import IdentityChangeRequest, Vendor
from ..selectors.registry import vendor_has_applied

IDENTITY_FIELDS = ("tax_code", "name", "kind")
ICR = IdentityChangeRequest.Status


def vendor_identity_hold(*, vendor: Vendor, by=None) -> IdentityChangeRequest | None:
    """Hold a change of the legal identity carried by `vendor` (an existing business whose fields
    hold the values asked for, not saved yet).

    When the business has applied to a fair and its tax code, legal name or kind differ from the
    stored ones, the three are put back to the stored values on `vendor` (the caller then saves the
    other fields) and the pending IdentityChangeRequest records who asked, when, old → new (the
    pending one is updated if there is one). Returns that request, or None when nothing is held.
    Locks the business's row: call it inside the transaction that saves it."""
    if vendor.pk is None:
        return None
    with transaction.atomic():
        stored = Vendor.objects.select_for_update().get(pk=vendor.pk)
        asked = {name: getattr(vendor, name) for name in IDENTITY_FIELDS}
        if all(asked[name] == getattr(stored, name) for name in IDENTITY_FIELDS) or not vendor_has_applied(stored):
            return None
        for name in IDENTITY_FIELDS:
            setattr(vendor, name, getattr(stored, name))
        return _identity_change_record(stored, asked, by)


def _identity_change_record(vendor: Vendor, asked: dict, by) -> IdentityChangeRequest:
    request = IdentityChangeRequest.objects.select_for_update().filter(
        vendor=vendor, status=ICR.PENDING
    ).first() or IdentityChangeRequest(vendor=vendor)
    request.old_name, request.old_kind, request.old_tax_code = vendor.name, vendor.kind, vendor.tax_code
    request.new_name, request.new_kind, request.new_tax_code = asked["name"], asked["kind"], asked["tax_code"]
    request.requested_by, request.requested_at = by, timezone.now()
    request.save()
    return request
