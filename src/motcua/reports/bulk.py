"""Fast bulk INSERTs with ids reserved up front (for importing history; SQLite and PostgreSQL).

Django's `bulk_create` prepares every value through the whole query compiler, which dominates the time of an
import of a few hundred thousand rows. Here values are adapted once per column type and sent with
`executemany`; ids are taken from the table's sequence (PostgreSQL) or after the current maximum inside the
write transaction (SQLite, whose writers are serialised), so rows can refer to each other before insertion.
"""

import datetime
import json

from django.db import connection, models
from django.utils import timezone


def reserve_ids(model, count: int) -> list[int]:
    """`count` fresh primary keys for `model` (call inside the transaction that inserts them)."""
    if count <= 0:
        return []
    table = model._meta.db_table
    pk = model._meta.pk.column
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [table, pk, count],
            )
            return [row[0] for row in cursor.fetchall()]
        cursor.execute(f'SELECT MAX("{pk}") FROM "{table}"')
        start = (cursor.fetchone()[0] or 0) + 1
    return list(range(start, start + count))


def _adapter(field):
    ops = connection.ops
    if isinstance(field, models.DateTimeField):
        if connection.vendor == "sqlite":
            # What the SQLite backend stores: naive UTC "YYYY-MM-DD HH:MM:SS[.ffffff]" (settings.USE_TZ).
            return lambda value: str(value.astimezone(datetime.UTC).replace(tzinfo=None))
        return ops.adapt_datetimefield_value
    if isinstance(field, models.DateField):
        return ops.adapt_datefield_value
    if isinstance(field, models.JSONField):
        if connection.vendor == "postgresql":
            return lambda value: field.get_db_prep_save(value, connection)
        return lambda value: "{}" if value == {} else json.dumps(value, ensure_ascii=False)
    return None


def insert_rows(model, rows: list[dict], batch_size: int = 1000) -> int:
    """INSERT plain dicts (keys = field attnames, e.g. "agency_id"); missing keys take the field default.

    `auto_now` / `auto_now_add` fields get the current instant. Every row must carry its primary key.
    """
    if not rows:
        return 0
    fields = [f for f in model._meta.concrete_fields]
    now = timezone.now()
    plan = []
    for f in fields:
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
            default = now
        else:
            default = f.get_default()
        plan.append((f.attname, default, _adapter(f)))
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    placeholders = ", ".join(["%s"] * len(fields))
    sql = f"INSERT INTO {connection.ops.quote_name(model._meta.db_table)} ({columns}) VALUES ({placeholders})"
    values = []
    for row in rows:
        record = []
        for attname, default, adapt in plan:
            value = row.get(attname, default)
            if adapt is not None and value is not None:
                value = adapt(value)
            record.append(value)
        values.append(record)
    with connection.cursor() as cursor:
        for start in range(0, len(values), batch_size):
            cursor.executemany(sql, values[start : start + batch_size])
    return len(values)
