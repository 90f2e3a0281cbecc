import json
import urllib.request

import pytest

from motcua.accounts.tests.factories import UserFactory
from motcua.integrations.national_portal import DirectConnector
from motcua.national_portal.simulator import SimulatorServer

from .factories import ProcedureWithProcessFactory


@pytest.fixture
def simulator():
    server = SimulatorServer(port=0).start()
    yield server
    server.stop()


def portal_settings(url: str, transport: str = "direct", timeout: str = "2") -> dict:
    return {
        "url": url,
        "transport": transport,
        "username": "motcua",
        "password": "simulator-password",
        "unit_code": "000.00.99.H06",
        "dstcode": "SIMULATOR",
        "timeout": timeout,
    }


@pytest.fixture
def portal_on(settings, simulator):
    """The connector pointed at the simulator (direct transport), retries fast."""
    DirectConnector._sessions.clear()
    settings.NATIONAL_PORTAL = portal_settings(simulator.url)
    settings.NATIONAL_PORTAL_RETRY_BASE_SECONDS = 1
    settings.NATIONAL_PORTAL_RETRY_MAX_SECONDS = 4
    settings.NATIONAL_PORTAL_PUBLIC_URL = "https://motcua.example.vn"
    return simulator


@pytest.fixture
def procedure(db):
    return ProcedureWithProcessFactory(name="Cấp bản sao trích lục hộ tịch")


@pytest.fixture
def superuser(db):
    return UserFactory(username="quantri", is_superuser=True, is_staff=True, full_name="Quản trị hệ thống")


def simulator_state(server) -> dict:
    with urllib.request.urlopen(f"{server.url}/simulator/state", timeout=5) as response:
        return json.loads(response.read())


def simulator_post(server, name: str, body: dict) -> dict:
    request = urllib.request.Request(
        f"{server.url}/simulator/{name}",
        data=json.dumps(body).encode(),
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    with urllib.request.urlopen(request, timeout=5) as response:
        return json.loads(response.read())


@pytest.fixture
def portal_login_on(settings, simulator):
    settings.MOTCUA_LOGIN_PROVIDERS = {
        "dvcqg": {
            "plugin": "national_portal",
            "label": "Đăng nhập bằng tài khoản Cổng Dịch vụ công quốc gia",
            "server_url": simulator.url,
            "client_id": "motcua-simulator",
            "client_secret": "simulator-client-secret",
        }
    }
    return simulator


def assert_each_dossier_delivered_once_in_order(state: dict, dossiers: list) -> None:
    """Each dossier is at the portal (the simulator's `state`), inserted once, with its current status and its
    history complete, in order, none twice."""
    for dossier in dossiers:
        stored = state["dossiers"][dossier.code]
        assert stored["_inserts"] == 1
        assert stored["TrangThaiHoSo"] == str(dossier.status)
        entries = [e for e in state["progress"] if e["MaHoSo"] == dossier.code]
        events = list(dossier.events.order_by("id"))
        assert [e["TrangThai"] for e in entries] == [str(e.to_status) for e in events]  # none twice, in order
        assert [e["_seq"] for e in entries] == sorted(e["_seq"] for e in entries)
