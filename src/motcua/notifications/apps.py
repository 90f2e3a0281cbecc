from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "motcua.notifications"
    verbose_name = _("Thông báo")

    def ready(self):
        from django.utils.translation import gettext_lazy as _

        from motcua import menu
        from motcua.feedback.services import evaluation_link
        from motcua.refcache import clear_on_change

        from . import checks, receivers  # noqa: F401  (production checks; connects to dossier and payment changes)
        from .models import NotificationTemplate
        from .services import context_providers

        clear_on_change(NotificationTemplate)

        def add_evaluation_link(dossier, event):
            # The message of a ready result carries the link to feedback's satisfaction evaluation.
            if event == "result_ready":
                return {"evaluation_link": evaluation_link(dossier)}
            return {}

        context_providers.append(add_evaluation_link)

        menu.register(
            key="notifications.outbox",
            label=_("Hộp thư đi (thông báo)"),
            url_name="notifications:outbox",
            roles=("reception_officer", "supervisor", "administrator"),
            group=_("Theo dõi hồ sơ"),
            order=80,
            description=_("Thư điện tử, SMS, Zalo đã gửi, đang chờ gửi lại hoặc lỗi."),
        )
