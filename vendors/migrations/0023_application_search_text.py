"""One folded search text per application (issue 21): its business's `search_text` and those of
the products it shows at that fair (the ones it lists, all its own when it lists none), joined by
" | ", with a trigram index, so the public directory's `search_text LIKE '%…%'` tests one column
of the fair's applications instead of a correlated EXISTS over their products.

PostgreSQL keeps the column itself, with triggers, so no write path can leave it stale: the
services, the admin, bulk_create()/update() and raw SQL all go through them.
- an application inserted, or updated with another business or with a different text (a stale
  instance saved by Django), gets its text computed again before the row is written;
- after a statement changing products (insert, delete, a new name or business), listed products
  (the application's m2m rows) or businesses' search texts, the applications concerned get their
  text computed again (statement-level triggers with transition tables: one UPDATE per statement,
  not per row, so bulk_create() of 10,000 products stays one pass).
On SQLite (the embedded default) nothing is created and the directory keeps the rule it had
(tuanhang.public.directory.selectors)."""

from django.db import migrations, models

from tuanhang.kernel.migration_ops import PostgresOnlySQL


COMPUTE = """
CREATE OR REPLACE FUNCTION vendors_application_search_text(app_id bigint, vendor bigint) RETURNS text
LANGUAGE sql STABLE AS $$
  SELECT concat_ws(' | ',
    (SELECT v.search_text FROM vendors_vendor v WHERE v.id = vendor),
    (SELECT string_agg(p.search_text, ' | ' ORDER BY p.id) FROM vendors_product p
      WHERE p.vendor_id = vendor
        AND (p.id IN (SELECT l.product_id FROM vendors_application_products l WHERE l.application_id = app_id)
             OR NOT EXISTS (SELECT 1 FROM vendors_application_products l WHERE l.application_id = app_id))))
$$;

CREATE OR REPLACE FUNCTION vendors_application_search_before() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  NEW.search_text := vendors_application_search_text(NEW.id, NEW.vendor_id);
  RETURN NEW;
END $$;

CREATE OR REPLACE FUNCTION vendors_search_refresh_after() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_TABLE_NAME = 'vendors_application_products' THEN
    IF TG_OP = 'INSERT' THEN
      UPDATE vendors_application a SET search_text = vendors_application_search_text(a.id, a.vendor_id)
        WHERE a.id IN (SELECT application_id FROM new_rows);
    ELSE
      UPDATE vendors_application a SET search_text = vendors_application_search_text(a.id, a.vendor_id)
        WHERE a.id IN (SELECT application_id FROM old_rows);
    END IF;
  ELSIF TG_OP = 'INSERT' THEN
    UPDATE vendors_application a SET search_text = vendors_application_search_text(a.id, a.vendor_id)
      WHERE a.vendor_id IN (SELECT vendor_id FROM new_rows);
  ELSIF TG_OP = 'DELETE' THEN
    UPDATE vendors_application a SET search_text = vendors_application_search_text(a.id, a.vendor_id)
      WHERE a.vendor_id IN (SELECT vendor_id FROM old_rows);
  ELSIF TG_TABLE_NAME = 'vendors_product' THEN
    UPDATE vendors_application a SET search_text = vendors_application_search_text(a.id, a.vendor_id)
      WHERE a.vendor_id IN (
        SELECT n.vendor_id FROM new_rows n JOIN old_rows o ON o.id = n.id
          WHERE n.search_text IS DISTINCT FROM o.search_text OR n.vendor_id IS DISTINCT FROM o.vendor_id
        UNION
        SELECT o.vendor_id FROM new_rows n JOIN old_rows o ON o.id = n.id
          WHERE n.vendor_id IS DISTINCT FROM o.vendor_id);
  ELSE  -- vendors_vendor
    UPDATE vendors_application a SET search_text = vendors_application_search_text(a.id, a.vendor_id)
      WHERE a.vendor_id IN (
        SELECT n.id FROM new_rows n JOIN old_rows o ON o.id = n.id WHERE n.search_text IS DISTINCT FROM o.search_text);
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER application_search_insert BEFORE INSERT ON vendors_application
  FOR EACH ROW EXECUTE FUNCTION vendors_application_search_before();
CREATE TRIGGER application_search_update BEFORE UPDATE ON vendors_application
  FOR EACH ROW WHEN (OLD.vendor_id IS DISTINCT FROM NEW.vendor_id OR OLD.search_text IS DISTINCT FROM NEW.search_text)
  EXECUTE FUNCTION vendors_application_search_before();
"""

STATEMENT_TRIGGERS = [
    ("vendors_product", "INSERT", "NEW TABLE AS new_rows"),
    ("vendors_product", "UPDATE", "NEW TABLE AS new_rows OLD TABLE AS old_rows"),
    ("vendors_product", "DELETE", "OLD TABLE AS old_rows"),
    ("vendors_application_products", "INSERT", "NEW TABLE AS new_rows"),
    ("vendors_application_products", "DELETE", "OLD TABLE AS old_rows"),
    ("vendors_vendor", "UPDATE", "NEW TABLE AS new_rows OLD TABLE AS old_rows"),
]
TRIGGERS = "\n".join(
    f"CREATE TRIGGER {table}_search_{op.lower()} AFTER {op} ON {table} REFERENCING {tables}"
    f" FOR EACH STATEMENT EXECUTE FUNCTION vendors_search_refresh_after();"
    for table, op, tables in STATEMENT_TRIGGERS
)
DROP = "\n".join(
    [f"DROP TRIGGER IF EXISTS {table}_search_{op.lower()} ON {table};" for table, op, _ in STATEMENT_TRIGGERS]
    + [
        "DROP TRIGGER IF EXISTS application_search_insert ON vendors_application;",
        "DROP TRIGGER IF EXISTS application_search_update ON vendors_application;",
        "DROP FUNCTION IF EXISTS vendors_search_refresh_after();",
        "DROP FUNCTION IF EXISTS vendors_application_search_before();",
        "DROP FUNCTION IF EXISTS vendors_application_search_text(bigint, bigint);",
    ]
)
BACKFILL = "UPDATE vendors_application SET search_text = vendors_application_search_text(id, vendor_id);"
INDEX = (
    "CREATE INDEX IF NOT EXISTS application_search_trgm ON vendors_application"
    " USING gin (search_text gin_trgm_ops)"
)


class Migration(migrations.Migration):
    dependencies = [
        ("vendors", "0022_payment_void"),
    ]

    operations = [
        migrations.AddField(
            model_name="application",
            name="search_text",
            field=models.TextField(blank=True, default="", editable=False),
        ),
        PostgresOnlySQL(COMPUTE + TRIGGERS, reverse_sql=DROP),
        PostgresOnlySQL(BACKFILL, reverse_sql=migrations.RunSQL.noop),
        PostgresOnlySQL(INDEX, reverse_sql="DROP INDEX IF EXISTS application_search_trgm"),
    ]
