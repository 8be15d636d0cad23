"""The QR image of a payload, drawn by segno: error correction M (a printed letter survives a fold or a
smudge, the code stays small), a quiet zone of 4 modules as the QR standard asks. segno would raise
the error level when the data leaves room (boost_error); we keep M so that the size is predictable.

The PNG is drawn by Pillow from segno's module matrix (one 1-bit image, enlarged by nearest
neighbour, zlib level 9): the same pixels as segno's own PNG writer, whose per-row Python loop
took 5 ms an image against 1.5 ms here (issue 21, `bench/bench_vietqr.py`)."""

import io

import segno
from PIL import Image

QUIET_ZONE = 4


def _qr(payload: str) -> segno.QRCode:
    return segno.make_qr(payload, error="m", boost_error=False)


def qr_svg(payload: str, *, scale: int = 4, fluid: bool = False) -> str:
    """An inline <svg> element (no XML declaration), for pages and letters. `fluid`: without width
    and height, with a viewBox, so that CSS sizes it (a printed letter gives it millimetres)."""
    return _qr(payload).svg_inline(scale=scale, border=QUIET_ZONE, omitsize=fluid)


def qr_png(payload: str, *, scale: int = 8) -> bytes:
    """PNG bytes, for e-mail attachments and the link sent by Zalo."""
    matrix = _qr(payload).matrix
    side = len(matrix) + 2 * QUIET_ZONE
    white_row, white_edge = b"\xff" * side, b"\xff" * QUIET_ZONE
    rows = [white_row] * QUIET_ZONE
    rows += [white_edge + bytes(0 if dark & 1 else 255 for dark in row) + white_edge for row in matrix]
    rows += [white_row] * QUIET_ZONE
    image = Image.frombytes("L", (side, side), b"".join(rows)).convert("1", dither=Image.Dither.NONE)
    image = image.resize((side * scale, side * scale), Image.Resampling.NEAREST)
    buffer = io.BytesIO()
    image.save(buffer, "PNG", compress_level=9)
    return buffer.getvalue()
