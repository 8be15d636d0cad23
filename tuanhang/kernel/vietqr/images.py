"""The QR image of a payload, drawn by segno: error correction M (a printed letter survives a fold or a
smudge, the code stays small), a quiet zone of 4 modules as the QR standard asks. segno would raise
the error level when the data leaves room (boost_error); we keep M so that the size is predictable."""

import io

import segno

QUIET_ZONE = 4


def _qr(payload: str) -> segno.QRCode:
    return segno.make_qr(payload, error="m", boost_error=False)


def qr_svg(payload: str, *, scale: int = 4, fluid: bool = False) -> str:
    """An inline <svg> element (no XML declaration), for pages and letters. `fluid`: without width
    and height, with a viewBox, so that CSS sizes it (a printed letter gives it millimetres)."""
    return _qr(payload).svg_inline(scale=scale, border=QUIET_ZONE, omitsize=fluid)


def qr_png(payload: str, *, scale: int = 8) -> bytes:
    """PNG bytes, for e-mail attachments and the link sent by Zalo."""
    buffer = io.BytesIO()
    _qr(payload).save(buffer, kind="png", scale=scale, border=QUIET_ZONE)
    return buffer.getvalue()
