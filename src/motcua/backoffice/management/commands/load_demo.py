"""Load the demo center (idempotent): run by `make run`.

Calls `load()` of every installed app's `demo` module in INSTALLED_APPS order (see `motcua.org.demo`), then, when
today is on or after 01/07/2025, continues the demo into the two-tier government (`motcua.backoffice.demo_two_tier`):
the district center ends, the 5 new communes of former Gia Bình get their service points and staff, and the
district's open work moves to them.
"""

import importlib
import importlib.util

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from motcua.audit.context import audit_context
from motcua.backoffice import demo_two_tier


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


def two_tier_loader():
    """The continuation after 01/07/2025, when the demo is loaded on or after that day (else None)."""
    if timezone.localdate() < demo_two_tier.EFFECTIVE:
        return None
    return ("two_tier", demo_two_tier.load)


class Command(BaseCommand):
    help = "Nạp dữ liệu mẫu của Trung tâm Hành chính công huyện Gia Bình (chạy lại nhiều lần không sao)."

    def handle(self, *args, **options):
        logins = []
        with transaction.atomic(), audit_context(actor=None, reason="Nạp dữ liệu mẫu"):
            loaders = demo_loaders()
            continuation = two_tier_loader()
            if continuation is not None:
                # Today's dossiers are received at the communes (by the continuation), not at the district.
                loaders = [(label, load) for label, load in loaders if label != "dossiers"] + [continuation]
            for label, load in loaders:
                logins.extend(load() or [])
                self.stdout.write(f"  - {label}: xong")
        self.stdout.write(
            self.style.SUCCESS("Đã nạp dữ liệu mẫu. Tài khoản dùng thử (tên đăng nhập, mật khẩu, vai trò):")
        )
        for username, password, role in logins:
            self.stdout.write(f"  {username:<22} {password:<18} {role}")
