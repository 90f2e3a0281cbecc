import contextlib

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from motcua import safety
from motcua.integrations.payment.sandbox_server import SandboxServer
from motcua.payments import conf


class Command(BaseCommand):
    help = "Chạy cổng thanh toán thử nghiệm (mô phỏng nền tảng thanh toán quốc gia) trên máy này."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8765)

    def handle(self, *args, host, port, **options):
        if not safety.demo_allowed():
            raise CommandError(
                _(
                    "Chỉ chạy bộ mô phỏng khi bật DEBUG hoặc MOTCUA_DEMO_MODE (máy phát triển, máy trình diễn)."
                )
            )
        config = conf.get_gateway("sandbox").config if "sandbox" in conf.gateway_configs() else {}
        server = SandboxServer(
            host=host,
            port=port,
            **{k: config[k] for k in ("partner_code", "secret_key", "access_token") if k in config},
        )
        self.stdout.write(f"Cổng thanh toán thử nghiệm: http://{host}:{port}/ (Ctrl+C để dừng)")
        with contextlib.suppress(KeyboardInterrupt):
            server.serve_forever()
