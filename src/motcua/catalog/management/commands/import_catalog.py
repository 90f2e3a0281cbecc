"""`motcua import_catalog FILE [--dry-run]`: import procedures, documents and fees from an Excel workbook."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from motcua.catalog.spreadsheet import import_catalog


class Command(BaseCommand):
    help = "Nhập danh mục thủ tục hành chính từ tệp Excel (.xlsx); --dry-run chỉ kiểm tra, không ghi."

    def add_arguments(self, parser):
        parser.add_argument("file", help="Tệp .xlsx theo mẫu xuất từ hệ thống.")
        parser.add_argument("--dry-run", action="store_true", help="Chỉ kiểm tra và liệt kê dòng lỗi.")

    def handle(self, *args, file, dry_run, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"Không tìm thấy tệp {file}.")
        with path.open("rb") as handle:
            report = import_catalog(handle, dry_run=dry_run)
        for error in report.errors:
            self.stderr.write(str(error))
        if not report.ok:
            raise CommandError(report.summary())
        self.stdout.write(self.style.SUCCESS(report.summary()))
