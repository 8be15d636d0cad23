"""Phone photos: HEIC/HEIF (an iPhone camera's default) accepted for product pictures and documents,
stored as JPEG without EXIF, shrunk on the server; a damaged one gets a plain Vietnamese message."""

import io

import pytest
from django.utils import translation
from PIL import Image

from events.models import DocumentType
from tests import factories
from tests.hostile_files import heic_bytes
from tuanhang.kernel.uploads import MAX_PHOTO_SIDE, checked_document, clean_image
from vendors.forms.applying import DocumentUploadForm
from vendors.forms.profile_ui import ProductForm
from vendors.models import Product

from . import _profile_support
from ._profile_support import en, image_bytes, member_of, upload

media_root = _profile_support.media_root


def _exif_with_gps() -> bytes:
    exif = Image.Exif()
    exif[0x010F] = "iPhone bí mật"  # Make
    gps = exif.get_ifd(0x8825)
    gps[1], gps[2] = "N", (20.0, 51.0, 30.0)
    gps[3], gps[4] = "E", (106.0, 41.0, 0.0)
    return exif.tobytes()


def test_a_heic_product_photo_is_stored_as_jpeg_without_exif(client, db, media_root):
    vendor = factories.VendorFactory()
    client.force_login(member_of(vendor))
    photo = heic_bytes((640, 480), exif=_exif_with_gps())
    with Image.open(io.BytesIO(photo)) as sent:
        assert sent.format == "HEIF" and sent.getexif().get_ifd(0x8825)  # the photo does carry a position

    response = client.post(
        en("vendors:product_create"),
        {"name": "Bánh đa cua", "category": factories.CategoryFactory().pk, "image": upload("IMG_0412.HEIC", photo)},
    )

    assert response.status_code == 302
    product = Product.objects.get()
    assert product.image.name.endswith(".jpg") and product.image_thumbnail.name.endswith(".jpg")
    for field in (product.image, product.image_thumbnail):
        data = (media_root / field.name).read_bytes()
        assert b"Exif" not in data and "iPhone bí mật".encode() not in data
        with Image.open(media_root / field.name) as stored:
            assert stored.format == "JPEG"
            assert dict(stored.getexif()) == {}
    with Image.open(media_root / product.image.name) as stored:
        assert stored.size == (640, 480)


def test_a_heic_photo_of_a_paper_is_a_jpeg_document_shrunk_to_the_maximum():
    checked = checked_document(upload("IMG_0413.heic", heic_bytes((2600, 1300))))

    assert checked.content_type == "image/jpeg"
    assert checked.file.name == "document.jpg"
    with Image.open(io.BytesIO(checked.file.read())) as stored:
        assert stored.format == "JPEG"
        assert stored.size == (MAX_PHOTO_SIDE, MAX_PHOTO_SIDE // 2)


def test_a_large_jpeg_photo_is_shrunk_on_its_longest_side_and_a_small_one_kept():
    large = clean_image(upload("anh.jpg", image_bytes("JPEG", size=(1500, 3000))))
    small = clean_image(upload("anh.jpg", image_bytes("JPEG", size=(1200, 900))))

    with Image.open(io.BytesIO(large.image.read())) as img:
        assert img.size == (1000, MAX_PHOTO_SIDE)
    with Image.open(io.BytesIO(small.image.read())) as img:
        assert img.size == (1200, 900)


@pytest.mark.parametrize("check", [checked_document, clean_image])
def test_a_damaged_heic_gets_a_plain_vietnamese_message(check):
    damaged = heic_bytes((256, 256))[:400]

    with translation.override("vi"), pytest.raises(Exception) as caught:
        check(upload("IMG_0414.HEIC", damaged))

    assert caught.value.messages == [
        "Không đọc được ảnh HEIC (ảnh có thể bị hỏng hoặc quá lớn). Vui lòng chụp lại ảnh."
    ]


def test_photo_inputs_offer_the_phone_camera(db):
    product_input = str(ProductForm()["image"])
    document_input = str(
        DocumentUploadForm(document_type=DocumentType.objects.create(name="Giấy phép", slug="giay-phep"))["file"]
    )

    assert 'accept="image/*,.heic,.heif"' in product_input
    assert 'capture="environment"' in product_input
    assert 'accept="image/*,.heic,.heif,application/pdf,.pdf"' in document_input
    assert "capture" not in document_input  # a camera-only picker would hide the PDF a business has
