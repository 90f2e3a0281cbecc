"""Agency screens use the one permission check: staff of one agency can neither see nor change another's."""

import pytest

from motcua.accounts.models import User
from motcua.audit.models import AuditEntry
from motcua.org import demo
from motcua.org.models import Agency

pytestmark = pytest.mark.django_db


@pytest.fixture
def center():
    demo.load()
    return {a.short_name: a for a in Agency.objects.all()}


def login(client, username):
    client.force_login(User.objects.get(username=username))
    return client


def test_specialist_sees_only_their_own_agency(client, center):
    login(client, "chuyenvien.tp")

    listing = client.get("/co-quan/").content.decode()
    assert "Phòng Tư pháp" in listing
    assert "Phòng Tài nguyên và Môi trường" not in listing
    assert client.get(f"/co-quan/{center['TP'].pk}/").status_code == 200
    assert client.get(f"/co-quan/{center['TNMT'].pk}/").status_code == 404


def test_specialist_cannot_change_another_agency_nor_their_own_and_nothing_is_written(client, center):
    login(client, "chuyenvien.tp")
    rows = AuditEntry.objects.count()
    payload = {"phone": "0222 3812 345", "address": "x", "email": "", "reason": "thử"}

    assert client.post(f"/co-quan/{center['TNMT'].pk}/sua/", payload).status_code == 404
    assert client.get(f"/co-quan/{center['TNMT'].pk}/sua/").status_code == 404
    assert client.post(f"/co-quan/{center['TP'].pk}/sua/", payload).status_code == 403
    assert Agency.objects.get(short_name="TNMT").phone == ""
    assert Agency.objects.get(short_name="TP").phone == ""
    assert AuditEntry.objects.count() == rows


def test_specialist_sees_the_change_history_of_their_agency_only(client, center):
    from motcua.audit.context import audit_context

    with audit_context(reason="Cập nhật địa chỉ TN-MT"):
        tnmt = center["TNMT"]
        tnmt.address = "Khu hành chính huyện"
        tnmt.save()
    login(client, "chuyenvien.tp")
    page = client.get(f"/co-quan/{center['TP'].pk}/").content.decode()
    assert "Lịch sử thay đổi" in page
    assert "Cập nhật địa chỉ TN-MT" not in page


def test_leader_updates_contacts_with_a_reason_and_the_change_is_audited(client, center):
    login(client, "lanhdao.tp")
    response = client.post(
        f"/co-quan/{center['TP'].pk}/sua/",
        {
            "phone": "+84 222 3812 345",
            "address": "Đường Huyền Quang",
            "email": "TP@example.vn",
            "reason": "Số máy mới",
        },
    )

    assert response.status_code == 302
    agency = Agency.objects.get(short_name="TP")
    assert (agency.phone, agency.email) == ("02223812345", "tp@example.vn")
    row = AuditEntry.objects.filter(
        content_type__model="agency", object_id=str(agency.pk), action="update"
    ).get()
    assert row.actor.username == "lanhdao.tp" and row.reason == "Số máy mới"
    assert row.after["phone"] == "02223812345" and row.before["phone"] == ""
    detail = client.get(f"/co-quan/{agency.pk}/").content.decode()
    assert "Số máy mới" in detail


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ({"phone": "0222", "reason": "x"}, "Số điện thoại không hợp lệ"),
        ({"phone": "0912345678", "reason": "  "}, "Cần ghi lý do thay đổi."),
        ({"email": "khong-hop-le", "reason": "x"}, "Địa chỉ thư điện tử không hợp lệ."),
    ],
)
def test_bad_contact_input_is_refused_in_vietnamese_and_changes_nothing(client, center, payload, message):
    login(client, "lanhdao.tp")
    rows = AuditEntry.objects.count()
    response = client.post(
        f"/co-quan/{center['TP'].pk}/sua/", {"address": "", "email": "", "phone": "", **payload}
    )

    assert response.status_code == 200
    assert message in response.content.decode()
    assert Agency.objects.get(short_name="TP").phone == ""
    assert AuditEntry.objects.count() == rows


def test_reception_officer_sees_the_center_s_agencies_and_counters(client, center):
    login(client, "tiepnhan")
    page = client.get("/co-quan/").content.decode()
    assert "Phòng Tài nguyên và Môi trường" in page and "Chi cục Thuế khu vực (Gia Bình)" in page
    assert "Quầy số 1" in page
    assert "Ủy ban nhân dân xã Đại Bái" not in page


def test_visitors_are_sent_to_the_login_page_and_change_nothing(client, center):
    rows = AuditEntry.objects.count()
    payload = {"phone": "0222 3812 345", "address": "x", "email": "", "reason": "thử"}
    listing = client.get("/co-quan/")
    detail = client.get(f"/co-quan/{center['TP'].pk}/")
    editing = client.post(f"/co-quan/{center['TP'].pk}/sua/", payload)
    for response in (listing, detail, editing):
        assert response.status_code == 302 and response["Location"].startswith("/dang-nhap/")
    assert Agency.objects.get(short_name="TP").phone == ""
    assert AuditEntry.objects.count() == rows
