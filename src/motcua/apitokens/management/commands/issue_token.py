"""Print a new API token for a staff user: `motcua issue_token USERNAME [--label ...]`."""

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError

from motcua.apitokens.models import ApiToken


class Command(BaseCommand):
    help = "Cấp mã truy cập API (Bearer token) cho một tài khoản cán bộ; mã chỉ hiển thị một lần."

    def add_arguments(self, parser):
        parser.add_argument("username")
        parser.add_argument("--label", default="", help="Mục đích sử dụng (ví dụ: cổng tỉnh, kiosk).")

    def handle(self, *args, username, label, **options):
        user = get_user_model().objects.filter(username=username).first()
        if user is None:
            raise CommandError(f"Không có tài khoản “{username}”.")
        if not user.is_active:
            raise CommandError(f"Tài khoản “{username}” đang bị khóa.")
        row, token = ApiToken.issue(user, label=label)
        self.stdout.write(token)
        self.stderr.write(
            f"Đã cấp mã {row.prefix}… cho {username}. Thu hồi: motcua revoke_token {row.prefix}"
        )
