"""Vietnamese collation by name: "vi-x-icu" is PostgreSQL's ICU collation, and on SQLite the same
name is registered for every new connection (events' AppConfig connects `register_on_sqlite`), so
Collate(..., VI_COLLATION) orders names alike on the embedded default and in production."""

from .vn import sqlite_collation

VI_COLLATION = "vi-x-icu"


def register_on_sqlite(sender, connection, **kwargs):
    """connection_created receiver: give a new SQLite connection the "vi-x-icu" collation."""
    if connection.vendor == "sqlite":
        connection.connection.create_collation(VI_COLLATION, sqlite_collation)
