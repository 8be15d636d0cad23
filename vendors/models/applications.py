"""A business's application to a fair, its zone wishes, decisions, documents and payments."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tuanhang.kernel.models import HistoryRow, user_reference
from tuanhang.kernel.uploads import random_upload_path

from .businesses import Product, Vendor


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
    # The business's answers to the plain questions a fair's document rules depend on (None: not answered).
    attp_certificate_required = models.BooleanField(
        _("subject to the food-safety (ATTP) certificate"), null=True, blank=True
    )
    sells_packaged_food = models.BooleanField(
        _("sells packaged food needing a product self-declaration"), null=True, blank=True
    )
    terms_accepted_at = models.DateTimeField(_("terms accepted at"), null=True, blank=True, editable=False)
    note = models.TextField(_("note"), blank=True)
    decision_reason = models.TextField(_("decision reason"), blank=True)
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True, editable=False)
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True, editable=False)
    decided_by = user_reference(_("decided by"), editable=False)
    # The legal identity as it was when the application was approved: the fair's prints and exports
    # show what was approved, even after an identity change approved later (vendors.services.identity).
    approved_name = models.CharField(_("legal name when approved"), max_length=255, blank=True, editable=False)
    approved_kind = models.CharField(
        _("kind when approved"), max_length=3, choices=Vendor.Kind.choices, blank=True, editable=False
    )
    approved_tax_code = models.CharField(_("tax code when approved"), max_length=14, blank=True, editable=False)
    # Folded text the public directory searches: the business's search text and those of the products
    # shown at this fair. Kept by PostgreSQL triggers (migration 0023), whatever writes; empty on SQLite.
    search_text = models.TextField(blank=True, default="", editable=False)
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
    def identity_changed_since_approval(self) -> bool:
        """Whether the business's legal identity differs from the one its approval was given to."""
        vendor = self.vendor
        return bool(self.approved_tax_code) and (
            (self.approved_name, self.approved_kind, self.approved_tax_code)
            != (vendor.name, vendor.kind, vendor.tax_code)
        )


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


class ApplicationStatusChange(HistoryRow):
    """The record of one decision or status step on an application."""

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="status_changes", verbose_name=_("application")
    )
    from_status = models.CharField(_("from"), max_length=12, choices=Application.Status.choices)
    to_status = models.CharField(_("to"), max_length=12, choices=Application.Status.choices)
    reason = models.TextField(_("reason"), blank=True)

    class Meta(HistoryRow.Meta):
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
    uploaded_by = user_reference(_("uploaded by"), blank=False)
    # For a document with personal identity data: when the uploader agreed to its processing.
    consent_at = models.DateTimeField(_("consent to personal data processing"), null=True, blank=True, editable=False)
    # The document of another application this one is a copy of (reused for the next fair): lets an
    # unticked "reuse" box on the draft take back the copy it made, and nothing else.
    copied_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, editable=False, related_name="+"
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
    recorded_by = user_reference(_("recorded by"), blank=False)

    class Meta:
        ordering = ["application", "paid_on", "id"]
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="payment_amount_positive")]

    def __str__(self):
        amount = f"{self.amount:,}".replace(",", ".")
        return f"{amount} ₫ — {self.application}"


class AmountDue(models.Model):
    """What an application owes, as vendors.services.amounts.recompute_amount_due last computed it
    from the fair's fee schedule and the booths held (or requested): the one stored definition the
    lists, dashboard, letters and exports read. due = fee − subsidy = deposit + balance."""

    application = models.OneToOneField(
        Application, on_delete=models.CASCADE, primary_key=True, related_name="owed", verbose_name=_("application")
    )
    booths = models.PositiveSmallIntegerField(_("booths counted"), default=0)
    from_assigned = models.BooleanField(
        _("counted from assigned booths"), default=False, help_text=_("Otherwise from the booths requested.")
    )
    # [{"type": booth type id or None, "name": str, "count": int, "fee": fee of one booth}], in order.
    lines = models.JSONField(_("booths by type"), default=list, blank=True)
    fee = models.PositiveBigIntegerField(_("fee (VND)"), default=0)
    # Filled by the subsidy rules (issue 20 item 5); today the fair's subsidy share.
    subsidy = models.PositiveBigIntegerField(_("subsidy (VND)"), default=0)
    due = models.PositiveBigIntegerField(_("amount due (VND)"), default=0)
    deposit = models.PositiveBigIntegerField(_("deposit (VND)"), default=0)
    deposit_due_on = models.DateField(_("deposit due by"), null=True, blank=True)
    balance = models.PositiveBigIntegerField(_("balance (VND)"), default=0)
    balance_due_on = models.DateField(_("balance due by"), null=True, blank=True)
    computed_at = models.DateTimeField(_("computed at"), auto_now=True)

    class Meta:
        verbose_name = _("amount due")
        verbose_name_plural = _("amounts due")
        constraints = [
            models.CheckConstraint(condition=Q(subsidy__lte=models.F("fee")), name="amount_due_subsidy_within_fee"),
            models.CheckConstraint(
                condition=Q(due=models.F("fee") - models.F("subsidy")), name="amount_due_is_fee_less_subsidy"
            ),
            models.CheckConstraint(
                condition=Q(due=models.F("deposit") + models.F("balance")), name="amount_due_is_deposit_plus_balance"
            ),
        ]

    def __str__(self):
        return f"{self.due:,} ₫".replace(",", ".")
