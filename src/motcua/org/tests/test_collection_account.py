"""An agency's fee-collection account: edited in the admin, checked, refused in Vietnamese with nothing saved."""

import pytest
from django.core.exceptions import ValidationError

from motcua.accounts.tests.factories import UserFactory
from motcua.audit.models import AuditEntry
from motcua.org.models import Agency
from motcua.org.tests.factories import AgencyFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    client.force_login(UserFactory(username="quantri", is_staff=True, is_superuser=True))
    return client


@pytest.fixture
def agency():
    return AgencyFactory(name="Phòng Tài chính – Kế hoạch", identity_code="000.02.99.H06")


def post_agency(client, agency, **account):
    data = {
        "name": agency.name,
        "short_name": agency.short_name,
        "identity_code": agency.identity_code,
        "identity_code_is_demo": "on" if agency.identity_code_is_demo else "",
        "kind": agency.kind,
        "unit": agency.unit_id,
        "address": "",
        "phone": "",
        "email": "",
        "valid_from": "",
        "valid_to": "",
        "collection_account_number": "",
        "collection_bank_code": "",
        "collection_account_name": "",
        "audit_reason": "",
    } | account
    return client.post(f"/admin/org/agency/{agency.pk}/change/", data)


def test_the_change_form_shows_the_account_section_in_vietnamese(admin_client, agency):
    page = admin_client.get(f"/admin/org/agency/{agency.pk}/change/").content.decode()
    for label in ("Tài khoản thu phí, lệ phí", "Số tài khoản thu phí, lệ phí", "Mã ngân hàng thụ hưởng"):
        assert label in page
    assert "Tên chủ tài khoản" in page


def test_an_administrator_gives_an_agency_its_account_and_the_change_is_logged(admin_client, agency):
    response = post_agency(
        admin_client,
        agency,
        collection_account_number=" 1234 5678 901 ",
        collection_bank_code="970415",
        collection_account_name="  PHONG TAI CHINH   KE HOACH HUYEN GIA BINH ",
        audit_reason="Tài khoản thu theo công văn của Kho bạc",
    )
    assert response.status_code == 302
    agency.refresh_from_db()
    assert agency.collection_account_number == "12345678901"
    assert agency.collection_bank_code == "970415"
    assert agency.collection_account_name == "PHONG TAI CHINH KE HOACH HUYEN GIA BINH"
    assert agency.has_collection_account
    entry = AuditEntry.objects.filter(object_id=str(agency.pk), content_type__model="agency").latest("id")
    assert entry.reason == "Tài khoản thu theo công văn của Kho bạc"


@pytest.mark.parametrize(
    ("account", "field", "message"),
    [
        (
            {"collection_account_number": "1234-ABC-99", "collection_bank_code": "970415"},
            "collection_account_number",
            "Số tài khoản chỉ gồm chữ số, từ 6 đến 19 số.",
        ),
        (
            {"collection_account_number": "12345", "collection_bank_code": "970415"},
            "collection_account_number",
            "Số tài khoản chỉ gồm chữ số, từ 6 đến 19 số.",
        ),
        (
            {"collection_account_number": "12345678901234567890", "collection_bank_code": "970415"},
            "collection_account_number",
            "Số tài khoản chỉ gồm chữ số, từ 6 đến 19 số.",
        ),
        (
            {"collection_account_number": "12345678901", "collection_bank_code": "VCB"},
            "collection_bank_code",
            "Mã ngân hàng phải là mã BIN gồm đúng 6 chữ số",
        ),
        (
            {"collection_account_number": "12345678901", "collection_bank_code": "BFTVVNVX"},
            "collection_bank_code",
            "Mã ngân hàng phải là mã BIN gồm đúng 6 chữ số",
        ),
        (
            {"collection_account_number": "12345678901", "collection_bank_code": ""},
            "collection_bank_code",
            "Chưa nhập mã ngân hàng của tài khoản.",
        ),
        (
            {"collection_bank_code": "970415"},
            "collection_account_number",
            "Chưa nhập số tài khoản.",
        ),
    ],
)
def test_a_bad_account_is_refused_in_vietnamese_and_nothing_is_saved(
    admin_client, agency, account, field, message
):
    account.setdefault("collection_account_name", "PHONG TAI CHINH KE HOACH")
    response = post_agency(admin_client, agency, name="Tên mới không được lưu", **account)
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors
    assert message in " ".join(errors[field])
    stored = Agency.objects.get(pk=agency.pk)
    assert stored.name == "Phòng Tài chính – Kế hoạch"
    assert (
        stored.collection_account_number,
        stored.collection_bank_code,
        stored.collection_account_name,
    ) == (
        "",
        "",
        "",
    )


def test_a_number_without_a_holder_name_is_refused(admin_client, agency):
    response = post_agency(
        admin_client, agency, collection_account_number="12345678901", collection_bank_code="970415"
    )
    assert response.status_code == 200
    assert "Chưa nhập tên chủ tài khoản." in response.content.decode()
    assert Agency.objects.get(pk=agency.pk).collection_account_number == ""


def test_an_agency_without_an_account_stays_valid_and_an_account_can_be_removed(agency):
    agency.full_clean()  # all three empty: fine
    agency.collection_account_number = "0011001234567"
    agency.collection_bank_code = "970436"
    agency.collection_account_name = "PHONG TU PHAP"
    agency.full_clean()
    agency.save()
    agency.collection_account_number = agency.collection_bank_code = agency.collection_account_name = ""
    agency.full_clean()
    agency.save()
    assert not Agency.objects.get(pk=agency.pk).has_collection_account


def test_a_holder_name_alone_is_refused_by_the_model(agency):
    agency.collection_account_name = "PHONG TU PHAP"
    with pytest.raises(ValidationError) as refused:
        agency.full_clean()
    assert refused.value.message_dict["collection_account_number"] == ["Chưa nhập số tài khoản."]
