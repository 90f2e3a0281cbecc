"""What the calendar moves when a reorganisation merges administrative units (registered with
`motcua.org.reorganisation` at `WorkdaysConfig.ready()`)."""

from .models import CalendarOverride


def move_calendar_overrides(sources, into, report) -> None:
    """A merged province's own days off and extra working days go to its successor (unless it has that date)."""
    taken = set(CalendarOverride.objects.filter(province=into).values_list("date", flat=True))
    moved = 0
    for override in CalendarOverride.objects.filter(province__in=sources).order_by("date"):
        if override.date in taken:
            continue
        override.province = into
        override.save(update_fields=["province", "updated_at"])
        taken.add(override.date)
        moved += 1
    report.calendar_overrides += moved
