import datetime

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from motcua.national_portal.backfill import backfill


def _date(value: str) -> datetime.date:
    try:
        return datetime.datetime.strptime(value.strip(), "%d/%m/%Y").date()
    except ValueError:
        raise CommandError(
            _("Ngày “%(value)s” không hợp lệ; nhập theo dạng dd/mm/yyyy.") % {"value": value}
        ) from None


class Command(BaseCommand):
    help = (
        "Đồng bộ bù lên Cổng DVCQG: đưa vào hàng đợi các hồ sơ (và từng bước xử lý) chưa có bản tin, ví dụ khi "
        "kết nối được bật sau, hoặc lịch sử nhập hàng loạt. Chạy lại không gửi trùng."
    )

    def add_arguments(self, parser):
        parser.add_argument("--since", required=True, help="Hồ sơ tiếp nhận từ ngày (dd/mm/yyyy).")
        parser.add_argument("--until", help="Đến ngày (dd/mm/yyyy, mặc định: hôm nay).")
        parser.add_argument("--dry-run", action="store_true", help="Chỉ đếm, không ghi hàng đợi.")
        parser.add_argument("--batch-size", type=int, default=500, help="Số hồ sơ mỗi lô (mặc định 500).")

    def handle(self, *args, since, until, dry_run, batch_size, **options):
        if batch_size < 1:
            raise CommandError(_("Số hồ sơ mỗi lô phải lớn hơn 0."))
        verbosity = options.get("verbosity", 1)

        def progress(done, total):
            if verbosity > 1:
                self.stdout.write(f"{done}/{total}")

        try:
            report = backfill(
                _date(since),
                _date(until) if until else None,
                dry_run=dry_run,
                batch_size=batch_size,
                progress=progress,
            )
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from error
        message = _(
            "%(dossiers)d hồ sơ trong kỳ; %(messages)d bản tin mới cho %(enqueued)d hồ sơ "
            "(%(queued)d bước đã có trong hàng đợi)."
        ) % {
            "dossiers": report.dossiers,
            "messages": report.messages,
            "enqueued": report.dossiers_enqueued,
            "queued": report.already_queued,
        }
        if dry_run:
            message += " " + _("Chạy thử: chưa ghi gì.")
        self.stdout.write(message)
