from decimal import Decimal

import pytest

from motcua.catalog.models import Procedure
from motcua.catalog.tests.factories import (
    AgencyFactory,
    FeeFactory,
    FieldFactory,
    ProcedureFactory,
    RequiredDocumentFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def civil_status():
    justice = AgencyFactory(short_name="TP", identity_code="000.01.99.H06", name="Phòng Tư pháp")
    field = FieldFactory(code="ho-tich", name="Hộ tịch")
    birth = ProcedureFactory(
        code="1.001193",
        name="Đăng ký khai sinh",
        field=field,
        resolving_agency=justice,
        same_day=True,
        online_level="full",
    )
    ProcedureFactory(code="1.004884", name="Đăng ký lại khai sinh", field=field, resolving_agency=justice)
    ProcedureFactory(
        code="1.000689",
        name="Đăng ký khai sinh kết hợp nhận cha, mẹ, con",
        field=field,
        resolving_agency=justice,
    )
    ProcedureFactory(
        code="1.000894", name="Đăng ký kết hôn", field=field, resolving_agency=justice, five_on_the_spot=True
    )
    return birth


@pytest.mark.parametrize(
    "q", ["dang ky khai sinh", "khai sinh dang ky", "Đăng ký khai sinh", "ĐĂNG KÝ KHAI SINH"]
)
def test_search_ignores_diacritics_case_and_word_order_and_ranks_the_exact_name_first(
    client, civil_status, q
):
    body = client.get("/api/v1/procedures", {"q": q}).json()
    assert body["count"] == 3
    assert body["results"][0]["code"] == "1.001193"


def test_summary_has_the_promised_fields(client, civil_status):
    body = client.get("/api/v1/procedures", {"q": "1.001193"}).json()
    assert body["results"][0] == {
        "code": "1.001193",
        "name": "Đăng ký khai sinh",
        "field": {"code": "ho-tich", "name": "Hộ tịch"},
        "agency": {"code": "000.01.99.H06", "short_name": "TP", "name": "Phòng Tư pháp"},
        "levels": ["district"],
        "time_limit": {"value": 0, "unit": "same_day"},
        "online_level": "full",
        "on_the_spot": False,
        "status": "published",
    }


def test_filters_by_agency_field_online_level_and_on_the_spot(client, civil_status):
    ProcedureFactory(code="2.002481", name="Chuyển trường đối với học sinh trung học cơ sở")
    assert client.get("/api/v1/procedures", {"agency": "000.01.99.H06"}).json()["count"] == 4
    assert client.get("/api/v1/procedures", {"agency": "TP"}).json()["count"] == 4
    assert client.get("/api/v1/procedures", {"field": "ho-tich"}).json()["count"] == 4
    assert client.get("/api/v1/procedures", {"online_level": "full"}).json()["count"] == 1
    on_the_spot = client.get("/api/v1/procedures", {"on_the_spot": "true"}).json()
    assert [p["code"] for p in on_the_spot["results"]] == ["1.000894"]
    assert client.get("/api/v1/procedures", {"on_the_spot": "false"}).json()["count"] == 4


def test_pagination_pages_through_all_matches(client):
    for n in range(25):
        ProcedureFactory(code=f"9.{n:06d}")
    first = client.get("/api/v1/procedures", {"page_size": 10}).json()
    last = client.get("/api/v1/procedures", {"page_size": 10, "page": 3}).json()
    assert (first["count"], len(first["results"]), len(last["results"])) == (25, 10, 5)
    assert first["results"][0]["code"] == "9.000000"
    assert client.get("/api/v1/procedures", {"page": 9}).json()["results"] == []


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"page": "0"}, "page"),
        ({"page": "abc"}, "page"),
        ({"page_size": "1000"}, "page_size"),
        ({"online_level": "level4"}, "online_level"),
        ({"on_the_spot": "maybe"}, "on_the_spot"),
        ({"q": "x" * 201}, "q"),
    ],
)
def test_bad_parameters_answer_400_in_the_common_shape(client, params, field):
    response = client.get("/api/v1/procedures", params)
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert field in error["fields"]


def test_drafts_are_not_listed_nor_shown(client):
    ProcedureFactory(code="9.999999", status=Procedure.Status.DRAFT)
    assert client.get("/api/v1/procedures").json()["count"] == 0
    assert client.get("/api/v1/procedures/9.999999").status_code == 404


def test_detail_adds_documents_and_fees(client, civil_status):
    RequiredDocumentFactory(
        procedure=civil_status, name="Tờ khai đăng ký khai sinh", form_template_name="Tờ khai"
    )
    RequiredDocumentFactory(procedure=civil_status, name="Giấy chứng sinh", original_count=1)
    FeeFactory(procedure=civil_status, description="Lệ phí đăng ký khai sinh quá hạn", amount=8000)
    procedure = civil_status
    procedure.online_time_limit_value = Decimal("1")
    procedure.online_time_limit_unit = "working_days"
    procedure.save()
    body = client.get("/api/v1/procedures/1.001193").json()
    assert body["code"] == "1.001193"
    assert [d["name"] for d in body["documents"]] == ["Tờ khai đăng ký khai sinh", "Giấy chứng sinh"]
    assert body["fees"][0]["amount"] == 8000
    assert body["fees"][0]["kind"] == "admin_charge"
    assert body["online_time_limit"] == {"value": 1.0, "unit": "working_days"}
    assert body["same_day_cutoff"] is True


def test_unknown_code_is_404_in_the_common_shape(client):
    response = client.get("/api/v1/procedures/0.000000")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"
    assert "0.000000" in response.json()["error"]["message"]
