"""Which payment gateways motcua uses, and the time rules of online payments.

Settings (all optional):
- MOTCUA_PAYMENT_GATEWAYS: {name: {"plugin": <registered plugin>, ...its configuration}}. Default: none in
  production; with DEBUG or MOTCUA_DEMO_MODE (see motcua.safety) one gateway "sandbox" talking to the local
  sandbox platform at MOTCUA_PAYMENT_SANDBOX_URL (env, default http://127.0.0.1:8765, started by
  `motcua run_payment_sandbox`).
- MOTCUA_PAYMENT_GATEWAY: the name used for new payments (default "sandbox").

The sandbox gateway (plugin "sandbox") and its published secret are a demo: a gateway using that plugin is left
out of `gateway_configs()` (so its callback answers 404 and no payment goes through it) unless demo use is
allowed, and the production checks (`checks`) refuse to start with it or with a demo secret.
"""

import os
from datetime import timedelta

from django.conf import settings

from motcua import safety
from motcua.integrations.payment import PaymentGateway, payment_gateways

# A callback whose transaction time is older than this is a replay, not a late delivery.
CALLBACK_MAX_AGE = timedelta(days=3)
# Tolerated clock difference between the gateway and us.
CLOCK_SKEW = timedelta(minutes=5)
# A payment with no final state after this long is given up as expired (after one last QUERY).
PENDING_EXPIRY = timedelta(days=3)
# First QUERY of a payment without a callback, then doubling up to the ceiling.
FIRST_CHECK_AFTER = timedelta(minutes=30)
MAX_CHECK_INTERVAL = timedelta(hours=6)


SANDBOX_PLUGIN = "sandbox"


def plugin_name(name: str, config: dict) -> str:
    return config.get("plugin", name)


def configured_gateways() -> dict[str, dict]:
    """The gateways as configured (the sandbox by default only where demo use is allowed)."""
    configured = getattr(settings, "MOTCUA_PAYMENT_GATEWAYS", None)
    if configured:
        return configured
    if not safety.demo_allowed():
        return {}
    return {
        "sandbox": {
            "plugin": SANDBOX_PLUGIN,
            "base_url": os.environ.get("MOTCUA_PAYMENT_SANDBOX_URL", "http://127.0.0.1:8765"),
        }
    }


def gateway_configs() -> dict[str, dict]:
    """The gateways in use: the configured ones, without the sandbox where demo use is not allowed."""
    gateways = configured_gateways()
    if safety.demo_allowed():
        return gateways
    return {n: c for n, c in gateways.items() if plugin_name(n, c) != SANDBOX_PLUGIN}


def default_gateway_name() -> str:
    return getattr(settings, "MOTCUA_PAYMENT_GATEWAY", "sandbox")


def get_gateway(name: str | None = None) -> PaymentGateway:
    """The configured gateway `name`; raises KeyError for an unknown name, ValidationError for a bad config."""
    name = name or default_gateway_name()
    config = gateway_configs()[name]
    return payment_gateways.build(plugin_name(name, config), config)
