from decimal import Decimal

from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tuanhang.kernel.codes import upper_code, validate_code
from tuanhang.kernel.models import HistoryRow, user_reference

from .plans import StoredPlan


class Booth(models.Model):
    """One booth on a fair's hall plan, placed in metres from the plan's top-left corner."""

    event = models.ForeignKey("events.Event", on_delete=models.CASCADE, related_name="booths", verbose_name=_("fair"))
    zone = models.ForeignKey("events.Zone", on_delete=models.PROTECT, related_name="booths", verbose_name=_("zone"))
    booth_type = models.ForeignKey(
        "events.BoothType", on_delete=models.PROTECT, related_name="booths", verbose_name=_("booth type")
    )
    code = models.CharField(_("code"), max_length=12, validators=[validate_code])
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

    def clean(self):
        self.code = upper_code(self.code)


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
    pinned = models.BooleanField(
        _("pinned"), default=False, help_text=_("Automatic allocation keeps pinned booths where they are.")
    )
    created_at = models.DateTimeField(_("assigned at"), auto_now_add=True)
    created_by = user_reference(_("assigned by"))
    released_at = models.DateTimeField(_("released at"), null=True, blank=True)
    released_by = user_reference(_("released by"))

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


class HallFeature(models.Model):
    """Something drawn on the hall plan that is not a booth: entrances, the stage, aisles, pillars."""

    class Kind(models.TextChoices):
        ENTRANCE = "entrance", _("Entrance")
        EXIT = "exit", _("Emergency exit")
        STAGE = "stage", _("Stage")
        AISLE = "aisle", _("Aisle")
        PILLAR = "pillar", _("Pillar")
        SERVICE = "service", _("Service point")
        LABEL = "label", _("Label")

    event = models.ForeignKey(
        "events.Event", on_delete=models.CASCADE, related_name="hall_features", verbose_name=_("fair")
    )
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    label = models.CharField(_("label"), max_length=80, blank=True)
    x = models.DecimalField(_("x (m)"), max_digits=7, decimal_places=2)
    y = models.DecimalField(_("y (m)"), max_digits=7, decimal_places=2)
    width = models.DecimalField(_("width (m)"), max_digits=6, decimal_places=2, default=Decimal("1"))
    depth = models.DecimalField(_("depth (m)"), max_digits=6, decimal_places=2, default=Decimal("1"))

    class Meta:
        ordering = ["event", "kind", "id"]
        verbose_name = _("hall feature")
        verbose_name_plural = _("hall features")
        constraints = [
            models.CheckConstraint(condition=Q(width__gt=0) & Q(depth__gt=0), name="hall_feature_positive_size"),
        ]

    def __str__(self):
        return self.label or self.get_kind_display()


class AllocationRules(models.Model):
    """How a fair weighs its preferences when booths are allocated automatically."""

    event = models.OneToOneField(
        "events.Event", on_delete=models.CASCADE, related_name="allocation_rules", verbose_name=_("fair")
    )
    weight_zone_preference = models.PositiveSmallIntegerField(_("weight: zone preference"), default=10)
    weight_same_province = models.PositiveSmallIntegerField(_("weight: same province near each other"), default=2)
    weight_competitors_apart = models.PositiveSmallIntegerField(_("weight: same-category competitors apart"), default=3)
    weight_ocop = models.PositiveSmallIntegerField(_("weight: priority by OCOP stars"), default=2)
    weight_host_province = models.PositiveSmallIntegerField(
        _("weight: priority for host-province businesses"), default=2
    )
    weight_registration_order = models.PositiveSmallIntegerField(_("weight: priority by registration order"), default=1)

    class Meta:
        verbose_name = _("allocation rules")
        verbose_name_plural = _("allocation rules")

    def __str__(self):
        return str(self.event)


class AllocationRun(models.Model):
    """One run of the automatic allocation: its progress, the plan it proposes, and whether it was applied."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        DONE = "done", _("Ready for review")
        FAILED = "failed", _("Failed")
        APPLIED = "applied", _("Applied")
        DISCARDED = "discarded", _("Discarded")

    event = models.ForeignKey(
        "events.Event", on_delete=models.CASCADE, related_name="allocation_runs", verbose_name=_("fair")
    )
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    message = models.CharField(_("message"), max_length=255, blank=True)
    time_limit = models.PositiveSmallIntegerField(_("time limit (s)"), default=30)
    # The active assignments when the run started; applying refuses if they changed meanwhile.
    assignments_fingerprint = models.CharField(max_length=64, blank=True, editable=False)
    plan = models.JSONField(_("plan"), default=dict, blank=True, editable=False)
    created_at = models.DateTimeField(_("started at"), auto_now_add=True)
    created_by = user_reference(_("started by"), blank=False)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    applied_at = models.DateTimeField(_("applied at"), null=True, blank=True)
    applied_by = user_reference(_("applied by"))

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("allocation run")
        verbose_name_plural = _("allocation runs")
        constraints = [
            models.CheckConstraint(condition=Q(progress__lte=100), name="allocation_progress_at_most_100"),
        ]

    def __str__(self):
        return f"{self.event} — {self.created_at:%d/%m/%Y %H:%M}"

    @property
    def stored_plan(self) -> StoredPlan:
        """The plan, typed (booths.plans: the one loader of the JSON above)."""
        return StoredPlan.load(self.plan)


class AssignmentChange(HistoryRow):
    """The record of one change of booths: who moved which application from which booth to which, and when."""

    class Action(models.TextChoices):
        ASSIGN = "assign", _("Assigned")
        MOVE = "move", _("Moved")
        SWAP = "swap", _("Swapped")
        RELEASE = "release", _("Released")
        PIN = "pin", _("Pinned")
        UNPIN = "unpin", _("Unpinned")
        PLAN = "plan", _("Changed in an allocation plan")

    event = models.ForeignKey("events.Event", on_delete=models.CASCADE, related_name="+", verbose_name=_("fair"))
    application = models.ForeignKey(
        "vendors.Application", on_delete=models.CASCADE, related_name="booth_changes", verbose_name=_("application")
    )
    action = models.CharField(_("action"), max_length=10, choices=Action.choices)
    from_booth = models.ForeignKey(
        Booth, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("from booth")
    )
    to_booth = models.ForeignKey(
        Booth, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("to booth")
    )
    run = models.ForeignKey(
        AllocationRun,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="changes",
        verbose_name=_("allocation run"),
    )

    class Meta(HistoryRow.Meta):
        verbose_name = _("booth change")
        verbose_name_plural = _("booth changes")

    def __str__(self):
        return f"{self.application}: {self.from_booth} → {self.to_booth}"
