"""The connector's configuration: the one list of its keys, read from NATIONAL_PORTAL_* environment variables.

Every key ``k`` of `KEYS` comes from the variable ``NATIONAL_PORTAL_<K>`` (``url`` from ``NATIONAL_PORTAL_URL``,
``insert_path`` from ``NATIONAL_PORTAL_INSERT_PATH``...). Unset or empty keys keep their defaults: the endpoint
paths and the timeout are defaulted by the transports' schemas (`motcua.integrations.national_portal`), the rest
below. A deployment's settings (or a test) may define ``settings.NATIONAL_PORTAL`` as a dict of the same keys:
it then replaces the variables.

An empty ``url`` means the connector is off: no outbox rows are written and nothing is sent.
Inbound calls (the portal pushing dossiers submitted there, `inbound`) are accepted only when
``inbound_secret`` is set; ``inbound_allowed_ips`` (comma-separated addresses or networks) narrows who may call.
Delivery timing (settings, optional): NATIONAL_PORTAL_RETRY_BASE_SECONDS (first retry delay, doubled on every
failure), NATIONAL_PORTAL_RETRY_MAX_SECONDS (the ceiling), NATIONAL_PORTAL_MAX_ATTEMPTS (then the row is listed
as failed), NATIONAL_PORTAL_PUBLIC_URL (absolute base of the file links the portal downloads; default
MOTCUA_PUBLIC_URL).
"""

import os

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
    "agencies_path",
    "questions_path",
    "agency_questions_path",
    "answers_path",
    "faq_path",
    "question_answers_path",
)
INBOUND_KEYS = ("inbound_secret", "inbound_allowed_ips", "inbound_max_skew_seconds")
KEYS = ("url", "transport", "timeout") + DIRECT_KEYS + PROXY_KEYS + INBOUND_KEYS
DEFAULTS = {"transport": "direct", "inbound_max_skew_seconds": "300"}


def env_name(key: str) -> str:
    return f"NATIONAL_PORTAL_{key.upper()}"


def raw_config() -> dict:
    """The keys that have a value: settings.NATIONAL_PORTAL when defined, else the environment."""
    source = getattr(settings, "NATIONAL_PORTAL", None)
    if source is None:
        source = {key: os.environ.get(env_name(key), "") for key in KEYS}
    return {k: v for k, v in source.items() if v not in (None, "")}


def get(key: str) -> str:
    return str(raw_config().get(key, DEFAULTS.get(key, "")))


def is_enabled() -> bool:
    """Whether a portal URL is configured (asked at every dossier event: reads that one key only)."""
    source = getattr(settings, "NATIONAL_PORTAL", None)
    return bool(source.get("url") if source is not None else os.environ.get(env_name("url")))


def transport() -> str:
    return get("transport")


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
