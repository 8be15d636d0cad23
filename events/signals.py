"""Make Collate(..., "vi-x-icu") work on SQLite too, so Vietnamese order is the same on
the embedded default as on PostgreSQL (which ships the ICU collation)."""

from django.db.backends.signals import connection_created
from django.dispatch import receiver

from tuanhang.vn import sqlite_collation

VI_COLLATION = "vi-x-icu"


@receiver(connection_created)
def register_vietnamese_collation(sender, connection, **kwargs):
    if connection.vendor == "sqlite":
        connection.connection.create_collation(VI_COLLATION, sqlite_collation)
