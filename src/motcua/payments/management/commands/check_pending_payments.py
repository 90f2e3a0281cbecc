from django.core.management.base import BaseCommand

from motcua.payments.online import check_pending_payments


class Command(BaseCommand):
    help = "Tra vấn cổng thanh toán về các giao dịch chưa có kết quả (chạy định kỳ, ví dụ 30 phút một lần)."

    def handle(self, *args, **options):
        counts = check_pending_payments()
        total = sum(counts.values())
        summary = ", ".join(f"{status}: {n}" for status, n in sorted(counts.items())) or "-"
        self.stdout.write(f"Đã tra vấn {total} giao dịch ({summary}).")
