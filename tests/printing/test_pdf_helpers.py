"""tuanhang.kernel.pdf: only our own static and media files are fetched (never the network, never a
file:// path), fonts are embedded, Vietnamese survives a round trip."""

import io

import pytest
from django.conf import settings
from django.test import override_settings
from pypdf import PdfReader

from tuanhang.kernel.pdf import (
    PdfColumn,
    PdfTable,
    UnsafeURL,
    cairosvg_url_fetcher,
    clean_text,
    html_to_pdf,
    local_file,
    safe_url_fetcher,
    table_pdf,
)

from .support import pdf_text


@pytest.fixture
def media(tmp_path):
    root = tmp_path / "media"
    (root / "logos").mkdir(parents=True)
    (root / "logos" / "a.png").write_bytes(b"\x89PNG fake")
    (tmp_path / "secret.txt").write_text("secret")
    with override_settings(MEDIA_ROOT=root):
        yield root


def test_local_file_finds_our_static_and_media_files(media):
    site = settings.SITE_URL
    assert local_file("/static/css/app.css").name == "app.css"
    assert local_file(f"{site}/static/css/print-letter.css").name == "print-letter.css"
    assert local_file("/media/logos/a.png") == (media / "logos" / "a.png").resolve()


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "file:///{media}/logos/a.png",
        "http://evil.example/static/css/app.css",
        "https://127.0.0.1:8000/static/css/app.css",  # another scheme than the site's
        "http://127.0.0.1:9999/static/css/app.css",  # another port
        "/media/../secret.txt",
        "/media/%2e%2e/secret.txt",
        "/media/logos/..%2f..%2fsecret.txt",
        "/static/../tuanhang/settings.py",
        "/media/logos/missing.png",
        "/staff/",
        "ftp://127.0.0.1/x",
        "//evil.example/static/css/app.css",
    ],
)
def test_local_file_refuses_everything_else(media, url):
    with pytest.raises(UnsafeURL):
        local_file(url.replace("{media}", str(media)))


def test_cairosvg_fetcher_has_the_same_rule(media):
    assert cairosvg_url_fetcher("/media/logos/a.png", "image") == b"\x89PNG fake"
    with pytest.raises(UnsafeURL):
        cairosvg_url_fetcher("file:///etc/passwd", "image")


def test_weasyprint_fetcher_reads_our_files_and_data_urls(media):
    fetcher = safe_url_fetcher()
    response = fetcher(f"{settings.SITE_URL}/media/logos/a.png")
    assert response.read() == b"\x89PNG fake"
    assert fetcher("data:text/plain,abc").read() == b"abc"
    with pytest.raises(UnsafeURL):
        fetcher("file:///etc/passwd")


def test_weasyprint_document_pointing_elsewhere_fetches_nothing(media, listener_address):
    address, hits = listener_address
    html = (
        f'<html><head><link rel="stylesheet" href="{address}/evil.css">'
        '<link rel="stylesheet" href="file:///etc/passwd"></head>'
        f'<body><p>Đông Hải</p><img src="{address}/logo.png"><img src="/media/../secret.txt">'
        f'<div style="background: url({address}/bg.png)">x</div></body></html>'
    )
    content = html_to_pdf(html)
    assert hits == []
    assert "Đông Hải" in pdf_text(content)


def test_table_pdf_embeds_fonts_keeps_text_and_escapes(media):
    hostile = '<b>Đậm</b> & <font color="red">Đỏ</font> <img src="http://evil.example/x.png"/>'
    long_hostile = hostile + " Công ty TNHH Thương mại Dịch vụ Xuất nhập khẩu rất dài " * 3
    document = PdfTable(
        title="DANH SÁCH",
        lines=["Tuần hàng Việt Nam – Ưu tiên dùng hàng Việt"],
        columns=[PdfColumn("Tên", 120), PdfColumn("Ghi chú", 40)],
        rows=[[hostile, "ngắn"], [long_hostile, "Ư"]],
    )
    content = table_pdf(document)
    text = pdf_text(content)
    flat = " ".join(text.split())
    assert "Tuần hàng Việt Nam – Ưu tiên dùng hàng Việt" in flat
    assert " ".join(hostile.split()) in flat
    assert "Trang 1/1" in flat
    reader = PdfReader(io.BytesIO(content))
    fonts = reader.pages[0]["/Resources"]["/Font"]
    embedded = []
    for ref in fonts.values():
        font = ref.get_object()
        descendant = font.get("/DescendantFonts")
        descriptor = (descendant[0].get_object() if descendant else font).get("/FontDescriptor")
        if descriptor is not None:
            descriptor = descriptor.get_object()
            embedded.append(("/FontFile2" in descriptor, str(descriptor["/FontName"])))
    assert embedded and all(has_file for has_file, _ in embedded)
    assert any("DejaVu" in name for _, name in embedded)


def test_clean_text_is_nfc_on_one_line():
    decomposed = "Nguye\u0302\u0303n\n\tThi\u0323"
    assert clean_text(decomposed) == "Nguyễn Thị"


def test_printing_a_letter_leaves_pillows_truncated_image_check_alone():
    """WeasyPrint's import turns on Pillow's LOAD_TRUNCATED_IMAGES for the whole process; the
    upload checks rely on it being off."""
    from PIL import ImageFile

    html_to_pdf("<p>Đông</p>")
    assert ImageFile.LOAD_TRUNCATED_IMAGES is False
