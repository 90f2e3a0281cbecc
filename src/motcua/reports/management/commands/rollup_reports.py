"""Roll the finished days up into the daily statistics rollup (let a scheduler run it every night)."""

import datetime
import time

from django.core.management.base import BaseCommand, CommandError

from motcua.reports import rollup


class Command(BaseCommand):
    help = (
        "Cộng dồn số liệu thống kê theo ngày cho các ngày đã kết thúc (đến hết hôm qua). "
        "Chạy hằng đêm; chạy lại không làm sai số liệu."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--rebuild", action="store_true", help="Tính lại toàn bộ số liệu theo ngày từ ngày đầu tiên."
        )
        parser.add_argument("--through", help="Cộng dồn đến hết ngày này (YYYY-MM-DD); mặc định là hôm qua.")
        parser.add_argument(
            "--forget",
            action="store_true",
            help="Xóa số liệu theo ngày: báo cáo đọc trực tiếp dữ liệu hồ sơ.",
        )

    def handle(self, *args, **options):
        if options["forget"]:
            rollup.forget()
            self.stdout.write(self.style.SUCCESS("Đã xóa số liệu thống kê theo ngày."))
            return
        through = None
        if options["through"]:
            try:
                through = datetime.date.fromisoformat(options["through"])
            except ValueError:
                raise CommandError("Ngày không hợp lệ (định dạng YYYY-MM-DD).") from None
        started = time.perf_counter()
        written, last = rollup.roll_up(through, rebuild=options["rebuild"])
        last_text = last.strftime("%d/%m/%Y") if last else "—"
        self.stdout.write(
            self.style.SUCCESS(
                f"Đã cộng dồn đến hết ngày {last_text}: {written} dòng trong {time.perf_counter() - started:.1f} giây."
            )
        )
