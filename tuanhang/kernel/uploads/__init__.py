"""Uploaded files: random storage names, content checks that do not trust the file name, and
serving a stored one back.

Images (logos, product photos): JPEG, PNG, WebP or HEIC/HEIF (a phone's camera) by content, at most
5 MB and 40 megapixels, re-encoded with Pillow (EXIF and anything hidden after the image dropped)
plus a thumbnail; a HEIC photo becomes a JPEG, and a photo is shrunk to MAX_PHOTO_SIDE.
Documents: PDF, JPEG, PNG or HEIC by content, at most 10 MB; pictures re-encoded the same way, PDFs read
with pypdf (names, hex strings and object streams decoded) and stored as sent when nothing in them
acts by itself (uploads.pdfs, which also renders the page previews staff read them through).
Both: refused when they carry something besides the picture or the document: web page code
(a polyglot that a browser could run), a PDF's scripts, launch actions, embedded files or
javascript: links, or an archive glued to the end.
"""

import io
import re
import secrets
import warnings
import zipfile
from dataclasses import dataclass
from pathlib import PurePosixPath

import pillow_heif
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.http import FileResponse, Http404
from django.utils.deconstruct import deconstructible
from django.utils.translation import gettext_lazy as _
from PIL import Image, ImageOps

from .pdfs import delete_pdf_previews, pdf_check

MAX_IMAGE_BYTES = 5 * 1024 * 1024
MAX_IMAGE_PIXELS = 40_000_000
MAX_DOCUMENT_BYTES = 10 * 1024 * 1024
THUMBNAIL_SIZE = (400, 400)
# A phone photo (iPhones take HEIC by default, ~4000 px) is stored at most this long on its longest
# side: a document stays legible (A4 at ~240 dpi) and a product picture sharp, at a tenth of the bytes.
MAX_PHOTO_SIDE = 2000
_IMAGE_FORMATS = {"JPEG": ("jpg", "image/jpeg"), "PNG": ("png", "image/png"), "WEBP": ("webp", "image/webp")}
# Formats accepted on the way in and the format they are stored in: HEIC/HEIF (pillow-heif) is not
# shown by every browser, so it is stored as JPEG.
_STORED_AS = {"JPEG": "JPEG", "PNG": "PNG", "WEBP": "WEBP", "HEIF": "JPEG"}
_DOCUMENT_FORMATS = ("JPEG", "PNG", "HEIF")

# Pillow opens HEIC/HEIF through pillow-heif. Its embedded thumbnails are not wanted (the picture is
# decoded and re-encoded), and the pixel limit is ours, checked before decoding like any format.
pillow_heif.register_heif_opener(thumbnails=False)


@deconstructible
class random_upload_path:  # noqa: N801 (used like a function in upload_to=)
    """upload_to that keeps nothing of the client's file name but a safe extension."""

    def __init__(self, folder: str):
        self.folder = folder

    def __call__(self, instance, filename: str) -> str:
        ext = PurePosixPath(filename or "").suffix.lower()
        ext = ext if ext in {".jpg", ".jpeg", ".png", ".webp", ".pdf", ".docx", ".xlsx"} else ""
        return f"{self.folder}/{secrets.token_urlsafe(18)}{ext}"

    def __eq__(self, other):
        return isinstance(other, random_upload_path) and other.folder == self.folder

    def __hash__(self):
        return hash((random_upload_path, self.folder))


def delete_stored_file(storage, name: str) -> None:
    """Remove a stored upload and the page previews rendered from it (a document replaced or deleted)."""
    if name:
        storage.delete(name)
        delete_pdf_previews(name)


def stored_file_response(
    file, *, content_type: str, cache_control: str, as_attachment=False, filename=""
) -> FileResponse:
    """A stored upload as a response of the content type its check found, which browsers must not
    sniff into another (nosniff), cached as the caller says. Http404 when storage no longer has it."""
    try:
        handle = file.open("rb")
    except (FileNotFoundError, ValueError):
        raise Http404 from None
    response = FileResponse(handle, content_type=content_type, as_attachment=as_attachment, filename=filename)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = cache_control
    return response


