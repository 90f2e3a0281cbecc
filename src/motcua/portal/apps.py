from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "motcua.portal"
    verbose_name = _("Cổng dịch vụ công")

    def ready(self):
        from motcua import menu

        menu.register(
            "portal.procedures",
            _("Tra cứu thủ tục hành chính"),
            "portal:procedure_search",
            group=_("Tra cứu"),
            order=700,
            description=_("Thời hạn, phí, lệ phí và thành phần hồ sơ của từng thủ tục."),
        )
        menu.register(
            "catalog.admin",
            _("Danh mục thủ tục hành chính"),
            "admin:catalog_procedure_changelist",
            roles=("administrator",),
            group=_("Quản trị hệ thống"),
            order=940,
            description=_("Thủ tục, thành phần hồ sơ, phí, quy trình nội bộ; nhập và xuất Excel."),
            visible=lambda user: user.is_staff,
        )
