from django.core.management.base import BaseCommand, CommandError

from motcua.integrations.national_portal import PortalError
from motcua.national_portal import conf
from motcua.national_portal.catalog_pull import pull_catalog


class Command(BaseCommand):
    help = "Lấy danh mục thủ tục từ Cổng DVCQG thành danh sách thay đổi chờ quản trị viên duyệt."

    def add_arguments(self, parser):
        parser.add_argument("codes", nargs="*", help="Chỉ lấy các mã thủ tục này (mặc định: cả danh sách).")

    def handle(self, *args, codes, **options):
        if not conf.is_enabled():
            raise CommandError("Kết nối Cổng DVCQG đang tắt (NATIONAL_PORTAL_URL trống).")
        try:
            pull = pull_catalog(conf.get_connector(), codes or None)
        except PortalError as error:
            raise CommandError(error.message) from error
        self.stdout.write(f"{len(pull.changes)} thay đổi chờ duyệt (lần lấy số {pull.pk}).")
