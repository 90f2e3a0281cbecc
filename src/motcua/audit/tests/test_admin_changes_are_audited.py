import pytest

from motcua.accounts.models import User
from motcua.accounts.tests.factories import UserFactory
from motcua.audit.models import AuditEntry
from motcua.org.tests.factories import AgencyFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(username="quantri", is_staff=True, is_superuser=True))
    return client


def test_changing_master_data_in_the_admin_records_the_administrator_and_the_reason(admin_client):
    agency = AgencyFactory(name="Phòng Tư pháp", identity_code="000.01.99.H06")
    form = admin_client.get(f"/admin/org/agency/{agency.pk}/change/").content.decode()
    assert "Lý do thay đổi" in form

    response = admin_client.post(
        f"/admin/org/agency/{agency.pk}/change/",
        {
            "name": "Phòng Tư pháp",
            "short_name": agency.short_name,
            "identity_code": "000.01.27.H06",
            "kind": agency.kind,
            "unit": agency.unit_id,
            "address": "",
            "phone": "",
            "email": "",
            "audit_reason": "Cập nhật mã định danh thật theo quyết định của tỉnh",
        },
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    row = AuditEntry.objects.get(content_type__model="agency", object_id=str(agency.pk), action="update")
    assert row.actor.username == "quantri"
    assert row.reason == "Cập nhật mã định danh thật theo quyết định của tỉnh"
    assert row.before == {"identity_code": "000.01.99.H06", "identity_code_is_demo": True}
    assert row.after == {"identity_code": "000.01.27.H06", "identity_code_is_demo": False}


def test_adding_an_account_in_the_admin_is_audited_without_the_password(admin_client):
    response = admin_client.post(
        "/admin/accounts/user/add/",
        {
            "username": "chuyenvien.moi",
            "password1": "Mot-mat-khau-kho-2025",
            "password2": "Mot-mat-khau-kho-2025",
            "usable_password": "true",
            "audit_reason": "Tuyển dụng mới",
            "assignments-TOTAL_FORMS": "0",
            "assignments-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    user = User.objects.get(username="chuyenvien.moi")
    row = AuditEntry.objects.get(content_type__model="user", object_id=str(user.pk), action="create")
    assert row.reason == "Tuyển dụng mới"
    assert user.password not in str(row.after)
