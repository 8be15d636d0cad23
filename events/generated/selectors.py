"""Reads of generated files for the staff pages (fixed query counts)."""

from django.urls import reverse
from django.utils.translation import gettext as _

from ..models import Event, GeneratedFile
from .registry import PRINTING_PAGE, get_builder

RECENT = 15


def generated_files():
    """Generated files with their fair and requester (scope them to a user with events.policy)."""
    return GeneratedFile.objects.select_related("event", "created_by")


def recent_files(event: Event, kinds=None) -> list[GeneratedFile]:
    """The fair's latest files (of these document kinds, when given), newest first, each with its
    document's label and options in words (one query)."""
    files = GeneratedFile.objects.filter(event=event)
    if kinds is not None:
        files = files.filter(kind__in=list(kinds))
    files = list(files.select_related("created_by").order_by("-created_at", "-id")[:RECENT])
    for generated in files:
        generated.document = document_label(generated)
        generated.options_text = options_text(generated)
    return files


def listed_on(generated: GeneratedFile) -> tuple[str, str]:
    """(URL, label) of the staff page that offers the file's document: its page links back there."""
    try:
        builder = get_builder(generated.kind)
        page, label = builder.listed_on, builder.listed_on_label
    except LookupError:
        page, label = PRINTING_PAGE, _("Printing")
    return reverse(page, args=[generated.event.slug]), str(label)


def document_label(generated: GeneratedFile) -> str:
    try:
        return str(get_builder(generated.kind).label)
    except LookupError:
        return generated.kind


def options_text(generated: GeneratedFile) -> str:
    try:
        return get_builder(generated.kind).options_text(generated.parameters or {})
    except LookupError:
        return ""
