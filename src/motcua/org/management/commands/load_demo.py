"""Load the demo center (idempotent): run by `make run`."""

from django.core.management.base import BaseCommand
from django.db import transaction

from motcua.org import demo


class Command(BaseCommand):
    help = "Nạp dữ liệu mẫu của Trung tâm Hành chính công huyện Gia Bình (chạy lại nhiều lần không sao)."

    def handle(self, *args, **options):
        with transaction.atomic():
            logins = demo.load()
        self.stdout.write(self.style.SUCCESS("Đã nạp dữ liệu mẫu. Tài khoản dùng thử:"))
        for username, password, role in logins:
            self.stdout.write(f"  {username:<14} {password:<18} {role}")
