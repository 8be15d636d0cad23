"""PDFs: what a document can do by itself, checked with pypdf, and its pages as pictures rendered
on the server by poppler's pdftoppm (cached under MEDIA_ROOT/previews), so that staff look at a
document without their browser running it."""

import hashlib
import io
import logging
import os
import re
import secrets
import shutil
import subprocess
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from pypdf import PdfReader
from pypdf.errors import PdfReadError
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject

MAX_SOURCE_BYTES = 10 * 1024 * 1024  # the largest document accepted


# Read with pypdf, which decodes what a byte search misses: names written with #xx escapes
# (/J#61vaScript is /JavaScript), compressed object streams, hex strings. Every object is looked
# at: those the cross-reference table lists and those reachable from the trailer.
_PDF_ACTIVE_KEYS = frozenset({"/JS", "/JavaScript", "/EmbeddedFiles", "/EmbeddedFile", "/EF", "/RichMedia", "/XFA"})
_PDF_ACTIVE_ACTIONS = frozenset({"/JavaScript", "/Launch", "/GoToE", "/ImportData", "/RichMediaExecute"})
_PDF_ACTIVE_TYPES = frozenset({"/EmbeddedFile", "/FileAttachment", "/RichMedia", "/3D"})  # /Type or /Subtype
# Links that run code or open local files; spaces and control characters are ignored as browsers do.
_PDF_BAD_URI = re.compile(r"(javascript|vbscript|data|file):", re.I)
_URI_IGNORED = re.compile(r"[\x00-\x20\x7f]+")
MAX_PDF_OBJECTS = 200_000
# Appended to a PDF, a last startxref that points nowhere: pypdf then rebuilds the cross-reference
# table from the objects it finds in the file (object streams included).
_REBUILD_TABLE = b"\nstartxref\n0\n%%EOF\n"

# pypdf warns about every damaged file it repairs; the check reads each upload a second time as a
# repairing reader would, on purpose, so those warnings say nothing about the site. Errors still log.
if logging.getLogger("pypdf").level == logging.NOTSET:
    logging.getLogger("pypdf").setLevel(logging.ERROR)

_PDF_ACTIVE_MESSAGE = _(
    "The PDF contains scripts, actions or attached files, which are not accepted. "
    "Print it to a new PDF (or scan it) and upload that."
)
_PDF_UNREADABLE_MESSAGE = _("The PDF file cannot be read (it may be damaged). Print it to a new PDF and upload that.")


def pdf_check(data: bytes) -> int:
    """Refuse (ValidationError) a PDF that pypdf cannot read, that needs a password, or that can act
    by itself: JavaScript, launch actions, embedded files, rich media, XML forms, links to
    javascript: (and vbscript:, data:, file:). Returns its number of pages (0 when it has no page tree)."""
    try:
        reader = _pdf_reader(data)
        if reader.is_encrypted and not reader.decrypt(""):
            raise ValidationError(
                _("The PDF is protected with a password. Upload a copy without the password."), code="pdf_encrypted"
            )
        # Once more as a viewer that finds the table broken reads it: every "n 0 obj" in the file.
        repaired = _pdf_reader(data + _REBUILD_TABLE)
        if repaired.is_encrypted:
            repaired.decrypt("")
        for one in (reader, repaired):
            for dictionary in _pdf_dictionaries(one):
                if _pdf_active(dictionary):
                    raise ValidationError(_PDF_ACTIVE_MESSAGE, code="pdf_active_content")
        try:
            return len(reader.pages)
        except Exception:  # noqa: BLE001 - no page tree: nothing to show, nothing that runs either
            return 0
    except ValidationError:
        raise
    except Exception:  # noqa: BLE001 - pypdf raises many kinds of errors (and RecursionError) on hostile input
        raise ValidationError(_PDF_UNREADABLE_MESSAGE, code="invalid_pdf") from None


def _pdf_reader(data: bytes):
    """A lenient reader (as PDF viewers are); one without a startxref is read by rebuilding its table."""
    try:
        return PdfReader(io.BytesIO(data), strict=False)
    except PdfReadError:
        return PdfReader(io.BytesIO(data + _REBUILD_TABLE), strict=False)


def _pdf_dictionaries(reader):
    """Every dictionary (streams' included) in the document, each indirect object read once."""
    stack = [reader.trailer]
    for generation, table in reader.xref.items():
        stack.extend(IndirectObject(number, generation, reader) for number in table)
    stack.extend(IndirectObject(number, 0, reader) for number in reader.xref_objStm)
    seen = set()
    while stack:
        obj = stack.pop()
        if isinstance(obj, IndirectObject):
            if (obj.idnum, obj.generation) in seen:
                continue
            seen.add((obj.idnum, obj.generation))
            if len(seen) > MAX_PDF_OBJECTS:
                raise ValidationError(_PDF_UNREADABLE_MESSAGE, code="invalid_pdf")
            obj = obj.get_object()
        if isinstance(obj, DictionaryObject):
            yield obj
            stack.extend(dict.values(obj))
        elif isinstance(obj, ArrayObject):
            stack.extend(list.__iter__(obj))


