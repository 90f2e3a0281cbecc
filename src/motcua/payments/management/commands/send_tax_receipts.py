from django.core.management.base import BaseCommand

from motcua.payments import transmission


class Command(BaseCommand):
    help = "Gửi các biên lai điện tử đến hạn tới cơ quan thuế (MOTCUA_TAX_RECEIPTS), có thử lại khi lỗi."

    def handle(self, *args, **options):
        report = transmission.deliver_pending()
        self.stdout.write(
            f"tiếp nhận {report.accepted}, từ chối {report.refused}, thử lại sau {report.retried}, "
            f"không thành công {report.failed}"
        )
