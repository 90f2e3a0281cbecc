"""The audit trail is tamper-evident: append-only in the database on SQLite and PostgreSQL, each row carrying
the hash of the row before it, `motcua verify_audit` naming the first broken link, and on PostgreSQL a role
layout in which the application cannot TRUNCATE, ALTER or disable the triggers."""

import threading

import pytest
from django.core.management import CommandError, call_command
from django.db import DatabaseError, connection, transaction

from motcua.audit import chain
from motcua.audit.models import AuditEntry
from motcua.audit.roles import app_role_grants
from motcua.org.tests.factories import AgencyFactory

pytestmark = pytest.mark.django_db

postgres_only = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL roles and locks")


def link_now() -> None:
    """PostgreSQL links rows when their transaction commits; a test's transaction never does, so the link is
    made at once instead (the same trigger, fired now)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS audit_entry_seal IMMEDIATE")


def behind_the_application(sql: str, params=()) -> None:
    """What someone with the database's superuser (or the file, on SQLite) can do: write with triggers off."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = replica")
            cursor.execute(sql, params)
            cursor.execute("SET LOCAL session_replication_role = origin")
        else:
            cursor.execute("DROP TRIGGER audit_entry_no_update")
            cursor.execute("DROP TRIGGER audit_entry_no_delete")
            cursor.execute(sql, params)  # the test's transaction rolls the triggers' removal back


@pytest.fixture
def rows():
    link_now()
    for name in ("Phòng Tư pháp", "Phòng Tài chính", "Phòng Nội vụ", "Văn phòng HĐND-UBND"):
        AgencyFactory(name=name)
    return list(AuditEntry.objects.order_by("chain_seq"))


def test_each_row_carries_the_hash_of_the_row_before_it(rows, capsys):
    assert len(rows) >= 4
    assert [row.chain_seq for row in rows] == list(range(1, len(rows) + 1))
    assert rows[0].prev_hash == ""
    for before, row in zip(rows, rows[1:], strict=False):
        assert row.prev_hash == before.chain_hash
        assert row.chain_hash == chain.link_hash(before.chain_hash, chain.content_hash(row))
    call_command("verify_audit")
    assert f"{len(rows)} rows; head {len(rows)} {rows[-1].chain_hash}" in capsys.readouterr().out


def test_a_row_changed_behind_the_application_is_the_first_broken_link(rows):
    victim = rows[2]
    behind_the_application("UPDATE audit_auditentry SET reason = %s WHERE id = %s", ["sửa lén", victim.pk])
    with pytest.raises(CommandError) as failure:
        call_command("verify_audit")
    message = str(failure.value)
    assert f"row id {victim.pk}, place {victim.chain_seq}" in message and "content was changed" in message


def test_a_row_deleted_behind_the_application_leaves_a_gap_that_is_reported(rows):
    victim = rows[1]
    behind_the_application("DELETE FROM audit_auditentry WHERE id = %s", [victim.pk])
    with pytest.raises(CommandError) as failure:
        call_command("verify_audit")
    assert f"row id {rows[2].pk}" in str(failure.value) and "missing rows 2 to 2" in str(failure.value)


def test_a_rewritten_link_is_reported_even_with_a_matching_content_hash(rows):
    victim = rows[3]
    behind_the_application(
        "UPDATE audit_auditentry SET prev_hash = %s WHERE id = %s", [rows[1].chain_hash, victim.pk]
    )
    with pytest.raises(CommandError) as failure:
        call_command("verify_audit")
    assert f"row id {victim.pk}" in str(failure.value) and "previous-row hash" in str(failure.value)


def test_the_database_refuses_update_and_delete_of_audit_rows_on_every_database(rows):
    victim = rows[0]
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditentry WHERE id = %s", [victim.pk])
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditentry SET chain_hash = %s WHERE id = %s", ["0" * 64, victim.pk])
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditentry")
    assert AuditEntry.objects.get(pk=victim.pk).chain_hash == victim.chain_hash
    call_command("verify_audit")


def test_rows_are_not_written_in_bulk_past_the_chain():
    from motcua.audit.models import AppendOnlyError

    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.bulk_create([AuditEntry(action="create", object_id="1")])


@postgres_only
def test_the_application_role_cannot_truncate_alter_or_disable_the_triggers(rows):
    with connection.cursor() as cursor:
        cursor.execute("CREATE ROLE motcua_app_test NOLOGIN NOSUPERUSER")
        for statement in app_role_grants("motcua_app_test"):
            cursor.execute(statement)
        cursor.execute("SET ROLE motcua_app_test")
    refused = [
        "TRUNCATE audit_auditentry",
        "ALTER TABLE audit_auditentry DISABLE TRIGGER ALL",
        "ALTER TABLE audit_auditentry DISABLE TRIGGER audit_entry_no_update_or_delete",
        "DROP TRIGGER audit_entry_no_update_or_delete ON audit_auditentry",
        "ALTER TABLE audit_auditentry ADD COLUMN note text",
        "SET session_replication_role = replica",
        "UPDATE audit_auditentry SET reason = 'sửa lén'",
        "DELETE FROM audit_auditentry",
    ]
    try:
        for statement in refused:
            with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
                cursor.execute(statement)
        # the application's own writes still work and are linked (in the owner's name)
        AgencyFactory(name="Phòng Văn hóa và Thông tin")
    finally:
        with connection.cursor() as cursor:
            cursor.execute("RESET ROLE")
    assert AuditEntry.objects.count() > len(rows)
    call_command("verify_audit")


@postgres_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_never_chain_to_the_same_previous_row():
    errors = []
    barrier = threading.Barrier(4)

    def write(n: int) -> None:
        try:
            barrier.wait()
            for i in range(5):
                with transaction.atomic():
                    AgencyFactory(name=f"Cơ quan {n}-{i}")
        except Exception as exc:  # reported below
            errors.append(repr(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=write, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    seqs = list(AuditEntry.objects.order_by("chain_seq").values_list("chain_seq", flat=True))
    assert seqs == list(range(1, len(seqs) + 1)) and len(seqs) >= 20
    call_command("verify_audit")
