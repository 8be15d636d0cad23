"""Files generated from a fair's data (prints, reports), built in the request or by the worker."""

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tuanhang.kernel.models import user_reference

from .fairs import Event


def generated_file_path(instance, filename):
    """generated/<fair id>/<kind>/<random>.<ext>: a stored file's name never carries user text."""
    import secrets
    from pathlib import PurePosixPath

    suffix = PurePosixPath(filename).suffix.lower()[:10]
    return f"generated/{instance.event_id}/{instance.kind}/{secrets.token_hex(16)}{suffix}"


class GeneratedFile(models.Model):
    """A document built from a fair's data (a PDF print, a report): its parameters, a fingerprint
    of the data it shows, the build's progress, and the finished file, kept and handed out again
    until the data it shows changes. What can be built is registered in events.generated."""

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Being built")
        DONE = "done", _("Ready")
        FAILED = "failed", _("Failed")

    WORKING = (Status.QUEUED, Status.RUNNING)

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="generated_files", verbose_name=_("fair"))
    kind = models.CharField(_("document"), max_length=40)
    parameters = models.JSONField(_("options"), default=dict, blank=True)
    # sha256 of the options in canonical JSON: files with the same options are looked up by it.
    parameters_key = models.CharField(max_length=64, editable=False)
    # sha256 of what the document shows (and of the builder's version and language): a file is
    # handed out again only while the fair's data still gives the same fingerprint.
    fingerprint = models.CharField(max_length=64, editable=False)
    language = models.CharField(_("language"), max_length=10, default="vi")
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    message = models.CharField(_("message"), max_length=255, blank=True)
    file = models.FileField(_("file"), upload_to=generated_file_path, blank=True)
    filename = models.CharField(_("file name"), max_length=200, blank=True)
    content_type = models.CharField(_("content type"), max_length=100, blank=True)
    size = models.PositiveBigIntegerField(_("size (bytes)"), null=True, blank=True)
    created_at = models.DateTimeField(_("requested at"), auto_now_add=True)
    created_by = user_reference(_("requested by"))
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("generated file")
        verbose_name_plural = _("generated files")
        constraints = [
            models.CheckConstraint(condition=Q(progress__lte=100), name="generated_file_progress_at_most_100"),
        ]
        indexes = [models.Index(fields=["event", "kind", "parameters_key", "language", "status"])]

    def __str__(self):
        return f"{self.event} — {self.kind} ({self.created_at:%d/%m/%Y %H:%M})"

    @property
    def working(self) -> bool:
        return self.status in self.WORKING
