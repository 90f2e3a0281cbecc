import contextlib

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from motcua import safety
from motcua.payments.tax_sandbox import TaxSandboxServer


class Command(BaseCommand):
    help = "Chạy dịch vụ tiếp nhận biên lai điện tử thử nghiệm (mô phỏng cơ quan thuế) trên máy này."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8767)

    def handle(self, *args, host, port, **options):
        if not safety.demo_allowed():
            raise CommandError(
                _(
                    "Chỉ chạy bộ mô phỏng khi bật DEBUG hoặc MOTCUA_DEMO_MODE (máy phát triển, máy trình diễn)."
                )
            )
        server = TaxSandboxServer(host=host, port=port)
        self.stdout.write(f"Cơ quan thuế thử nghiệm: http://{host}:{port}/ (Ctrl+C để dừng)")
        with contextlib.suppress(KeyboardInterrupt):
            server.serve_forever()
