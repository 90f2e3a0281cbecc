"""Procedures from the portal become a diff that an administrator reviews; only what they select is applied."""

from decimal import Decimal

import pytest

from motcua.catalog.models import Procedure
from motcua.national_portal import conf
from motcua.national_portal.catalog_pull import apply_pull, counter_time_limit, pull_catalog
from motcua.national_portal.models import CatalogPull

from .factories import ProcedureWithProcessFactory

pytestmark = pytest.mark.django_db


def test_time_limits_are_read_from_the_counter_channel():
    procedure = {
        "CACHTHUCTHUCHIEN": [
            {"KENH": "2", "THOIGIAN": [{"THOIGIANGIAIQUYET": 2, "DONVITINH": "Ngày làm việc"}]},
            {"KENH": "1", "THOIGIAN": [{"THOIGIANGIAIQUYET": 5, "DONVITINH": "Ngày làm việc"}]},
        ]
    }
    assert counter_time_limit(procedure) == ("5", "working_days")
    assert counter_time_limit({"CACHTHUCTHUCHIEN": [{"KENH": "1", "THOIGIAN": [{"DONVITINH": "?"}]}]}) is None


def test_a_pull_lists_differences_and_changes_nothing_until_applied(portal_on, superuser, client):
    birth = ProcedureWithProcessFactory(code="1.001193", name="Khai sinh (tên cũ)")
    same = ProcedureWithProcessFactory(
        code="1.000689", name="Đăng ký khai sinh kết hợp nhận cha, mẹ, con", time_limit_value=3
    )
    pull = pull_catalog(conf.get_connector(), ["1.001193", "1.000689", "1.004884"])
    by_code = {c["code"]: c for c in pull.changes}
    assert by_code["1.001193"]["kind"] == "update"
    assert by_code["1.001193"]["fields"]["name"] == ["Khai sinh (tên cũ)", "Đăng ký khai sinh"]
    assert by_code["1.001193"]["fields"]["time_limit"][1] == ["", "same_day"]
    assert "1.000689" not in by_code  # already the same
    assert by_code.get("1.004884", {}).get("kind") in (None, "new")
    birth.refresh_from_db()
    assert birth.name == "Khai sinh (tên cũ)"

    client.force_login(superuser)
    page = client.get(f"/cong-dvcqg/danh-muc-thu-tuc/{pull.pk}/").content.decode()
    assert "Khai sinh (tên cũ)" in page and "Áp dụng các thay đổi đã chọn" in page
    client.post(f"/cong-dvcqg/danh-muc-thu-tuc/{pull.pk}/", {"change": [by_code["1.001193"]["id"]]})
    birth.refresh_from_db()
    assert birth.name == "Đăng ký khai sinh" and birth.time_limit_unit == "same_day"
    same.refresh_from_db()
    assert same.time_limit_value == Decimal(3)
    pull.refresh_from_db()
    assert pull.state == CatalogPull.State.APPLIED and pull.applied_by == superuser


def test_unselected_changes_are_not_applied_and_a_pull_is_applied_once(portal_on, superuser):
    ProcedureWithProcessFactory(code="1.001193", name="Khai sinh (tên cũ)")
    pull = pull_catalog(conf.get_connector(), ["1.001193"])
    apply_pull(pull.pk, superuser, [])
    assert Procedure.objects.get(code="1.001193").name == "Khai sinh (tên cũ)"
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="đã được xử lý"):
        apply_pull(pull.pk, superuser, [1])


def test_only_administrators_review_or_apply_the_catalog(portal_on, client):
    from motcua.accounts.tests.factories import UserFactory

    birth = ProcedureWithProcessFactory(code="1.001193", name="Khai sinh (tên cũ)")
    pull = pull_catalog(conf.get_connector(), ["1.001193"])
    pulls_before = CatalogPull.objects.count()
    client.force_login(UserFactory(username="khong.phai.quan.tri"))
    listing = client.get("/cong-dvcqg/danh-muc-thu-tuc/")
    detail = client.get(f"/cong-dvcqg/danh-muc-thu-tuc/{pull.pk}/")
    applying = client.post(f"/cong-dvcqg/danh-muc-thu-tuc/{pull.pk}/", {"change": [pull.changes[0]["id"]]})
    pulling = client.post("/cong-dvcqg/danh-muc-thu-tuc/")
    assert [r.status_code for r in (listing, detail, applying, pulling)] == [403] * 4
    for refused in (listing, detail):
        assert "Khai sinh" not in refused.content.decode()
    birth.refresh_from_db()
    pull.refresh_from_db()
    assert birth.name == "Khai sinh (tên cũ)"
    assert pull.state == CatalogPull.State.PROPOSED and pull.applied_by is None
    assert CatalogPull.objects.count() == pulls_before


def test_fields_the_catalog_lacks_are_proposed_and_created_when_applied(portal_on, superuser):
    from motcua.catalog.models import Field
    from motcua.catalog.tests.factories import FieldFactory

    FieldFactory(code="ho-tich", name="Hộ tịch (tên cũ)")
    pull = pull_catalog(conf.get_connector())
    fields = {c["code"]: c for c in pull.changes if c["kind"].startswith("field_")}
    assert fields["ho-tich"]["kind"] == "field_update"
    assert fields["ho-tich"]["fields"]["name"] == ["Hộ tịch (tên cũ)", "Hộ tịch"]
    new = next(c for c in fields.values() if c["kind"] == "field_new")
    assert not Field.objects.filter(code=new["code"]).exists()
    apply_pull(pull.pk, superuser, [fields["ho-tich"]["id"], new["id"]])
    assert Field.objects.get(code="ho-tich").name == "Hộ tịch"
    assert Field.objects.get(code=new["code"]).name == new["name"]
