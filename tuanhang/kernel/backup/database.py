"""The database part of a backup: dump, restore and the row count of every table.

PostgreSQL goes through pg_dump / pg_restore (found on PATH), with the connection taken from the
settings and handed over in libpq's environment variables (PGPASSWORD never on a command line, where
other users of the machine could read it). SQLite uses the sqlite3 module's online backup API, which
copies a consistent database while the site keeps running.
"""

import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from django.utils.translation import gettext as _

from .archive import BackupError

DUMP_NAMES = {"postgresql": "database.dump", "sqlite": "database.sqlite3"}


def dump_name(connection) -> str:
    try:
        return DUMP_NAMES[connection.vendor]
    except KeyError:
        raise BackupError(
            _("Backups support PostgreSQL and SQLite, not %(vendor)s.") % {"vendor": connection.vendor}
        ) from None


def count_rows(cursor, tables, quote) -> dict[str, int]:
    counts = {}
    for table in sorted(tables):
        cursor.execute(f"SELECT COUNT(*) FROM {quote(table)}")  # noqa: S608 (a quoted table name)
        counts[table] = cursor.fetchone()[0]
    return counts


def table_counts(connection) -> dict[str, int]:
    """{table: rows} for every table of the configured database."""
    with connection.cursor() as cursor:
        tables = connection.introspection.table_names(cursor)
        return count_rows(cursor, tables, connection.ops.quote_name)


def dump(connection, target: Path) -> dict[str, int]:
    """Writes the database to target and returns the row counts of what was written."""
    if dump_name(connection) == DUMP_NAMES["postgresql"]:
        return _dump_postgresql(connection, target)
    return _dump_sqlite(connection, target)


def restore(connection, source: Path) -> None:
    """Replaces the configured database's content by the dump in source."""
    if dump_name(connection) == DUMP_NAMES["postgresql"]:
        _restore_postgresql(connection, source)
    else:
        _restore_sqlite(connection, source)
    connection.close()


# --- PostgreSQL ----------------------------------------------------------------------------------


def _program(name: str) -> str:
    path = shutil.which(name)
    if not path:
        raise BackupError(
            _("%(program)s was not found on PATH: install the PostgreSQL client (Debian: postgresql-client).")
            % {"program": name}
        )
    return path


def libpq_environment(settings_dict) -> dict[str, str]:
    """The environment for pg_dump / pg_restore: the connection of the settings as PG* variables."""
    env = dict(os.environ)
    for key, variable in (
        ("HOST", "PGHOST"),
        ("PORT", "PGPORT"),
        ("USER", "PGUSER"),
        ("PASSWORD", "PGPASSWORD"),
        ("NAME", "PGDATABASE"),
    ):
        if settings_dict.get(key):
            env[variable] = str(settings_dict[key])
    options = settings_dict.get("OPTIONS") or {}
    for option, variable in (
        ("sslmode", "PGSSLMODE"),
        ("sslrootcert", "PGSSLROOTCERT"),
        ("connect_timeout", "PGCONNECT_TIMEOUT"),
    ):
        if options.get(option):
            env[variable] = str(options[option])
    return env


def _run(command: list[str], env: dict[str, str]) -> None:
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)  # noqa: S603 (our arguments)
    if result.returncode != 0:
        raise BackupError(
            _("%(program)s failed (exit status %(status)s): %(error)s")
            % {"program": Path(command[0]).name, "status": result.returncode, "error": result.stderr.strip()[-2000:]}
        )


def _dump_postgresql(connection, target: Path) -> dict[str, int]:
    # The counts and the dump see one snapshot: an export from a repeatable-read transaction that
    # pg_dump joins (--snapshot), so rows written meanwhile are in neither and the counts are exact.
    snapshot_holder = connection.copy()
    try:
        with snapshot_holder.cursor() as cursor:
            cursor.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            tables = snapshot_holder.introspection.table_names(cursor)
            counts = count_rows(cursor, tables, snapshot_holder.ops.quote_name)
            _run(
                [_program("pg_dump"), "--format=custom", "--no-password", f"--snapshot={snapshot}", f"--file={target}"],
                libpq_environment(connection.settings_dict),
            )
            cursor.execute("COMMIT")
    finally:
        snapshot_holder.close()
    return counts


def _restore_postgresql(connection, source: Path) -> None:
    connection.close()  # our own open connection would hold locks the restore waits for
    env = libpq_environment(connection.settings_dict)
    _run(
        [
            _program("pg_restore"),
            "--clean",
            "--if-exists",
            "--no-owner",
            "--no-acl",
            "--single-transaction",
            "--exit-on-error",
            "--no-password",
            f"--dbname={env['PGDATABASE']}",
            str(source),
        ],
        env,
    )


# --- SQLite --------------------------------------------------------------------------------------


def _sqlite_tables(database: sqlite3.Connection) -> list[str]:
    # The tables Django's introspection lists for SQLite: every table but its internal sequence table.
    rows = database.execute("SELECT name FROM sqlite_master WHERE type = 'table' AND name != 'sqlite_sequence'")
    return [row[0] for row in rows]


def _dump_sqlite(connection, target: Path) -> dict[str, int]:
    # A connection of its own: SQLite refuses (SQLITE_LOCKED, retried for ever) to back up through a
    # connection that is inside a write transaction, as the caller's may be.
    source = connection.copy()
    copy = sqlite3.connect(target)
    try:
        source.ensure_connection()
        source.connection.backup(copy)
        # Counted in the copy: exactly what the archive holds.
        return count_rows(copy.cursor(), _sqlite_tables(copy), connection.ops.quote_name)
    finally:
        copy.close()
        source.close()


def _restore_sqlite(connection, source: Path) -> None:
    connection.close()
    connection.ensure_connection()
    dump_file = sqlite3.connect(source)
    try:
        dump_file.backup(connection.connection)
    finally:
        dump_file.close()
