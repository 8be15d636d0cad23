"""The two statements the outbox runs for every message, written once per outbox model from its
_meta instead of being compiled again by the ORM for every message (docs/DECISIONS.md).

- lock(model, pk, now, fresh): SELECT … FOR UPDATE (of the outbox row only) of how far the row
  got, and of the related fields named in `fresh` ("rule__enabled": one level, through a
  foreign key), read under the lock.
- update(model, pk, **fields): UPDATE of the named fields, values prepared by their fields
  exactly as the ORM prepares them (dates, booleans, on SQLite and PostgreSQL alike); the
  confirmation of a message, which is information and not part of the guarantee, does not
  wait for the disk.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

from django.db import connection


@dataclass(frozen=True)
class Locked:
    status: str
    attempts: int
    fell_back: bool
    waiting: bool  # its next attempt is later than now (a retry with backoff)
    fresh: tuple


@functools.lru_cache(maxsize=32)
def _lock_sql(model, fresh: tuple[str, ...], vendor: str) -> tuple[str, tuple]:
    qn = connection.ops.quote_name
    meta = model._meta
    column = lambda name: f"o.{qn(meta.get_field(name).column)}"  # noqa: E731
    columns = [column("status"), column("attempts"), column("fell_back")]
    columns.append(f"CASE WHEN {column('next_attempt_at')} > %s THEN 1 ELSE 0 END")
    joins, fields = [], []
    for n, name in enumerate(fresh):
        relation, attribute = name.split("__")
        foreign_key = meta.get_field(relation)
        target = foreign_key.related_model._meta
        joins.append(f"JOIN {qn(target.db_table)} f{n} ON f{n}.{qn(target.pk.column)} = o.{qn(foreign_key.column)}")
        field = target.get_field(attribute)
        columns.append(f"f{n}.{qn(field.column)}")
        fields.append(field)
    # Only quoted identifiers from the models' _meta are formatted in; every value is a parameter.
    sql = f"SELECT {', '.join(columns)} FROM {qn(meta.db_table)} o {' '.join(joins)} WHERE o.{qn(meta.pk.column)} = %s"  # noqa: S608
    if connection.features.has_select_for_update_of:
        sql += " FOR UPDATE OF o"
    elif connection.features.has_select_for_update:
        sql += " FOR UPDATE"
    # SQLite has no row locks: its transactions begin IMMEDIATE (settings), taking the write lock.
    return sql, tuple(fields)


def lock(model, pk: int, now, fresh: tuple[str, ...] = ()) -> Locked | None:
    """Lock the outbox row `pk` (inside a transaction) and read it; None when it is gone."""
    sql, fields = _lock_sql(model, fresh, connection.vendor)
    when = model._meta.get_field("next_attempt_at").get_db_prep_value(now, connection)
    with connection.cursor() as cursor:
        cursor.execute(sql, [when, pk])
        row = cursor.fetchone()
    if row is None:
        return None
    status, attempts, fell_back, waiting, *rest = row
    return Locked(
        status=status,
        attempts=attempts,
        fell_back=bool(fell_back),
        waiting=bool(waiting),
        fresh=tuple(field.to_python(value) for field, value in zip(fields, rest, strict=True)),
    )


@functools.lru_cache(maxsize=64)
def _update_sql(model, names: tuple[str, ...], vendor: str) -> tuple[str, tuple]:
    qn = connection.ops.quote_name
    meta = model._meta
    fields = tuple(meta.get_field(name) for name in names)
    assignments = ", ".join(f"{qn(field.column)} = %s" for field in fields)
    sql = f"UPDATE {qn(meta.db_table)} SET {assignments} WHERE {qn(meta.pk.column)} = %s"  # noqa: S608 (as above)
    return sql, fields


def update(model, pk: int, *, wait_for_disk: bool = True, **values) -> None:
    """UPDATE the row's named fields. With wait_for_disk=False, on PostgreSQL and outside any
    transaction, the statement goes with "SET LOCAL synchronous_commit TO OFF" in one query
    string: PostgreSQL runs a multi-statement query as one transaction, so its commit does not
    wait for the disk (one round trip, instead of BEGIN, SET, UPDATE, COMMIT). Inside a
    transaction the setting would apply to all of it: it is then a plain update."""
    sql, fields = _update_sql(model, tuple(values), connection.vendor)
    params = [field.get_db_prep_save(value, connection) for field, value in zip(fields, values.values(), strict=True)]
    if not wait_for_disk and connection.vendor == "postgresql" and not connection.in_atomic_block:
        sql = "SET LOCAL synchronous_commit TO OFF; " + sql
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, pk])
