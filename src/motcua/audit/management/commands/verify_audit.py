"""`motcua verify_audit`: walk the audit trail's hash chain and report the first broken link.

Exit status 0 and the chain's head (its last place and hash: keep it elsewhere, e.g. in the operations log, so
that a rewrite of the whole tail shows too) when every link holds; otherwise an error naming the first broken
row and what is wrong with it.
"""

from django.core.management.base import BaseCommand, CommandError

from motcua.audit.chain import verify


class Command(BaseCommand):
    help = "Kiểm tra chuỗi mã băm của nhật ký thay đổi; báo liên kết hỏng đầu tiên."

    def handle(self, *args, **options):
        verdict = verify()
        if not verdict.ok:
            where = f"row id {verdict.broken_id}"
            if verdict.broken_seq is not None:
                where += f", place {verdict.broken_seq} in the chain"
            raise CommandError(
                f"audit chain broken at {where}: {verdict.problem} ({verdict.checked} rows checked before it)"
            )
        self.stdout.write(
            f"audit chain intact: {verdict.checked} rows; head {verdict.head_seq} {verdict.head_hash}"
        )
