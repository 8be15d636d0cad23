"""Writes of the business's own pages: its profile and logo, its products and their images.

Images arrive already checked and re-encoded (tuanhang.kernel.uploads.CleanImage, from the forms).
They are written under new random names before the rows change; if the transaction fails the
new files are removed, and the files they replace are removed only after the commit, so a row
never points to a missing file.
"""

from contextlib import contextmanager
from functools import partial

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Product, Vendor, VendorMember
from ..ocop import ocop_expiry
from ..selectors.profile import product_blocking_applications
from .core import vendor_save


class _FileSwap:
    def __init__(self):
        self.written: list[str] = []
        self.replaced: list[str] = []

    def put(self, instance, field: str, thumbnail_field: str, clean_image) -> None:
        """Write a re-encoded image and its thumbnail into the instance's fields (not saved)."""
        for name, content in ((field, clean_image.image), (thumbnail_field, clean_image.thumbnail)):
            fieldfile = getattr(instance, name)
            if fieldfile:
                self.replaced.append(fieldfile.name)
            fieldfile.save(content.name, content, save=False)
            self.written.append(fieldfile.name)

    def clear(self, instance, *fields: str) -> None:
        for name in fields:
            fieldfile = getattr(instance, name)
            if fieldfile:
                self.replaced.append(fieldfile.name)
            setattr(instance, name, "")

    def apply(self, instance, form, field: str, thumbnail_field: str) -> bool:
        """Put the form's new image, or clear the current one when asked; True if anything changed."""
        upload = form.cleaned_data.get(form.image_field)
        if upload:
            self.put(instance, field, thumbnail_field, upload)
            return True
        if form.cleaned_data.get(form.remove_field):
            self.clear(instance, field, thumbnail_field)
            return True
        return False


def delete_files(names) -> None:
    """Remove stored files (missing ones are ignored)."""
    for name in names:
        if name:
            default_storage.delete(name)


@contextmanager
def _atomic_with_files():
    """A transaction with a _FileSwap: new files go if it fails, replaced ones after it commits."""
    swap = _FileSwap()
    try:
        with transaction.atomic():
            yield swap
            transaction.on_commit(partial(delete_files, list(swap.replaced)), robust=True)
    except BaseException:
        delete_files(swap.written)
        raise


def vendor_profile_create(*, form, user) -> Vendor:
    """Create the business of a valid VendorProfileForm with `user` as its owner, and its logo.

    Raises ValidationError when the account already acts for a business or when the tax code
    was registered meanwhile (the form's message, which points to an invitation). Records when the
    owner consented to the processing of personal data (the form's required box)."""
    try:
        with _atomic_with_files() as files:
            vendor = vendor_save(form=form, by=user)
            if not VendorMember.objects.filter(user=user, vendor=vendor).exists():
                raise ValidationError(_("Your account already acts for a business."), code="has_vendor")
            if form.cleaned_data.get("personal_data_consent") and vendor.personal_data_consent_at is None:
                vendor.personal_data_consent_at = timezone.now()
                vendor.save(update_fields=["personal_data_consent_at", "updated_at"])
            if files.apply(vendor, form, "logo", "logo_thumbnail"):
                vendor.save(update_fields=["logo", "logo_thumbnail", "updated_at"])
    except IntegrityError:
        # Two requests raced past the form's checks; the database kept one of them.
        if Vendor.objects.filter(tax_code=form.cleaned_data["tax_code"]).exists():
            raise ValidationError({"tax_code": form.tax_code_registered_error()}) from None
        raise ValidationError(_("Your account already acts for a business."), code="has_vendor") from None
    return vendor


def vendor_profile_update(*, form) -> Vendor:
    """Save a valid VendorProfileForm bound to an existing business, with a new or removed logo."""
    try:
        with _atomic_with_files() as files:
            vendor = vendor_save(form=form)
            if files.apply(vendor, form, "logo", "logo_thumbnail"):
                vendor.save(update_fields=["logo", "logo_thumbnail", "updated_at"])
    except IntegrityError:
        raise ValidationError({"tax_code": form.tax_code_registered_error()}) from None
    return vendor


def product_save(*, form, vendor: Vendor) -> Product:
    """Create or update a product of `vendor` from a valid ProductForm, with its image.

    An OCOP certification given without an expiry date is valid 36 months from its decision."""
    with _atomic_with_files() as files:
        product = form.save(commit=False)
        product.vendor = vendor
        if product.ocop_decision_date and not product.ocop_expires_on:
            product.ocop_expires_on = ocop_expiry(product.ocop_decision_date)
        files.apply(product, form, "image", "image_thumbnail")
        product.save()
        form.save_m2m()
    return product


def product_delete(*, product: Product) -> None:
    """Delete a product and (after the commit) its image files.

    Raises ValidationError when the product is shown in an application that is under review or
    approved: the organisers decide on what was sent."""
    with transaction.atomic():
        locked = Product.objects.select_for_update().get(pk=product.pk)
        fairs = [application.event.name for application in product_blocking_applications(locked)]
        if fairs:
            raise ValidationError(
                _(
                    "“%(product)s” cannot be deleted: it is part of your application to %(fairs)s, which has been "
                    "submitted or approved."
                )
                % {"product": locked.name, "fairs": ", ".join(f"“{name}”" for name in fairs)},
                code="in_application",
            )
        files = [locked.image.name, locked.image_thumbnail.name]
        locked.delete()
        transaction.on_commit(partial(delete_files, files), robust=True)
