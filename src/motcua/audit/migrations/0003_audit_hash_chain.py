"""The audit trail becomes tamper-evident: a hash chain (see `motcua.audit.chain`) and append-only on both databases.

- every row gets a content hash, its place in the chain, the hash of the row before it and its own chain hash;
  the rows already written are linked here, in id order;
- SQLite: triggers refuse UPDATE and DELETE (the test runner's flush lifts the DELETE trigger for its own
  statements only, see the root conftest);
- PostgreSQL: the append-only trigger lets through only the linking of a row not yet linked (content unchanged),
  and a deferred constraint trigger links each new row when its transaction commits, under an advisory lock.
  TRUNCATE, ALTER TABLE and disabling triggers are refused by the role layout (docs/SECURITY.md, "Audit trail"):
  the application's role is not the owner of the table.
"""

import hashlib
import json

from django.core.serializers.json import DjangoJSONEncoder
from django.db import migrations, models

TABLE = "audit_auditentry"
LOCK_KEY = 0x6175646974  # motcua.audit.chain.LOCK_KEY (a copy: migrations do not import the live module)
CHAIN_COLUMNS = "ARRAY['chain_seq', 'prev_hash', 'chain_hash']"

SQLITE_FORWARD = [
    "DROP TRIGGER IF EXISTS audit_entry_no_update;",
    f"""CREATE TRIGGER audit_entry_no_update BEFORE UPDATE ON {TABLE}
    BEGIN SELECT RAISE(ABORT, 'audit rows are append-only'); END;""",
    f"""CREATE TRIGGER audit_entry_no_delete BEFORE DELETE ON {TABLE}
    BEGIN SELECT RAISE(ABORT, 'audit rows are append-only'); END;""",
]
SQLITE_BACKWARD = [
    "DROP TRIGGER IF EXISTS audit_entry_no_delete;",
]

POSTGRES_FORWARD = [
    f"""CREATE OR REPLACE FUNCTION audit_entry_append_only() RETURNS trigger AS $$
    BEGIN
        IF TG_OP = 'UPDATE' AND OLD.chain_hash IS NULL
           AND (to_jsonb(NEW) - {CHAIN_COLUMNS}) = (to_jsonb(OLD) - {CHAIN_COLUMNS}) THEN
            RETURN NEW;  -- the link of a row not linked yet; its content stays as written
        END IF;
        RAISE EXCEPTION 'audit rows are append-only';
    END; $$ LANGUAGE plpgsql;""",
    """CREATE OR REPLACE FUNCTION audit_entry_seal() RETURNS trigger AS $$
    DECLARE
        last_seq bigint;
        last_hash text;
    BEGIN
        PERFORM pg_advisory_xact_lock({lock_key});
        SELECT chain_seq, chain_hash INTO last_seq, last_hash FROM {table}
            WHERE chain_seq IS NOT NULL ORDER BY chain_seq DESC LIMIT 1;
        UPDATE {table} SET
            chain_seq = COALESCE(last_seq, 0) + 1,
            prev_hash = COALESCE(last_hash, ''),
            chain_hash = encode(sha256(convert_to(COALESCE(last_hash, '') || content_hash, 'UTF8')), 'hex')
        WHERE id = NEW.id AND chain_hash IS NULL;
        RETURN NULL;
    END; $$ LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, {schema};""",
    f"""CREATE CONSTRAINT TRIGGER audit_entry_seal AFTER INSERT ON {TABLE}
    DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION audit_entry_seal();""",
]
POSTGRES_TRIGGER = f"""CREATE TRIGGER audit_entry_no_update_or_delete BEFORE UPDATE OR DELETE ON {TABLE}
    FOR EACH ROW EXECUTE FUNCTION audit_entry_append_only();"""
