"""Notifier plugins: e-mail through Django's mail backend, SMS and Zalo through configured gateways.

    notifiers: Registry[Notifier]   # in motcua.integrations' typed registry

Each channel is configured in settings (`MOTCUA_NOTIFIERS`, a dict channel -> {"plugin": name, ...config}).
The sandbox plugins really run: they append each message as one JSON line to a file outbox that staff read on
the outbox page; the HTTP plugin posts to a real SMS / Zalo gateway. A plugin raises `SendError` when the message
was not accepted, and the notification is then retried.

The sandboxes are a demo (see motcua.safety): without `MOTCUA_NOTIFIERS` the SMS and Zalo channels are the
sandboxes only where demo use is allowed (DEBUG or MOTCUA_DEMO_MODE); in production only e-mail is on. A channel
configured with a sandbox plugin is switched off in production (`active()`), and the production checks
(`checks`) refuse to start with it.
"""

import contextlib
import http.client
import json
import urllib.error
import urllib.request
import uuid
from pathlib import Path

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from motcua.integrations import keepalive
from motcua.integrations.registry import BasePlugin, Registry, Setting


class SendError(Exception):
    """The message was not accepted; the text says why (kept on the notification)."""


class Notifier(BasePlugin):
    def send(self, recipient: str, subject: str, body: str) -> str:
        """Send one message; return the provider's reference. Raise SendError on failure."""
        raise SendError("abstract notifier")

    def close(self) -> None:
        """Release what the notifier kept open between the sends of one batch (a mail server connection)."""


notifiers: Registry[Notifier] = Registry("kênh gửi thông báo")


def default_outbox_dir() -> str:
    configured_dir = getattr(settings, "MOTCUA_OUTBOX_DIR", "")
    if configured_dir:
        return str(configured_dir)
    return str(Path(getattr(settings, "DATA_DIR", Path.cwd() / "var")) / "outbox")


@notifiers.register("email")
class EmailNotifier(Notifier):
    verbose_name = _("Thư điện tử (máy chủ SMTP của Django)")
    config_schema = {"from_email": Setting(required=False)}

    _connection = None

    def send(self, recipient, subject, body):
        try:
            if self._connection is None:  # one connection to the mail server for a batch of messages
                self._connection = get_connection()
                self._connection.open()
            message = EmailMessage(
                subject=subject,
                body=body,
                from_email=self.config.get("from_email") or settings.DEFAULT_FROM_EMAIL,
                to=[recipient],
                connection=self._connection,
            )
            sent = message.send(fail_silently=False)
        except Exception as exc:  # SMTP errors, refused connections, timeouts
            self.close()  # a connection that failed is not used again
            raise SendError(f"{type(exc).__name__}: {exc}") from exc
        if not sent:
            raise SendError("mail backend accepted no message")
        return message.extra_headers.get("Message-ID", "") or f"email-{uuid.uuid4().hex[:12]}"

    def close(self):
        connection, self._connection = self._connection, None
        if connection is not None:
            # the messages are sent; a connection that closes badly changes nothing
            with contextlib.suppress(Exception):
                connection.close()


class FileOutboxNotifier(Notifier):
    """Sandbox: append the message to `<outbox_dir>/<channel>.jsonl`, as a real gateway would receive it."""

    channel = ""
    config_schema = {"outbox_dir": Setting(required=False)}

    def path(self) -> Path:
        return Path(self.config.get("outbox_dir") or default_outbox_dir()) / f"{self.channel}.jsonl"

    def send(self, recipient, subject, body):
        reference = f"{self.channel}-{uuid.uuid4().hex[:12]}"
        line = json.dumps(
            {
                "reference": reference,
                "at": timezone.localtime().isoformat(),
                "to": recipient,
                "text": body,
            },
            ensure_ascii=False,
        )
        try:
            path = self.path()
            path.parent.mkdir(parents=True, exist_ok=True)
            with path.open("a", encoding="utf-8") as handle:
                handle.write(line + "\n")
        except OSError as exc:
            raise SendError(f"outbox not writable: {exc}") from exc
        return reference

    def read(self, limit: int = 100) -> list[dict]:
        """The latest messages of the outbox file, newest first."""
        try:
            lines = self.path().read_text(encoding="utf-8").splitlines()
        except FileNotFoundError:
            return []
        rows = []
        for line in reversed(lines[-limit:]):
            try:
                rows.append(json.loads(line))
            except ValueError:
                continue
        return rows


