"""Audit rows cannot be changed or deleted through the application."""

import pytest
from django.db import DatabaseError, connection, transaction

from motcua.accounts.tests.factories import UserFactory
from motcua.audit.models import AppendOnlyError, AuditEntry
from motcua.org.tests.factories import AgencyFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def entry():
    AgencyFactory(name="Phòng Tư pháp")
    return AuditEntry.objects.latest("id")


def assert_unchanged(entry):
    fresh = AuditEntry.objects.get(pk=entry.pk)
    assert fresh.reason == entry.reason and fresh.after == entry.after


def test_saving_an_existing_row_is_refused(entry):
    entry.reason = "sửa lén"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.get(pk=entry.pk).save(update_fields=["reason"])
    entry.reason = ""
    assert_unchanged(entry)


def test_deleting_rows_is_refused(entry):
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.filter(pk=entry.pk).delete()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.all().delete()
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_queryset_updates_are_refused(entry):
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.filter(pk=entry.pk).update(reason="sửa lén")
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.bulk_update([entry], ["reason"])
    assert_unchanged(entry)


def test_the_database_itself_refuses_an_update_behind_the_orm_s_back(entry):
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE audit_auditentry SET reason = %s WHERE id = %s", ["sửa lén", entry.pk])
    assert_unchanged(entry)


def test_the_database_itself_refuses_a_delete_behind_the_orm_s_back(entry):
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM audit_auditentry WHERE id = %s", [entry.pk])
    assert AuditEntry.objects.filter(pk=entry.pk).exists()


def test_the_admin_shows_rows_read_only(client, entry):
    superuser = UserFactory(is_superuser=True, is_staff=True)
    client.force_login(superuser)

    assert client.get("/admin/audit/auditentry/").status_code == 200
    page = client.get(f"/admin/audit/auditentry/{entry.pk}/change/")
    assert page.status_code == 200
    assert b'name="_save"' not in page.content
    assert client.post(f"/admin/audit/auditentry/{entry.pk}/change/", {"reason": "x"}).status_code == 403
    assert client.get(f"/admin/audit/auditentry/{entry.pk}/delete/").status_code == 403
    assert client.get("/admin/audit/auditentry/add/").status_code == 403
    assert_unchanged(entry)
