"""The connector's configuration, from settings.NATIONAL_PORTAL (filled from NATIONAL_PORTAL_* variables).

An empty ``url`` means the connector is off: no outbox rows are written and nothing is sent.
Delivery timing (settings, optional): NATIONAL_PORTAL_RETRY_BASE_SECONDS (first retry delay, doubled on every
failure), NATIONAL_PORTAL_RETRY_MAX_SECONDS (the ceiling), NATIONAL_PORTAL_MAX_ATTEMPTS (then the row is listed
as failed), NATIONAL_PORTAL_PUBLIC_URL (absolute base of the file links the portal downloads; default
MOTCUA_PUBLIC_URL).
"""

from django.conf import settings

from motcua.integrations.national_portal import PortalConnector, portal_connectors

DIRECT_KEYS = ("username", "password", "unit_code", "dstcode", "auth_path", "integration_path", "share_path")
PROXY_KEYS = (
    "insert_path",
    "update_path",
    "progress_path",
    "lookup_path",
    "procedure_path",
    "procedure_list_path",
    "fields_path",
    "questions_path",
    "answers_path",
)


def raw_config() -> dict:
    return {
        k: v for k, v in (getattr(settings, "NATIONAL_PORTAL", None) or {}).items() if v not in (None, "")
    }


def is_enabled() -> bool:
    return bool(raw_config().get("url"))


def transport() -> str:
    return raw_config().get("transport") or "direct"


def get_connector() -> PortalConnector:
    """The configured connector; raises ValidationError (Vietnamese, per key) when the configuration is wrong."""
    config = raw_config()
    name = transport()
    allowed = ("url", "timeout") + (DIRECT_KEYS if name == "direct" else PROXY_KEYS)
    return portal_connectors.build(name, {k: v for k, v in config.items() if k in allowed})


def retry_base() -> float:
    return float(getattr(settings, "NATIONAL_PORTAL_RETRY_BASE_SECONDS", 5))


def retry_max() -> float:
    return float(getattr(settings, "NATIONAL_PORTAL_RETRY_MAX_SECONDS", 300))


def max_attempts() -> int:
    return int(getattr(settings, "NATIONAL_PORTAL_MAX_ATTEMPTS", 50))


def public_url() -> str:
    base = getattr(settings, "NATIONAL_PORTAL_PUBLIC_URL", "") or settings.MOTCUA_PUBLIC_URL
    return base.rstrip("/")
