from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TicketsConfig(AppConfig):
    name = "motcua.tickets"
    verbose_name = _("Xếp hàng, bốc số thứ tự")

    def ready(self):
        from motcua import menu

        from . import receivers  # noqa: F401

        menu.register(
            key="tickets.counter",
            label=_("Gọi số tại quầy"),
            url_name="tickets:counter",
            roles=("reception_officer",),
            group=_("Tiếp nhận hồ sơ"),
            order=5,
            description=_(
                "Gọi số tiếp theo, gọi lại, bỏ qua, chuyển quầy; tiếp nhận hồ sơ từ số đang phục vụ."
            ),
        )
        menu.register(
            key="tickets.stats",
            label=_("Thống kê xếp hàng"),
            url_name="tickets:stats",
            roles=("supervisor", "administrator"),
            group=_("Thống kê báo cáo"),
            order=95,
            description=_("Thời gian chờ và thời gian phục vụ theo quầy và theo giờ."),
        )
