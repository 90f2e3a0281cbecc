"""A typed plugin registry filled by a decorator; every plugin validates its own configuration.

    payment_gateways: Registry[PaymentGateway] = Registry("cổng thanh toán")

    @payment_gateways.register("sandbox")
    class SandboxGateway(PaymentGateway):
        verbose_name = _("Cổng thanh toán thử nghiệm")
        config_schema = {"base_url": Setting(kind="url", default="http://127.0.0.1:8765")}

    gateway = payment_gateways.build("sandbox", {"base_url": "..."})   # validated, ready to use

A configuration is a plain dict (from settings or the database). `Setting` declares each key; a plugin adds
cross-field rules in `clean_config()`. Errors are `ValidationError`s keyed by setting name, in Vietnamese.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any, ClassVar, Generic, TypeVar

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.utils.translation import gettext as _


@dataclass(frozen=True)
class Setting:
    """One configuration key of a plugin."""

    kind: str = "str"  # "str" | "secret" | "url" | "int" | "float" | "bool"
    required: bool = True
    default: Any = None
    min_value: float | None = None

    def clean(self, name: str, value: Any) -> Any:
        if value is None or value == "":
            if self.default is not None:
                return self.default
            if self.required:
                raise ValidationError(
                    _("Thiếu cấu hình bắt buộc “%(name)s”.") % {"name": name}, code="required"
                )
            return value
        if self.kind in ("str", "secret", "url"):
            if not isinstance(value, str):
                raise ValidationError(_("Cấu hình “%(name)s” phải là chuỗi ký tự.") % {"name": name})
            value = value.strip()
            if self.kind == "url":
                try:
                    URLValidator(schemes=["http", "https"])(value)
                except ValidationError:
                    raise ValidationError(
                        _("Cấu hình “%(name)s” phải là địa chỉ http(s) hợp lệ.") % {"name": name}
                    ) from None
            return value
        if self.kind in ("int", "float"):
            try:
                number = int(value) if self.kind == "int" else float(value)
            except (TypeError, ValueError):
                raise ValidationError(_("Cấu hình “%(name)s” phải là một số.") % {"name": name}) from None
            if self.min_value is not None and number < self.min_value:
                raise ValidationError(
                    _("Cấu hình “%(name)s” phải từ %(min)s trở lên.") % {"name": name, "min": self.min_value}
                )
            return number
        if self.kind == "bool":
            if isinstance(value, bool):
                return value
            if str(value).lower() in ("1", "true", "yes", "on"):
                return True
            if str(value).lower() in ("0", "false", "no", "off"):
                return False
            raise ValidationError(_("Cấu hình “%(name)s” phải là đúng/sai.") % {"name": name})
        raise ValueError(f"unknown setting kind {self.kind!r}")


class BasePlugin:
    """A plugin: an identifier (set by the registry), a name people read, and its configuration."""

    identifier: ClassVar[str] = ""
    verbose_name: ClassVar[str] = ""
    config_schema: ClassVar[dict[str, Setting]] = {}

    def __init__(self, config: dict | None = None):
        self.config = self.validate_config(config or {})

    @classmethod
    def validate_config(cls, config: dict) -> dict:
        """Check a configuration dict against `config_schema` and `clean_config()`; return the cleaned dict."""
        if not isinstance(config, dict):
            raise ValidationError(_("Cấu hình phải là một bảng khóa – giá trị."))
        unknown = sorted(set(config) - set(cls.config_schema) - {"plugin"})
        errors: dict[str, list] = {}
        for name in unknown:
            errors[name] = [_("Khóa cấu hình “%(name)s” không được hỗ trợ.") % {"name": name}]
        cleaned = {}
        for name, setting in cls.config_schema.items():
            try:
                cleaned[name] = setting.clean(name, config.get(name))
            except ValidationError as error:
                errors[name] = error.messages
        if errors:
            raise ValidationError(errors)
        return cls.clean_config(cleaned)

    @classmethod
    def clean_config(cls, config: dict) -> dict:
        """Cross-field rules of a plugin's configuration; override and raise ValidationError."""
        return config

    def describe_config(self) -> dict:
        """The configuration with secrets masked, for screens and logs."""
        return {
            name: (
                "••••••"
                if name in self.config_schema and self.config_schema[name].kind == "secret" and value
                else value
            )
            for name, value in self.config.items()
        }


P = TypeVar("P", bound=BasePlugin)


class Registry(Generic[P]):
    """Plugins of one kind, by identifier."""

    def __init__(self, kind: str = ""):
        self.kind = kind
        self._plugins: dict[str, type[P]] = {}

    def register(self, identifier: str) -> Callable[[type[P]], type[P]]:
        def decorator(plugin_class: type[P]) -> type[P]:
            if identifier in self._plugins:
                raise ValueError(f"plugin {identifier!r} is already registered")
            if not identifier or not identifier.replace("_", "").isalnum():
                raise ValueError(f"plugin identifier {identifier!r} must be a simple name")
            plugin_class.identifier = identifier
            self._plugins[identifier] = plugin_class
            return plugin_class

        return decorator

    __call__ = register

    def __getitem__(self, identifier: str) -> type[P]:
        try:
            return self._plugins[identifier]
        except KeyError:
            raise KeyError(f"no {self.kind or 'plugin'} named {identifier!r}") from None

    def __contains__(self, identifier: object) -> bool:
        return identifier in self._plugins

    def __iter__(self) -> Iterator[type[P]]:
        return iter(self._plugins.values())

    def __len__(self) -> int:
        return len(self._plugins)

    def get_choices(self) -> list[tuple[str, str]]:
        return [(key, str(plugin.verbose_name or key)) for key, plugin in self._plugins.items()]

    def build(self, identifier: str, config: dict | None = None) -> P:
        """A configured instance of a plugin; raises ValidationError when the configuration is wrong."""
        if identifier not in self._plugins:
            raise ValidationError(
                _("Không có %(kind)s “%(name)s”.")
                % {"kind": self.kind or _("thành phần"), "name": identifier}
            )
        return self._plugins[identifier](config)

    def unregister(self, identifier: str) -> None:
        """Remove a plugin (used by tests that register throw-away plugins)."""
        self._plugins.pop(identifier, None)
