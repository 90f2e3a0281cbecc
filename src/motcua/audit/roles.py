"""The PostgreSQL role layout that keeps the audit trail append-only against the application itself
(docs/SECURITY.md, "Audit trail").

- The owner role owns every table, trigger and function and runs the migrations; nothing else logs in as it.
- The application role (the one in the running server's DATABASE_URL) is neither superuser nor owner nor a
  member of the owner role: it may read and write the business tables, but on the audit table only SELECT and
  INSERT. Not being the owner, it cannot ALTER the table, drop or disable its triggers; not being superuser, it
  cannot set `session_replication_role` (which would skip triggers); without the privilege it cannot TRUNCATE,
  UPDATE or DELETE audit rows. The linking of new rows runs in the owner's name (SECURITY DEFINER trigger).

`app_role_grants` gives the statements the owner runs after each `migrate` (they are idempotent).
"""

AUDIT_TABLE = "audit_auditentry"


def app_role_grants(role: str, schema: str = "public") -> list[str]:
    return [
        f"GRANT USAGE ON SCHEMA {schema} TO {role}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA {schema} TO {role}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA {schema} TO {role}",
        f"REVOKE UPDATE, DELETE, TRUNCATE, REFERENCES, TRIGGER ON {schema}.{AUDIT_TABLE} FROM {role}",
    ]
