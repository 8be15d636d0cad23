"""Uploads that are what they claim (issue 17, item 2).

PDFs are read with pypdf, which decodes what a byte search misses: names written with #xx escapes,
hex strings, compressed object streams. Scripts, launch actions, embedded files and javascript:
links are refused with a clear message and nothing is stored. Pictures sent as documents are
re-encoded (EXIF with GPS position and comments dropped, orientation applied). Documents download
as attachments with nosniff; staff read a PDF through page previews rendered on the server."""

import io
import os
import shutil
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import translation
from PIL import Image
from pypdf import PdfWriter

from tests import factories
from tests.vendors._applying_support import Fair, stored_files, use_media_root
from tests.vendors._profile_support import image_bytes, jpeg_with_gps
from vendors.models import ApplicationDocument
from vendors.services.applying import application_save_draft

PDF_ACTIVE = (
    "The PDF contains scripts, actions or attached files, which are not accepted. "
    "Print it to a new PDF (or scan it) and upload that."
)
HIDDEN = "The file hides web page code or another file inside it. Save it again as a plain file and upload that."
UNREADABLE = "The PDF file cannot be read (it may be damaged). Print it to a new PDF and upload that."


def pdf(*objects: bytes, catalog: bytes = b"", page: bytes = b"", head: bytes = b"%PDF-1.7\n") -> bytes:
    """A one-page PDF with a correct cross-reference table: objects 1 (catalog, plus `catalog`),
    2 (pages), 3 (page, plus `page`), then `objects` numbered from 4."""
    bodies = [
        b"<</Type/Catalog/Pages 2 0 R" + catalog + b">>",
        b"<</Type/Pages/Kids[3 0 R]/Count 1>>",
        b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]" + page + b">>",
        *objects,
    ]
    out, offsets = bytearray(head), []
    for number, body in enumerate(bodies, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(bodies) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<</Size %d/Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n" % (len(bodies) + 1, xref)
    return bytes(out)


def pdf_with_object_stream(hidden: bytes) -> bytes:
    """A PDF 1.5 whose object 4, the catalog's OpenAction, lives compressed in object stream 5;
    a cross-reference stream (object 6) says so."""
    head = b"%PDF-1.5\n"
    plain = [
        b"<</Type/Catalog/Pages 2 0 R/OpenAction 4 0 R>>",
        b"<</Type/Pages/Kids[3 0 R]/Count 1>>",
        b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>",
    ]
    index = b"4 0 "
    packed = zlib.compress(index + hidden)
    stream = b"<</Type/ObjStm/N 1/First %d/Filter/FlateDecode/Length %d>>\nstream\n%s\nendstream" % (
        len(index),
        len(packed),
        packed,
    )
    out, offsets = bytearray(head), {}
    for number, body in [(1, plain[0]), (2, plain[1]), (3, plain[2]), (5, stream)]:
        offsets[number] = len(out)
        out += b"%d 0 obj\n%s\nendobj\n" % (number, body)
    offsets[6] = len(out)
    rows = [b"\x00" + (0).to_bytes(4, "big") + b"\xff\xff"]
    for number in range(1, 7):
        if number == 4:
            rows.append(b"\x02" + (5).to_bytes(4, "big") + (0).to_bytes(2, "big"))
        else:
            rows.append(b"\x01" + offsets[number].to_bytes(4, "big") + b"\x00\x00")
    table = b"".join(rows)
    out += b"6 0 obj\n<</Type/XRef/Size 7/W[1 4 2]/Root 1 0 R/Length %d>>\nstream\n%s\nendstream\nendobj\n" % (
        len(table),
        table,
    )
    out += b"startxref\n%d\n%%%%EOF\n" % offsets[6]
    return bytes(out)


def pdf_with_password() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(200, 200)
    writer.encrypt(user_password="mat-khau", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


CLEAN_PDF = pdf(page=b"/Annots[<</Type/Annot/Subtype/Link/Rect[0 0 90 20]/A<</S/URI/URI(https://vsip.vn/)>>>>]")

# Each one was accepted by the byte search and stored as sent.
HOSTILE_PDFS = {
    # /J#61vaScript is /JavaScript, /J#53 is /JS.
    "hex_escaped_javascript": (pdf(catalog=b"/OpenAction<</S/J#61vaScript/J#53(app.alert(1))>>"), PDF_ACTIVE),
    "hex_escaped_launch": (pdf(catalog=b"/OpenAction<</S/L#61unch/F(cmd.exe)>>"), PDF_ACTIVE),
    "hex_escaped_embedded_files": (
        pdf(b"<</Names[(a.exe)5 0 R]>>", b"<</Type/Filespec/F(a.exe)>>", catalog=b"/Names<</Embedde#64Files 4 0 R>>"),
        PDF_ACTIVE,
    ),
    "javascript_in_an_object_stream": (pdf_with_object_stream(b"<</S/JavaScript/JS(app.alert(1))>>"), PDF_ACTIVE),
    "page_action_in_hex": (pdf(page=b"/AA<</O<</S/#4A#61#76#61#53#63#72#69#70#74/J#53(1)>>>>"), PDF_ACTIVE),
    # <4A617661...> is "JavaScript:alert(1)" written as a hex string.
    "javascript_link_in_hex": (
        pdf(page=b"/Annots[<</Subtype/Link/Rect[0 0 9 9]/A<</S/URI/URI<4A6176615363726970743A616C657274283129>>>>>]"),
        PDF_ACTIVE,
    ),
    "javascript_link_split_by_a_tab": (
        pdf(page=b"/Annots[<</Subtype/Link/Rect[0 0 9 9]/A<</S/URI/URI(java\tscript:alert\\(1\\))>>>>]"),
        PDF_ACTIVE,
    ),
    # A PDF that a browser taking it for a web page would run.
    "html_polyglot": (pdf(head=b"%PDF-1.7\n%<body onload=alert(document.cookie)>\n"), HIDDEN),
    "html_before_the_pdf": (b"<html><script>alert(1)</script></html>\n" + pdf(), HIDDEN),
    # Whatever it holds cannot be looked at (nor by the reviewers).
    "password_protected": (
        pdf_with_password(),
        "The PDF is protected with a password. Upload a copy without the password.",
    ),
    # Nested ten thousand deep: pypdf gives up, so nothing in it can be vouched for.
    "unreadable": (pdf(b"[" * 10_000 + b"]" * 10_000), UNREADABLE),
}


@pytest.fixture(autouse=True)
def _english():
    with translation.override("en"):
        yield


@pytest.fixture
def fair(db):
    return Fair()


@pytest.fixture
def media_root(settings, tmp_path):
    return use_media_root(settings, tmp_path)


@pytest.fixture
def application(fair):
    return application_save_draft(
        vendor=fair.vendor,
        event=fair.event,
        by=fair.user,
        booths_requested=1,
        booth_type=fair.standard,
        zones=[fair.zone_a],
        categories=[fair.food],
        products=[fair.fish_sauce],
        note="",
        accept_terms=False,
    )


def upload(client, fair, application, name, content):
    client.force_login(fair.user)
    url = reverse("vendors:document_upload", kwargs={"pk": application.pk, "document_type_id": fair.registration.pk})
    return client.post(url, {"file": SimpleUploadedFile(name, content, content_type="application/pdf")})


def file_url(document):
    return reverse("vendors:file", kwargs={"kind": "document", "pk": document.pk})


def preview_url(document, page=1):
    return reverse("vendors:file_preview", kwargs={"pk": document.pk, "page": page})


# --- PDFs -------------------------------------------------------------------------------------


@pytest.mark.parametrize("case", HOSTILE_PDFS)
def test_hostile_pdf_is_refused_with_a_message_and_nothing_is_stored(client, fair, application, media_root, case):
    content, message = HOSTILE_PDFS[case]

    response = upload(client, fair, application, "giay-phep.pdf", content)

    assert response.status_code == 200
    assert response.context["form"].errors["file"] == [message]
    assert message in response.content.decode()
    assert not ApplicationDocument.objects.exists()
    assert stored_files(media_root) == []


def test_clean_pdf_with_an_ordinary_link_is_stored_as_sent(client, fair, application, media_root):
    response = upload(client, fair, application, "giay-phep.pdf", CLEAN_PDF)

    assert response.status_code == 302
    document = ApplicationDocument.objects.get()
    assert document.content_type == "application/pdf"
    assert (media_root / document.file.name).read_bytes() == CLEAN_PDF


# --- pictures sent as documents ---------------------------------------------------------------


def test_photo_document_is_stored_upright_without_exif_gps_or_comment(client, fair, application, media_root):
    photo = jpeg_with_gps(size=(800, 600), orientation=6)  # taken with the phone turned: shown 600 × 800
    photo = photo[:2] + b"\xff\xfe\x00\x1a<b>Xin ch\xc3\xa0o</b><i>!</i>\x00" + photo[2:]  # an HTML comment
    with Image.open(io.BytesIO(photo)) as sent:
        assert sent.getexif().get_ifd(0x8825) and b"<b>" in photo  # what is sent has them

    response = upload(client, fair, application, "anh-chup.jpg", photo)

    assert response.status_code == 302
    document = ApplicationDocument.objects.get()
    stored = (media_root / document.file.name).read_bytes()
    with Image.open(io.BytesIO(stored)) as kept:
        assert (kept.format, kept.size) == ("JPEG", (600, 800))
        assert dict(kept.getexif()) == {}
        assert "comment" not in kept.info and "exif" not in kept.info
    assert b"<b>" not in stored and b"Exif" not in stored
    assert (document.content_type, document.size) == ("image/jpeg", len(stored))


# --- serving ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [("giay-phep.pdf", CLEAN_PDF, "application/pdf"), ("scan.png", image_bytes("PNG"), "image/png")],
)
def test_document_downloads_as_an_attachment_with_nosniff(
    client, fair, application, media_root, name, content, content_type
):
    upload(client, fair, application, name, content)
    document = ApplicationDocument.objects.get()

    response = client.get(file_url(document))

    assert response.status_code == 200
    assert response["Content-Type"] == content_type
    assert response["Content-Disposition"] == f'attachment; filename="{name}"'
    assert response["X-Content-Type-Options"] == "nosniff"


# --- page previews ----------------------------------------------------------------------------


@pytest.fixture
def uploaded(client, fair, application, media_root):
    upload(client, fair, application, "giay-phep.pdf", CLEAN_PDF)
    client.logout()
    return ApplicationDocument.objects.get()


def _png_size(response):
    with Image.open(io.BytesIO(response.content)) as picture:
        return picture.format, picture.size


@pytest.mark.skipif(
    shutil.which("pdftoppm") is None and not os.environ.get("TUANHANG_REQUIRE_PDFTOPPM"),
    reason="poppler-utils (pdftoppm) is not installed; .ci/run installs it and requires this test",
)
def test_preview_is_a_png_for_the_business_and_for_the_fairs_reviewers(client, fair, uploaded, media_root):
    reviewer = factories.StaffUserFactory(organiser=fair.event.organiser, role="reviewer")
    for user in (fair.user, reviewer):
        client.force_login(user)

        response = client.get(preview_url(uploaded))

        assert response.status_code == 200
        assert response["Content-Type"] == "image/png"
        assert response["X-Content-Type-Options"] == "nosniff"
        assert _png_size(response) == ("PNG", (1200, 1200))  # a square page, its longest side 1200 pixels
    assert len(list((media_root / "previews").rglob("1.png"))) == 1  # rendered once, then read from disk


def test_preview_answers_404_to_another_business_and_another_organisers_staff(client, fair, uploaded):
    stranger = factories.UserFactory()
    factories.VendorFactory()
    other_staff = factories.StaffUserFactory(organiser=factories.OrganiserFactory(name="Sở Công Thương Bắc Ninh"))
    for user in (stranger, other_staff):
        client.force_login(user)
        assert client.get(preview_url(uploaded)).status_code == 404


def test_preview_answers_403_to_a_role_that_does_not_read_applications(client, fair, uploaded):
    client.force_login(factories.StaffUserFactory(organiser=fair.event.organiser, role="floor"))
    assert client.get(preview_url(uploaded)).status_code == 403


def test_preview_of_a_page_the_document_does_not_have_or_of_a_picture_is_404(client, fair, application, uploaded):
    client.force_login(fair.user)
    assert client.get(preview_url(uploaded, page=2)).status_code == 404
    picture = ApplicationDocument.objects.create(
        application=application,
        document_type=fair.food_safety,
        content_type="image/png",
        file=uploaded.file.name,
        size=uploaded.size,
    )
    assert client.get(preview_url(picture)).status_code == 404


def test_review_page_shows_page_previews_instead_of_embedding_the_pdf(client, fair, application, uploaded):
    client.force_login(factories.StaffUserFactory(organiser=fair.event.organiser))

    response = client.get(reverse("vendors:review_detail", args=[application.pk]))

    html = response.content.decode()
    assert f'<img src="{preview_url(uploaded)}" alt="giay-phep.pdf, page 1"' in html
    assert "<object" not in html


def test_replacing_a_document_removes_the_old_file_and_its_page_previews(
    client, fair, application, uploaded, media_root, django_capture_on_commit_callbacks
):
    client.force_login(fair.user)
    assert client.get(preview_url(uploaded)).status_code == 200
    previews = media_root / "previews"
    old_pngs = list(previews.rglob("*.png"))
    assert len(old_pngs) == 1
    old_file = media_root / uploaded.file.name

    with django_capture_on_commit_callbacks(execute=True):
        upload(client, fair, application, "giay-phep-moi.pdf", CLEAN_PDF)

    assert not old_file.exists()
    assert not any(path.exists() for path in old_pngs)
    assert client.get(preview_url(ApplicationDocument.objects.get())).status_code == 200
    assert len(list(previews.rglob("*.png"))) == 1
