"""Organisers and their fairs: the fair, its status history, programme, zones and booth types."""

from decimal import Decimal

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from tuanhang.kernel.codes import upper_code, validate_code
from tuanhang.kernel.models import HistoryRow, user_reference

from .reference import Category, DocumentType, Province


class Organiser(models.Model):
    """The organising body of fairs, e.g. a provincial trade-promotion centre."""

    name = models.CharField(_("name"), max_length=255, unique=True)
    short_name = models.CharField(_("short name"), max_length=80, blank=True)
    parent_body = models.CharField(_("parent body"), max_length=255, blank=True)
    address = models.CharField(_("address"), max_length=255, blank=True)
    # Printed on receipts and refund vouchers (issue 20 item 4).
    tax_code = models.CharField(_("tax code"), max_length=14, blank=True)
    province = models.ForeignKey(
        Province, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("province")
    )
    phone = models.CharField(_("phone"), max_length=16, blank=True)
    email = models.EmailField(_("email"), blank=True)
    representative = models.CharField(_("representative"), max_length=120, blank=True)
    personal_documents_months = models.PositiveSmallIntegerField(
        _("months to keep ID documents"),
        default=24,
        validators=[MinValueValidator(1), MaxValueValidator(120)],
        help_text=_(
            "Documents with personal identity data (ID cards) are removed this many months after the fair ends "
            "(1 to 120)."
        ),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("organiser")
        verbose_name_plural = _("organisers")
        constraints = [
            models.CheckConstraint(
                condition=Q(personal_documents_months__gte=1, personal_documents_months__lte=120),
                name="organiser_personal_months_range",
            )
        ]

    def __str__(self):
        return self.short_name or self.name


class EventQuerySet(models.QuerySet):
    def for_user(self, user, capability=None):
        """The fairs `user` may see (or where it has `capability`): events/policy.py decides."""
        from ..policy import fairs_filter

        return self.filter(fairs_filter(user, capability))


class Event(models.Model):
    """A fair: where and when, its registration window, fees and rules."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        REGISTRATION_OPEN = "registration_open", _("Registration open")
        REGISTRATION_CLOSED = "registration_closed", _("Registration closed")
        RUNNING = "running", _("Running")
        FINISHED = "finished", _("Finished")
        ARCHIVED = "archived", _("Archived")

    name = models.CharField(_("name"), max_length=255)
    slug = models.SlugField(_("slug"), max_length=120, unique=True)
    organiser = models.ForeignKey(
        Organiser, on_delete=models.PROTECT, related_name="events", verbose_name=_("organiser")
    )
    description = models.TextField(_("description"), blank=True)
    venue = models.CharField(_("venue"), max_length=255)
    address = models.CharField(_("address"), max_length=255, blank=True)
    province = models.ForeignKey(Province, on_delete=models.PROTECT, related_name="+", verbose_name=_("province"))
    opens_at = models.DateTimeField(_("opens at"))
    closes_at = models.DateTimeField(_("closes at"))
    setup_at = models.DateTimeField(_("booth handover at"), null=True, blank=True)
    registration_opens_at = models.DateTimeField(_("registration opens at"))
    registration_closes_at = models.DateTimeField(_("registration closes at"))
    daily_hours = models.CharField(_("daily opening hours"), max_length=40, blank=True, default="8:00–22:00")
    status = models.CharField(_("status"), max_length=20, choices=Status.choices, default=Status.DRAFT)
    status_changed_at = models.DateTimeField(_("status changed at"), null=True, blank=True, editable=False)
    status_changed_by = user_reference(_("status changed by"), editable=False)
    # The fee schedule: what a participant owes is computed from it by vendors.services.amounts.
    booth_fee = models.PositiveBigIntegerField(
        _("fee per booth (VND)"), default=0, help_text=_("For every booth type without a fee of its own.")
    )
    subsidy_percent = models.PositiveSmallIntegerField(
        _("subsidy (%)"),
        default=0,
        validators=[MaxValueValidator(100)],
        help_text=_("Share of the booth fee paid by a support programme, taken off what the participant owes."),
    )
    deposit = models.PositiveBigIntegerField(
        _("deposit (VND)"),
        default=0,
        help_text=_("A fixed first payment; the rest of the amount due is the balance. 0 with no share: no deposit."),
    )
    deposit_percent = models.PositiveSmallIntegerField(
        _("deposit (% of the amount due)"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(100)],
        help_text=_("Instead of a fixed deposit: this share of what each participant owes, rounded to the đồng."),
    )
    deposit_due_on = models.DateField(_("deposit due by"), null=True, blank=True)
    balance_due_on = models.DateField(
        _("balance due by"), null=True, blank=True, help_text=_("Usually before the booths are handed over.")
    )
    bank_account = models.ForeignKey(
        "events.OrganiserBankAccount",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("receiving bank account"),
    )
    subsidy_programme = models.ForeignKey(
        "events.SubsidyProgramme",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="events",
        verbose_name=_("subsidy programme"),
        help_text=_("The khuyến công programme paying part of the booth fee; it replaces the subsidy share above."),
    )
    handover_requires_full_payment = models.BooleanField(
        _("booth handed over only when paid in full"),
        default=False,
        help_text=_("Check-in refuses the handover while the participant still owes money."),
    )
    # What the e-invoice export writes in the VAT rate column; the organiser's e-invoice provider
    # issues the invoice (issue 20 item 4).
    invoice_vat_rate = models.CharField(
        _("VAT rate on invoices"),
        max_length=5,
        choices=[
            ("KCT", _("Not subject to VAT (KCT)")),
            ("KKKNT", _("Not declared (KKKNT)")),
            ("0", "0 %"),
            ("5", "5 %"),
            ("8", "8 %"),
            ("10", "10 %"),
        ],
        default="KCT",
        help_text=_("Written in the e-invoice export for the organiser's invoice provider."),
    )
    max_booths_per_participant = models.PositiveSmallIntegerField(
        _("maximum booths per participant"), default=2, validators=[MinValueValidator(1)]
    )
    categories = models.ManyToManyField(
        Category, blank=True, related_name="events", verbose_name=_("allowed product categories")
    )
    required_documents = models.ManyToManyField(
        DocumentType,
        blank=True,
        related_name="events",
        verbose_name=_("required documents"),
        help_text=_("Asked of every business. Documents asked only of some go in the document rules below."),
    )
    terms = models.TextField(
        _("terms of participation"),
        blank=True,
        help_text=_("Shown to the business next to the box it ticks to accept them when it submits."),
    )
    allow_self_selection = models.BooleanField(_("participants pick their own booths"), default=False)
    selection_closes_at = models.DateTimeField(
        _("booth choice closes at"),
        null=True,
        blank=True,
        help_text=_("Until when participants may pick or change their booths; empty means until registration closes."),
    )
    hall_width_m = models.DecimalField(_("hall width (m)"), max_digits=6, decimal_places=2, default=60)
    hall_depth_m = models.DecimalField(_("hall depth (m)"), max_digits=6, decimal_places=2, default=40)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["-opens_at"]
        verbose_name = _("fair")
        verbose_name_plural = _("fairs")
        constraints = [
            models.CheckConstraint(condition=Q(closes_at__gt=F("opens_at")), name="event_closes_after_opening"),
            models.CheckConstraint(
                condition=Q(registration_closes_at__gt=F("registration_opens_at")),
                name="event_registration_window_ordered",
            ),
            models.CheckConstraint(
                condition=Q(registration_closes_at__lte=F("opens_at")), name="event_registration_closes_before_opening"
            ),
            models.CheckConstraint(condition=Q(subsidy_percent__lte=100), name="event_subsidy_at_most_100"),
            models.CheckConstraint(
                condition=Q(deposit_percent__isnull=True)
                | Q(deposit_percent__gte=1, deposit_percent__lte=100, deposit=0),
                name="event_deposit_amount_or_share",
            ),
            models.CheckConstraint(
                condition=Q(deposit_due_on__isnull=True)
                | Q(balance_due_on__isnull=True)
                | Q(deposit_due_on__lte=F("balance_due_on")),
                name="event_deposit_due_before_balance",
            ),
            models.CheckConstraint(condition=Q(max_booths_per_participant__gte=1), name="event_max_booths_positive"),
        ]

    def __str__(self):
        return self.name

    @property
    def booth_choice_deadline(self):
        return self.selection_closes_at or self.registration_closes_at


class EventStatusChange(HistoryRow):
    """One step in a fair's life cycle: who moved it, from where to where, and when."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="status_changes", verbose_name=_("fair"))
    from_status = models.CharField(_("from"), max_length=20, choices=Event.Status.choices)
    to_status = models.CharField(_("to"), max_length=20, choices=Event.Status.choices)

    class Meta(HistoryRow.Meta):
        verbose_name = _("fair status change")
        verbose_name_plural = _("fair status changes")

    def __str__(self):
        return f"{self.event}: {self.get_from_status_display()} → {self.get_to_status_display()}"


class ProgrammeItem(models.Model):
    """One entry of a fair's programme: the opening ceremony, a tasting, a talk, the closing."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="programme", verbose_name=_("fair"))
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"), null=True, blank=True)
    title = models.CharField(_("title"), max_length=200)
    place = models.CharField(_("place"), max_length=120, blank=True, help_text=_("E.g. the stage, zone A."))
    description = models.TextField(_("description"), blank=True)

    class Meta:
        ordering = ["event", "starts_at", "id"]
        verbose_name = _("programme item")
        verbose_name_plural = _("programme")
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__isnull=True) | Q(ends_at__gt=F("starts_at")),
                name="programme_item_ends_after_start",
            ),
        ]

    def __str__(self):
        return self.title


class Zone(models.Model):
    """A themed area of a fair's hall: "Khu OCOP", "Khu nông sản"…"""

    event = models.ForeignKey("Event", on_delete=models.CASCADE, related_name="zones", verbose_name=_("fair"))
    code = models.CharField(
        _("code"), max_length=8, validators=[validate_code], help_text=_("Prefix of its booth codes, e.g. A.")
    )
    name = models.CharField(_("name"), max_length=120)
    colour = models.CharField(_("colour"), max_length=7, default="#4e79a7", help_text=_("Hex colour on the map."))
    categories = models.ManyToManyField(
        "Category",
        blank=True,
        related_name="zones",
        verbose_name=_("allowed categories"),
        help_text=_("Empty means every category of the fair."),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        db_table = "booths_zone"  # the table it had in the booths app (issue 15 moved it here)
        ordering = ["event", "position", "code"]
        verbose_name = _("zone")
        verbose_name_plural = _("zones")
        constraints = [
            models.UniqueConstraint(fields=["event", "code"], name="zone_code_unique_per_event"),
            models.CheckConstraint(condition=Q(colour__regex=r"^#[0-9A-Fa-f]{6}$"), name="zone_colour_hex"),
        ]

    def __str__(self):
        return f"{self.code} – {self.name}"

    def clean(self):
        self.code = upper_code(self.code)


class BoothType(models.Model):
    """A booth size and its price at one fair; the standard booth is 3 m × 3 m."""

    event = models.ForeignKey("Event", on_delete=models.CASCADE, related_name="booth_types", verbose_name=_("fair"))
    code = models.SlugField(_("code"), max_length=20, validators=[validate_code])
    name = models.CharField(_("name"), max_length=120)
    width_m = models.DecimalField(_("width (m)"), max_digits=5, decimal_places=2, default=Decimal("3"))
    depth_m = models.DecimalField(_("depth (m)"), max_digits=5, decimal_places=2, default=Decimal("3"))
    price = models.PositiveBigIntegerField(
        _("fee per booth (VND)"), null=True, blank=True, help_text=_("Empty: the fair's fee per booth.")
    )
    is_standard = models.BooleanField(_("standard booth"), default=False)
    equipment = models.CharField(
        _("equipment"),
        max_length=255,
        blank=True,
        help_text=_("What comes with a booth of this type, as the handover record lists it, e.g. “1 table, 2 chairs”."),
    )

    class Meta:
        db_table = "booths_boothtype"  # the table it had in the booths app (issue 15 moved it here)
        ordering = ["event", "-is_standard", "name"]
        verbose_name = _("booth type")
        verbose_name_plural = _("booth types")
        constraints = [
            models.UniqueConstraint(fields=["event", "code"], name="booth_type_code_unique_per_event"),
            models.CheckConstraint(condition=Q(width_m__gt=0) & Q(depth_m__gt=0), name="booth_type_positive_size"),
        ]

    def __str__(self):
        # The name as staff wrote it, with the size unless the name already says it
        # ("Gian tiêu chuẩn 3 × 3 m", never "… 3 × 3 m (3 × 3 m)"); never the internal code.
        size = f"{self.width_m.normalize():f} × {self.depth_m.normalize():f} m"
        return self.name if size in self.name else f"{self.name} ({size})"


class FairDocumentRule(models.Model):
    """A document a fair asks for under conditions, all of which must hold (an empty condition
    holds for everyone). Rules sharing a group name are alternatives: any one uploaded document of
    the group's rules that hold satisfies it. Evaluated by events.document_rules; the documents in
    Event.required_documents are asked of everyone without a rule."""

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="document_rules", verbose_name=_("fair"))
    document_type = models.ForeignKey(
        DocumentType, on_delete=models.PROTECT, related_name="+", verbose_name=_("document type")
    )
    # Business kinds (Vendor.Kind codes) separated by commas; empty: every kind.
    kinds = models.CharField(_("business kinds"), max_length=40, blank=True)
    shows_ocop = models.BooleanField(
        _("shows OCOP products"), null=True, blank=True, help_text=_("Among the products chosen for this fair.")
    )
    shows_food = models.BooleanField(
        _("shows food"), null=True, blank=True, help_text=_("A chosen category or product category marked as food.")
    )
    sells_packaged_food = models.BooleanField(
        _("sells packaged food needing a self-declaration"),
        null=True,
        blank=True,
        help_text=_("Asked on the application."),
    )
    attp_certificate_required = models.BooleanField(
        _("subject to the food-safety certificate"), null=True, blank=True, help_text=_("Asked on the application.")
    )
    group = models.CharField(
        _("one-of group"),
        max_length=60,
        blank=True,
        help_text=_("Rules with the same group name are alternatives: one document of the group is enough."),
    )
    note = models.CharField(_("note to the business"), max_length=255, blank=True)
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["event", "position", "id"]
        verbose_name = _("document rule")
        verbose_name_plural = _("document rules")

    def __str__(self):
        return f"{self.document_type}"

    @property
    def kind_set(self) -> frozenset[str]:
        return frozenset(k for k in self.kinds.split(",") if k)


class CategoryAlias(models.Model):
    """A word an organiser's own lists use for one of our categories ("Hàng thủ công" → "Thủ công
    mỹ nghệ – làng nghề"), confirmed by its staff at an import and used by the next ones. `word`
    is stored as events.categories.category_key() writes it."""

    organiser = models.ForeignKey(
        Organiser, on_delete=models.CASCADE, related_name="category_aliases", verbose_name=_("organiser")
    )
    word = models.CharField(_("word in the organiser's lists"), max_length=120)
    category = models.ForeignKey(
        "events.Category", on_delete=models.CASCADE, related_name="aliases", verbose_name=_("category")
    )

    class Meta:
        ordering = ["organiser", "word"]
        verbose_name = _("category alias")
        verbose_name_plural = _("category aliases")
        constraints = [models.UniqueConstraint(fields=["organiser", "word"], name="category_alias_unique_word")]

    def __str__(self):
        return f"{self.word} → {self.category}"
