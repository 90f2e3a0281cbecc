"""The public address of this system (MOTCUA_PUBLIC_URL): printed in the QR codes and lookup links of slips and
receipts, and sent in notifications, so a citizen's phone must reach it.

Production must set it (the system check below stops `migrate`, `runserver` and `check` without it); `make run`
derives it from its HOST and PORT, and a development server (DEBUG) falls back to http://127.0.0.1:8000.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.core import checks

# Registered under motcua's production-check tag, so that whatever runs those checks at start runs this one too.
CHECK_TAG = "motcua"
LOCAL_HOSTS = {"127.0.0.1", "localhost", "::1", "0.0.0.0"}


def base() -> str:
    return (getattr(settings, "MOTCUA_PUBLIC_URL", "") or "").rstrip("/")


def absolute(path: str) -> str:
    """`path` (from `reverse`, with its query string) as the address a citizen can open."""
    return base() + path


def problem(value: str) -> str | None:
    """Why `value` cannot be the public address, or None."""
    if not value:
        return "MOTCUA_PUBLIC_URL is not set."
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return f"MOTCUA_PUBLIC_URL ({value!r}) is not an absolute http(s) address."
    if parts.query or parts.fragment:
        return f"MOTCUA_PUBLIC_URL ({value!r}) must not carry a query or a fragment."
    return None


def check_public_url(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    value = getattr(settings, "MOTCUA_PUBLIC_URL", "") or ""
    reason = problem(value)
    hint = (
        "Set MOTCUA_PUBLIC_URL to the address citizens open (e.g. https://motcua.example.gov.vn): it is "
        "printed in the QR codes and links of slips and receipts and sent in notifications."
    )
    if reason:
        return [checks.Error(reason, hint=hint, id="motcua.E040")]
    if not settings.DEBUG and urlsplit(value).hostname in LOCAL_HOSTS:
        return [
            checks.Warning(
                f"MOTCUA_PUBLIC_URL ({value!r}) points at this machine: printed QR codes will not open on "
                "a citizen's phone.",
                hint=hint,
                id="motcua.W040",
            )
        ]
    return []
