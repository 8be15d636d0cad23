"""A business's request that its personal data be erased (Decree 13/2023, the 2025 Law on Personal
Data Protection): the organisers' administrators carry it out or refuse it with a reason."""

from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from tuanhang.kernel.models import user_reference

from .businesses import Vendor


class ErasureRequest(models.Model):
    """One request of a business to erase its personal data (vendors.services.erasure)."""

    class Status(models.TextChoices):
        WAITING = "waiting", _("Waiting")
        DONE = "done", _("Carried out")
        REFUSED = "refused", _("Refused")

    vendor = models.ForeignKey(
        Vendor, on_delete=models.CASCADE, related_name="erasure_requests", verbose_name=_("participant")
    )
    reason = models.TextField(_("reason given by the business"), blank=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.WAITING)
    requested_at = models.DateTimeField(_("requested at"), default=timezone.now)
    requested_by = user_reference(_("requested by"))
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)
    decided_by = user_reference(_("decided by"))
    refusal_reason = models.TextField(_("reason for the refusal"), blank=True)

    class Meta:
        ordering = ["-requested_at", "-id"]
        verbose_name = _("erasure request")
        verbose_name_plural = _("erasure requests")
        constraints = [
            models.UniqueConstraint(
                fields=["vendor"], condition=Q(status="waiting"), name="erasure_request_one_waiting_per_vendor"
            ),
        ]

    def __str__(self):
        return f"{self.vendor_id}: {self.get_status_display()}"

    @property
    def is_waiting(self) -> bool:
        return self.status == self.Status.WAITING
