"""Production mode (DEBUG off, no MOTCUA_DEMO_MODE): the payment sandbox and demo secrets do not work, and a
server configured with them refuses to start (motcua.safety and the apps' production checks)."""

import json
import os
import subprocess
import sys
import textwrap

import pytest
from django.core import checks
from django.urls import reverse

from motcua import safety
from motcua.payments.models import Payment
from motcua.payments.online import start_online_payment

from .factories import ReceiptBookFactory

REAL_SECRET = "k9Qe2-real-secret-issued-by-the-platform"
PLATFORM = {
    "plugin": "national_payment_platform",
    "init_url": "https://thanhtoan.example.vn/init",
    "query_url": "https://thanhtoan.example.vn/query",
    "bill_url": "https://thanhtoan.example.vn/bill",
    "partner_code": "MOTCUA",
    "secret_key": REAL_SECRET,
}


@pytest.fixture
def production(settings, tmp_path):
    settings.DEBUG = False
    # Its own signing folder: the demo certificates other tests leave in the shared one are another check's case.
    settings.MOTCUA_SIGNING_DIR = str(tmp_path / "signing")
    settings.MOTCUA_DEMO_MODE = False
    settings.MOTCUA_SIGNING_PASSPHRASE = "a-passphrase-of-the-deployment"
    settings.SECRET_KEY = "x7-a-long-random-production-key-" + "q" * 30
    return settings


def _signed_callback(payment_sandbox, book):
    payment = start_online_payment(
        agency=book.agency,
        items=[{"kind": "service_fee", "description": "Phí thẩm định", "unit_amount": 50_000}],
        payer_name="Nguyễn Văn An",
        dossier_code="000.01.99.H06-251128-0001",
    )
    return payment, payment_sandbox.app.settle(payment.reference, "success", deliver=False)["callback"]


def _deliver(client, callback):
    return client.post(
        reverse("payments:callback", args=["sandbox"]),
        data=json.dumps(callback),
        content_type="application/json",
    )


@pytest.mark.django_db
@pytest.mark.parametrize("configuration", ["none", "sandbox named explicitly"])
def test_in_production_a_callback_signed_with_the_sandbox_secret_pays_nothing(
    client, settings, payment_sandbox, configuration
):
    payment, callback = _signed_callback(payment_sandbox, ReceiptBookFactory())
    settings.DEBUG = False
    settings.MOTCUA_DEMO_MODE = False
    if configuration == "none":
        del settings.MOTCUA_PAYMENT_GATEWAYS
        del settings.MOTCUA_PAYMENT_GATEWAY
    response = _deliver(client, callback)
    assert response.status_code == 404
    payment.refresh_from_db()
    assert payment.status == Payment.Status.PENDING
    assert payment.receipts.count() == 0


@pytest.mark.django_db
def test_with_debug_or_demo_mode_the_sandbox_still_pays(client, settings, payment_sandbox):
    payment, callback = _signed_callback(payment_sandbox, ReceiptBookFactory())
    settings.DEBUG = False
    settings.MOTCUA_DEMO_MODE = True
    assert _deliver(client, callback).status_code == 200
    payment.refresh_from_db()
    assert payment.status == Payment.Status.SUCCEEDED


def test_production_without_payment_configuration_offers_no_gateway(production):
    from motcua.payments import conf

    del production.MOTCUA_PAYMENT_GATEWAYS
    assert conf.gateway_configs() == {}


def _ids():
    return sorted({m.id for m in checks.run_checks(tags=[safety.TAG]) if m.is_serious()})


@pytest.mark.parametrize(
    ("gateways", "expected"),
    [
        ({"sandbox": {"plugin": "sandbox"}}, ["motcua.E010"]),
        ({"nentang": PLATFORM | {"secret_key": "sandbox-secret-not-for-production"}}, ["motcua.E011"]),
        ({"nentang": PLATFORM | {"access_token": "sandbox-access-token"}}, ["motcua.E011"]),
        ({"nentang": PLATFORM}, []),
    ],
)
def test_the_production_checks_refuse_the_sandbox_and_demo_payment_secrets(production, gateways, expected):
    production.MOTCUA_PAYMENT_GATEWAYS = gateways
    assert _ids() == expected


