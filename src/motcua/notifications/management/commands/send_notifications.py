from django.core.management.base import BaseCommand

from motcua.notifications.services import send_due


class Command(BaseCommand):
    help = "Gửi lại các thông báo chưa gửi được (chạy định kỳ, ví dụ mỗi phút)."

    def handle(self, *args, **options):
        counts = send_due()
        self.stdout.write(
            f"Đã gửi {counts['sent']}, lỗi sẽ gửi lại {counts['failed']}, hết số lần thử {counts['gave_up']}."
        )
