"""Safe by default: what only a demo or a developer's machine may use, and the checks that keep it out of
production.

Sandboxes (the payment sandbox gateway), simulators and demo secrets work only when `demo_allowed()`: DEBUG is on,
or the deployment names it explicitly with MOTCUA_DEMO_MODE (a public demo or a test server). Everywhere else the
process is in *production mode*, and the system checks registered here (tag ``motcua``, also ``security``) refuse
to go on with a demo secret, the sandbox gateway, a demo signing certificate or a signing passphrase derived from
SECRET_KEY. They run with `motcua check` (and `check --deploy`), before `migrate`, at `runserver`, and when the
WSGI application is loaded (`motcua.wsgi`), so a production server does not start with any of them.
"""

from django.conf import settings
from django.core import checks

# The tag of motcua's own production checks (run by motcua.wsgi at start).
TAG = "motcua"

# Values shipped in the source, the Makefile or the documentation for the demo and the tests. Anyone can read
# them, so none may protect a production system.
DEMO_SECRETS = frozenset(
    {
        "sandbox-secret-not-for-production",
        "sandbox-access-token",
        "demo-only-inbound-key",
        "simulator-password",
        "simulator-client-secret",
        "dev-only-insecure-key-do-not-use-in-production",
        "test-only-not-secret",
    }
)


def demo_allowed() -> bool:
    """May sandboxes, simulators and demo secrets be used? Only with DEBUG or MOTCUA_DEMO_MODE."""
    return bool(settings.DEBUG or getattr(settings, "MOTCUA_DEMO_MODE", False))


def is_demo_secret(value) -> bool:
    return isinstance(value, str) and value.strip() in DEMO_SECRETS


def register(check):
    """Register `check` as one of motcua's production checks (run always, not only with --deploy)."""
    return checks.register(check, TAG, checks.Tags.security)


def run_production_checks() -> list:
    """The serious findings of motcua's production checks (an empty list when the process may start)."""
    return [m for m in checks.run_checks(tags=[TAG]) if m.is_serious()]


@checks.register(checks.Tags.security, deploy=True)
def demo_mode_is_on(app_configs=None, **kwargs):
    if getattr(settings, "MOTCUA_DEMO_MODE", False) and not settings.DEBUG:
        return [
            checks.Warning(
                "MOTCUA_DEMO_MODE is on: sandboxes, simulators and demo secrets are accepted.",
                hint="Unset MOTCUA_DEMO_MODE on a production server.",
                id="motcua.W001",
            )
        ]
    return []


@register
def secret_key_is_not_a_demo_value(app_configs=None, **kwargs):
    if demo_allowed() or not is_demo_secret(settings.SECRET_KEY):
        return []
    return [
        checks.Error(
            "SECRET_KEY is a development value published with the source.",
            hint="Set SECRET_KEY to a long random value kept secret by the deployment.",
            id="motcua.E001",
        )
    ]


@register
def client_address_proxies_are_counted(app_configs=None, **kwargs):
    """Behind reverse proxies the throttles read the client's address from the right of the header
    (`motcua.client_address`); a count under 1 would read the entry the client itself wrote."""
    proxies = getattr(settings, "LOOKUP_CLIENT_IP_PROXIES", 1)
    if isinstance(proxies, int) and not isinstance(proxies, bool) and proxies >= 1:
        return []
    return [
        checks.Error(
            f"LOOKUP_CLIENT_IP_PROXIES must be a whole number of at least 1 (it is {proxies!r}).",
            hint="Set it to the number of reverse proxies that append to LOOKUP_CLIENT_IP_HEADER (1 for nginx alone, "
            "2 for a load balancer in front of nginx); without a proxy leave LOOKUP_CLIENT_IP_HEADER empty.",
            id="motcua.E060",
        )
    ]
