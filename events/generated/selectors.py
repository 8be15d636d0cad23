"""Reads of generated files for the staff pages (fixed query counts)."""

from ..models import Event, GeneratedFile
from .registry import get_builder

RECENT = 15


def generated_file(pk) -> GeneratedFile | None:
    """The file with its fair and requester (one query); None when there is none."""
    return GeneratedFile.objects.select_related("event", "created_by").filter(pk=pk).first()


def recent_files(event: Event) -> list[GeneratedFile]:
    """The fair's latest files, newest first, each with its document's label and options in words
    (one query)."""
    files = list(
        GeneratedFile.objects.filter(event=event).select_related("created_by").order_by("-created_at", "-id")[:RECENT]
    )
    for generated in files:
        generated.document = document_label(generated)
        generated.options_text = options_text(generated)
    return files


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
