"""A fair to print: zones, booths, approved participants with names chosen to trip byte order
and tone order, booths assigned, and helpers to read PDFs back (pypdf)."""

import io
import re

from pypdf import PdfReader

from booths.models import Assignment
from tests import factories
from vendors.models import Application

# In Vietnamese order: tones second (Anh < Ảnh < Ánh), Đ after D, Ư after U, then Z.
TRICKY_NAMES = ["Anh", "Ảnh", "Ánh", "Dương", "Đông", "Uyên", "Ư", "Zê"]
# Byte (code point) order of the same names, which the prints must not follow.
BYTE_ORDER = sorted(TRICKY_NAMES)


def pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() or "" for page in reader.pages)


def pdf_pages(content: bytes) -> list[str]:
    return [page.extract_text() or "" for page in PdfReader(io.BytesIO(content)).pages]


def positions(text: str, names) -> list[int]:
    """Where each name first appears as a whole word in the text (Vietnamese letters are word characters)."""
    found = []
    for name in names:
        match = re.search(rf"(?<!\w){re.escape(name)}(?!\w)", text)
        assert match, f"{name!r} is not in the text"
        found.append(match.start())
    return found


def make_fair(*, names=TRICKY_NAMES, assign=True, **event_fields):
    """A fair with one zone of booths A001…, and an approved application per name; booth i goes
    to the i-th name in reverse so that booth order differs from name order."""
    event = factories.EventFactory(**event_fields)
    zone = factories.ZoneFactory(event=event, code="A", name="Khu OCOP", colour="#2b8a3e")
    booth_type = factories.BoothTypeFactory(event=event, code="std", name="Gian tiêu chuẩn")
    booths = [
        factories.BoothFactory(event=event, zone=zone, booth_type=booth_type, code=f"A{i + 1:03d}", x=3 * i, y=3)
        for i in range(len(names))
    ]
    applications = []
    for i, name in enumerate(names):
        vendor = factories.VendorFactory(name=name, short_name="", contact_name="Nguyễn Thị Lan")
        application = factories.ApplicationFactory(
            vendor=vendor, event=event, status=Application.Status.APPROVED, booths_requested=1
        )
        applications.append(application)
        if assign:
            Assignment.objects.create(booth=booths[len(names) - 1 - i], application=application, status="confirmed")
    return event, booths, applications
