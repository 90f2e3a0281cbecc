"""Load the demo center (idempotent): run by `make run`.

Calls `load()` of every installed app's `demo` module in INSTALLED_APPS order (see `motcua.org.demo`).
"""

import importlib
import importlib.util

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction

from motcua.audit.context import audit_context


def demo_loaders():
    """(app label, load function) for every installed app that ships a `demo` module, in dependency order."""
    loaders = []
    for config in apps.get_app_configs():
        name = f"{config.name}.demo"
        if importlib.util.find_spec(name) is None:
            continue
        module = importlib.import_module(name)
        if callable(getattr(module, "load", None)):
            loaders.append((config.label, module.load))
    return loaders


class Command(BaseCommand):
    help = "Nạp dữ liệu mẫu của Trung tâm Hành chính công huyện Gia Bình (chạy lại nhiều lần không sao)."

    def handle(self, *args, **options):
        logins = []
        with transaction.atomic(), audit_context(actor=None, reason="Nạp dữ liệu mẫu"):
            for label, load in demo_loaders():
                logins.extend(load() or [])
                self.stdout.write(f"  - {label}: xong")
        self.stdout.write(
            self.style.SUCCESS("Đã nạp dữ liệu mẫu. Tài khoản dùng thử (tên đăng nhập, mật khẩu, vai trò):")
        )
        for username, password, role in logins:
            self.stdout.write(f"  {username:<15} {password:<18} {role}")
