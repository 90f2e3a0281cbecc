from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FeedbackConfig(AppConfig):
    name = "motcua.feedback"
    verbose_name = _("Đánh giá hài lòng, kiến nghị")

    def ready(self):
        from motcua import menu
        from motcua.privacy.retention import register as register_retention

        from .retention import RECOMMENDATION_CONTACTS

        register_retention(RECOMMENDATION_CONTACTS)

        menu.register(
            key="feedback.recommendations",
            label=_("Kiến nghị, phản ánh"),
            url_name="feedback:recommendation_inbox",
            roles=("supervisor", "administrator", "leader", "specialist"),
            group=_("Theo dõi hồ sơ"),
            order=85,
            count=lambda user: _overdue_count(user),
            description=_("Giao xử lý, trả lời; số trên nhãn là số kiến nghị quá hạn."),
        )
        menu.register(
            key="feedback.report",
            label=_("Kết quả đánh giá hài lòng"),
            url_name="feedback:report",
            roles=("supervisor", "administrator", "leader"),
            group=_("Thống kê báo cáo"),
            order=90,
        )


def _overdue_count(user) -> int:
    from .services import recommendations_for

    return recommendations_for(user).overdue().count()
