"""Every create, update and delete of an audited object writes a row: actor, time, before, after, reason."""

import pytest
from django.contrib.contenttypes.models import ContentType

from motcua.accounts.tests.factories import UserFactory
from motcua.audit.context import audit_context, set_reason
from motcua.audit.models import AuditEntry
from motcua.dossiers.tests.factories import ApplicantFactory
from motcua.org.models import Agency
from motcua.org.tests.factories import AgencyFactory, CenterFactory, CounterFactory

pytestmark = pytest.mark.django_db


def entries_for(obj):
    return AuditEntry.objects.filter(
        content_type=ContentType.objects.get_for_model(obj), object_id=str(obj.pk)
    ).order_by("id")


def test_create_update_delete_record_actor_reason_before_and_after():
    officer = UserFactory(username="admin1", full_name="Lê Thị Quản Trị")
    with audit_context(actor=officer, reason="Thành lập phòng mới"):
        agency = AgencyFactory(name="Phòng Tư pháp", phone="")
    with audit_context(actor=officer, reason="Cập nhật số điện thoại"):
        agency.phone = "02223812345"
        agency.save()
    agency_pk = agency.pk
    with audit_context(actor=officer, reason="Giải thể"):
        agency.delete()

    created, updated, deleted = AuditEntry.objects.filter(
        object_id=str(agency_pk), content_type__model="agency"
    ).order_by("id")
    assert created.action == "create" and created.before is None
    assert created.after["name"] == "Phòng Tư pháp"
    assert created.reason == "Thành lập phòng mới"
    assert created.actor == officer and created.actor_name == "Lê Thị Quản Trị (admin1)"
    assert created.agency_id == agency_pk
    assert updated.action == "update"
    assert updated.before == {"phone": ""} and updated.after == {"phone": "02223812345"}
    assert deleted.action == "delete" and deleted.after is None
    assert deleted.before["phone"] == "02223812345"
    assert deleted.agency_id == agency_pk
    assert deleted.created_at >= updated.created_at >= created.created_at


def test_a_save_that_changes_nothing_writes_no_row():
    agency = AgencyFactory()
    before = AuditEntry.objects.count()
    agency.save()
    Agency.objects.get(pk=agency.pk).save()
    assert AuditEntry.objects.count() == before


def test_rows_belong_to_the_agency_of_the_object():
    counter = CounterFactory()
    row = entries_for(counter).get()
    assert row.agency_id == counter.center.agency_id


def test_many_to_many_changes_are_recorded_both_ways_round():
    center = CenterFactory()
    a, b = AgencyFactory(), AgencyFactory()
    with audit_context(reason="Bố trí cơ quan tại trung tâm"):
        center.agencies.add(a, b)
        center.agencies.remove(a)
        b.centers_served.clear()

    rows = list(entries_for(center).filter(action="update"))
    assert [r.after["agencies"] for r in rows] == [sorted([a.pk, b.pk]), [b.pk], []]
    assert rows[0].before == {"agencies": []}
    assert rows[-1].before == {"agencies": [b.pk]}
    assert all(r.reason == "Bố trí cơ quan tại trung tâm" for r in rows)


def test_password_hashes_are_never_stored_but_a_change_is_visible_and_logins_are_not_noise():
    user = UserFactory(password="mat-khau-cu-123")
    user.set_password("mat-khau-moi-456")
    user.save()
    from django.utils import timezone

    user.last_login = timezone.now()
    user.save()

    rows = list(entries_for(user))
    assert [r.action for r in rows] == ["create", "update"]
    assert set(rows[1].after) == {"password"}
    assert rows[1].before["password"] != rows[1].after["password"]
    assert rows[1].after["password"].startswith("••••")
    assert user.password not in str(rows[1].after) and "last_login" not in rows[0].after


def test_audit_context_nests_and_inherits_and_set_reason_applies_to_the_rest_of_the_block():
    actor = UserFactory()
    with audit_context(actor=actor, reason="ngoài"):
        with audit_context(reason="trong"):
            inner = ApplicantFactory()
        set_reason("đặt sau")
        later = ApplicantFactory()
    outside = ApplicantFactory()

    assert (entries_for(inner).get().reason, entries_for(inner).get().actor) == ("trong", actor)
    assert entries_for(later).get().reason == "đặt sau"
    assert entries_for(outside).get().actor is None and entries_for(outside).get().reason == ""


def test_the_logged_in_user_is_the_actor_of_changes_made_by_a_request(client):
    user = UserFactory(username="canbo", password="mat-khau-an-toan-1")
    client.force_login(user)
    response = client.post(
        "/doi-mat-khau/",
        {
            "old_password": "mat-khau-an-toan-1",
            "new_password1": "Mot-mat-khau-moi-2025",
            "new_password2": "Mot-mat-khau-moi-2025",
        },
    )
    assert response.status_code == 302
    row = entries_for(user).filter(action="update").get()
    assert row.actor == user
    assert row.request_path == "/doi-mat-khau/"


def test_changes_show_related_objects_by_name():
    center = CenterFactory()
    justice = AgencyFactory(name="Phòng Tư pháp")
    center.agencies.add(justice)
    row = entries_for(center).filter(action="update").get()
    assert row.changes()[0]["after"] == ["Phòng Tư pháp"]
    assert row.changes()[0]["label"] == "Cơ quan tiếp nhận tại trung tâm"
    created = entries_for(justice).get()
    unit_change = next(c for c in created.changes() if c["name"] == "unit")
    assert unit_change["after"] == justice.unit.name


def test_personal_data_is_kept_in_full_but_shown_masked():
    applicant = ApplicantFactory(id_number="027090000123", phone="0912345678")
    row = entries_for(applicant).get()
    assert row.after["id_number"] == "027090000123"
    shown = {c["name"]: c["after"] for c in row.changes()}
    assert shown["id_number"] == "••••••••0123"
    assert shown["phone"] == "••••••5678"
    assert shown["name"] == applicant.name


def test_cascaded_deletes_are_recorded_with_their_agency():
    from motcua.org.models import StaffAssignment
    from motcua.org.tests.factories import StaffAssignmentFactory

    assignment = StaffAssignmentFactory()
    user, agency_id, pk, user_pk = assignment.user, assignment.agency_id, assignment.pk, assignment.user_id
    with audit_context(reason="Nghỉ hưu"):
        user.delete()

    assert not StaffAssignment.objects.filter(pk=pk).exists()
    row = AuditEntry.objects.get(content_type__model="staffassignment", object_id=str(pk), action="delete")
    assert row.agency_id == agency_id and row.reason == "Nghỉ hưu"
    assert AuditEntry.objects.filter(
        content_type__model="user", object_id=str(user_pk), action="delete"
    ).exists()


def test_visitors_are_sent_to_the_login_page_and_see_no_audit_row(client):
    from motcua.org.tests.factories import StaffAssignmentFactory

    with audit_context(reason="Điều chuyển công tác"):
        StaffAssignmentFactory()
    response = client.get("/nhat-ky-thay-doi/", follow=True)
    assert response.redirect_chain[0][1] == 302
    assert response.redirect_chain[0][0].startswith("/dang-nhap/")
    assert "Điều chuyển công tác" not in response.content.decode()
