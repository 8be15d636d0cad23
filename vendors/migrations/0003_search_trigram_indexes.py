"""Trigram indexes on the folded search columns, so the public directory's
`search_text LIKE '%…%'` (Django's `__contains`) is answered from an index on PostgreSQL.

pg_trgm is a trusted extension (PostgreSQL 13+): the database's owner may create it. On
SQLite, the embedded default, both operations do nothing (SQLite has no such index; its
directory of a few hundred businesses needs none)."""

from django.db import migrations

from tuanhang.kernel.migration_ops import PostgresOnlySQL


class Migration(migrations.Migration):
    dependencies = [
        ("vendors", "0002_checkin"),
    ]

    operations = [
        PostgresOnlySQL("CREATE EXTENSION IF NOT EXISTS pg_trgm", reverse_sql=migrations.RunSQL.noop),
        PostgresOnlySQL(
            "CREATE INDEX IF NOT EXISTS vendor_search_trgm ON vendors_vendor USING gin (search_text gin_trgm_ops)",
            reverse_sql="DROP INDEX IF EXISTS vendor_search_trgm",
        ),
        PostgresOnlySQL(
            "CREATE INDEX IF NOT EXISTS product_search_trgm ON vendors_product USING gin (search_text gin_trgm_ops)",
            reverse_sql="DROP INDEX IF EXISTS product_search_trgm",
        ),
    ]
