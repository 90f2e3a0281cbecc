"""The client's address as the throttles count it (login, status lookup, queue tickets, recommendations): behind
reverse proxies, only the entries of X-Forwarded-For that the proxies wrote are believed."""

import pytest
from django.test import RequestFactory

from motcua import safety
from motcua.client_address import client_address

PROXY = "10.0.0.5"  # the reverse proxy, as motcua sees the connection
CLIENT, FORGED = "198.51.100.20", "203.0.113.99"


def request_from(forwarded_for: str | None = None, remote: str = PROXY):
    extra = {"REMOTE_ADDR": remote}
    if forwarded_for is not None:
        extra["HTTP_X_FORWARDED_FOR"] = forwarded_for
    return RequestFactory().get("/", **extra)


@pytest.fixture
def behind_proxies(settings):
    settings.LOOKUP_CLIENT_IP_HEADER = "HTTP_X_FORWARDED_FOR"
    settings.LOOKUP_CLIENT_IP_PROXIES = 1
    return settings


def test_without_a_proxy_header_configured_the_connection_s_address_counts_whatever_the_client_sends(
    settings,
):
    settings.LOOKUP_CLIENT_IP_HEADER = ""
    assert client_address(request_from(f"{FORGED}", remote=CLIENT)) == CLIENT


def test_behind_a_proxy_that_overwrites_the_header_its_single_entry_counts(behind_proxies):
    assert client_address(request_from(CLIENT)) == CLIENT


def test_a_client_cannot_choose_its_address_by_sending_the_header_to_a_proxy_that_appends(behind_proxies):
    # nginx's $proxy_add_x_forwarded_for keeps what the client sent and appends the address it saw.
    assert client_address(request_from(f"{FORGED}, {CLIENT}")) == CLIENT
    assert client_address(request_from(f"{FORGED}, 192.0.2.1,{CLIENT}")) == CLIENT


def test_behind_two_proxies_the_entry_the_farthest_one_wrote_counts(behind_proxies):
    behind_proxies.LOOKUP_CLIENT_IP_PROXIES = 2
    load_balancer = "10.0.0.2"
    assert client_address(request_from(f"{FORGED}, {CLIENT}, {load_balancer}")) == CLIENT
    assert client_address(request_from(f"{CLIENT}, {load_balancer}")) == CLIENT


def test_a_header_shorter_than_the_chain_of_proxies_gives_its_first_entry(behind_proxies):
    behind_proxies.LOOKUP_CLIENT_IP_PROXIES = 3
    assert client_address(request_from(f"{CLIENT}, 10.0.0.2")) == CLIENT


@pytest.mark.parametrize("header", [None, "", " , ,"])
def test_a_missing_or_empty_header_falls_back_to_the_connection_s_address(behind_proxies, header):
    assert client_address(request_from(header)) == PROXY
    assert client_address(request_from(header, remote="")) == "unknown"


@pytest.mark.parametrize("proxies", [0, -1, "2"])
def test_a_proxy_count_under_one_or_not_a_number_stops_the_server_from_starting(settings, proxies):
    settings.LOOKUP_CLIENT_IP_PROXIES = proxies
    errors = [m for m in safety.run_production_checks() if m.id == "motcua.E060"]
    assert len(errors) == 1 and "LOOKUP_CLIENT_IP_PROXIES" in errors[0].msg


def test_a_proxy_count_of_one_or_more_passes_the_production_checks(settings):
    for proxies in (1, 3):
        settings.LOOKUP_CLIENT_IP_PROXIES = proxies
        assert not [m for m in safety.run_production_checks() if m.id == "motcua.E060"]