@notifiers.register("sms_sandbox")
class SmsSandboxNotifier(FileOutboxNotifier):
    verbose_name = _("SMS thử nghiệm (hộp thư đi dạng tệp)")
    channel = "sms"


@notifiers.register("zalo_sandbox")
class ZaloSandboxNotifier(FileOutboxNotifier):
    verbose_name = _("Zalo thử nghiệm (hộp thư đi dạng tệp)")
    channel = "zalo"


@notifiers.register("http_gateway")
class HttpGatewayNotifier(Notifier):
    """A real SMS / Zalo OA gateway that takes {"to", "text"} as JSON with a bearer token and answers 2xx."""

    verbose_name = _("Cổng gửi tin qua HTTP (SMS brandname, Zalo OA)")
    config_schema = {
        "url": Setting(kind="url"),
        "token": Setting(kind="secret", required=False),
        "timeout": Setting(kind="float", default=10.0, min_value=1),
    }

    def send(self, recipient, subject, body):
        """One message; a batch of the worker reuses its thread's connection to the gateway (`keepalive`) unless
        an outbound proxy applies. Any failure raises SendError (the row is tried again later)."""
        url = self.config["url"]
        data = json.dumps({"to": recipient, "text": body}, ensure_ascii=False).encode()
        headers = {"Content-Type": "application/json"}
        if self.config.get("token"):
            headers["Authorization"] = f"Bearer {self.config['token']}"
        if keepalive.reusable(url):
            try:
                status, payload = keepalive.post(url, data, headers, self.config["timeout"])
            except (OSError, http.client.HTTPException) as exc:
                raise SendError(f"gateway unreachable: {exc}") from exc
            if status >= 300:
                raise SendError(f"gateway answered HTTP {status}: {payload[:200]!r}")
            payload = payload[:4096]
        else:
            request = urllib.request.Request(url, data=data, headers=headers, method="POST")
            try:
                with urllib.request.urlopen(request, timeout=self.config["timeout"]) as response:  # noqa: S310
                    payload = response.read(4096)
            except (urllib.error.URLError, OSError) as exc:
                raise SendError(f"gateway unreachable: {exc}") from exc
        try:
            return str(json.loads(payload or b"{}").get("id", ""))[:200]
        except ValueError:
            return ""


# Plugins that only simulate a channel: a demo, never a production channel.
SANDBOX_PLUGINS = frozenset({"sms_sandbox", "zalo_sandbox"})

# Demo (DEBUG or MOTCUA_DEMO_MODE) without MOTCUA_NOTIFIERS: e-mail, and SMS and Zalo into file outboxes.
DEFAULT_NOTIFIERS = {
    "email": {"plugin": "email"},
    "sms": {"plugin": "sms_sandbox"},
    "zalo": {"plugin": "zalo_sandbox"},
}
# Production without MOTCUA_NOTIFIERS: e-mail only (SMS and Zalo need a real gateway configured).
PRODUCTION_NOTIFIERS = {"email": {"plugin": "email"}}


def is_sandbox(config: dict | None) -> bool:
    return bool(config) and config.get("plugin") in SANDBOX_PLUGINS


def configured_channels() -> dict:
    """The channels as configured (the sandboxes by default only where demo use is allowed)."""
    from motcua import safety

    configured_value = getattr(settings, "MOTCUA_NOTIFIERS", None)
    if configured_value:
        return configured_value
    return DEFAULT_NOTIFIERS if safety.demo_allowed() else PRODUCTION_NOTIFIERS


def configured() -> dict:
    """The channels in use: the configured ones, without the sandboxes where demo use is not allowed."""
    from motcua import safety

    channels = configured_channels()
    if safety.demo_allowed():
        return channels
    return {channel: config for channel, config in channels.items() if config and not is_sandbox(config)}


def notifier_for(channel: str) -> Notifier | None:
    """The configured notifier of a channel, or None when the channel is switched off (not configured, or a
    sandbox in production)."""
    config = dict(configured().get(channel) or {})
    if not config:
        return None
    plugin = config.pop("plugin")
    return notifiers.build(plugin, config)
