"""`motcua purge_personal_data [--dry-run]`: apply the retention rules of `motcua.privacy.retention`.

Run it daily from the scheduler. With --dry-run it lists what each rule would delete or anonymise and changes
nothing."""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from motcua.privacy import retention

SHOWN = 50


class Command(BaseCommand):
    help = _("Xóa hoặc ẩn danh dữ liệu cá nhân đã hết thời hạn lưu giữ (Nghị định 13/2023/NĐ-CP).")

    def add_arguments(self, parser):
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help=_("Chỉ liệt kê những gì sẽ bị xóa hoặc ẩn danh; không thay đổi gì."),
        )

    def handle(self, *args, dry_run=False, **options):
        if not dry_run:
            done = retention.purge()
        for rule, rows in retention.due():
            verb = _("xóa") if rule.action == "delete" else _("ẩn danh")
            if dry_run:
                total = rows.count()
                self.stdout.write(
                    _("[%(key)s] %(label)s — giữ %(days)d ngày: %(n)d bản ghi sẽ bị %(verb)s")
                    % {"key": rule.key, "label": rule.label, "days": rule.days, "n": total, "verb": verb}
                )
                for row in rows[:SHOWN]:
                    self.stdout.write(f"    {rule.describe(row)}")
                if total > SHOWN:
                    self.stdout.write(_("    … và %(n)d bản ghi khác") % {"n": total - SHOWN})
            else:
                self.stdout.write(
                    _("[%(key)s] %(label)s: đã %(verb)s %(n)d bản ghi")
                    % {"key": rule.key, "label": rule.label, "verb": verb, "n": done[rule.key]}
                )
        if dry_run:
            self.stdout.write(_("Chạy thử: không có gì bị thay đổi."))
