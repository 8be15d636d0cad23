"""What the tests that start real Celery workers share: the test database's URL for the worker
process, and the filesystem transport's folders under a var/ directory of the test's own."""

from pathlib import Path
from urllib.parse import quote

from django.db import connection


def database_url_of_tests() -> str:
    """DATABASE_URL of the database this test runs on (pytest-django's test database)."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    credentials = quote(db["USER"] or "", safe="")
    if db["PASSWORD"]:
        credentials += ":" + quote(db["PASSWORD"], safe="")
    return f"postgres://{credentials}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def filesystem_transport_options(var_dir: Path) -> dict:
    """kombu's filesystem transport options as settings make them for TUANHANG_VAR_DIR=var_dir, so a
    worker started with that variable and this process read the same folders."""
    folders = {name: var_dir / "celery" / name for name in ("queue", "processed", "control")}
    for folder in folders.values():
        folder.mkdir(parents=True, exist_ok=True)
    return {
        "data_folder_in": str(folders["queue"]),
        "data_folder_out": str(folders["queue"]),
        "processed_folder": str(folders["processed"]),
        "control_folder": str(folders["control"]),
    }
