"""The sandbox platform speaks the national payment platform's messages and checks them like the real one."""

import json
import urllib.error
import urllib.request
from datetime import datetime

import pytest

from motcua.integrations.payment import GatewayError, PaymentRequest, payment_gateways, protocol
from motcua.integrations.payment.sandbox_server import SandboxServer


@pytest.fixture
def sandbox():
    server = SandboxServer(port=0).start()
    yield server
    server.stop()


@pytest.fixture
def gateway(sandbox):
    return payment_gateways.build("sandbox", {"base_url": sandbox.url})


def request(reference="MCTEST1", amount=50_000):
    return PaymentRequest(
        reference=reference,
        amount=amount,
        description="THANH TOAN HO SO 000.01.99.H06-251128-0001",
        created_at=datetime.now(protocol.VIETNAM),
        callback_url="http://127.0.0.1:9/cb",
        return_url="http://127.0.0.1:9/back",
        items=[{"kind": "admin_charge", "description": "Lệ phí", "unit_amount": amount, "quantity": 1}],
    )


def post(url, body, token="sandbox-access-token"):
    req = urllib.request.Request(
        url,
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json", "Authorization": f"Bearer {token}"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(req, timeout=5) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read())


def test_the_signature_is_sha256_of_the_fields_and_the_secret_joined_by_bars():
    message = {
        "LoaiBanTin": "QUERY",
        "PhienBan": "1.0.6",
        "MaDoiTac": "P",
        "MaThamChieu": "R",
        "ThoiGianGD": "1",
    }
    import hashlib

    expected = hashlib.sha256(b"QUERY|1.0.6|P|R|1|s3cret").hexdigest()
    assert protocol.sign(message, protocol.QUERY_FIELDS, "s3cret")["MaXacThuc"] == expected
    assert protocol.verify(message | {"MaXacThuc": expected.upper()}, protocol.QUERY_FIELDS, "s3cret")
    assert not protocol.verify(message | {"MaXacThuc": expected}, protocol.QUERY_FIELDS, "other")


def test_times_are_on_the_24_hour_clock_in_vietnam_time():
    moment = datetime(2026, 11, 28, 15, 4, 5, tzinfo=protocol.VIETNAM)
    assert protocol.format_time(moment) == "20261128150405"
    assert protocol.parse_time("20261128150405") == moment


def test_init_returns_the_payers_page_on_the_sandbox(gateway, sandbox):
    url = gateway.initiate(request())
    assert url == f"{sandbox.url}/thanh-toan/MCTEST1"
    with urllib.request.urlopen(url, timeout=5) as page:
        text = page.read().decode()
    assert "50.000 đ" in text and "Xác nhận thanh toán" in text


def test_the_sandbox_refuses_an_init_with_a_wrong_token_signature_or_a_reused_reference(gateway, sandbox):
    message = gateway.build_init(request())
    assert post(f"{sandbox.url}/init", message, token="wrong")[0] == 401
    assert post(f"{sandbox.url}/init", message | {"SoTien": 1})[1]["error_code"] == "2"
    assert post(f"{sandbox.url}/init", message)[1]["error_code"] == "0"
    assert post(f"{sandbox.url}/init", message)[1]["error_code"] == "4"
    with pytest.raises(GatewayError, match="từ chối"):
        gateway.initiate(request())


def test_query_reports_pending_then_the_signed_result(gateway, sandbox):
    gateway.initiate(request())
    created = datetime.now(protocol.VIETNAM)
    assert gateway.query("MCTEST1", created).state == "pending"
    sandbox.app.settle("MCTEST1", "success", deliver=False)
    result = gateway.query("MCTEST1", created)
    assert result.state == "succeeded" and result.message.amount == 50_000 and result.message.succeeded


def test_get_bill_returns_the_platforms_pdf_once_paid(gateway, sandbox):
    gateway.initiate(request())
    with pytest.raises(GatewayError):
        gateway.fetch_bill("MCTEST1", datetime.now(protocol.VIETNAM))
    sandbox.app.settle("MCTEST1", "success", deliver=False)
    assert gateway.fetch_bill("MCTEST1", datetime.now(protocol.VIETNAM)).startswith(b"%PDF")


def test_a_gateway_configuration_is_validated_by_the_plugin():
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as error:
        payment_gateways.build("national_payment_platform", {"init_url": "not a url", "partner_code": "P"})
    assert {"init_url", "query_url", "bill_url", "secret_key"} <= set(error.value.message_dict)
    gateway = payment_gateways.build("sandbox", {"base_url": "http://127.0.0.1:8765/"})
    assert gateway.config["init_url"] == "http://127.0.0.1:8765/init"
    assert gateway.describe_config()["secret_key"] == "••••••"
