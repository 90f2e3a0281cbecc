"""Revoke API tokens: `motcua revoke_token PREFIX` or `motcua revoke_token --user USERNAME`."""

from django.core.management.base import BaseCommand, CommandError

from motcua.apitokens.models import ApiToken


class Command(BaseCommand):
    help = "Thu hồi mã truy cập API theo tiền tố, hoặc mọi mã của một tài khoản (--user)."

    def add_arguments(self, parser):
        parser.add_argument("prefix", nargs="?", default="")
        parser.add_argument("--user", default="", help="Thu hồi mọi mã của tài khoản này.")

    def handle(self, *args, prefix, user, **options):
        if not prefix and not user:
            raise CommandError("Cần tiền tố của mã hoặc --user USERNAME.")
        tokens = ApiToken.objects.filter(revoked_at__isnull=True)
        tokens = tokens.filter(user__username=user) if user else tokens.filter(prefix=prefix)
        count = 0
        for token in tokens:
            token.revoke()
            count += 1
        if count == 0:
            raise CommandError("Không tìm thấy mã nào đang hiệu lực.")
        self.stdout.write(f"Đã thu hồi {count} mã.")
