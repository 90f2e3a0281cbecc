from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    name = "motcua.reports"
    verbose_name = _("Thống kê báo cáo")

    def ready(self):
        from motcua import menu

        from . import facts  # noqa: F401  (connects the receivers that mark changed dossiers pending)

        menu.register(
            key="reports.resolution",
            label=_("Tình hình, kết quả giải quyết (Biểu 06)"),
            url_name="reports:resolution",
            roles=("supervisor", "leader", "administrator", "reception_officer"),
            group=_("Thống kê báo cáo"),
            order=10,
        )
        menu.register(
            key="reports.indicators",
            label=_("Chỉ tiêu trực tuyến, “5 tại chỗ”, chỉ số 766"),
            url_name="reports:indicators",
            roles=("supervisor", "leader", "administrator"),
            group=_("Thống kê báo cáo"),
            order=20,
        )
