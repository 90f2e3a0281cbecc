from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MonitoringConfig(AppConfig):
    name = "motcua.monitoring"
    verbose_name = _("Theo dõi, đôn đốc")

    def ready(self):
        from django.db.models.signals import post_save

        from motcua import menu
        from motcua.dossiers.models import Dossier
        from motcua.org.models import Role

        from . import watch
        from .models import Notification

        post_save.connect(watch.on_dossier_saved, sender=Dossier, dispatch_uid="monitoring-due-watch")
        # recommendations awaiting an answer: their deadlines are watched the same way
        from motcua.feedback.models import Recommendation

        from . import recommendation_watch

        post_save.connect(
            recommendation_watch.on_recommendation_saved,
            sender=Recommendation,
            dispatch_uid="monitoring-recommendation-watch",
        )
        # the staff inboxes show each person's own near-due and overdue work first
        from motcua.dossiers import queries

        queries.inbox_ordering = lambda qs, user: watch.inbox_order(qs, user)

        menu.register(
            "monitoring.dashboard",
            _("Theo dõi hồ sơ tới hạn, quá hạn"),
            "monitoring:dashboard",
            roles=(Role.SUPERVISOR, Role.LEADER),
            group=_("Theo dõi"),
            order=700,
            description=_(
                "Số hồ sơ sắp đến hạn, đến hạn, quá hạn theo cơ quan, xã và quầy; đôn đốc người giữ."
            ),
        )
        menu.register(
            "monitoring.recommendations",
            _("Kiến nghị, phản ánh chờ trả lời theo hạn"),
            "monitoring:recommendations",
            roles=(Role.SUPERVISOR, Role.LEADER, Role.SPECIALIST, Role.CLERK),
            group=_("Theo dõi"),
            order=705,
            description=_(
                "Kiến nghị sắp đến hạn, quá hạn trả lời lên đầu; cơ quan đang xử lý và từ khi nào."
            ),
        )
        menu.register(
            "monitoring.my_work",
            _("Hồ sơ của tôi theo hạn xử lý"),
            "monitoring:my_work",
            group=_("Theo dõi"),
            order=710,
            description=_("Hồ sơ bạn đang giữ, sắp đến hạn và quá hạn lên đầu."),
            count=lambda user: watch.my_urgent_count(user),
        )
        menu.register(
            "monitoring.notifications",
            _("Thông báo"),
            "monitoring:notifications",
            group=_("Theo dõi"),
            order=720,
            description=_("Nhắc việc, đôn đốc gửi đến bạn."),
            count=lambda user: Notification.objects.filter(recipient=user, read_at__isnull=True).count(),
        )
