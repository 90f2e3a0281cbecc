"""What each staff role does, as the home page tells it."""

from django.utils.translation import gettext_lazy as _

from motcua.org.models import Role

ROLE_DESCRIPTIONS = {
    Role.RECEPTION_OFFICER: _(
        "Kiểm tra thành phần hồ sơ; tiếp nhận, yêu cầu bổ sung hoặc từ chối; in phiếu tiếp nhận; thu phí, "
        "lệ phí; trả kết quả."
    ),
    Role.SPECIALIST: _("Thẩm định hồ sơ; dự thảo kết quả; đề nghị bổ sung hoặc từ chối."),
    Role.LEADER: _("Phê duyệt hoặc trả lại hồ sơ; ký kết quả."),
    Role.CLERK: _("Vào số, đóng dấu và phát hành kết quả."),
    Role.SUPERVISOR: _(
        "Theo dõi hồ sơ sắp đến hạn, đến hạn, quá hạn của các cơ quan và xã; đôn đốc; trả lời kiến nghị; báo cáo."
    ),
    Role.ADMINISTRATOR: _(
        "Quản trị thủ tục, quy trình, lịch làm việc, đơn vị hành chính, cơ quan và tài khoản người dùng."
    ),
}
