from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WorkdaysConfig(AppConfig):
    name = "motcua.workdays"
    verbose_name = _("Lịch làm việc")

    def ready(self):
        from django.db.models.signals import post_delete, post_save

        from motcua.org.reorganisation import register_unit_mover

        from . import services
        from .models import CalendarOverride, WorkingHoursPeriod
        from .reorganisation import move_calendar_overrides

        register_unit_mover(move_calendar_overrides)

        def clear_calendars(**kwargs):
            services.invalidate()

        # weak=False: the receiver is a local function, which a weak reference would let die with ready().

        for model in (CalendarOverride, WorkingHoursPeriod):
            post_save.connect(
                clear_calendars, sender=model, weak=False, dispatch_uid=f"workdays_{model.__name__}_saved"
            )
            post_delete.connect(
                clear_calendars, sender=model, weak=False, dispatch_uid=f"workdays_{model.__name__}_deleted"
            )
