"""The plugin registry: filled by a decorator, each plugin validating its own configuration."""

import pytest
from django.core.exceptions import ValidationError

from motcua.integrations.registry import BasePlugin, Registry, Setting


@pytest.fixture
def notifiers():
    registry: Registry[BasePlugin] = Registry("kênh thông báo")

    @registry.register("outbox")
    class Outbox(BasePlugin):
        verbose_name = "Hộp thư đi"
        config_schema = {
            "folder": Setting(),
            "api_key": Setting(kind="secret", required=False),
            "timeout": Setting(kind="float", default=5.0, min_value=0.1),
            "url": Setting(kind="url", required=False),
            "enabled": Setting(kind="bool", default=True),
        }

        @classmethod
        def clean_config(cls, config):
            if config["folder"] == "/":
                raise ValidationError({"folder": "Không được ghi vào thư mục gốc."})
            return config

    return registry


def test_the_decorator_registers_a_plugin_under_its_identifier(notifiers):
    assert "outbox" in notifiers
    assert notifiers["outbox"].identifier == "outbox"
    assert notifiers.get_choices() == [("outbox", "Hộp thư đi")]
    assert len(notifiers) == 1


def test_a_plugin_is_built_with_its_configuration_cleaned_and_defaults_filled(notifiers):
    plugin = notifiers.build("outbox", {"folder": " var/outbox ", "timeout": "2.5", "enabled": "0"})
    assert plugin.config == {
        "folder": "var/outbox",
        "api_key": None,
        "timeout": 2.5,
        "url": None,
        "enabled": False,
    }


@pytest.mark.parametrize(
    ("config", "key"),
    [
        ({}, "folder"),
        ({"folder": "x", "timeout": "soon"}, "timeout"),
        ({"folder": "x", "timeout": 0}, "timeout"),
        ({"folder": "x", "url": "ftp://host"}, "url"),
        ({"folder": "x", "enabled": "maybe"}, "enabled"),
        ({"folder": "x", "colour": "blue"}, "colour"),
        ({"folder": "/"}, "folder"),
    ],
)
def test_a_wrong_configuration_is_refused_with_the_key_at_fault(notifiers, config, key):
    with pytest.raises(ValidationError) as error:
        notifiers.build("outbox", config)
    assert key in error.value.message_dict


def test_secrets_are_masked_when_a_configuration_is_shown(notifiers):
    plugin = notifiers.build("outbox", {"folder": "x", "api_key": "s3cr3t"})
    assert plugin.describe_config()["api_key"] == "••••••"
    assert "s3cr3t" not in str(plugin.describe_config())


def test_an_identifier_is_registered_once_and_unknown_ones_are_reported(notifiers):
    with pytest.raises(ValueError):
        notifiers.register("outbox")(type("Again", (BasePlugin,), {}))
    with pytest.raises(ValidationError):
        notifiers.build("sms")
    with pytest.raises(KeyError):
        notifiers["sms"]
