import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from motcua.accounts.models import User
from motcua.audit.context import audit_context
from motcua.audit.models import AuditEntry
from motcua.dossiers.tests.factories import ApplicantFactory
from motcua.org.models import Agency
from motcua.org.tests.factories import AdminUnitFactory, AgencyFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def loaded():
    call_command("load_demo", stdout=io.StringIO())


def user(username):
    return User.objects.get(username=username)


@pytest.mark.parametrize(
    "username",
    ["tiepnhan", "chuyenvien.tp", "lanhdao.tp", "vanthu", "tiepnhan.nhanthang", "chuyenvien.caoduc"],
)
def test_only_supervisors_and_administrators_may_browse(client, loaded, username):
    client.force_login(user(username))
    response = client.get("/nhat-ky-thay-doi/")
    page = response.content.decode()
    assert response.status_code == 403
    assert "Nạp dữ liệu mẫu" not in page and "Người thực hiện" not in page  # not a row, not a column


@pytest.mark.parametrize("username", ["giamdoc", "admin", "giamsat.tinh"])
def test_supervisor_and_administrator_browse_with_vietnamese_labels(client, loaded, username):
    client.force_login(user(username))
    page = client.get("/nhat-ky-thay-doi/").content.decode()
    for label in [
        "Nhật ký thay đổi",
        "Loại đối tượng",
        "Người thực hiện",
        "Từ ngày",
        "Đến ngày",
        "Lý do",
        "Nạp dữ liệu mẫu",
    ]:
        assert label in page


def test_filters_by_object_type_actor_and_date_range(client, loaded):
    leader = user("lanhdao.tp")
    with audit_context(actor=leader, reason="Sửa số điện thoại"):
        tp = Agency.objects.get(short_name="TP")
        tp.phone = "0912345678"
        tp.save()
        ApplicantFactory(name="Nguyễn Văn Lọc")
    client.force_login(user("giamdoc"))
    from django.contrib.contenttypes.models import ContentType

    agency_type = ContentType.objects.get_for_model(Agency).pk
    page = client.get("/nhat-ky-thay-doi/", {"object_type": agency_type, "actor": leader.pk}).content.decode()
    assert "Sửa số điện thoại" in page and "Nguyễn Văn Lọc" not in page
    assert "1 bản ghi" in page

    today = timezone.localdate()
    tomorrow = (today + datetime.timedelta(days=1)).strftime("%d/%m/%Y")
    yesterday = (today - datetime.timedelta(days=1)).strftime("%d/%m/%Y")
    assert (
        "Sửa số điện thoại" not in client.get("/nhat-ky-thay-doi/", {"date_from": tomorrow}).content.decode()
    )
    assert (
        "Sửa số điện thoại" not in client.get("/nhat-ky-thay-doi/", {"date_to": yesterday}).content.decode()
    )
    assert (
        "Sửa số điện thoại"
        in client.get(
            "/nhat-ky-thay-doi/",
            {"date_from": today.strftime("%d/%m/%Y"), "date_to": today.strftime("%d/%m/%Y")},
        ).content.decode()
    )


def test_bad_filters_get_a_vietnamese_message_and_no_rows(client, loaded):
    client.force_login(user("giamdoc"))
    page = client.get("/nhat-ky-thay-doi/", {"date_from": "31/02/2025"}).content.decode()
    assert "Ngày không hợp lệ, hãy nhập theo dạng dd/mm/yyyy." in page
    assert "0 bản ghi" in page
    page = client.get(
        "/nhat-ky-thay-doi/", {"date_from": "02/01/2025", "date_to": "01/01/2025"}
    ).content.decode()
    assert "phải sau hoặc bằng" in page


def test_rows_of_agencies_outside_the_supervisor_s_scope_are_hidden(client, loaded):
    other_district = AdminUnitFactory(code="264", name="Huyện Lương Tài")
    with audit_context(reason="Thay đổi ở huyện khác"):
        AgencyFactory(name="Phòng Tư pháp huyện Lương Tài", unit=other_district)
    assert AuditEntry.objects.filter(reason="Thay đổi ở huyện khác").exists()
    client.force_login(user("giamdoc"))
    assert "Thay đổi ở huyện khác" not in client.get("/nhat-ky-thay-doi/").content.decode()
    client.force_login(user("admin"))  # superuser: everything
    assert "Thay đổi ở huyện khác" in client.get("/nhat-ky-thay-doi/").content.decode()
