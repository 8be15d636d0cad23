"""The participating businesses, the accounts acting for them and their products."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tuanhang.kernel.models import user_reference
from tuanhang.kernel.pdf.glyphs import validate_printable
from tuanhang.kernel.uploads import random_upload_path
from tuanhang.kernel.vn import fold, format_phone, join_address

from ..search import vendor_search_text


class Vendor(models.Model):
    """A participating business: doanh nghiệp, hợp tác xã or hộ kinh doanh."""

    class Kind(models.TextChoices):
        DN = "DN", _("Enterprise (DN)")
        HTX = "HTX", _("Cooperative (HTX)")
        HKD = "HKD", _("Household business (HKD)")

    # Printed on signs, lists and letters: only what the printing fonts draw (no emoji).
    name = models.CharField(_("legal name"), max_length=255, validators=[validate_printable])
    short_name = models.CharField(_("short name for signs"), max_length=60, blank=True, validators=[validate_printable])
    kind = models.CharField(_("kind"), max_length=3, choices=Kind.choices)
    tax_code = models.CharField(
        _("tax code"),
        max_length=14,
        unique=True,
        help_text=_("10-digit enterprise code, branch code 0100109106-001, or a household's 12-digit personal ID."),
    )
    province = models.ForeignKey(
        "events.Province", on_delete=models.PROTECT, related_name="vendors", verbose_name=_("province / city")
    )
    commune = models.ForeignKey(
        "events.Commune",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("commune / ward"),
    )
    address = models.CharField(_("address"), max_length=255, blank=True)
    representative = models.CharField(_("representative"), max_length=120, blank=True)
    contact_name = models.CharField(_("contact person"), max_length=120, blank=True)
    phone = models.CharField(_("phone"), max_length=16, blank=True, help_text=_("Stored in E.164 form (+84…)."))
    email = models.EmailField(_("email"), blank=True)
    website = models.URLField(_("website"), blank=True)
    logo = models.ImageField(_("logo"), upload_to=random_upload_path("logos"), blank=True)
    logo_thumbnail = models.ImageField(
        _("logo thumbnail"), upload_to=random_upload_path("logos/thumbs"), blank=True, editable=False
    )
    description = models.TextField(_("description"), blank=True)
    categories = models.ManyToManyField(
        "events.Category", blank=True, related_name="vendors", verbose_name=_("product categories")
    )
    users = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        through="VendorMember",
        blank=True,
        related_name="vendors",
        verbose_name=_("user accounts"),
    )
    # Accent-free copy of the names and places for search ("dong thap" finds "Đồng Tháp"); kept by
    # save(), rule in vendors/search.py.
    search_text = models.CharField(max_length=600, blank=True, editable=False, db_index=True)
    # When the owner agreed to the processing of personal data for the stated purpose (at registration).
    personal_data_consent_at = models.DateTimeField(
        _("consent to personal data processing"), null=True, blank=True, editable=False
    )
    # Set when an erasure request was carried out: the record keeps only what the law requires.
    erased_at = models.DateTimeField(_("personal data erased at"), null=True, blank=True, editable=False)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("participant")
        verbose_name_plural = _("participants")

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.search_text = vendor_search_text(self)
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_text"}
        super().save(*args, **kwargs)

    @property
    def display_phone(self) -> str:
        return format_phone(self.phone)

    @property
    def sign_name(self) -> str:
        return self.short_name or self.name

    @property
    def full_address(self) -> str:
        """Address, commune, province (tuanhang.kernel.vn.join_address); load commune and
        province with the business (select_related) when printing many."""
        commune = self.commune.name if self.commune_id else ""
        return join_address(self.address, commune, self.province.name)


class VendorMember(models.Model):
    """A user account acting for a business. One business per account (the OneToOne)."""

    class Role(models.TextChoices):
        OWNER = "owner", _("Owner")
        MEMBER = "member", _("Colleague")

    vendor = models.ForeignKey(
        Vendor, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("participant")
    )
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="vendor_membership", verbose_name=_("account")
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.OWNER)
    created_at = models.DateTimeField(_("since"), auto_now_add=True)

    class Meta:
        ordering = ["vendor", "created_at"]
        verbose_name = _("account of a participant")
        verbose_name_plural = _("accounts of participants")

    def __str__(self):
        return f"{self.user} @ {self.vendor}"


class VendorInvitation(models.Model):
    """An owner's invitation to a colleague's email to act for the same business."""

    vendor = models.ForeignKey(
        Vendor, on_delete=models.CASCADE, related_name="invitations", verbose_name=_("participant")
    )
    email = models.EmailField(_("email"))
    token = models.CharField(max_length=64, unique=True, editable=False)
    invited_by = user_reference(_("invited by"), blank=False)
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    accepted_by = user_reference(_("accepted by"))

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self):
        return f"{self.email} → {self.vendor}"


class Product(models.Model):
    """A product a participant sells, optionally OCOP-certified."""

    class Stars(models.IntegerChoices):
        THREE = 3, _("3 stars")
        FOUR = 4, _("4 stars")
        FIVE = 5, _("5 stars")

    vendor = models.ForeignKey(Vendor, on_delete=models.CASCADE, related_name="products", verbose_name=_("participant"))
    name = models.CharField(_("name"), max_length=255, validators=[validate_printable])
    category = models.ForeignKey(
        "events.Category", on_delete=models.PROTECT, related_name="products", verbose_name=_("category")
    )
    origin_province = models.ForeignKey(
        "events.Province",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("province of origin"),
    )
    image = models.ImageField(_("image"), upload_to=random_upload_path("products"), blank=True)
    image_thumbnail = models.ImageField(
        _("thumbnail"), upload_to=random_upload_path("products/thumbs"), blank=True, editable=False
    )
    description = models.TextField(_("description"), blank=True)
    ocop_stars = models.PositiveSmallIntegerField(_("OCOP stars"), choices=Stars.choices, null=True, blank=True)
    ocop_decision_number = models.CharField(_("OCOP decision number"), max_length=60, blank=True)
    ocop_decision_date = models.DateField(_("OCOP decision date"), null=True, blank=True)
    ocop_issuer = models.CharField(_("OCOP issued by"), max_length=160, blank=True)
    ocop_expires_on = models.DateField(_("OCOP valid until"), null=True, blank=True)
    search_text = models.CharField(max_length=300, blank=True, editable=False, db_index=True)

    class Meta:
        ordering = ["vendor", "name"]
        verbose_name = _("product")
        verbose_name_plural = _("products")
        constraints = [
            models.CheckConstraint(
                condition=Q(ocop_stars__isnull=True) | Q(ocop_stars__in=[3, 4, 5]), name="product_ocop_stars_3_to_5"
            ),
        ]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.search_text = fold(self.name)
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_text"}
        super().save(*args, **kwargs)


class VendorFormerCode(models.Model):
    """A tax code the business was known by before (a household's old 10-digit code after it moved to
    its personal ID, or the code of a duplicate record merged into this one). Registration and the
    importer find the business by it, so the old code does not open a second record."""

    vendor = models.ForeignKey(
        Vendor, on_delete=models.CASCADE, related_name="former_codes", verbose_name=_("participant")
    )
    tax_code = models.CharField(_("former tax code"), max_length=14, unique=True)
    note = models.CharField(_("note"), max_length=255, blank=True)
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        ordering = ["vendor", "-recorded_at"]
        verbose_name = _("former tax code")
        verbose_name_plural = _("former tax codes")

    def __str__(self):
        return self.tax_code


class IdentityChangeRequest(models.Model):
    """A business's request to change its legal identity (tax code, legal name, kind) after it has
    applied to a fair: organisers rely on that identity, so the installation's administrators
    approve it (vendors.services.registry)."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for the administrators' approval")
        APPROVED = "approved", _("Approved")
        REJECTED = "rejected", _("Rejected")

    vendor = models.ForeignKey(
        Vendor, on_delete=models.CASCADE, related_name="identity_changes", verbose_name=_("participant")
    )
    old_name = models.CharField(_("legal name before"), max_length=255)
    old_kind = models.CharField(_("kind before"), max_length=3, choices=Vendor.Kind.choices)
    old_tax_code = models.CharField(_("tax code before"), max_length=14)
    new_name = models.CharField(_("legal name asked for"), max_length=255)
    new_kind = models.CharField(_("kind asked for"), max_length=3, choices=Vendor.Kind.choices)
    new_tax_code = models.CharField(_("tax code asked for"), max_length=14)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    requested_by = user_reference(_("requested by"))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = user_reference(_("decided by"))
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = _("legal identity change")
        verbose_name_plural = _("legal identity changes")
        constraints = [
            models.UniqueConstraint(
                fields=["vendor"], condition=Q(status="pending"), name="identity_change_one_pending_per_vendor"
            ),
        ]

    def __str__(self):
        return f"{self.old_tax_code} → {self.new_tax_code}"

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.PENDING


class VendorMerge(models.Model):
    """The log of one merge of two records of the same business: the duplicate's rows moved to the
    kept record and the duplicate deleted. The duplicate is named by value: its row is gone."""

    kept = models.ForeignKey(
        Vendor,
        on_delete=models.SET_NULL,
        null=True,
        related_name="merges",
        verbose_name=_("kept participant"),
    )
    kept_tax_code = models.CharField(_("kept tax code"), max_length=14)
    merged_tax_code = models.CharField(_("merged tax code"), max_length=14)
    merged_name = models.CharField(_("merged legal name"), max_length=255)
    merged_vendor_id = models.PositiveBigIntegerField(_("merged record id"))
    moved = models.JSONField(_("rows moved"), default=dict)
    merged_at = models.DateTimeField(_("merged at"), auto_now_add=True)
    merged_by = user_reference(_("merged by"))

    class Meta:
        ordering = ["-merged_at", "-id"]
        verbose_name = _("merge of participants")
        verbose_name_plural = _("merges of participants")

    def __str__(self):
        return f"{self.merged_tax_code} → {self.kept_tax_code}"
