from django.core.management.base import BaseCommand

from motcua.monitoring import reminders


class Command(BaseCommand):
    help = (
        "Gửi bản tin đôn đốc hằng ngày (hồ sơ sắp đến hạn, đến hạn, quá hạn) cho người xử lý, lãnh đạo và giám đốc "
        "theo lịch chuyển cấp; chạy nhiều lần trong ngày không gửi trùng."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force", action="store_true", help="Gửi cả vào ngày nghỉ (mặc định chỉ gửi vào ngày làm việc)."
        )

    def handle(self, *args, force=False, **options):
        result = reminders.send_scheduled(force=force)
        if not result.working_day:
            self.stdout.write("Hôm nay không phải ngày làm việc: không gửi đôn đốc.")
            return
        self.stdout.write(
            f"Đã gửi {result.digests} bản tin ({result.reminders} lượt đôn đốc, {result.emails} thư điện tử); "
            f"{result.skipped_people} người đã nhận bản tin hôm nay."
        )
