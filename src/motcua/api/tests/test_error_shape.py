"""Every API failure answers {"error": {"code", "message", "fields"}} with a Vietnamese message."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, Throttled
from ninja.testing import TestClient

from motcua.api_base import ApiError, install_error_handlers

pytestmark = pytest.mark.django_db

# An API built only for these tests, with the same error handlers, raising each kind of error.
probe = NinjaAPI(urls_namespace="probe")
install_error_handlers(probe)


@probe.get("/_probe/api-error")
def raise_api_error(request):
    raise ApiError(409, "wrong_state", "Hồ sơ đã trả kết quả.", {"action": ["Không được phép."]})


@probe.get("/_probe/validation")
def raise_validation(request):
    raise ValidationError({"phone": ["Số điện thoại không hợp lệ."]})


@probe.get("/_probe/denied")
def raise_denied(request):
    raise PermissionDenied


@probe.get("/_probe/unauthenticated")
def raise_unauthenticated(request):
    raise AuthenticationError


@probe.get("/_probe/throttled")
def raise_throttled(request):
    raise Throttled(wait=30)


@probe.get("/_probe/typed")
def typed(request, number: int):
    return {"number": number}


def assert_error(response, status, code):
    assert response.status_code == status
    body = response.json()
    assert set(body) == {"error"}
    assert set(body["error"]) == {"code", "message", "fields"}
    assert body["error"]["code"] == code
    assert body["error"]["message"]
    return body["error"]


@pytest.fixture
def probe_client():
    return TestClient(probe)


def test_api_error_keeps_its_status_code_message_and_fields(probe_client):
    error = assert_error(probe_client.get("/_probe/api-error"), 409, "wrong_state")
    assert error["message"] == "Hồ sơ đã trả kết quả."
    assert error["fields"] == {"action": ["Không được phép."]}


def test_domain_validation_error_is_400_with_fields(probe_client):
    error = assert_error(probe_client.get("/_probe/validation"), 400, "invalid")
    assert error["fields"] == {"phone": ["Số điện thoại không hợp lệ."]}


def test_ninja_request_validation_is_400_not_422_with_vietnamese_field_messages(probe_client):
    error = assert_error(probe_client.get("/_probe/typed?number=abc"), 400, "invalid")
    assert error["fields"] == {"number": ["Phải là số nguyên."]}
    error = assert_error(probe_client.get("/_probe/typed"), 400, "invalid")
    assert error["fields"] == {"number": ["Trường này là bắt buộc."]}


@pytest.mark.parametrize(
    ("path", "status", "code"),
    [
        ("/_probe/denied", 403, "forbidden"),
        ("/_probe/unauthenticated", 401, "unauthorized"),
        ("/_probe/throttled", 429, "throttled"),
    ],
)
def test_http_errors_use_the_common_shape(probe_client, path, status, code):
    assert_error(probe_client.get(path), status, code)


def test_throttled_answer_says_when_to_retry(probe_client):
    assert probe_client.get("/_probe/throttled")["Retry-After"] == "30"


def test_unknown_path_under_the_api_is_a_json_404(client):
    assert_error(client.get("/api/v1/khong-co/"), 404, "not_found")


def test_openapi_document_is_served(client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    schema = response.json()
    assert "/api/v1/procedures" in schema["paths"]
    assert "/api/v1/procedures/{code}" in schema["paths"]
    not_found = schema["paths"]["/api/v1/procedures/{code}"]["get"]["responses"]["404"]
    assert "ErrorResponse" in str(not_found)


def test_docs_page_uses_assets_served_by_the_project(client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert "/static/ninja/swagger-ui-bundle.js" in html
    assert "cdn" not in html.lower()
    assert client.get("/static/ninja/swagger-ui-bundle.js").status_code == 200


def test_the_published_schema_documents_the_errors_of_every_operation(client):
    schema = client.get("/api/v1/openapi.json").json()
    error_ref = {"$ref": "#/components/schemas/ErrorResponse"}
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            responses = operation["responses"]
            assert "400" in responses, f"{method.upper()} {path}"
            assert responses["400"]["content"]["application/json"]["schema"] == error_ref
            if operation.get("security"):
                assert {"401", "403"} <= set(responses), f"{method.upper()} {path}"
    dossier = schema["paths"]["/api/v1/dossiers/{code}/actions"]["post"]["responses"]
    assert {"404", "409"} <= set(dossier)
    assert "429" in schema["paths"]["/api/v1/lookup"]["post"]["responses"]
    assert (
        "application/pdf"
        in schema["paths"]["/api/v1/dossiers/{code}/forms/{form}"]["get"]["responses"]["200"]["content"]
    )
