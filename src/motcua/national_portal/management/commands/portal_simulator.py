import contextlib
import os

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from motcua import safety
from motcua.national_portal.simulator import SimulatorServer


class Command(BaseCommand):
    help = "Chạy bản mô phỏng Cổng Dịch vụ công quốc gia trên máy này (cả hai phương thức kết nối)."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=int, default=8766)
        parser.add_argument("--username", default="motcua")
        parser.add_argument("--password", default="simulator-password")
        parser.add_argument("--dstcode", default="SIMULATOR")
        parser.add_argument("--unit-code", default="000.00.99.H06")
        parser.add_argument(
            "--motcua-url",
            default="http://127.0.0.1:8000",
            help="Địa chỉ của motcua mà bản mô phỏng đẩy hồ sơ nộp trên Cổng tới (/simulator/push-dossier).",
        )
        parser.add_argument(
            "--inbound-secret",
            default=os.environ.get("NATIONAL_PORTAL_INBOUND_SECRET", ""),
            help="Khóa ký yêu cầu đẩy hồ sơ (giống NATIONAL_PORTAL_INBOUND_SECRET của motcua).",
        )

    def handle(self, *args, host, port, username, password, dstcode, unit_code, **options):
        if not safety.demo_allowed():
            raise CommandError(
                _(
                    "Chỉ chạy bộ mô phỏng khi bật DEBUG hoặc MOTCUA_DEMO_MODE (máy phát triển, máy trình diễn)."
                )
            )
        server = SimulatorServer(
            host=host,
            port=port,
            username=username,
            password=password,
            dstcode=dstcode,
            unit_code=unit_code,
            motcua_url=options["motcua_url"],
            inbound_secret=options["inbound_secret"],
        )
        self.stdout.write(f"Mô phỏng Cổng DVCQG: http://{host}:{port}/ (Ctrl+C để dừng)")
        with contextlib.suppress(KeyboardInterrupt):
            server.serve_forever()
