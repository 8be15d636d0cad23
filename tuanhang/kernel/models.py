"""Fields and abstract models that several apps' tables share. tuanhang.kernel is not an installed
app; an abstract model needs none (Django only asks a concrete model for its app), and each
concrete subclass takes its app_label from its own module."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


def user_reference(verbose_name, *, blank=True, editable=True) -> models.ForeignKey:
    """The account that did something ("assigned by", "decided by"…): kept as NULL when the
    account is deleted, with no reverse accessor on the user."""
    return models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=blank,
        editable=editable,
        related_name="+",
        verbose_name=verbose_name,
    )


class HistoryRow(models.Model):
    """One step in something's history: when it happened and who did it (kept when the user goes).

    A subclass adds what changed and its verbose names; its Meta inherits the newest-first ordering
    with `class Meta(HistoryRow.Meta)`.
    """

    changed_at = models.DateTimeField(_("at"), auto_now_add=True)
    changed_by = user_reference(_("by"))

    class Meta:
        abstract = True
        ordering = ["-changed_at", "-id"]
