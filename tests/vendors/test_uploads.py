"""Uploaded images and documents: checked by content, re-encoded without metadata, refused with a
clear field error and nothing stored; served only through the permission-checked file view."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.utils import translation
from PIL import Image
from pytest_django.asserts import assertContains

from tests import factories
from tuanhang.kernel.uploads import clean_document, clean_image, random_upload_path
from vendors.models import Product, Vendor

from . import _profile_support
from ._profile_support import (
    HOSTILE_IMAGES,
    PDF_BYTES,
    en,
    image_bytes,
    jpeg_with_gps,
    member_of,
    png_declaring,
    stored_files,
    upload,
)

media_root = _profile_support.media_root  # a fixture: MEDIA_ROOT in a temporary directory


@pytest.fixture(autouse=True)
def _english():
    """Messages in English, so assertions do not depend on the Vietnamese catalogue."""
    with translation.override("en"):
        yield


# --- clean_image ------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["JPEG", "PNG", "WEBP"])
def test_clean_image_accepts_each_format_and_makes_a_thumbnail(fmt):
    result = clean_image(upload("anh", image_bytes(fmt, size=(1200, 900))))

    ext = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}[fmt]
    assert result.content_type == f"image/{'jpeg' if fmt == 'JPEG' else fmt.lower()}"
    assert result.image.name == f"image.{ext}"
    with Image.open(io.BytesIO(result.image.read())) as img:
        assert (img.format, img.size) == (fmt, (1200, 900))
    with Image.open(io.BytesIO(result.thumbnail.read())) as thumb:
        assert (thumb.format, thumb.size) == (fmt, (400, 300))


def test_clean_image_decides_by_content_not_by_name():
    result = clean_image(upload("anh-chup.jpg", image_bytes("PNG")))
    assert result.content_type == "image/png"
    assert result.image.name == "image.png"


@pytest.mark.parametrize("case", sorted(set(HOSTILE_IMAGES) - {"empty"}))
def test_clean_image_refuses_hostile_files_with_a_clear_message(case):
    name, data, message = HOSTILE_IMAGES[case]
    with pytest.raises(ValidationError) as caught:
        clean_image(upload(name, data))
    assert caught.value.messages[0].startswith(message)


def test_clean_image_refuses_an_empty_file():
    with pytest.raises(ValidationError, match="The file is empty."):
        clean_image(upload("anh.jpg", b""))


def test_clean_image_drops_exif_gps_and_comments():
    original = jpeg_with_gps()
    with Image.open(io.BytesIO(original)) as img:
        assert img.getexif().get_ifd(0x8825)  # the test file does carry a position

    result = clean_image(upload("anh.jpg", original))

    for content in (result.image, result.thumbnail):
        data = content.read()
        assert b"Exif" not in data
        assert b"ghi chu an" not in data
        with Image.open(io.BytesIO(data)) as img:
            assert dict(img.getexif()) == {}
            assert "exif" not in img.info
            assert "comment" not in img.info


def test_clean_image_turns_the_picture_upright_before_dropping_the_orientation():
    result = clean_image(upload("anh.jpg", jpeg_with_gps(size=(800, 600), orientation=6)))
    with Image.open(io.BytesIO(result.image.read())) as img:
        assert img.size == (600, 800)


def test_clean_image_keeps_transparency_of_a_palette_png():
    img = Image.new("P", (50, 50))
    img.info["transparency"] = 0
    out = io.BytesIO()
    img.save(out, format="PNG", transparency=0)

    result = clean_image(upload("logo.png", out.getvalue()))

    with Image.open(io.BytesIO(result.image.read())) as clean:
        assert clean.mode == "RGBA"
        assert clean.getpixel((0, 0))[3] == 0


def test_clean_image_reencodes_a_cmyk_jpeg_as_rgb():
    result = clean_image(upload("in.jpg", image_bytes("JPEG", mode="CMYK")))
    with Image.open(io.BytesIO(result.image.read())) as img:
        assert img.mode == "RGB"


# --- clean_document ---------------------------------------------------------------------------


def test_clean_document_accepts_pdf_jpeg_and_png_by_content():
    assert clean_document(upload("giay-phep.jpg", PDF_BYTES)) == "application/pdf"
    assert clean_document(upload("scan.pdf", image_bytes("JPEG"))) == "image/jpeg"
    assert clean_document(upload("scan", image_bytes("PNG"))) == "image/png"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "The file is empty."),
        (b"%PDF-1.4\n1 0 obj <<>> endobj\n", "The PDF file is incomplete or damaged."),
        (image_bytes("JPEG")[:2000], "Only PDF, JPEG, PNG or HEIC documents are accepted."),
        (image_bytes("WEBP"), "Only PDF, JPEG, PNG or HEIC documents are accepted."),
        (png_declaring(20_000, 20_000), "Only PDF, JPEG, PNG or HEIC documents are accepted."),
        (b"PK\x03\x04 a zip file", "Only PDF, JPEG, PNG or HEIC documents are accepted."),
        (PDF_BYTES + b"\0" * (10 * 1024 * 1024), "The file is larger than 10 MB."),
    ],
)
def test_clean_document_refuses_anything_else(data, message):
    with pytest.raises(ValidationError) as caught:
        clean_document(upload("giay-phep.pdf", data))
    assert caught.value.messages == [message]


def test_random_upload_path_keeps_only_a_safe_extension():
    to = random_upload_path("logos")
    first, second = to(None, "../../etc/passwd.JPG"), to(None, "Ảnh của tôi.php")
    assert first.startswith("logos/") and first.endswith(".jpg") and ".." not in first
    assert "/" not in first.removeprefix("logos/")
    assert second.startswith("logos/") and "." not in second.removeprefix("logos/")
    assert first != to(None, "../../etc/passwd.JPG")


# --- through the pages: refused with a field error, nothing stored ----------------------------


def _profile_data(vendor, **overrides):
    data = {
        "name": vendor.name,
        "short_name": vendor.short_name,
        "kind": vendor.kind,
        "tax_code": vendor.tax_code,
        "province": vendor.province_id,
        "phone": vendor.phone,
        "email": vendor.email,
    }
    data.update(overrides)
    return data


@pytest.fixture
def owner_client(client, db):
    vendor = factories.VendorFactory()
    client.force_login(member_of(vendor))
    client.vendor = vendor
    return client


@pytest.mark.parametrize("case", sorted(HOSTILE_IMAGES))
def test_profile_logo_hostile_upload_gets_a_field_error_and_nothing_is_stored(owner_client, media_root, case):
    vendor = owner_client.vendor
    before = Vendor.objects.values().get(pk=vendor.pk)
    name, data, message = HOSTILE_IMAGES[case]

    response = owner_client.post(
        en("vendors:profile_edit"), _profile_data(vendor, name="Tên mới", logo=upload(name, data))
    )

    assert response.status_code == 200
    assert response.context["form"].errors["logo"][0].startswith(message)
    assertContains(response, 'id="error_1_id_logo"')
    assert Vendor.objects.values().get(pk=vendor.pk) == before
    assert stored_files(media_root) == []


@pytest.mark.parametrize("case", sorted(HOSTILE_IMAGES))
def test_product_image_hostile_upload_gets_a_field_error_and_nothing_is_stored(owner_client, media_root, case):
    category = factories.CategoryFactory()
    name, data, message = HOSTILE_IMAGES[case]

    response = owner_client.post(
        en("vendors:product_create"), {"name": "Nước mắm Cát Hải", "category": category.pk, "image": upload(name, data)}
    )

    assert response.status_code == 200
    assert response.context["form"].errors["image"][0].startswith(message)
    assert Product.objects.count() == 0
    assert stored_files(media_root) == []


def test_profile_logo_png_named_jpg_is_stored_as_png_with_thumbnail(owner_client, media_root):
    response = owner_client.post(
        en("vendors:profile_edit"),
        _profile_data(owner_client.vendor, logo=upload("logo.jpg", image_bytes("PNG", size=(1000, 500)))),
    )

    assert response.status_code == 302
    vendor = Vendor.objects.get(pk=owner_client.vendor.pk)
    assert vendor.logo.name.startswith("logos/") and vendor.logo.name.endswith(".png")
    assert vendor.logo_thumbnail.name.startswith("logos/thumbs/") and vendor.logo_thumbnail.name.endswith(".png")
    assert "logo" not in vendor.logo.name.removeprefix("logos/")  # nothing of the client's name
    with Image.open(media_root / vendor.logo_thumbnail.name) as thumb:
        assert thumb.size == (400, 200)
    assert stored_files(media_root) == sorted([vendor.logo.name, vendor.logo_thumbnail.name])


def test_stored_product_image_has_no_exif(owner_client, media_root):
    category = factories.CategoryFactory()

    owner_client.post(
        en("vendors:product_create"),
        {"name": "Chè Thái Nguyên", "category": category.pk, "image": upload("che.jpg", jpeg_with_gps())},
    )

    product = Product.objects.get()
    for field in (product.image, product.image_thumbnail):
        data = (media_root / field.name).read_bytes()
        assert b"Exif" not in data and b"ghi chu an" not in data
        with Image.open(media_root / field.name) as img:
            assert dict(img.getexif()) == {}
    with Image.open(media_root / product.image_thumbnail.name) as thumb:
        assert thumb.size == (400, 300)


def test_media_url_is_not_served(owner_client, media_root):
    owner_client.post(
        en("vendors:profile_edit"), _profile_data(owner_client.vendor, logo=upload("logo.png", image_bytes("PNG")))
    )
    name = Vendor.objects.get(pk=owner_client.vendor.pk).logo.name

    assert owner_client.get(f"/media/{name}").status_code == 404
    assert owner_client.get(f"/en/media/{name}").status_code == 404
