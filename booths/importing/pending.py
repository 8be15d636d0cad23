"""A booth list waiting for confirmation between the preview and the write.

The uploaded file is read once into text rows and kept as JSON by the participant importer's store
(VAR_DIR/imports, random names, old files swept); only the session knows the name, so a client never
chooses a path. Confirming checks the rows again against the plan as it is then.
"""

import json

from vendors.admin_import import _save_table as save_table
from vendors.admin_import import _table_path as table_path

from .reading import Table


def remember(request, key: str, *, table: Table, filename: str, event_pk: int) -> dict:
    forget(request, key)
    request.session[key] = {"token": save_table(table), "filename": filename, "event": event_pk}
    return request.session[key]


def pending(request, key: str) -> dict | None:
    """The waiting import {"token", "filename", "event"}, or None (nothing waiting or its file is gone)."""
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