def _pdf_active(dictionary) -> bool:
    if not _PDF_ACTIVE_KEYS.isdisjoint(dictionary.keys()):
        return True
    if _resolved(dictionary, "/S") in _PDF_ACTIVE_ACTIONS:
        return True
    if _resolved(dictionary, "/Type") in _PDF_ACTIVE_TYPES or _resolved(dictionary, "/Subtype") in _PDF_ACTIVE_TYPES:
        return True
    uri = _resolved(dictionary, "/URI")
    if isinstance(uri, bytes):
        uri = uri.decode("latin-1")
    return isinstance(uri, str) and bool(_PDF_BAD_URI.match(_URI_IGNORED.sub("", uri)))


def _resolved(dictionary, key):
    value = dict.get(dictionary, key)
    return value.get_object() if isinstance(value, IndirectObject) else value


# --- page previews rendered on the server ------------------------------------------------

PREVIEW_MAX_PAGES = 20
PREVIEW_TIMEOUT_SECONDS = 20
PREVIEW_LONGEST_SIDE = 1200  # pixels, whatever size the page says it has


def pdf_page_preview(data: bytes, page: int) -> bytes | None:
    """Page `page` (from 1) of a PDF as a PNG, rendered by poppler's pdftoppm in a process of its
    own with a time limit, so a document is looked at without a browser running it. None when it
    cannot be rendered (no such page, pdftoppm missing, too slow or failing)."""
    if not 1 <= page <= PREVIEW_MAX_PAGES:
        return None
    command = [
        "pdftoppm", "-png", "-r", "80", "-scale-to", str(PREVIEW_LONGEST_SIDE),
        "-f", str(page), "-l", str(page), "-singlefile", "-",
    ]  # fmt: skip
    try:
        done = subprocess.run(  # noqa: S603 - fixed arguments; the document goes in on stdin
            command, input=data, capture_output=True, timeout=PREVIEW_TIMEOUT_SECONDS, check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    if done.returncode != 0 or not done.stdout.startswith(b"\x89PNG\r\n\x1a\n"):
        return None
    return done.stdout


def pdf_page_count(data: bytes) -> int:
    """How many pages pypdf finds in a PDF; 0 when it cannot read it."""
    try:
        return len(_pdf_reader(data).pages)
    except Exception:  # noqa: BLE001 - pypdf raises many kinds of errors on hostile input
        return 0


# Previews are kept on disk under MEDIA_ROOT/previews (never served from MEDIA_URL), in a folder
# named after the stored file: a replaced document gets new previews.


def cached_pdf_pages(fieldfile) -> int:
    """The number of pages of a stored PDF that get a preview (at most PREVIEW_MAX_PAGES)."""
    counter = _preview_folder(fieldfile) / "pages"
    try:
        return int(counter.read_text())
    except (OSError, ValueError):
        pass
    data = _stored_bytes(fieldfile)
    pages = min(pdf_page_count(data), PREVIEW_MAX_PAGES) if data else 0
    _write_atomically(counter, str(pages).encode())
    return pages


def cached_pdf_preview(fieldfile, page: int) -> bytes | None:
    """Page `page` of a stored PDF as a PNG, rendered once and then read from disk; None when the
    document has no such page (or past PREVIEW_MAX_PAGES) or it cannot be rendered."""
    if not 1 <= page <= cached_pdf_pages(fieldfile):
        return None
    target = _preview_folder(fieldfile) / f"{page}.png"
    try:
        return target.read_bytes()
    except OSError:
        pass
    data = _stored_bytes(fieldfile)
    png = pdf_page_preview(data, page) if data else None
    if png is not None:
        _write_atomically(target, png)
    return png


def _preview_folder(fieldfile) -> Path:
    return _preview_folder_of(fieldfile.name)


def _preview_folder_of(name: str) -> Path:
    key = hashlib.sha256(name.encode()).hexdigest()[:40]
    return Path(settings.MEDIA_ROOT) / "previews" / key


def delete_pdf_previews(name: str) -> None:
    """Remove the page previews rendered from the stored file `name` (none is fine)."""
    if name:
        shutil.rmtree(_preview_folder_of(name), ignore_errors=True)


def _stored_bytes(fieldfile) -> bytes:
    try:
        with fieldfile.open("rb") as handle:
            return handle.read(MAX_SOURCE_BYTES + 1)
    except (OSError, ValueError):
        return b""


def _write_atomically(target: Path, content: bytes) -> None:
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.{secrets.token_hex(6)}")
    temporary.write_bytes(content)
    os.replace(temporary, target)