def test_the_production_checks_refuse_demo_portal_secrets_and_keys(production, monkeypatch):
    production.MOTCUA_PAYMENT_GATEWAYS = {"nentang": PLATFORM}
    production.NATIONAL_PORTAL = {
        "url": "https://dichvucong.example.vn",
        "inbound_secret": "demo-only-inbound-key",
    }
    production.MOTCUA_LOGIN_PROVIDERS = {"dvcqg": {"client_secret": "simulator-client-secret"}}
    production.SECRET_KEY = "dev-only-insecure-key-do-not-use-in-production"
    assert _ids() == ["motcua.E001", "motcua.E020", "motcua.E021"]


def test_the_production_checks_refuse_a_passphrase_derived_from_secret_key(production):
    production.MOTCUA_PAYMENT_GATEWAYS = {"nentang": PLATFORM}
    production.MOTCUA_SIGNING_PASSPHRASE = ""
    assert _ids() == ["motcua.E030"]


def test_the_production_checks_refuse_a_demo_signing_certificate(production, tmp_path):
    from motcua.documents import signing

    signing.create_demo_ca(tmp_path)
    production.MOTCUA_SIGNING_DIR = str(tmp_path)
    production.MOTCUA_PAYMENT_GATEWAYS = {"nentang": PLATFORM}
    assert _ids() == ["motcua.E031"]  # the deployment's certificate and the demo trust root


def test_in_demo_mode_the_checks_let_the_demo_start(settings):
    settings.DEBUG = True
    settings.MOTCUA_PAYMENT_GATEWAYS = {"sandbox": {"plugin": "sandbox"}}
    settings.MOTCUA_SIGNING_PASSPHRASE = ""
    assert _ids() == []


# --- a real production process -----------------------------------------------------------------------------


def _run(tmp_path, code, gateways, **env):
    (tmp_path / "deployment_settings.py").write_text(
        textwrap.dedent(
            f"""
            from motcua.settings import *  # noqa
            MOTCUA_PAYMENT_GATEWAYS = {gateways!r}
            """
        )
    )
    environment = (
        {k: v for k, v in os.environ.items() if not k.startswith(("NATIONAL_PORTAL", "MOTCUA_", "DEBUG"))}
        | {
            "PYTHONPATH": str(tmp_path),
            "DJANGO_SETTINGS_MODULE": "deployment_settings",
            "SECRET_KEY": "x7-a-long-random-production-key-" + "q" * 30,
            "ALLOWED_HOSTS": "motcua.example.vn",
            "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
            "MOTCUA_DATA_DIR": str(tmp_path / "var"),
            "MOTCUA_SIGNING_PASSPHRASE": "a-passphrase-of-the-deployment",
            "MOTCUA_PUBLIC_URL": "https://motcua.example.vn",
        }
        | env
    )
    return subprocess.run(
        [sys.executable, "-c", code], env=environment, capture_output=True, text=True, timeout=120
    )


START_SERVER = "import motcua.wsgi"
CHECK_DEPLOY = (
    "import sys; from motcua.__main__ import main; sys.argv = ['motcua', 'check', '--deploy']; main()"
)


@pytest.mark.parametrize("code", [START_SERVER, CHECK_DEPLOY])
def test_a_production_server_with_a_demo_secret_refuses_to_start(tmp_path, code):
    refused = _run(
        tmp_path, code, {"nentang": PLATFORM | {"secret_key": "sandbox-secret-not-for-production"}}
    )
    assert refused.returncode != 0
    assert "motcua.E011" in refused.stderr


def test_a_production_server_with_the_portal_simulators_secret_refuses_to_start(tmp_path):
    refused = _run(
        tmp_path, START_SERVER, {"nentang": PLATFORM}, NATIONAL_PORTAL_INBOUND_SECRET="demo-only-inbound-key"
    )
    assert refused.returncode != 0
    assert "motcua.E020" in refused.stderr


def test_a_production_server_with_real_secrets_starts(tmp_path):
    started = _run(tmp_path, START_SERVER, {"nentang": PLATFORM})
    assert started.returncode == 0, started.stderr


@pytest.mark.parametrize("command", ["run_payment_sandbox", "portal_simulator"])
def test_the_simulators_refuse_to_run_in_production_mode(production, command):
    from django.core.management import CommandError, call_command

    with pytest.raises(CommandError, match="DEBUG hoặc MOTCUA_DEMO_MODE"):
        call_command(command, "--port", "0")
