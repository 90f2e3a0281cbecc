"""The connector's keys are listed once (conf.KEYS) and read from NATIONAL_PORTAL_* variables; a settings dict,
when a deployment or a test defines one, replaces them."""

import pytest
from django.conf import settings as django_settings

from motcua.integrations.national_portal import DirectConnector, ProxyConnector
from motcua.national_portal import conf


@pytest.fixture
def no_settings_dict(settings):
    if hasattr(django_settings, "NATIONAL_PORTAL"):
        del settings.NATIONAL_PORTAL
    return settings


def test_the_variables_configure_the_connector_with_the_schema_defaults(no_settings_dict, monkeypatch):
    monkeypatch.setenv("NATIONAL_PORTAL_URL", "https://dvc.example.vn")
    monkeypatch.setenv("NATIONAL_PORTAL_TRANSPORT", "proxy")
    monkeypatch.setenv("NATIONAL_PORTAL_LOOKUP_PATH", "/tra-cuu")
    monkeypatch.setenv("NATIONAL_PORTAL_INBOUND_SECRET", "khoa")
    assert conf.is_enabled() and conf.transport() == "proxy" and conf.get("inbound_secret") == "khoa"
    connector = conf.get_connector()
    assert isinstance(connector, ProxyConnector)
    assert connector.config["lookup_path"] == "/tra-cuu"
    assert connector.config["agencies_path"] == "/KetNoiMotCuaQuocGia/LayDanhMucCoQuan"
    assert "inbound_secret" not in connector.config  # inbound keys never reach the outgoing connector


def test_an_empty_url_turns_the_connector_off(no_settings_dict, monkeypatch):
    monkeypatch.setenv("NATIONAL_PORTAL_URL", "")
    assert not conf.is_enabled() and conf.transport() == "direct"


def test_a_settings_dict_replaces_the_variables(settings, monkeypatch):
    monkeypatch.setenv("NATIONAL_PORTAL_URL", "https://tu-bien-moi-truong.example.vn")
    settings.NATIONAL_PORTAL = {"url": ""}
    assert not conf.is_enabled()


def test_every_connector_key_is_a_setting_of_its_transport():
    assert set(conf.DIRECT_KEYS) <= set(DirectConnector.config_schema)
    assert set(conf.PROXY_KEYS) <= set(ProxyConnector.config_schema)
    assert set(ProxyConnector.PATHS.values()) <= set(conf.PROXY_KEYS)
