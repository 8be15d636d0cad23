"""Backup and restore of a whole installation: the database and the uploaded files in one archive.

`create_backup` writes one .tar.gz holding a dump of the configured database (PostgreSQL:
`pg_dump --format=custom`; SQLite: a copy made with sqlite3's online backup API), the files under
MEDIA_ROOT and `manifest.json` (format, application release, creation time, database engine, the
row count of every table, the SHA-256 of every file). `restore_backup` checks every checksum before
it writes anything, refuses a database that already has tables unless forced, restores the database
and the files, then counts the rows and hashes the files again and compares them with the manifest.
The management commands `backup` and `restore` (tuanhang/office) print what these return.
"""

from .archive import BackupError
from .service import BackupResult, RestoreResult, create_backup, default_backup_path, restore_backup

__all__ = ["BackupError", "BackupResult", "RestoreResult", "create_backup", "default_backup_path", "restore_backup"]