@dataclass
class CleanImage:
    image: ContentFile
    thumbnail: ContentFile
    content_type: str


def _read_limited(upload, limit: int, too_large) -> bytes:
    """The upload's bytes, left rewound. Refuses (ValidationError) an upload that says it is empty,
    and one over `limit` bytes by the size it gives or by what is read (a size can lie)."""
    if upload is None or not upload.size:
        raise ValidationError(_("The file is empty."), code="empty")
    if upload.size is not None and upload.size > limit:
        raise ValidationError(too_large, code="too_large")
    upload.seek(0)
    data = upload.read(limit + 1)
    upload.seek(0)
    if len(data) > limit:
        raise ValidationError(too_large, code="too_large")
    return data


def clean_image(upload) -> CleanImage:
    """Check an uploaded image by its content and return re-encoded image and thumbnail files.

    Raises ValidationError (field-level message) for anything else: SVG, other formats, files
    over 5 MB or 40 megapixels, truncated files, decompression bombs."""
    data = _read_limited(upload, MAX_IMAGE_BYTES, _("The image is larger than 5 MB."))
    if not data:
        raise ValidationError(_("The file is empty."), code="empty")
    _refuse_known_non_images(data)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as probe:
                fmt = probe.format
                if fmt not in _STORED_AS:
                    raise ValidationError(_("Only JPEG, PNG, WebP or HEIC images are accepted."), code="format")
                if probe.width * probe.height > MAX_IMAGE_PIXELS:
                    raise ValidationError(_("The image has more than 40 megapixels."), code="too_many_pixels")
                probe.verify()
            _refuse_hidden_content(data)  # a real image, but is it only an image?
            with Image.open(io.BytesIO(data)) as opened:
                opened.load()
                img = _shrunk(ImageOps.exif_transpose(opened))
            fmt = _STORED_AS[fmt]
            img = _pixels_only(img, fmt)
            image = _encode(img, fmt)
            thumb = img.copy()
            thumb.thumbnail(THUMBNAIL_SIZE)
            thumbnail = _encode(thumb, fmt)
    except ValidationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise ValidationError(_("The image has more than 40 megapixels."), code="too_many_pixels") from None
    except Exception:  # noqa: BLE001 - Pillow's decoders raise many kinds of errors on hostile input
        if _is_heif(data):
            raise ValidationError(_HEIC_UNREADABLE, code="invalid_heic") from None
        raise ValidationError(
            _("The file is not a readable JPEG, PNG, WebP or HEIC image (it may be damaged or of another type)."),
            code="invalid_image",
        ) from None
    ext, content_type = _IMAGE_FORMATS[fmt]
    return CleanImage(
        image=ContentFile(image, name=f"image.{ext}"),
        thumbnail=ContentFile(thumbnail, name=f"thumb.{ext}"),
        content_type=content_type,
    )


def _refuse_known_non_images(data: bytes) -> None:
    """Clearer messages for the two look-alikes people upload most: SVG drawings and PDF scans."""
    head = data[:4096].removeprefix(b"\xef\xbb\xbf").lstrip()
    if head.startswith(_PDF_MAGIC):
        raise ValidationError(
            _("This file is a PDF document, not an image. Upload a JPEG, PNG or WebP image."), code="format"
        )
    if head.startswith(b"<") and b"<svg" in head.lower():
        raise ValidationError(_("SVG drawings are not accepted. Upload a JPEG, PNG or WebP image."), code="format")


# Metadata worth keeping: colour profile and transparency. Everything else (EXIF with GPS
# position, XMP, JPEG comments, text chunks) is dropped.
_KEPT_INFO = ("icc_profile", "transparency")


