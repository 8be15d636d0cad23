"""Khuyến công subsidy programmes: an organiser's programme with its budget, period and rules.
A fair names the programme it uses (Event.subsidy_programme); the ledger of what each business
received (vendors.models.subsidies.SubsidyGrant) and the rules applied at approval
(vendors.services.subsidies) live in vendors."""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from .reference import Province


class SubsidyProgramme(models.Model):
    """A provincial khuyến công / trade-promotion programme that pays part of the booth fee."""

    class Ocop(models.TextChoices):
        ANY = "any", _("Every business")
        ONLY = "only", _("Only businesses with a valid OCOP product")

    organiser = models.ForeignKey(
        "events.Organiser", on_delete=models.PROTECT, related_name="subsidy_programmes", verbose_name=_("organiser")
    )
    name = models.CharField(_("name"), max_length=255)
    legal_basis = models.CharField(
        _("legal basis"), max_length=255, blank=True, help_text=_("E.g. QĐ 09/2021/QĐ-UBND, Kế hoạch 130/KH-UBND.")
    )
    budget = models.PositiveBigIntegerField(_("budget (VND)"))
    starts_on = models.DateField(_("period from"))
    ends_on = models.DateField(_("period until"))
    share_percent = models.PositiveSmallIntegerField(
        _("share of the booth fee (%)"), validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    cap_per_fair = models.PositiveBigIntegerField(
        _("cap per business per fair (VND)"), null=True, blank=True, help_text=_("Empty: no cap.")
    )
    max_fairs_per_year = models.PositiveSmallIntegerField(
        _("maximum fairs per business per calendar year"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("Counted over every fair using this programme, by tax code. Empty: no limit."),
    )
    max_booths = models.PositiveSmallIntegerField(
        _("maximum booths subsidised per business per fair"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1)],
        help_text=_("Empty: every booth."),
    )
    # Business kinds (Vendor.Kind codes) separated by commas; empty: every kind.
    kinds = models.CharField(_("business kinds"), max_length=40, blank=True, help_text=_("Empty: every kind."))
    provinces = models.ManyToManyField(
        Province,
        blank=True,
        related_name="+",
        verbose_name=_("provinces"),
        help_text=_("Businesses registered in these provinces / cities. Empty: every province."),
    )
    ocop = models.CharField(_("OCOP status"), max_length=4, choices=Ocop.choices, default=Ocop.ANY)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        ordering = ["organiser", "-starts_on", "name"]
        verbose_name = _("subsidy programme")
        verbose_name_plural = _("subsidy programmes")
        constraints = [
            models.CheckConstraint(
                condition=Q(share_percent__gte=1, share_percent__lte=100), name="subsidy_programme_share_1_to_100"
            ),
            models.CheckConstraint(condition=Q(ends_on__gte=F("starts_on")), name="subsidy_programme_period_ordered"),
            models.CheckConstraint(
                condition=Q(max_fairs_per_year__isnull=True) | Q(max_fairs_per_year__gte=1),
                name="subsidy_programme_max_fairs_positive",
            ),
            models.CheckConstraint(
                condition=Q(max_booths__isnull=True) | Q(max_booths__gte=1),
                name="subsidy_programme_max_booths_positive",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def kind_set(self) -> frozenset[str]:
        return frozenset(k.strip() for k in self.kinds.split(",") if k.strip())
