"""`motcua export_catalog FILE`: write the catalog to an Excel workbook in the import layout."""

from pathlib import Path

from django.core.management.base import BaseCommand

from motcua.catalog.models import Procedure
from motcua.catalog.spreadsheet import export_catalog


class Command(BaseCommand):
    help = "Xuất danh mục thủ tục hành chính ra tệp Excel (.xlsx) theo cùng mẫu dùng để nhập."

    def add_arguments(self, parser):
        parser.add_argument("file", help="Tệp .xlsx sẽ ghi ra.")

    def handle(self, *args, file, **options):
        Path(file).write_bytes(export_catalog())
        self.stdout.write(self.style.SUCCESS(f"Đã xuất {Procedure.objects.count()} thủ tục ra {file}."))