def _shrunk(img):
    """The picture at most MAX_PHOTO_SIDE on its longest side (a smaller one as it is)."""
    if max(img.size) > MAX_PHOTO_SIDE:
        img = img.copy() if img.mode != "P" else img.convert("RGBA")
        img.thumbnail((MAX_PHOTO_SIDE, MAX_PHOTO_SIDE), Image.Resampling.LANCZOS)
    return img


def _pixels_only(img, fmt):
    """The image in a mode its format can store, without metadata."""
    if img.mode not in ("RGB", "RGBA", "L", "LA"):
        img = img.convert("RGBA" if "A" in img.getbands() or img.mode == "P" else "RGB")
    if fmt == "JPEG" and img.mode not in ("RGB", "L"):
        img = img.convert("RGB")
    img.info = {key: img.info[key] for key in _KEPT_INFO if key in img.info}
    return img


def _encode(img, fmt) -> bytes:
    out = io.BytesIO()
    options = {"JPEG": {"quality": 85, "optimize": True}, "PNG": {"optimize": True}, "WEBP": {"quality": 85}}[fmt]
    img.save(out, format=fmt, **options)  # no exif= argument: metadata is not carried over
    return out.getvalue()


_PDF_MAGIC = b"%PDF-"
# Markup a browser would run if the file were ever taken for a web page: a picture or a PDF has
# no business containing it. Tags of three letters or more (shorter ones turn up by chance in
# compressed data), followed by what ends a tag name.
_MARKUP = re.compile(
    rb"<(script|html|body|head|svg|iframe|frame|frameset|object|embed|img|image|video|audio|style|link|meta|base"
    rb"|form|input|button|details|math|marquee|template|noscript|xmp|!doctype|\?php)[\s>/]|javascript:",
    re.I,
)
# A ZIP archive (also .jar, .docx…) glued to the file: its first entry and its closing record.
_ZIP_LOCAL, _ZIP_END = b"PK\x03\x04", b"PK\x05\x06"


_HIDDEN_MESSAGE = _(
    "The file hides web page code or another file inside it. Save it again as a plain file and upload that."
)


def _refuse_hidden_content(data: bytes) -> None:
    """Refuse a file that is two things at once (a polyglot): web page code or an archive inside."""
    if _MARKUP.search(data) or (_ZIP_LOCAL in data and _ZIP_END in data[-70_000:]):
        raise ValidationError(_HIDDEN_MESSAGE, code="hidden_content")


@dataclass
class CleanDocument:
    file: ContentFile  # what to store: the PDF as sent, an image re-encoded without metadata
    content_type: str


def clean_document(upload) -> str:
    """Check an uploaded document (PDF, JPEG, PNG or HEIC, at most 10 MB) by content; return its content type."""
    return checked_document(upload).content_type


def checked_document(upload) -> CleanDocument:
    """Check an uploaded document (PDF, JPEG, PNG or HEIC, at most 10 MB) by content and return what to
    store: a PDF as sent once pypdf found nothing in it that acts by itself, a picture re-encoded
    upright without EXIF (GPS position included), comments or anything after the image.

    Raises ValidationError (field-level message) for anything else."""
    data = _read_limited(upload, MAX_DOCUMENT_BYTES, _("The file is larger than 10 MB."))
    start = data.find(_PDF_MAGIC, 0, 1024)  # where PDF readers look for it
    if start > 0 and (data[:start].lstrip().startswith(b"<") or _MARKUP.search(data[:start])):
        raise ValidationError(_HIDDEN_MESSAGE, code="hidden_content")  # a web page that is also a PDF
    if start == 0:
        if b"%%EOF" not in data[-2048:]:
            raise ValidationError(_("The PDF file is incomplete or damaged."), code="invalid_pdf")
        _refuse_hidden_content(data)
        pdf_check(data)
        return CleanDocument(ContentFile(data, name="document.pdf"), "application/pdf")
    if _is_heif(data):
        image = _document_image(data)
        if image is None:  # the photo app's own format, but not a readable picture: say so plainly
            raise ValidationError(_HEIC_UNREADABLE, code="invalid_heic")
    else:
        image = _document_image(data)
    if image is None:
        raise ValidationError(_("Only PDF, JPEG, PNG or HEIC documents are accepted."), code="format")
    _refuse_hidden_content(data)
    content, fmt = image
    ext, content_type = _IMAGE_FORMATS[fmt]
    return CleanDocument(ContentFile(content, name=f"document.{ext}"), content_type)


