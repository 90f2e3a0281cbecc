"""`motcua load_demo_two_tier`: continue the demo after 2022 (run after `motcua load_demo`; idempotent).

On 01/07/2025 former Gia Bình's 14 communes become 5 communes with service points, staff and birth registration,
and the district's open dossiers move to them (`motcua.backoffice.demo_two_tier`).
"""

from django.core.management.base import BaseCommand

from motcua.audit.context import audit_context
from motcua.backoffice import demo_two_tier


class Command(BaseCommand):
    help = "Nạp dữ liệu mẫu sau ngày 01/07/2025: 5 xã mới của Gia Bình cũ, điểm phục vụ, cán bộ, hồ sơ chuyển sang."

    def handle(self, *args, **options):
        with audit_context(actor=None, reason="Nạp dữ liệu mẫu chính quyền hai cấp"):
            logins = demo_two_tier.load()
        if not logins:
            self.stdout.write("Đã nạp trước đó (hoặc chưa nạp dữ liệu mẫu 2022): không thay đổi.")
            return
        self.stdout.write(
            self.style.SUCCESS("Đã nạp. Tài khoản dùng thử (tên đăng nhập, mật khẩu, vai trò):")
        )
        for username, password, role in logins:
            self.stdout.write(f"  {username:<22} {password:<18} {role}")
