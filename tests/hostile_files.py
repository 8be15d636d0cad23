"""A corpus of hostile files, built in memory: what an attacker (or an unlucky user) uploads.

Each entry is (file name, content, the start of the message the user must see). The messages are
the English source texts; tests that use them run with English active.
"""

import io
import struct
import zipfile
import zlib

import pillow_heif
from openpyxl import Workbook
from PIL import Image

pillow_heif.register_heif_opener(thumbnails=False)


def image_bytes(fmt="PNG", size=(64, 48)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, format=fmt)
    return out.getvalue()


def png_declaring(width: int, height: int) -> bytes:
    """A tiny PNG whose header claims `width` × `height` pixels: a decompression bomb for a decoder."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 1, 0, 0, 0, 0)
    rows = zlib.compress(b"\0" * 1024, 9)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", rows) + chunk(b"IEND", b"")


def heic_bytes(size=(64, 64), exif: bytes | None = None) -> bytes:
    """A real HEIC photo (what an iPhone's camera writes), made with pillow-heif."""
    out = io.BytesIO()
    Image.new("RGB", size, (30, 120, 200)).save(out, format="HEIF", quality=60, **({"exif": exif} if exif else {}))
    return out.getvalue()


def heic_declaring(width: int, height: int) -> bytes:
    """A small HEIC whose image size box (ispe) claims `width` × `height`: a decompression bomb."""
    data = heic_bytes()
    at = data.index(b"ispe") + 8  # after the box type and its version/flags
    return data[:at] + struct.pack(">II", width, height) + data[at + 8 :]


def zip_bytes(files: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return out.getvalue()


def xlsx_bytes(rows) -> bytes:
    workbook = Workbook()
    for row in rows:
        workbook.active.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def xlsx_bomb() -> bytes:
    """A valid-looking workbook whose sheet inflates from ~200 KB to ~200 MB of XML."""
    real = zipfile.ZipFile(io.BytesIO(xlsx_bytes([["code", "zone"]])))
    files = {name: real.read(name) for name in real.namelist()}
    row = b'<row r="1"><c r="A1" t="inlineStr"><is><t>x</t></is></c></row>'
    head = (
        b'<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'
    )
    files["xl/worksheets/sheet1.xml"] = head + row * 3_500_000 + b"</sheetData></worksheet>"
    return zip_bytes(files)


PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
)
SVG = b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(document.cookie)</script></svg>'
HTML = b"<!doctype html><html><body><script>fetch('/account/')</script></body></html>"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\0" * 200 + b"This program cannot be run in DOS mode"
PDF_WITH_SCRIPT = PDF.replace(b"/Type/Catalog", b"/Type/Catalog/OpenAction<</S/JavaScript/JS(app.alert(1))>>")
PDF_WITH_ATTACHMENT = PDF.replace(b"/Type/Catalog", b"/Type/Catalog/Names<</EmbeddedFiles 9 0 R>>")
PDF_LAUNCHING = PDF.replace(b"/Type/Catalog", b"/Type/Catalog/OpenAction<</S/Launch/F(cmd.exe)>>")
# A PDF that is also a web page: a browser sniffing it would run the script.
PDF_HTML_POLYGLOT = PDF.replace(b"trailer", b"%<html><script>alert(1)</script></html>\ntrailer")
# A JPEG with a ZIP (say, a .jar) glued to its end: readers of either format accept it.
JPEG_ZIP_POLYGLOT = image_bytes("JPEG") + zip_bytes({"a/Main.class": b"\xca\xfe\xba\xbe" + b"\0" * 64})
# A PNG with a web page after its end.
PNG_HTML_POLYGLOT = image_bytes("PNG") + HTML

HEIC_UNREADABLE = "The HEIC photo could not be read (it may be damaged or too large)."
HIDDEN = "The file hides web page code or another file inside it."
PDF_ACTIVE = "The PDF contains scripts, actions or attached files, which are not accepted."
NOT_IMAGE = "The file is not a readable JPEG, PNG, WebP or HEIC image"
DOCUMENT_TYPES = "Only PDF, JPEG, PNG or HEIC documents are accepted."

# Logos and product photos (JPEG, PNG, WebP or HEIC, at most 5 MB and 40 megapixels).
IMAGES = {
    "empty": ("logo.png", b"", "The submitted file is empty."),
    "oversized": ("logo.png", image_bytes("PNG") + b"\0" * (5 * 1024 * 1024), "The image is larger than 5 MB."),
    "decompression_bomb": ("logo.png", png_declaring(30_000, 30_000), "The image has more than 40 megapixels."),
    "truncated": ("logo.jpg", image_bytes("JPEG", (400, 300))[:1500], NOT_IMAGE),
    "svg_with_script": ("logo.svg", SVG, "SVG drawings are not accepted."),
    "svg_named_png": ("logo.png", SVG, "SVG drawings are not accepted."),
    "html_named_jpg": ("logo.jpg", HTML, NOT_IMAGE),
    "exe_named_jpg": ("logo.jpg", EXE, NOT_IMAGE),
    "pdf_named_png": ("logo.png", PDF, "This file is a PDF document, not an image."),
    "jpeg_zip_polyglot": ("logo.jpg", JPEG_ZIP_POLYGLOT, HIDDEN),
    "png_html_polyglot": ("logo.png", PNG_HTML_POLYGLOT, HIDDEN),
    "heic_bomb": ("IMG_0001.HEIC", heic_declaring(30_000, 30_000), "The image has more than 40 megapixels."),
    "heic_truncated": ("IMG_0001.HEIC", heic_bytes((256, 256))[:400], HEIC_UNREADABLE),
}

# Application documents (PDF, JPEG, PNG or HEIC, at most 10 MB).
DOCUMENTS = {
    "empty": ("giay-phep.pdf", b"", "The submitted file is empty."),
    "oversized": ("giay-phep.pdf", PDF + b"\0" * (10 * 1024 * 1024), "The file is larger than 10 MB."),
    "decompression_bomb": ("giay-phep.png", png_declaring(30_000, 30_000), DOCUMENT_TYPES),
    "truncated_pdf": ("giay-phep.pdf", PDF[:120], "The PDF file is incomplete or damaged."),
    "truncated_jpeg": ("giay-phep.jpg", image_bytes("JPEG", (400, 300))[:1500], DOCUMENT_TYPES),
    "svg_with_script": ("giay-phep.svg", SVG, DOCUMENT_TYPES),
    "html_named_pdf": ("giay-phep.pdf", HTML, DOCUMENT_TYPES),
    "exe_named_pdf": ("giay-phep.pdf", EXE, DOCUMENT_TYPES),
    "pdf_with_javascript": ("giay-phep.pdf", PDF_WITH_SCRIPT, PDF_ACTIVE),
    "pdf_with_attachment": ("giay-phep.pdf", PDF_WITH_ATTACHMENT, PDF_ACTIVE),
    "pdf_launching_a_program": ("giay-phep.pdf", PDF_LAUNCHING, PDF_ACTIVE),
    "pdf_html_polyglot": ("giay-phep.pdf", PDF_HTML_POLYGLOT, HIDDEN),
    "jpeg_zip_polyglot": ("giay-phep.jpg", JPEG_ZIP_POLYGLOT, HIDDEN),
    "heic_bomb": ("IMG_0001.HEIC", heic_declaring(30_000, 30_000), HEIC_UNREADABLE),
    "heic_truncated": ("IMG_0001.HEIC", heic_bytes((256, 256))[:400], HEIC_UNREADABLE),
}

# Blank forms an organiser offers with a document type (PDF, DOCX or XLSX, at most 10 MB).
TEMPLATE_TYPES = "Only PDF, DOCX or XLSX forms without macros are accepted."
DOCX_WITH_MACROS = zip_bytes(
    {"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>", "word/vbaProject.bin": b"\0" * 64}
)
TEMPLATES = {
    "empty": ("mau.docx", b"", "The submitted file is empty."),
    "oversized": ("mau.pdf", PDF + b"\0" * (10 * 1024 * 1024), "The file is larger than 10 MB."),
    "exe_named_docx": ("mau.docx", EXE, TEMPLATE_TYPES),
    "html_named_pdf": ("mau.pdf", HTML, TEMPLATE_TYPES),
    "svg_with_script": ("mau.svg", SVG, TEMPLATE_TYPES),
    "docx_with_macros": ("mau.docx", DOCX_WITH_MACROS, TEMPLATE_TYPES),
    "xlsx_bomb": ("mau.xlsx", xlsx_bomb(), TEMPLATE_TYPES),
    "pdf_with_javascript": ("mau.pdf", PDF_WITH_SCRIPT, PDF_ACTIVE),
    "pdf_html_polyglot": ("mau.pdf", PDF_HTML_POLYGLOT, HIDDEN),
}

# Spreadsheets for the imports (.xlsx or .csv, at most 10 MB).
SHEETS = {
    "empty": ("danh-sach.xlsx", b"", "The submitted file is empty."),
    "oversized": ("danh-sach.csv", b"a,b\n" + b"x,y\n" * (3 * 1024 * 1024), "The file is larger than 10 MB."),
    "zip_bomb": ("danh-sach.xlsx", xlsx_bomb(), "The workbook unpacks to more than 64 MB"),
    "truncated_xlsx": (
        "danh-sach.xlsx",
        xlsx_bytes([["name"]])[:300],
        "The file is not a readable Excel (.xlsx) workbook.",
    ),
    "exe_named_xlsx": ("danh-sach.xlsx", EXE, "The file is not a readable Excel (.xlsx) workbook."),
    "html_named_csv": ("danh-sach.csv", "Tên\n<script>".encode("utf-16"), "The CSV file is not UTF-8 text"),
    "svg": ("danh-sach.svg", SVG, "Only .xlsx and .csv files can be imported"),
    "exe": ("danh-sach.exe", EXE, "Only .xlsx and .csv files can be imported"),
    "endless_blank_rows": ("danh-sach.csv", b"name\n" + b",\n" * 40_000, "The file has more than 30.000 rows"),
}
