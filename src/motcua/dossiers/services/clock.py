"""Deadlines: the working-time calendar, the legal due instant, the transfer and step due instants."""

import datetime
from decimal import Decimal

from django.utils import timezone

from motcua.catalog.models import Procedure, ProcessStep
from motcua.workdays.services import get_calendar

from .. import deadlines

HOURS_PER_WORKING_DAY = Decimal(8)


def calendar(agency=None):
    """The working-time calendar; for an agency, with the working week of the center that receives for it
    (`workdays.WorkingHoursPeriod` rows of that center, e.g. Saturday mornings)."""
    if agency is None:
        return get_calendar()
    from motcua.workdays.services import center_of

    return get_calendar(center_id=center_of(agency))


def legal_due(
    procedure: Procedure, channel: str, start: datetime.datetime, cal=None
) -> datetime.datetime | None:
    """The legal due instant of a dossier received at `start`; None when the procedure fixes no time limit."""
    value, unit = procedure.time_limit_for(channel)
    cal = cal or calendar()
    if unit == "same_day":
        # The procedure's own text says whether "received after 15:00, returned the next working day" applies.
        return cal.add(start, value or 0, "same_day", same_day_cutoff=procedure.same_day_cutoff)
    if value is None or not unit:
        return None
    return cal.add(start, value, unit)


def transfer_due(start: datetime.datetime, cal=None) -> datetime.datetime:
    """When a dossier received at the one-stop unit at `start` must be with the resolving agency (Decree 61/2018
    Art. 16): within the same working day, or at the opening of the next working day when received after the
    cut-off (15:00, the calendar's `same_day_cutoff`). Outside working hours, reception counts from the next
    working slot."""
    cal = cal or calendar()
    begun = timezone.localtime(cal.normalize(start))
    if begun.time() <= cal.same_day_cutoff:
        return cal.add(begun, 0, "same_day")  # the close of that working day
    following = cal.next_working_day(begun.date())
    return cal.normalize(datetime.datetime.combine(following, datetime.time.min, tzinfo=begun.tzinfo))


def step_due(
    step: ProcessStep | None, channel: str, start: datetime.datetime, cal=None
) -> datetime.datetime | None:
    """The due instant of `step` started at `start`: from its share of the legal time, except the transfer to
    the resolving agency, whose deadline the one-stop rules fix (`transfer_due`)."""
    if step is None:
        return None
    if step.kind == ProcessStep.Kind.TRANSFER:
        return transfer_due(start, cal)
    budget = step.time_budget(channel)
    if budget is None:
        return None
    value, unit = budget
    cal = cal or calendar()
    if unit == "calendar_days":
        # A share of calendar days is a fraction of a day: count it as elapsed time.
        return cal.normalize(start + datetime.timedelta(days=float(value)))
    return cal.add(start, value, unit)


def outcome(done_at: datetime.datetime, due_at: datetime.datetime | None) -> str:
    """Early, on time or late, compared by date (REFERENCE §4); no due date counts as on time."""
    return deadlines.by_date(done_at, due_at)
