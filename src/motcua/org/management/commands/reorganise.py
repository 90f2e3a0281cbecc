"""`motcua reorganise PLAN.json [--dry-run]`: merge agencies (and units) into their successors in one transaction.

Exit status 0 on success; non-zero with a Vietnamese message otherwise (nothing changed then). See
`motcua.org.reorganisation` for the plan format and what moves.
"""

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from motcua.org.reorganisation import load_plan, refusal_message, reorganise


class Command(BaseCommand):
    help = "Sắp xếp tổ chức: sáp nhập, chia tách cơ quan, sáp nhập đơn vị hành chính theo kế hoạch JSON."

    def add_arguments(self, parser):
        parser.add_argument("plan", help="Tệp kế hoạch JSON.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Chỉ liệt kê những gì sẽ chuyển, không ghi."
        )
        parser.add_argument("--user", default="", help="Tên đăng nhập của người thực hiện (ghi vào nhật ký).")

    def handle(self, *args, plan, dry_run, user, **options):
        path = Path(plan)
        if not path.is_file():
            raise CommandError(f"Không tìm thấy tệp kế hoạch {plan}.")
        actor = None
        if user:
            actor = get_user_model().objects.filter(username=user).first()
            if actor is None:
                raise CommandError(f"Không có người dùng {user}.")
        try:
            text = path.read_text(encoding="utf-8")
            report = reorganise(load_plan(text), dry_run=dry_run, actor=actor, record_source="command")
        except UnicodeDecodeError as exc:
            raise CommandError("Tệp kế hoạch phải được mã hóa UTF-8.") from exc
        except ValidationError as exc:
            raise CommandError(
                "Không thực hiện được, dữ liệu không thay đổi: " + " ".join(exc.messages)
            ) from exc
        for line in report.lines():
            self.stdout.write(line)
        if report.refusals:  # only a dry run gets here with refusals: the plan itself would fail
            raise CommandError(refusal_message(report.refusals))
