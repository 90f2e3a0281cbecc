"""A NUL character in a path, query string, form or JSON body answers 400 (PostgreSQL cannot store one; it used
to end in HTTP 500): the API's common error shape under /api/, a plain Vietnamese page elsewhere."""

import json

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def assert_api_refusal(response):
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid" and "NUL" in error["message"]


def test_a_nul_in_the_api_query_string_answers_400_in_the_error_shape(client):
    assert_api_refusal(client.get("/api/v1/lookup?code=A%00B&phone=0912"))


def test_a_nul_in_a_json_body_answers_400_in_the_error_shape(client):
    body = json.dumps({"code": "A\u0000B", "phone": "0912"})
    assert "\\u0000" in body
    assert_api_refusal(client.post("/api/v1/lookup", body, content_type="application/json"))


def test_an_escaped_backslash_before_u0000_is_ordinary_text(client):
    body = json.dumps({"code": "A\\u0000B", "phone": "0912"})  # the six characters \u0000, no NUL
    response = client.post("/api/v1/lookup", body, content_type="application/json")
    unknown = client.post(
        "/api/v1/lookup", json.dumps({"code": "A-u0000B", "phone": "0912"}), content_type="application/json"
    )
    assert response.status_code == unknown.status_code == 404
    assert response.json() == unknown.json()  # looked up like any unknown code, not refused as a NUL
    assert "NUL" not in response.json()["error"]["message"]


@pytest.mark.parametrize(
    "send",
    [
        lambda c: c.post(reverse("citizens:lookup"), {"code": "A\x00B", "contact": "0912345678"}),
        lambda c: c.post(
            reverse("citizens:lookup"),
            "code=A%00B&contact=1",
            content_type="application/x-www-form-urlencoded",
        ),
        lambda c: c.get("/thu-tuc/?q=%00"),
        lambda c: c.post(reverse("payments:pay_dossier"), {"ma_ho_so": "A\x00B", "xac_minh": "0912345678"}),
    ],
    ids=["lookup form", "urlencoded form", "search query", "payment form"],
)
def test_a_nul_in_a_page_request_answers_a_plain_400_page(client, send):
    response = send(client)
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    assert "ký tự không hợp lệ" in response.content.decode()