POSTGRES_BACKWARD = [
    f"DROP TRIGGER IF EXISTS audit_entry_seal ON {TABLE};",
    "DROP FUNCTION IF EXISTS audit_entry_seal();",
    """CREATE OR REPLACE FUNCTION audit_entry_append_only() RETURNS trigger AS $$
    BEGIN RAISE EXCEPTION 'audit rows are append-only'; END; $$ LANGUAGE plpgsql;""",
]

CONTENT_FIELDS = (
    "created_at",
    "action",
    "content_type_id",
    "object_id",
    "object_repr",
    "agency_id",
    "actor_id",
    "actor_name",
    "reason",
    "request_path",
    "before",
    "after",
)


def content_hash(row) -> str:
    """motcua.audit.chain.content_hash, frozen for this migration."""
    import datetime

    values = []
    for name in CONTENT_FIELDS:
        value = getattr(row, name)
        if name == "created_at":
            value = value.astimezone(datetime.timezone.utc).isoformat() if value is not None else ""
        elif name in ("content_type_id", "agency_id", "actor_id"):
            value = None if value is None else str(value)
        values.append(value)
    text = json.dumps(values, sort_keys=True, ensure_ascii=False, separators=(",", ":"), cls=DjangoJSONEncoder)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def link_existing(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        # the migration runs as the table's owner: the rows written so far are linked with the trigger lifted
        statements = [f"DROP TRIGGER IF EXISTS audit_entry_no_update_or_delete ON {TABLE};"]
    elif vendor == "sqlite":
        statements = ["DROP TRIGGER IF EXISTS audit_entry_no_update;"]
    else:
        statements = []
    for statement in statements:
        schema_editor.execute(statement)
    AuditEntry = apps.get_model("audit", "AuditEntry")
    prev = ""
    with schema_editor.connection.cursor() as cursor:
        for seq, row in enumerate(AuditEntry.objects.order_by("id").iterator(2000), start=1):
            content = content_hash(row)
            link = hashlib.sha256((prev + content).encode("utf-8")).hexdigest()
            cursor.execute(
                f"UPDATE {TABLE} SET content_hash = %s, chain_seq = %s, prev_hash = %s, chain_hash = %s "
                "WHERE id = %s",
                [content, seq, prev, link, row.pk],
            )
            prev = link
    later = {"postgresql": POSTGRES_FORWARD + [POSTGRES_TRIGGER], "sqlite": SQLITE_FORWARD}.get(vendor, [])
    if vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute("SELECT current_schema()")
            schema = cursor.fetchone()[0]
        later = [
            statement.format(schema=schema, lock_key=LOCK_KEY, table=TABLE) if "{schema}" in statement else statement
            for statement in later
        ]
    for statement in later:
        schema_editor.execute(statement)


def unlink(apps, schema_editor):
    statements = {"postgresql": POSTGRES_BACKWARD, "sqlite": SQLITE_BACKWARD}
    for statement in statements.get(schema_editor.connection.vendor, []):
        schema_editor.execute(statement)


class Migration(migrations.Migration):

    dependencies = [
        ('audit', '0002_append_only_triggers'),
    ]

    operations = [
        migrations.AddField(
            model_name='auditentry',
            name='chain_hash',
            field=models.CharField(editable=False, max_length=64, null=True, verbose_name='Mã băm chuỗi'),
        ),
        migrations.AddField(
            model_name='auditentry',
            name='chain_seq',
            field=models.BigIntegerField(editable=False, null=True, unique=True, verbose_name='Số thứ tự trong chuỗi'),
        ),
        migrations.AddField(
            model_name='auditentry',
            name='content_hash',
            field=models.CharField(blank=True, editable=False, max_length=64, verbose_name='Mã băm nội dung'),
        ),
        migrations.AddField(
            model_name='auditentry',
            name='prev_hash',
            field=models.CharField(blank=True, editable=False, max_length=64, verbose_name='Mã băm dòng trước'),
        ),
        migrations.RunPython(link_existing, unlink),
    ]
