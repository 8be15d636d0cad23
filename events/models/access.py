"""The trail of who read the businesses' data (issue 17, personal data): every export, generated
file download and document download or preview by a staff account. Written by
events/access_log.py, one INSERT per request; read by the organiser's administrators."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from tuanhang.kernel.models import HistoryRow

from .fairs import Event, Organiser


class AccessLog(HistoryRow):
    """One read of the businesses' data by staff: who (`changed_by`, kept as `user_name` when the
    account goes), when, what (kind, the object's id and a label), at which fair and organiser,
    from which address. Never edited."""

    class Kind(models.TextChoices):
        EXPORT = "export", _("Spreadsheet export")
        GENERATED = "generated", _("Print or report download")
        DOCUMENT = "document", _("Document download")
        PREVIEW = "preview", _("Document preview")
        ADMIN_EXPORT = "admin_export", _("Admin export")
        RETENTION = "retention", _("Expired documents removed")
        ERASURE = "erasure", _("Business's data erased")
        SELF_EXPORT = "self_export", _("Data export by the business")

    organiser = models.ForeignKey(
        Organiser,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="access_logs",
        verbose_name=_("organiser"),
    )
    event = models.ForeignKey(
        Event, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("fair")
    )
    user_name = models.CharField(_("account"), max_length=255, blank=True)
    kind = models.CharField(_("kind"), max_length=16, choices=Kind.choices)
    object_id = models.CharField(_("object"), max_length=40, blank=True)
    label = models.CharField(_("what"), max_length=255, blank=True)
    personal = models.BooleanField(_("personal data shown"), default=False)
    address = models.GenericIPAddressField(_("address"), null=True, blank=True)

    class Meta(HistoryRow.Meta):
        verbose_name = _("access log entry")
        verbose_name_plural = _("access log")
        indexes = [models.Index(fields=["organiser", "-changed_at"], name="accesslog_organiser_at")]

    def __str__(self):
        return f"{self.user_name}: {self.get_kind_display()} {self.label}"
