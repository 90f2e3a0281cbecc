from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkdaysConfig(AppConfig):
    name = "motcua.workdays"
    verbose_name = _("Lịch làm việc")

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from . import services
        from .models import CalendarOverride

        def clear_calendars(**kwargs):
            services.invalidate()

        post_save.connect(clear_calendars, sender=CalendarOverride, dispatch_uid="workdays_override_saved")
        post_delete.connect(
            clear_calendars, sender=CalendarOverride, dispatch_uid="workdays_override_deleted"
        )
