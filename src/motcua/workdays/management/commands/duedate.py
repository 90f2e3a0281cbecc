"""`motcua duedate --start "YYYY-MM-DD HH:MM" --working-days N` prints the due instant in ISO 8601."""

from django.core.management.base import BaseCommand, CommandError

from motcua.workdays import core
from motcua.workdays.services import get_calendar


class Command(BaseCommand):
    help = "In hạn giải quyết (ISO 8601) của một thời hạn tính từ thời điểm tiếp nhận, theo lịch làm việc."

    def add_arguments(self, parser):
        parser.add_argument("--start", required=True, help='Thời điểm tiếp nhận, dạng "YYYY-MM-DD HH:MM".')
        unit = parser.add_mutually_exclusive_group(required=True)
        unit.add_argument("--working-days", metavar="N", help="Số ngày làm việc.")
        unit.add_argument("--working-hours", metavar="N", help="Số giờ làm việc.")
        unit.add_argument("--calendar-days", metavar="N", help="Số ngày theo lịch.")
        unit.add_argument("--same-day", action="store_true", help="Giải quyết trong ngày (chốt 15:00).")
        parser.add_argument(
            "--skip-holidays", action="store_true", help="Với --calendar-days: không tính các ngày nghỉ lễ."
        )
        parser.add_argument("--province", default=None, help="Mã tỉnh (áp dụng điều chỉnh riêng của tỉnh).")

    def handle(self, *args, **options):
        if options["same_day"]:
            value, unit = 0, core.SAME_DAY
        else:
            unit = next(
                u
                for u in (core.WORKING_DAYS, core.WORKING_HOURS, core.CALENDAR_DAYS)
                if options[u] is not None
            )
            value = options[unit]
        try:
            start = core.parse_datetime(options["start"])
            due = get_calendar(options["province"]).add(
                start, value, unit, skip_holidays=options["skip_holidays"]
            )
        except core.WorkdaysError as error:
            raise CommandError(error.message) from error
        self.stdout.write(due.isoformat())
