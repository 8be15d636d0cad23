from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tuanhang.uploads import random_upload_path
from tuanhang.vn import fold, format_phone


class Vendor(models.Model):
    """A participating business: doanh nghiệp, hợp tác xã or hộ kinh doanh."""

    class Kind(models.TextChoices):
        DN = "DN", _("Enterprise (DN)")
        HTX = "HTX", _("Cooperative (HTX)")
        HKD = "HKD", _("Household business (HKD)")

    name = models.CharField(_("legal name"), max_length=255)
    short_name = models.CharField(_("short name for signs"), max_length=60, blank=True)
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
    # Accent-free copy of the names for search ("dong thap" finds "Đồng Tháp"); kept by save().
    search_text = models.CharField(max_length=600, blank=True, editable=False, db_index=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("participant")
        verbose_name_plural = _("participants")

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.search_text = fold(f"{self.name} {self.short_name} {self.tax_code}")
        if kwargs.get("update_fields") is not None:
            kwargs["update_fields"] = {*kwargs["update_fields"], "search_text"}
        super().save(*args, **kwargs)

    @property
    def display_phone(self) -> str:
        return format_phone(self.phone)

    @property
    def sign_name(self) -> str:
        return self.short_name or self.name


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
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("invited by")
    )
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("accepted by"),
    )

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
    name = models.CharField(_("name"), max_length=255)
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


class Application(models.Model):
    """A participant's request to take part in one fair."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        SUBMITTED = "submitted", _("Submitted")
        APPROVED = "approved", _("Approved")
        WAITLISTED = "waitlisted", _("Waitlisted")
        REJECTED = "rejected", _("Rejected")
        WITHDRAWN = "withdrawn", _("Withdrawn")
        CANCELLED = "cancelled", _("Cancelled")

    vendor = models.ForeignKey(
        Vendor, on_delete=models.CASCADE, related_name="applications", verbose_name=_("participant")
    )
    event = models.ForeignKey(
        "events.Event", on_delete=models.CASCADE, related_name="applications", verbose_name=_("fair")
    )
    status = models.CharField(_("status"), max_length=12, choices=Status.choices, default=Status.DRAFT)
    booths_requested = models.PositiveSmallIntegerField(
        _("booths requested"), default=1, validators=[MinValueValidator(1), MaxValueValidator(50)]
    )
    booth_type = models.ForeignKey(
        "events.BoothType",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="applications",
        verbose_name=_("booth type"),
    )
    zone_preferences = models.ManyToManyField(
        "events.Zone",
        through="ZonePreference",
        blank=True,
        related_name="+",
        verbose_name=_("zone preferences"),
    )
    categories = models.ManyToManyField(
        "events.Category", blank=True, related_name="applications", verbose_name=_("categories shown")
    )
    products = models.ManyToManyField(
        Product, blank=True, related_name="applications", verbose_name=_("products to show")
    )
    terms_accepted_at = models.DateTimeField(_("terms accepted at"), null=True, blank=True, editable=False)
    note = models.TextField(_("note"), blank=True)
    decision_reason = models.TextField(_("decision reason"), blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True, editable=False)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True, editable=False)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
        verbose_name=_("decided by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("application")
        verbose_name_plural = _("applications")
        constraints = [
            models.UniqueConstraint(fields=["vendor", "event"], name="application_one_per_vendor_and_event"),
            models.CheckConstraint(condition=Q(booths_requested__gte=1), name="application_booths_requested_positive"),
        ]
        indexes = [models.Index(fields=["event", "status"])]

    def __str__(self):
        return f"{self.vendor} — {self.event}"

    @property
    def fee_due(self) -> int:
        """booths × fee × (1 − subsidy), in VND."""
        return self.booths_requested * self.event.fee_after_subsidy


class ZonePreference(models.Model):
    """An application's ranked wish for a zone (rank 1 = first choice)."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="zone_ranks", verbose_name=_("application")
    )
    zone = models.ForeignKey("events.Zone", on_delete=models.CASCADE, related_name="+", verbose_name=_("zone"))
    rank = models.PositiveSmallIntegerField(_("rank"), validators=[MinValueValidator(1)])

    class Meta:
        ordering = ["application", "rank"]
        verbose_name = _("zone preference")
        verbose_name_plural = _("zone preferences")
        constraints = [
            models.UniqueConstraint(fields=["application", "zone"], name="zone_preference_once_per_zone"),
            models.UniqueConstraint(fields=["application", "rank"], name="zone_preference_unique_rank"),
        ]

    def __str__(self):
        return f"{self.rank}. {self.zone}"


class ApplicationStatusChange(models.Model):
    """The record of one decision or status step on an application."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="status_changes", verbose_name=_("application")
    )
    from_status = models.CharField(_("from"), max_length=12, choices=Application.Status.choices)
    to_status = models.CharField(_("to"), max_length=12, choices=Application.Status.choices)
    reason = models.TextField(_("reason"), blank=True)
    changed_at = models.DateTimeField(_("at"), auto_now_add=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("by"),
    )

    class Meta:
        ordering = ["-changed_at", "-id"]
        verbose_name = _("application status change")
        verbose_name_plural = _("application status changes")

    def __str__(self):
        return f"{self.application}: {self.get_from_status_display()} → {self.get_to_status_display()}"


class ApplicationDocument(models.Model):
    """A document attached to an application (one current file per document type)."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="documents", verbose_name=_("application")
    )
    document_type = models.ForeignKey(
        "events.DocumentType", on_delete=models.PROTECT, related_name="+", verbose_name=_("document type")
    )
    file = models.FileField(_("file"), upload_to=random_upload_path("documents"))
    original_name = models.CharField(_("file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=60)
    size = models.PositiveIntegerField(_("size (bytes)"))
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("uploaded by")
    )

    class Meta:
        ordering = ["application", "document_type"]
        verbose_name = _("application document")
        verbose_name_plural = _("application documents")
        constraints = [
            models.UniqueConstraint(fields=["application", "document_type"], name="document_one_per_type"),
        ]

    def __str__(self):
        return f"{self.document_type}: {self.original_name}"


class Payment(models.Model):
    """Money received from a participant for an application, recorded by the organisers."""

    class Method(models.TextChoices):
        TRANSFER = "transfer", _("Bank transfer")
        CASH = "cash", _("Cash")
        OTHER = "other", _("Other")

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="payments", verbose_name=_("application")
    )
    amount = models.PositiveBigIntegerField(_("amount (VND)"), validators=[MinValueValidator(1)])
    paid_on = models.DateField(_("paid on"))
    method = models.CharField(_("method"), max_length=10, choices=Method.choices, default=Method.TRANSFER)
    reference = models.CharField(_("reference"), max_length=120, blank=True)
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("recorded by")
    )

    class Meta:
        ordering = ["application", "paid_on", "id"]
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="payment_amount_positive")]

    def __str__(self):
        amount = f"{self.amount:,}".replace(",", ".")
        return f"{amount} ₫ — {self.application}"


# Setup-day check-in lives in its own module; importing it here makes its models part of this app.
from .models_checkin import CheckIn, CheckInChange  # noqa: E402, F401
