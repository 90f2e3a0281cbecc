"""`motcua workdays YEAR` lists the year's days off and swapped working days, with their names."""

from django.core.management.base import BaseCommand, CommandError

from motcua.workdays import core
from motcua.workdays.services import get_calendar, parse_year


class Command(BaseCommand):
    help = "Liệt kê các ngày nghỉ lễ, Tết, ngày nghỉ bù và ngày làm việc bù của một năm."

    def add_arguments(self, parser):
        parser.add_argument("year", help="Năm, ví dụ 2026.")
        parser.add_argument("--province", default=None, help="Mã tỉnh (áp dụng điều chỉnh riêng của tỉnh).")

    def handle(self, *args, **options):
        try:
            calendar = get_calendar(options["province"])
            year = parse_year(options["year"], calendar)
            days = calendar.exceptions(year)
        except core.WorkdaysError as error:
            raise CommandError(error.message) from error
        scope = f"tỉnh mã {options['province']}" if options["province"] else "toàn quốc"
        self.stdout.write(f"Ngày nghỉ và ngày làm việc bù năm {year} ({scope})")
        for day in days:
            source = " [điều chỉnh của quản trị]" if day.source == "admin" else ""
            reference = f" — {day.legal_reference}" if day.legal_reference else ""
            self.stdout.write(
                f"{day.date:%d/%m/%Y}  {day.weekday_name:<9} {day.kind_label:<32} {day.name}{reference}{source}"
            )
        off = sum(1 for d in days if not d.is_working_day)
        worked = len(days) - off
        self.stdout.write(f"Tổng cộng: {off} ngày nghỉ, {worked} ngày làm việc bù.")
