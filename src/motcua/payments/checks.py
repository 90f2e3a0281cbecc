"""Production checks of the payment gateways (see motcua.safety): no sandbox, no published secret."""

from django.core import checks

from motcua import safety

from . import conf

SECRET_KEYS = ("secret_key", "access_token")


@safety.register
def payment_gateways_are_real(app_configs=None, **kwargs):
    if safety.demo_allowed():
        return []
    errors = []
    for name, config in conf.configured_gateways().items():
        if conf.plugin_name(name, config) == conf.SANDBOX_PLUGIN:
            errors.append(
                checks.Error(
                    f"The payment gateway {name!r} is the sandbox: anyone can sign its callbacks.",
                    hint="Configure the national payment platform in MOTCUA_PAYMENT_GATEWAYS, or turn on "
                    "DEBUG / MOTCUA_DEMO_MODE on a demo server.",
                    id="motcua.E010",
                )
            )
        for key in SECRET_KEYS:
            if safety.is_demo_secret(config.get(key)):
                errors.append(
                    checks.Error(
                        f"The {key} of the payment gateway {name!r} is a demo value published with the source.",
                        hint="Use the secret issued by the payment platform.",
                        id="motcua.E011",
                    )
                )
    return errors


@safety.register
def tax_receipt_transmission_is_real(app_configs=None, **kwargs):
    from django.conf import settings

    if safety.demo_allowed():
        return []
    config = getattr(settings, "MOTCUA_TAX_RECEIPTS", None) or {}
    errors = []
    if config.get("plugin") == "sandbox":
        errors.append(
            checks.Error(
                "E-receipts are sent to the tax authority's sandbox.",
                hint="Configure the tax authority's (or the e-receipt provider's) service in MOTCUA_TAX_RECEIPTS, "
                "or turn on DEBUG / MOTCUA_DEMO_MODE on a demo server.",
                id="motcua.E012",
            )
        )
    if safety.is_demo_secret(config.get("access_token")):
        errors.append(
            checks.Error(
                "The access_token of MOTCUA_TAX_RECEIPTS is a demo value published with the source.",
                hint="Use the token issued by the e-receipt service.",
                id="motcua.E013",
            )
        )
    return errors
