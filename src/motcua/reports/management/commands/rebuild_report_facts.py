"""Recompute the statistics facts of every dossier from the event history (derived data; safe any time)."""

import time

from django.core.management.base import BaseCommand

from motcua.reports import facts


class Command(BaseCommand):
    help = "Tính lại dữ liệu thống kê của mọi hồ sơ từ lịch sử xử lý."

    def handle(self, *args, **options):
        started = time.perf_counter()
        count = facts.rebuild_all()
        self.stdout.write(
            self.style.SUCCESS(f"Đã tính lại {count} hồ sơ trong {time.perf_counter() - started:.1f} giây.")
        )
