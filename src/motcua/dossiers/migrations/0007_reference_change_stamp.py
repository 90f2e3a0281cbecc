"""The reference caches' change stamp (see motcua.refcache): one row, and triggers that add one to it whenever a
table the caches read is written — through the models or not (bulk updates, imports, raw SQL, other processes),
in the same transaction as the change, so that the new stamp is visible exactly when the change is.

PostgreSQL: one statement-level trigger per table (a bulk update of a thousand rows bumps once); for the API
tokens and the users, a row-level update trigger that skips the writes no cached value shows ("last used",
"last login"). SQLite has row-level triggers only; there an update that leaves that one column unchanged counts.
"""

from django.db import migrations

STAMP_TABLE = "motcua_reference_stamp"
BUMP = f"UPDATE {STAMP_TABLE} SET version = version + 1 WHERE name = 'reference'"

# (app label, model, column whose writes alone are not a change)
WATCHED = [
    ("apitokens", "ApiToken", "last_used_at"),
    ("accounts", "User", "last_login"),
    ("org", "Agency", None),
    ("org", "AdminUnit", None),
    ("org", "Center", None),
    ("org", "StaffAssignment", None),
    ("catalog", "Field", None),
    ("catalog", "Procedure", None),
    ("catalog", "ProcedureImplementation", None),
    ("catalog", "ProcessTemplate", None),
    ("catalog", "ProcessStep", None),
    ("catalog", "RequiredDocument", None),
    ("catalog", "Fee", None),
    ("dossiers", "RegimePeriod", None),
    ("notifications", "NotificationTemplate", None),
]


def watched_tables(apps) -> list[tuple[str, str | None]]:
    tables = []
    for app_label, model_name, skipped in WATCHED:
        model = apps.get_model(app_label, model_name)
        tables.append((model._meta.db_table, skipped))
        if model_name == "Center":
            tables.append((model._meta.get_field("agencies").remote_field.through._meta.db_table, None))
    return tables


def sqlite_forward(tables):
    statements = []
    for table, skipped in tables:
        when = f"WHEN NEW.{skipped} IS OLD.{skipped} " if skipped else ""
        for event, name, condition in (("INSERT", "ins", ""), ("UPDATE", "upd", when), ("DELETE", "del", "")):
            statements.append(
                f"CREATE TRIGGER IF NOT EXISTS refstamp_{table}_{name} AFTER {event} ON {table} {condition}"
                f"BEGIN {BUMP}; END;"
            )
    return statements


def sqlite_backward(tables):
    return [f"DROP TRIGGER IF EXISTS refstamp_{table}_{name};" for table, _ in tables for name in ("ins", "upd", "del")]


def postgres_forward(tables):
    statements = [
        f"""CREATE OR REPLACE FUNCTION motcua_reference_stamp_bump() RETURNS trigger AS $$
        BEGIN {BUMP}; RETURN NULL; END; $$ LANGUAGE plpgsql;"""
    ]
    for table, skipped in tables:
        events = "INSERT OR DELETE OR TRUNCATE" if skipped else "INSERT OR UPDATE OR DELETE OR TRUNCATE"
        statements.append(
            f"CREATE TRIGGER refstamp_{table} AFTER {events} ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION motcua_reference_stamp_bump();"
        )
        if skipped:
            statements.append(
                f"CREATE TRIGGER refstamp_{table}_upd AFTER UPDATE ON {table} FOR EACH ROW "
                f"WHEN ((to_jsonb(OLD) - '{skipped}') IS DISTINCT FROM (to_jsonb(NEW) - '{skipped}')) "
                "EXECUTE FUNCTION motcua_reference_stamp_bump();"
            )
    return statements


def postgres_backward(tables):
    statements = []
    for table, _ in tables:
        statements.append(f"DROP TRIGGER IF EXISTS refstamp_{table} ON {table};")
        statements.append(f"DROP TRIGGER IF EXISTS refstamp_{table}_upd ON {table};")
    statements.append("DROP FUNCTION IF EXISTS motcua_reference_stamp_bump();")
    return statements


def forward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    tables = watched_tables(apps)
    schema_editor.execute(
        f"CREATE TABLE {STAMP_TABLE} (name varchar(40) PRIMARY KEY, version bigint NOT NULL)"
    )
    schema_editor.execute(f"INSERT INTO {STAMP_TABLE} (name, version) VALUES ('reference', 1)")
    statements = {"sqlite": sqlite_forward, "postgresql": postgres_forward}.get(vendor, lambda t: [])(tables)
    for statement in statements:
        schema_editor.execute(statement)


def backward(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    tables = watched_tables(apps)
    statements = {"sqlite": sqlite_backward, "postgresql": postgres_backward}.get(vendor, lambda t: [])(tables)
    for statement in statements:
        schema_editor.execute(statement)
    schema_editor.execute(f"DROP TABLE IF EXISTS {STAMP_TABLE}")


class Migration(migrations.Migration):
    dependencies = [
        ("dossiers", "0006_regime_period_forms_adoption"),
        ("apitokens", "0001_initial"),
        ("accounts", "0001_initial"),
        ("org", "0005_reorganisation_record"),
        ("catalog", "0005_implementation_fee_schedules"),
        ("notifications", "0002_default_templates_and_cache_table"),
    ]

    operations = [migrations.RunPython(forward, backward)]
