"""Production checks of the National Public Service Portal connector (see motcua.safety): no published secret."""

from django.conf import settings
from django.core import checks

from motcua import safety

from . import conf

SECRET_KEYS = ("password", "inbound_secret")


@safety.register
def portal_secrets_are_real(app_configs=None, **kwargs):
    if safety.demo_allowed():
        return []
    errors = []
    config = conf.raw_config()
    for key in SECRET_KEYS:
        if safety.is_demo_secret(config.get(key)):
            errors.append(
                checks.Error(
                    f"{conf.env_name(key)} is a demo value published with the source (the portal simulator's).",
                    hint="Use the credentials issued by the National Public Service Portal.",
                    id="motcua.E020",
                )
            )
    for name, provider in (getattr(settings, "MOTCUA_LOGIN_PROVIDERS", None) or {}).items():
        if isinstance(provider, dict) and safety.is_demo_secret(provider.get("client_secret")):
            errors.append(
                checks.Error(
                    f"The client secret of the login provider {name!r} is a demo value published with the source.",
                    hint="Use the client secret issued by the identity server.",
                    id="motcua.E021",
                )
            )
    return errors