_HEIC_UNREADABLE = _("The HEIC photo could not be read (it may be damaged or too large). Take the photo again.")


def _is_heif(data: bytes) -> bool:
    """An ISO media file of a HEIC/HEIF brand (what a phone camera writes), by its first box."""
    return data[4:8] == b"ftyp" and data[8:12] in (b"heic", b"heix", b"heim", b"heis", b"hevc", b"mif1", b"msf1")


def _document_image(data: bytes) -> tuple[bytes, str] | None:
    """A complete JPEG, PNG or HEIC of at most 40 megapixels, re-encoded upright without metadata
    and shrunk to MAX_PHOTO_SIDE (HEIC as JPEG), and the stored format; else None."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(io.BytesIO(data)) as img:
                fmt = img.format
                if fmt not in _DOCUMENT_FORMATS or img.width * img.height > MAX_IMAGE_PIXELS:
                    return None
                img.verify()
            # verify() does not notice a JPEG cut short: decoding the pixels does.
            with Image.open(io.BytesIO(data)) as full:
                full.load()
                upright = _shrunk(ImageOps.exif_transpose(full))
            fmt = _STORED_AS[fmt]
            return _encode(_pixels_only(upright, fmt), fmt), fmt
    except Exception:  # noqa: BLE001 - Pillow raises many kinds of errors on hostile input; all mean "refuse"
        return None


# Office files an organiser offers as blank forms: a ZIP with the part that names its kind.
_OFFICE_KINDS = {
    "word/document.xml": (".docx", "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    "xl/workbook.xml": (".xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"),
}
MAX_OFFICE_ENTRIES = 2000
MAX_OFFICE_UNPACKED = 20 * 1024 * 1024  # a blank form is small; more is a bomb


def checked_template(upload) -> CleanDocument:
    """Check a blank form an organiser uploads (PDF, DOCX or XLSX, at most 10 MB) by content: a PDF
    as documents are checked; an Office file must be a readable ZIP with its main part, no macros
    and no embedded objects, not unpacking to more than 20 MB. Raises ValidationError otherwise."""
    data = _read_limited(upload, MAX_DOCUMENT_BYTES, _("The file is larger than 10 MB."))
    if data.startswith(_PDF_MAGIC):
        if b"%%EOF" not in data[-2048:]:
            raise ValidationError(_("The PDF file is incomplete or damaged."), code="invalid_pdf")
        _refuse_hidden_content(data)
        pdf_check(data)
        return CleanDocument(ContentFile(data, name="template.pdf"), "application/pdf")
    kind = _office_kind(data)
    if kind is None:
        raise ValidationError(_("Only PDF, DOCX or XLSX forms without macros are accepted."), code="format")
    ext, content_type = kind
    return CleanDocument(ContentFile(data, name=f"template{ext}"), content_type)


def _office_kind(data: bytes) -> tuple[str, str] | None:
    if not data.startswith(_ZIP_LOCAL):
        return None
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            entries = archive.infolist()
            names = {entry.filename for entry in entries}
            if len(entries) > MAX_OFFICE_ENTRIES or sum(e.file_size for e in entries) > MAX_OFFICE_UNPACKED:
                return None
            if "[Content_Types].xml" not in names:
                return None
            if any(n.lower().endswith(("vbaproject.bin", ".bin")) or "/embeddings/" in n.lower() for n in names):
                return None  # macros or embedded objects
            return next((kind for part, kind in _OFFICE_KINDS.items() if part in names), None)
    except (zipfile.BadZipFile, ValueError, OSError):
        return None
