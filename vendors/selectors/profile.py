"""Reads of the business's own pages: its products, communes of a province, stored files."""

from dataclasses import dataclass
from pathlib import PurePosixPath

from django.conf import settings
from django.db.models import Exists, F, OuterRef
from django.db.models.fields.files import FieldFile
from django.db.models.functions import Collate
from django.urls import reverse
from django.utils import translation

from events.models import Commune, Province
from events.policy import fairs_filter
from tuanhang.kernel.collation import VI_COLLATION
from tuanhang.kernel.sites import site_url
from tuanhang.kernel.vn import fold, sort_key

from ..models import Application, ApplicationDocument, Product, Vendor

A = Application.Status

# A product shown in an application the organisers are deciding on, or have approved, stays.
PRODUCT_LOCKING_STATUSES = (A.SUBMITTED, A.WAITLISTED, A.APPROVED)


def vendor_products(vendor: Vendor):
    """The business's products in Vietnamese name order, with category and origin, and whether
    an application under review or approved shows each (`in_application`)."""
    shown = Application.objects.filter(products=OuterRef("pk"), status__in=PRODUCT_LOCKING_STATUSES)
    return (
        Product.objects.filter(vendor=vendor)
        .select_related("category", "origin_province")
        .annotate(in_application=Exists(shown))
        .order_by(Collate("name", VI_COLLATION), "pk")
    )


def product_blocking_applications(product: Product):
    """The applications under review or approved that show the product (they keep it from deletion)."""
    return list(
        Application.objects.filter(products=product, status__in=PRODUCT_LOCKING_STATUSES)
        .select_related("event")
        .order_by("event__opens_at", "pk")
    )


def province_choices():
    """The 34 provinces in Vietnamese order, and for each the accent-free names it is searched by
    (its name and the pre-2025 provinces merged into it: "hai duong" finds Hải Phòng)."""
    provinces = sorted(Province.objects.all(), key=lambda p: sort_key(p.name))
    choices = [(p.code, p.name) for p in provinces]
    search = {
        p.code: " ".join(dict.fromkeys(fold(n) for n in [p.name, *p.merged_from.split(";")] if n.strip()))
        for p in provinces
    }
    return choices, search


def commune_label_key(commune) -> tuple:
    """Communes sort by their proper name ("An Lão" before "Bạch Đằng"), whatever their kind."""
    name = commune.name
    prefix = f"{commune.kind} "
    if commune.kind and name.lower().startswith(prefix.lower()):
        name = name[len(prefix) :]
    return sort_key(name)


def commune_options(province_code):
    """(code, name) of the communes of one province in Vietnamese order; [] for no province."""
    if not province_code:
        return []
    communes = Commune.objects.filter(province_id=province_code).only("code", "name", "kind")
    return [(c.code, c.name) for c in sorted(communes, key=commune_label_key)]


def province_communes(province_code: str) -> list[dict]:
    """The communes of one province for the profile page's select: code, name, search text."""
    communes = Commune.objects.filter(province_id=province_code).only("code", "name", "kind")
    return [{"code": c.code, "name": c.name, "search": fold(c.name)} for c in sorted(communes, key=commune_label_key)]


# --- stored files -----------------------------------------------------------------------------

INLINE_TYPES = {"image/jpeg", "image/png", "image/webp", "application/pdf"}
_IMAGE_TYPES = {".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png", ".webp": "image/webp"}


@dataclass
class StoredFile:
    file: FieldFile
    owner_id: int  # the Vendor the file belongs to
    content_type: str
    filename: str
    event_id: int | None = None  # a document: the fair of the application it was sent with
    is_document: bool = False
    personal: bool = False  # a document of a type with personal identity data (an ID card)

    @property
    def inline(self) -> bool:
        """Logos and product pictures (re-encoded images) show in pages; a document, whatever its
        type, is only ever downloaded from the site's own origin (staff look at page previews)."""
        return not self.is_document and self.content_type in INLINE_TYPES


def _image(kind, obj, field, owner_id) -> StoredFile | None:
    fieldfile = getattr(obj, field)
    if not fieldfile:
        return None
    ext = PurePosixPath(fieldfile.name).suffix.lower()
    content_type = _IMAGE_TYPES.get(ext, "application/octet-stream")
    return StoredFile(fieldfile, owner_id, content_type, f"{kind}-{obj.pk}{ext}")


def stored_file(kind: str, pk: int) -> StoredFile | None:
    """The file of one kind (logo, logo_thumb, product, product_thumb, document) of one row, with
    the business it belongs to; None when there is no such row or no file."""
    if kind in ("logo", "logo_thumb"):
        vendor = Vendor.objects.filter(pk=pk).only("pk", "logo", "logo_thumbnail").first()
        field = "logo" if kind == "logo" else "logo_thumbnail"
        return vendor and _image(kind, vendor, field, vendor.pk)
    if kind in ("product", "product_thumb"):
        product = Product.objects.filter(pk=pk).only("pk", "vendor_id", "image", "image_thumbnail").first()
        field = "image" if kind == "product" else "image_thumbnail"
        return product and _image(kind, product, field, product.vendor_id)
    if kind == "document":
        document = (
            ApplicationDocument.objects.filter(pk=pk)
            .annotate(
                owner_id=F("application__vendor_id"),
                event_id=F("application__event_id"),
                personal=F("document_type__personal"),
            )
            .only("pk", "file", "content_type", "original_name")
            .first()
        )
        if document is None or not document.file:
            return None
        # The type was found from the content at upload; anything else is only ever downloaded.
        content_type = document.content_type if document.content_type in INLINE_TYPES else "application/octet-stream"
        filename = document.original_name or PurePosixPath(document.file.name).name
        return StoredFile(
            document.file,
            document.owner_id,
            content_type,
            filename,
            document.event_id,
            is_document=True,
            personal=document.personal,
        )
    return None


def vendor_seen_by(user, vendor_id: int, capability: str) -> bool:
    """Whether the business applied to a fair where `user` has `capability` (a superuser: always).
    One query."""
    if user.is_superuser:
        return True
    fairs = fairs_filter(user, capability, prefix="event__")
    return Application.objects.filter(fairs, vendor_id=vendor_id).exists()


def exhibitor_url(event_slug: str, vendor_id: int) -> str:
    """The business's public page at the fair, as an absolute address (QR codes on booth signs), in
    the default language: the sign is printed once for every visitor."""
    with translation.override(settings.LANGUAGE_CODE):
        path = reverse("vendors:exhibitor", args=[event_slug, int(vendor_id)])
    return site_url(path)
