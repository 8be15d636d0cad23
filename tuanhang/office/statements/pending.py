"""A statement file waiting between its preview and "Xác nhận nhập".

The upload is kept as it came (the statement reader needs the cells' own types: an .xlsx date is a
date, an amount a number) in the same folder and under the same kind of random token as a waiting
table (tuanhang.kernel.tabular.pending: swept after a day); only the session knows the token, so a
client never chooses a path. The session holds {"token", "suffix", "filename", "account", "layout"}.
"""

import secrets
import time
from pathlib import Path

from tuanhang.kernel.tabular.pending import KEEP_SECONDS, store, table_path

SUFFIXES = (".xlsx", ".csv")


def key_for(organiser) -> str:
    return f"statement_import:{organiser.pk}"


def _path(stored) -> Path | None:
    if not isinstance(stored, dict) or stored.get("suffix") not in SUFFIXES:
        return None
    json_path = table_path(stored.get("token"))  # checks the token's form
    return json_path.with_suffix(stored["suffix"]) if json_path else None


def remember(request, organiser, *, upload, account_id: int, layout: str) -> dict:
    forget(request, organiser)
    directory = store()
    cutoff = time.time() - KEEP_SECONDS
    for suffix in SUFFIXES:
        for old in directory.glob(f"*{suffix}"):
            if old.stat().st_mtime < cutoff:
                old.unlink(missing_ok=True)
    token = secrets.token_urlsafe(24)
    suffix = Path(upload.name).suffix.lower()
    with open(directory / f"{token}{suffix}", "wb") as out:
        for chunk in upload.chunks():
            out.write(chunk)
    stored = {"token": token, "suffix": suffix, "filename": Path(upload.name).name, "account": account_id}
    request.session[key_for(organiser)] = stored | {"layout": layout}
    return request.session[key_for(organiser)]


def pending(request, organiser) -> dict | None:
    stored = request.session.get(key_for(organiser))
    path = _path(stored)
    if path is None or not path.is_file():
        request.session.pop(key_for(organiser), None)
        return None
    return stored


def set_layout(request, organiser, layout: str) -> None:
    stored = dict(request.session[key_for(organiser)])
    stored["layout"] = layout
    request.session[key_for(organiser)] = stored


def open_file(stored):
    return open(_path(stored), "rb")


def forget(request, organiser) -> None:
    path = _path(request.session.pop(key_for(organiser), None))
    if path is not None:
        path.unlink(missing_ok=True)
