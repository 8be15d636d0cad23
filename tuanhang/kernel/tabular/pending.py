"""A table waiting for confirmation between the preview and the write.

The uploaded file is read once into text rows and kept as JSON under VAR_DIR/imports with a random
name (files older than a day are swept); only the session knows that name, so a client never
chooses a path. The session holds {"token", "filename", …what the caller adds}.
"""

import json
import re
import secrets
import time
from pathlib import Path

from django.conf import settings

from .reading import Table

KEEP_SECONDS = 24 * 3600
_TOKEN = re.compile(r"^[A-Za-z0-9_-]{32}$")


def store() -> Path:
    directory = Path(settings.VAR_DIR) / "imports"
    directory.mkdir(parents=True, exist_ok=True)
    return directory


def save_table(table: Table) -> str:
    """Keep a table as JSON under a new random token (sweeping old ones) and return the token."""
    directory = store()
    cutoff = time.time() - KEEP_SECONDS
    for old in directory.glob("*.json"):
        if old.stat().st_mtime < cutoff:
            old.unlink(missing_ok=True)
    token = secrets.token_urlsafe(24)
    (directory / f"{token}.json").write_text(json.dumps(table.to_json(), ensure_ascii=False), encoding="utf-8")
    return token


def table_path(token) -> Path | None:
    """The file of a token, or None when the token is not one save_table could have made."""
    if not isinstance(token, str) or not _TOKEN.match(token):
        return None
    return store() / f"{token}.json"


def remember(request, key: str, *, table: Table, filename: str, **extra) -> dict:
    """Keep `table` for the session under `key` (replacing what waited there) with the upload's
    bare file name and `extra` (plain JSON values)."""
    forget(request, key)
    request.session[key] = {"token": save_table(table), "filename": Path(filename).name, **extra}
    return request.session[key]


def pending(request, key: str) -> dict | None:
    """The waiting import {"token", "filename", …}, or None (nothing waiting or its file is gone)."""
    stored = request.session.get(key)
    path = table_path(stored.get("token")) if isinstance(stored, dict) else None
    if path is None or not path.is_file():
        request.session.pop(key, None)
        return None
    return stored


def load_table(stored: dict) -> Table:
    return Table.from_json(json.loads(table_path(stored["token"]).read_text(encoding="utf-8")))


def forget(request, key: str) -> None:
    stored = request.session.pop(key, None)
    path = table_path(stored.get("token")) if isinstance(stored, dict) else None
    if path is not None:
        path.unlink(missing_ok=True)
