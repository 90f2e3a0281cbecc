from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CitizensConfig(AppConfig):
    name = "motcua.citizens"
    verbose_name = _("Công dân, nộp hồ sơ trực tuyến")

    def ready(self):
        from motcua import menu
        from motcua.notifications import services as notifications
        from motcua.privacy.retention import register as register_retention

        from . import login_providers  # noqa: F401  (registers the login plugins and their system check)
        from .retention import APPLICANT_CONTACTS, DRAFT_SUBMISSIONS
        from .services import what_to_bring

        def add_what_to_bring(dossier, event):
            if event in ("received", "result_ready"):
                return {"bring": what_to_bring(dossier)}
            return {}

        notifications.context_providers.append(add_what_to_bring)
        register_retention(DRAFT_SUBMISSIONS)
        register_retention(APPLICANT_CONTACTS)

        menu.register(
            key="citizens.online_inbox",
            label=_("Hồ sơ trực tuyến chờ tiếp nhận"),
            url_name="citizens:reception_inbox",
            roles=("reception_officer",),
            group=_("Tiếp nhận hồ sơ"),
            order=15,
            count=lambda user: _pending(user),
        )
        menu.register(
            key="citizens.walk_in",
            label=_("Tạo tài khoản cho công dân"),
            url_name="citizens:walk_in",
            roles=("reception_officer",),
            group=_("Tiếp nhận hồ sơ"),
            order=16,
        )
        menu.register(
            key="citizens.registration_report",
            label=_("Tỷ lệ tài khoản Cổng Dịch vụ công quốc gia"),
            url_name="citizens:registration_report",
            roles=("supervisor", "administrator"),
            group=_("Thống kê báo cáo"),
            order=95,
        )


def _pending(user) -> int:
    from motcua.dossiers.states import State

    from .services import online_inbox

    return online_inbox(user).filter(state=State.ONLINE_PENDING).count()
