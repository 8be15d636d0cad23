from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Zone(models.Model):
    """A themed area of a fair's hall: "Khu OCOP", "Khu nông sản"…"""

    event = models.ForeignKey("events.Event", on_delete=models.CASCADE, related_name="zones", verbose_name=_("fair"))
    code = models.CharField(_("code"), max_length=8, help_text=_("Prefix of its booth codes, e.g. A."))
    name = models.CharField(_("name"), max_length=120)
    colour = models.CharField(_("colour"), max_length=7, default="#4e79a7", help_text=_("Hex colour on the map."))
    categories = models.ManyToManyField(
        "events.Category",
        blank=True,
        related_name="zones",
        verbose_name=_("allowed categories"),
        help_text=_("Empty means every category of the fair."),
    )
    position = models.PositiveSmallIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["event", "position", "code"]
        verbose_name = _("zone")
        verbose_name_plural = _("zones")
        constraints = [
            models.UniqueConstraint(fields=["event", "code"], name="zone_code_unique_per_event"),
            models.CheckConstraint(condition=Q(colour__regex=r"^#[0-9A-Fa-f]{6}$"), name="zone_colour_hex"),
        ]

    def __str__(self):
        return f"{self.code} – {self.name}"


class BoothType(models.Model):
    """A booth size and its price at one fair; the standard booth is 3 m × 3 m."""

    event = models.ForeignKey(
        "events.Event", on_delete=models.CASCADE, related_name="booth_types", verbose_name=_("fair")
    )
    code = models.SlugField(_("code"), max_length=20)
    name = models.CharField(_("name"), max_length=120)
    width_m = models.DecimalField(_("width (m)"), max_digits=5, decimal_places=2, default=Decimal("3"))
    depth_m = models.DecimalField(_("depth (m)"), max_digits=5, decimal_places=2, default=Decimal("3"))
    price = models.PositiveBigIntegerField(_("price (VND)"), default=0)
    is_standard = models.BooleanField(_("standard booth"), default=False)

    class Meta:
        ordering = ["event", "-is_standard", "name"]
        verbose_name = _("booth type")
        verbose_name_plural = _("booth types")
        constraints = [
            models.UniqueConstraint(fields=["event", "code"], name="booth_type_code_unique_per_event"),
            models.CheckConstraint(condition=Q(width_m__gt=0) & Q(depth_m__gt=0), name="booth_type_positive_size"),
        ]

    def __str__(self):
        return f"{self.name} ({self.width_m.normalize():f} × {self.depth_m.normalize():f} m)"


class Booth(models.Model):
    """One booth on a fair's hall plan, placed in metres from the plan's top-left corner."""

    event = models.ForeignKey("events.Event", on_delete=models.CASCADE, related_name="booths", verbose_name=_("fair"))
    zone = models.ForeignKey(Zone, on_delete=models.PROTECT, related_name="booths", verbose_name=_("zone"))
    booth_type = models.ForeignKey(
        BoothType, on_delete=models.PROTECT, related_name="booths", verbose_name=_("booth type")
    )
    code = models.CharField(_("code"), max_length=12)
    x = models.DecimalField(_("x (m)"), max_digits=7, decimal_places=2, validators=[MinValueValidator(0)])
    y = models.DecimalField(_("y (m)"), max_digits=7, decimal_places=2, validators=[MinValueValidator(0)])
    width = models.DecimalField(_("width (m)"), max_digits=5, decimal_places=2, default=Decimal("3"))
    depth = models.DecimalField(_("depth (m)"), max_digits=5, decimal_places=2, default=Decimal("3"))
    row = models.CharField(_("row"), max_length=12, blank=True, help_text=_("Booths of one row are side by side."))
    blocked = models.BooleanField(_("blocked"), default=False)
    blocked_reason = models.CharField(_("why blocked"), max_length=120, blank=True)

    class Meta:
        ordering = ["event", "code"]
        verbose_name = _("booth")
        verbose_name_plural = _("booths")
        constraints = [
            models.UniqueConstraint(fields=["event", "code"], name="booth_code_unique_per_event"),
            models.CheckConstraint(condition=Q(width__gt=0) & Q(depth__gt=0), name="booth_positive_size"),
            models.CheckConstraint(condition=Q(x__gte=0) & Q(y__gte=0), name="booth_on_plan"),
        ]

    def __str__(self):
        return self.code


class Assignment(models.Model):
    """A booth given to an application. At most one held or confirmed assignment per booth."""

    class Status(models.TextChoices):
        HELD = "held", _("Held")
        CONFIRMED = "confirmed", _("Confirmed")
        RELEASED = "released", _("Released")

    class Source(models.TextChoices):
        SELF = "self", _("Chosen by the participant")
        AUTO = "auto", _("Automatic allocation")
        MANUAL = "manual", _("Assigned by staff")

    ACTIVE = (Status.HELD, Status.CONFIRMED)

    booth = models.ForeignKey(Booth, on_delete=models.PROTECT, related_name="assignments", verbose_name=_("booth"))
    application = models.ForeignKey(
        "vendors.Application", on_delete=models.CASCADE, related_name="assignments", verbose_name=_("application")
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.HELD)
    source = models.CharField(_("source"), max_length=10, choices=Source.choices, default=Source.MANUAL)
    created_at = models.DateTimeField(_("assigned at"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("assigned by"),
    )
    released_at = models.DateTimeField(_("released at"), null=True, blank=True)
    released_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("released by"),
    )

    class Meta:
        ordering = ["booth__code", "-created_at"]
        verbose_name = _("booth assignment")
        verbose_name_plural = _("booth assignments")
        constraints = [
            # The last line of defence against double booking: even buggy code cannot give one booth twice.
            models.UniqueConstraint(
                fields=["booth"], condition=Q(status__in=["held", "confirmed"]), name="booth_one_active_assignment"
            ),
            models.CheckConstraint(
                condition=Q(status="released", released_at__isnull=False) | ~Q(status="released"),
                name="assignment_release_recorded",
            ),
        ]
        indexes = [models.Index(fields=["application", "status"])]

    def __str__(self):
        return f"{self.booth} → {self.application.vendor}"
