"""Reads of the shared business registry: a business by its current or former code, whether its
legal identity is held for approval, the requests waiting, and what a merge would move."""

from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from tuanhang.kernel.dates import months_after

from ..models import (
    Application,
    ApplicationDocument,
    ApplicationStatusChange,
    CheckIn,
    IdentityChangeRequest,
    Payment,
    Product,
    Vendor,
    VendorFormerCode,
    VendorInvitation,
    VendorMember,
)

A = Application.Status
ICR = IdentityChangeRequest.Status


def vendor_by_code(tax_code: str) -> Vendor | None:
    """The business with this tax code now, or else the one that had it before (merged or changed)."""
    if not tax_code:
        return None
    return Vendor.objects.filter(tax_code=tax_code).first() or (
        Vendor.objects.filter(former_codes__tax_code=tax_code).first()
    )


def tax_code_used_elsewhere(tax_code: str, vendor_pk=None) -> bool:
    """Whether a business other than `vendor_pk` has this tax code, now or as a former code."""
    return (
        Vendor.objects.filter(tax_code=tax_code).exclude(pk=vendor_pk).exists()
        or VendorFormerCode.objects.filter(tax_code=tax_code).exclude(vendor_id=vendor_pk).exists()
    )


def sent_applications():
    """Applications that were sent to their fair (a draft never sent does not count)."""
    return Application.objects.filter(Q(submitted_at__isnull=False) | ~Q(status__in=[A.DRAFT, A.WITHDRAWN]))


def vendor_has_applied(vendor: Vendor) -> bool:
    """Whether the business has sent an application to any fair: its legal identity is then locked."""
    return sent_applications().filter(vendor=vendor).exists()


def identity_change_shown(vendor: Vendor) -> IdentityChangeRequest | None:
    """The business's latest legal identity change if it is waiting or was rejected (the profile says so)."""
    latest = vendor.identity_changes.select_related(None).order_by("-requested_at", "-id").first()
    return latest if latest is not None and latest.status != ICR.APPROVED else None


def identity_changes_pending():
    """The changes waiting for approval, oldest first, with their business and who asked."""
    return (
        IdentityChangeRequest.objects.filter(status=ICR.PENDING)
        .select_related("vendor", "requested_by")
        .order_by("requested_at", "pk")
    )


def identity_change(pk) -> IdentityChangeRequest | None:
    return IdentityChangeRequest.objects.select_related("vendor", "requested_by", "decided_by").filter(pk=pk).first()


@dataclass
class MergeSide:
    """One record of a merge preview: the business and how many of each kind of row it has."""

    vendor: Vendor
    fairs: list[str]
    counts: dict[str, int]
    former_codes: list[str]


def merge_side(vendor: Vendor) -> MergeSide:
    """What a record holds, for the merge preview (a fixed number of queries)."""
    applications = Application.objects.filter(vendor=vendor)
    counts = {
        "applications": applications.count(),
        "products": Product.objects.filter(vendor=vendor).count(),
        "members": VendorMember.objects.filter(vendor=vendor).count(),
        "invitations": VendorInvitation.objects.filter(vendor=vendor).count(),
        "documents": ApplicationDocument.objects.filter(application__vendor=vendor).count(),
        "payments": Payment.objects.filter(application__vendor=vendor).count(),
        "checkins": CheckIn.objects.filter(application__vendor=vendor, arrived_at__isnull=False).count(),
        "status_changes": ApplicationStatusChange.objects.filter(application__vendor=vendor).count(),
    }
    fairs = list(applications.order_by("event__opens_at", "pk").values_list("event__name", flat=True))
    former = list(vendor.former_codes.order_by("tax_code").values_list("tax_code", flat=True))
    return MergeSide(vendor=vendor, fairs=fairs, counts=counts, former_codes=former)


def shared_fairs(keep: Vendor, duplicate: Vendor) -> list[str]:
    """The fairs both records have applied to (such a merge is refused: one application per fair)."""
    return list(
        Application.objects.filter(vendor=duplicate, event__applications__vendor=keep)
        .order_by("event__name")
        .values_list("event__name", flat=True)
    )


def _reusable(*, vendor_id, now=None):
    """The rule of what a business may reuse, in one place: its own documents of a type marked
    reusable, never an identity document (its consent is asked at every upload), uploaded within
    settings.DOCUMENT_REUSE_MONTHS. Expired or erased documents have no row left to offer."""
    since = months_after(timezone.localtime(now or timezone.now()), -settings.DOCUMENT_REUSE_MONTHS)
    return ApplicationDocument.objects.filter(
        application__vendor_id=vendor_id,
        document_type__reusable=True,
        document_type__personal=False,
        uploaded_at__gte=since,
    ).exclude(file="")


def reusable_documents(application: Application, document_type) -> list[ApplicationDocument]:
    """The documents of this type the business sent with its other applications, newest first, with
    their fair: the upload step offers to copy one ("the document you sent for <fair> on <date>")."""
    return list(
        _reusable(vendor_id=application.vendor_id)
        .filter(document_type=document_type)
        .exclude(application=application)
        .select_related("application__event")
        .order_by("-uploaded_at", "-pk")[:5]
    )


def documents_to_reuse(*, vendor, document_types, application=None, now=None) -> dict:
    """{document type id: the document offered for reuse} for a new application (or the draft
    `application`, whose own documents are not offered): per type, the one of the business's most
    recent application that has it (then the newest file). One query."""
    type_ids = [t.pk for t in document_types]
    if vendor is None or not type_ids:
        return {}
    documents = (
        _reusable(vendor_id=vendor.pk, now=now)
        .filter(document_type_id__in=type_ids)
        .exclude(application_id=getattr(application, "pk", None))
        .select_related("application__event")
        .order_by("-application__created_at", "-application_id", "-uploaded_at", "-pk")
    )
    offered = {}
    for document in documents:
        offered.setdefault(document.document_type_id, document)
    return offered
