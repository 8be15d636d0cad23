"""Reading a VietQR back as a banking app would: a standard decoder (zxing-cpp) on the rendered
image (a page's SVG rasterised, a PNG, a PDF page printed by pdftoppm), then the test TLV parser
(tests/kernel/vietqr/tlv.py), never the builder."""

import binascii
import io
import subprocess
import tempfile
from pathlib import Path

import zxingcpp
from PIL import Image

from tests.kernel.vietqr.tlv import as_dict


def decode_image(image: Image.Image) -> list[str]:
    return [result.text for result in zxingcpp.read_barcodes(image) if result.format == zxingcpp.BarcodeFormat.QRCode]


def decode_png(png: bytes) -> list[str]:
    return decode_image(Image.open(io.BytesIO(png)))


def decode_pdf_page(pdf: bytes, page: int = 1, dpi: int = 200) -> list[str]:
    """The QR codes on one page of a PDF, printed to an image by pdftoppm (poppler)."""
    with tempfile.TemporaryDirectory() as folder:
        source = Path(folder) / "in.pdf"
        source.write_bytes(pdf)
        subprocess.run(
            [
                "pdftoppm",
                "-png",
                "-r",
                str(dpi),
                "-f",
                str(page),
                "-l",
                str(page),
                "-singlefile",
                str(source),
                str(Path(folder) / "page"),
            ],
            check=True,
        )
        return decode_image(Image.open(Path(folder) / "page.png"))


def decode_svg(svg: str) -> list[str]:
    """The QR codes of an inline SVG as a page shows it: drawn by WeasyPrint (its own SVG renderer)
    into a PDF, printed by pdftoppm, read by zxing-cpp."""
    import weasyprint

    html = f'<html><body style="margin: 10mm">{svg}</body></html>'
    return decode_pdf_page(weasyprint.HTML(string=html).write_pdf())


def read_vietqr(payload: str) -> dict:
    """What a banking app fills in from the payload: bank BIN, account, amount, memo; the CRC checked
    with binascii.crc_hqx (an implementation that is not ours)."""
    top = as_dict(payload)
    body, crc = payload[:-4], payload[-4:]
    assert f"{binascii.crc_hqx(body.encode('ascii'), 0xFFFF):04X}" == crc
    assert top["00"] == "01" and top["01"] == "12" and top["53"] == "704" and top["58"] == "VN"
    merchant = as_dict(top["38"])
    assert merchant["00"] == "A000000727" and merchant["02"] == "QRIBFTTA"
    beneficiary = as_dict(merchant["01"])
    return {
        "bin": beneficiary["00"],
        "account": beneficiary["01"],
        "amount": int(top["54"]),
        "memo": as_dict(top["62"])["08"],
    }
