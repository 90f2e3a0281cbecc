from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BackofficeConfig(AppConfig):
    name = "motcua.backoffice"
    verbose_name = _("Một cửa điện tử")

    def ready(self):
        from motcua import menu
        from motcua.org.models import Role

        staff_roles = tuple(Role.values)
        menu.register(
            "org.agencies",
            _("Cơ quan trong phạm vi công tác"),
            "org:agency_list",
            roles=staff_roles,
            group=_("Tổ chức"),
            order=900,
            description=_("Thông tin, quầy tiếp nhận và lịch sử thay đổi của các cơ quan bạn phụ trách."),
        )
        menu.register(
            "audit.entries",
            _("Nhật ký thay đổi"),
            "audit:entry_list",
            roles=(Role.SUPERVISOR, Role.ADMINISTRATOR),
            group=_("Theo dõi"),
            order=800,
            description=_("Ai đã thay đổi gì, khi nào, vì sao."),
        )
        menu.register(
            "admin.index",
            _("Quản trị danh mục"),
            "admin:index",
            roles=(Role.ADMINISTRATOR,),
            group=_("Quản trị hệ thống"),
            order=950,
            description=_("Đơn vị hành chính, cơ quan, quầy, tài khoản và phân công cán bộ."),
            visible=lambda user: user.is_staff,
        )
        menu.register(
            "accounts.password",
            _("Đổi mật khẩu"),
            "password_change",
            group=_("Tài khoản"),
            order=990,
        )
