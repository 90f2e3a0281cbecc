import datetime

import pytest

from motcua.accounts.tests.factories import UserFactory
from motcua.audit.models import AuditEntry
from motcua.org.models import AdminUnit
from motcua.org.tests.factories import AdminLevelFactory, AdminUnitFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def units():
    commune = AdminLevelFactory(code="commune")
    return {
        "dai_bai": AdminUnitFactory(code="09490", name="Xã Đại Bái", level=commune, kind="commune"),
        "quynh_phu": AdminUnitFactory(code="09493", name="Xã Quỳnh Phú", level=commune, kind="commune"),
        "gia_binh": AdminUnitFactory(code="N-GB", name="Xã Gia Bình", level=commune, kind="commune"),
    }


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(username="quantri", is_staff=True, is_superuser=True))
    return client


def post_merge(client, units, **data):
    return client.post(
        "/admin/org/adminunit/",
        {
            "action": "merge_into",
            "_selected_action": [units["dai_bai"].pk, units["quynh_phu"].pk],
            **data,
        },
    )


def test_administrator_merges_units_from_a_date_with_a_reason(admin_client, units):
    form = post_merge(admin_client, units)
    assert form.status_code == 200 and "Ngày sáp nhập có hiệu lực" in form.content.decode()

    response = post_merge(
        admin_client,
        units,
        apply="1",
        successor=units["gia_binh"].pk,
        effective_date="01/07/2025",
        reason="Nghị quyết sắp xếp đơn vị hành chính cấp xã năm 2025",
    )

    assert response.status_code == 302
    dai_bai = AdminUnit.objects.get(code="09490")
    assert dai_bai.successor.code == "N-GB" and dai_bai.valid_to == datetime.date(2025, 6, 30)
    row = AuditEntry.objects.filter(
        object_id=str(dai_bai.pk), content_type__model="adminunit", action="update"
    ).get()
    assert row.reason == "Nghị quyết sắp xếp đơn vị hành chính cấp xã năm 2025"
    assert row.actor.username == "quantri"


def test_a_bad_merge_request_is_refused_and_changes_nothing(admin_client, units):
    response = post_merge(
        admin_client,
        units,
        apply="1",
        successor=units["gia_binh"].pk,
        effective_date="31/02/2025",
        reason="x",
    )
    assert "Ngày không hợp lệ, hãy nhập theo dạng dd/mm/yyyy." in response.content.decode()
    units["gia_binh"].valid_to = datetime.date(2020, 1, 1)
    units["gia_binh"].save()
    response = post_merge(
        admin_client,
        units,
        apply="1",
        successor=units["gia_binh"].pk,
        effective_date="01/07/2025",
        reason="x",
    )
    assert "đã hết hiệu lực trước ngày sáp nhập" in response.content.decode()
    assert not AdminUnit.objects.filter(code__in=["09490", "09493"], successor__isnull=False).exists()
