"""Production checks of the notification channels (see motcua.safety): no sandbox, no published token."""

from django.core import checks

from motcua import safety

from . import notifiers


@safety.register
def notification_channels_are_real(app_configs=None, **kwargs):
    if safety.demo_allowed():
        return []
    errors = []
    for channel, config in notifiers.configured_channels().items():
        config = config or {}
        if notifiers.is_sandbox(config):
            errors.append(
                checks.Error(
                    f"The notification channel {channel!r} is a sandbox ({config.get('plugin')}): its messages "
                    "only go to a file and never reach the citizen.",
                    hint="Configure a real gateway (e.g. the http_gateway plugin) in MOTCUA_NOTIFIERS, remove the "
                    "channel, or turn on DEBUG / MOTCUA_DEMO_MODE on a demo server.",
                    id="motcua.E050",
                )
            )
        if safety.is_demo_secret(config.get("token")):
            errors.append(
                checks.Error(
                    f"The token of the notification channel {channel!r} is a demo value published with the "
                    "source.",
                    hint="Use the token issued by the SMS / Zalo gateway.",
                    id="motcua.E051",
                )
            )
    return errors
