"""Helpers shared by the profile, product and upload tests: accounts acting for a business,
image files of every kind (good, hostile, broken), and what landed in MEDIA_ROOT."""

import io
import struct
import zlib
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from PIL import Image

from tests import factories
from vendors.models import VendorMember


def en(name, **kwargs):
    """A URL of the English interface, so assertions do not depend on the Vietnamese catalogue."""
    with translation.override("en"):
        return reverse(name, kwargs=kwargs or None)


def member_of(vendor, role=VendorMember.Role.OWNER, **user_fields):
    user = factories.UserFactory(**user_fields)
    VendorMember.objects.create(vendor=vendor, user=user, role=role)
    return user


@pytest.fixture
def media_root(settings, tmp_path):
    root = tmp_path / "media"
    root.mkdir()
    settings.MEDIA_ROOT = root
    return root


def stored_files(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


def image_bytes(fmt="JPEG", size=(800, 600), mode="RGB", **save) -> bytes:
    """A picture with some detail (a gradient), so that a cut-off copy really misses pixels."""
    gradient = Image.linear_gradient("L").resize(size)
    img = Image.merge("RGB", (gradient, gradient.transpose(Image.Transpose.FLIP_LEFT_RIGHT), gradient))
    if mode != "RGB":
        img = img.convert(mode)
    out = io.BytesIO()
    img.save(out, format=fmt, **save)
    return out.getvalue()


def jpeg_with_gps(size=(800, 600), orientation=None) -> bytes:
    """A JPEG whose EXIF says where it was taken (Hải Phòng), with a camera name and a comment."""
    gradient = Image.linear_gradient("L").resize(size)
    img = Image.merge("RGB", (gradient, gradient, gradient))
    exif = Image.Exif()
    exif[0x010F] = "Máy ảnh bí mật"  # Make
    exif[0x0132] = "2024:05:01 10:00:00"  # DateTime
    if orientation:
        exif[0x0112] = orientation
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2] = "N", (20.0, 51.0, 30.0)
    gps[3], gps[4] = "E", (106.0, 41.0, 0.0)
    out = io.BytesIO()
    img.save(out, format="JPEG", exif=exif, comment=b"ghi chu an")
    return out.getvalue()


def png_declaring(width: int, height: int) -> bytes:
    """A few hundred bytes of PNG whose header claims width × height pixels (a decompression bomb)."""

    def chunk(tag: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(b"\x00" * 1024))
        + chunk(b"IEND", b"")
    )


PDF_BYTES = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
SVG_BYTES = (
    b'<?xml version="1.0" encoding="UTF-8"?>\n'
    b'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script></svg>'
)


def upload(name: str, data: bytes, content_type="image/jpeg") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=content_type)


# (file name, bytes, the start of the field error) for every kind of file that must be refused.
HOSTILE_IMAGES = {
    "pdf_named_jpg": ("anh.jpg", PDF_BYTES, "This file is a PDF document, not an image."),
    "svg": ("logo.svg", SVG_BYTES, "SVG drawings are not accepted."),
    "svg_named_png": ("logo.png", SVG_BYTES, "SVG drawings are not accepted."),
    "truncated_jpeg": (
        "anh.jpg",
        image_bytes("JPEG")[:2000],
        "The file is not a readable JPEG, PNG, WebP or HEIC image (it may be damaged or of another type).",
    ),
    "six_megabytes": ("anh.png", image_bytes("PNG") + b"\0" * (6 * 1024 * 1024), "The image is larger than 5 MB."),
    "bomb_20000_square": ("bom.png", png_declaring(20_000, 20_000), "The image has more than 40 megapixels."),
    "over_40_megapixels": ("lon.png", png_declaring(8_000, 5_001), "The image has more than 40 megapixels."),
    "gif": ("anh.gif", image_bytes("GIF"), "Only JPEG, PNG, WebP or HEIC images are accepted."),
    "text": ("anh.jpg", "Xin chào, tôi không phải ảnh".encode(), "The file is not a readable JPEG, PNG, WebP or HEIC"),
    "empty": ("anh.jpg", b"", "The submitted file is empty."),
}
