"""Kept-alive connections to integration partners (`motcua.integrations.keepalive`), against real local HTTP
servers: one connection per thread and partner while it stays fresh and open, a new one when the partner closed
it, nothing ever sent twice."""

import threading
import time

import pytest

from motcua.integrations import keepalive
from motcua.integrations.national_portal import DirectConnector, PortalAmbiguous, PortalUnreachable

from .partner import Partner, closed_port


@pytest.fixture
def partner(request):
    keepalive.close_all()
    with Partner(getattr(request, "param", "keep")) as found:
        yield found


def post(url: str, body: bytes = b"ping"):
    return keepalive.post(url, body, {"Content-Type": "application/json"}, timeout=5)


def test_calls_from_one_thread_share_one_connection_and_each_thread_has_its_own(partner):
    answers = [post(partner.url, f"m{i}".encode()) for i in range(3)]
    assert [status for status, _body in answers] == [200, 200, 200]
    assert answers[2][1] == b'{"error_code": "0", "echo": "m2"}'
    assert partner.connections == 1

    other = []
    thread = threading.Thread(target=lambda: (other.append(post(partner.url)), keepalive.close_all()))
    thread.start()
    thread.join()
    assert other[0][0] == 200 and partner.connections == 2
    assert partner.requests == [b"m0", b"m1", b"m2", b"ping"]


@pytest.mark.parametrize("partner", ["close"], indirect=True)
def test_a_partner_that_asks_to_close_gets_a_new_connection_for_each_call(partner):
    assert [post(partner.url)[0] for _ in range(3)] == [200, 200, 200]
    assert partner.connections == 3 and len(partner.requests) == 3


@pytest.mark.parametrize("partner", ["drop"], indirect=True)
def test_a_connection_the_partner_closed_while_idle_is_replaced_before_sending(partner):
    for _ in range(3):
        assert post(partner.url)[0] == 200
        time.sleep(0.05)  # the partner's close reaches this side
    assert partner.connections == 3 and len(partner.requests) == 3


def test_a_connection_idle_for_longer_than_the_limit_is_replaced(partner, monkeypatch):
    post(partner.url)
    monkeypatch.setattr(keepalive, "IDLE_SECONDS", 0.0)
    post(partner.url)
    assert partner.connections == 2


@pytest.mark.parametrize("partner", ["hang_up"], indirect=True)
def test_a_partner_that_hangs_up_without_answering_raises_and_nothing_is_sent_again(partner):
    with pytest.raises(ConnectionError):
        post(partner.url, b"once")
    assert partner.requests == [b"once"]
    assert keepalive._connections() == {}  # the broken connection is forgotten


def test_a_partner_that_cannot_be_reached_raises_not_sent():
    with pytest.raises(keepalive.NotSent):
        post(f"http://127.0.0.1:{closed_port()}/")
    assert keepalive._connections() == {}


def test_an_outbound_proxy_in_the_environment_keeps_the_old_path(monkeypatch):
    for name in ("http_proxy", "https_proxy", "no_proxy", "HTTP_PROXY", "HTTPS_PROXY", "NO_PROXY"):
        monkeypatch.delenv(name, raising=False)
    assert keepalive.reusable("https://dichvucong.gov.vn/api/integration")
    monkeypatch.setenv("https_proxy", "http://proxy.tinh.gov.vn:3128")
    assert not keepalive.reusable("https://dichvucong.gov.vn/api/integration")
    assert keepalive.reusable("http://dichvucong.gov.vn/api/integration")  # no proxy for plain HTTP
    monkeypatch.setenv("no_proxy", "dichvucong.gov.vn")
    assert keepalive.reusable("https://dichvucong.gov.vn/api/integration")
    assert not keepalive.reusable("ftp://dichvucong.gov.vn/")


def connector(url: str) -> DirectConnector:
    return DirectConnector(
        {
            "url": url,
            "username": "motcua",
            "password": "simulator-password",
            "unit_code": "000.00.99.H06",
            "dstcode": "SIMULATOR",
        }
    )


def test_the_portal_connector_logs_in_and_calls_on_one_kept_connection_to_the_simulator():
    from motcua.national_portal.simulator.server import SimulatorServer

    keepalive.close_all()
    server = SimulatorServer().start()
    try:
        portal = connector(server.url)
        first = portal.call("LayDanhMucLinhVuc", {})
        (kept,) = keepalive._connections().values()
        socket_used = kept[0].sock
        again = portal.call("LayDanhMucLinhVuc", {})
        assert first.ok and again.ok and again.raw == first.raw
        (still,) = keepalive._connections().values()
        assert still[0].sock is socket_used  # the login and both calls: one connection
    finally:
        keepalive.close_all()
        server.stop()


def test_the_portal_connector_maps_a_hang_up_to_ambiguous_and_a_closed_port_to_unreachable():
    with Partner("hang_up") as hanging:
        portal = connector(hanging.url.rsplit("/api", 1)[0])
        portal._sessions[portal._session_key()] = ("phien-thu", time.monotonic() + 60)
        with pytest.raises(PortalAmbiguous):
            portal.call("LayDanhMucLinhVuc", {})
        assert len(hanging.requests) == 1  # never sent again by the connector
    with pytest.raises(PortalUnreachable):
        connector(f"http://127.0.0.1:{closed_port()}").call("LayDanhMucLinhVuc", {})
