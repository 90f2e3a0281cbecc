"""Due state of an open dossier and of its current step (REFERENCE §4 and §9).

The rules, for an open dossier (received, in a step, or paused) at the instant `now`, in Asia/Ho_Chi_Minh:

- paused: waiting for a supplement (status 5) or a financial obligation (status 6); the clock is stopped;
- overdue: the legal due date (`due_at`, by date) is before today — the reports' "in progress, overdue"
  (`due_at` < the report date) and "late" (finished after the due date) use the same date comparison;
- badly overdue: overdue, and late by more than the legal time again (working time since the due instant
  exceeds the working time from reception to the due instant);
- due today: the due date is today (finishing today is still "on time" in the reports);
- near due: due after today and either within `MOTCUA_NEAR_DUE_WORKING_DAYS` working days (default 1) or with
  less than `MOTCUA_NEAR_DUE_SHARE` of the legal working time left (default 0.2); either rule is disabled
  with 0;
- on track: anything else (also a dossier without a due date).

The current step gets the same states from its own due instant and start; a step that has passed its own due
instant ("used more than its share of the time") is flagged (`step_overrun`), which usually happens before the
dossier as a whole is at risk. The apology letter (Mẫu 04) must reach the applicant at least one working day
before the appointment: it is prompted from `MOTCUA_APOLOGY_PROMPT_WORKING_DAYS` (default 2) working days
before the appointment until the last instant it can still be sent.

`thresholds()` turns a dossier into stored instants; `classify()` decides the state from those instants; the
queryset filters of `motcua.monitoring.watch` express `classify()` in SQL over the same stored instants.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.utils import timezone

from motcua.dossiers.states import State
from motcua.workdays.core import HOURS_PER_DAY, WorkdaysError
from motcua.workdays.services import get_calendar

from .models import DueState

OPEN_STATES = (State.RECEIVED, State.IN_STEP, State.PAUSED_SUPPLEMENT, State.PAUSED_FINANCIAL)
PAUSED_STATES = (State.PAUSED_SUPPLEMENT, State.PAUSED_FINANCIAL)
WORKING_DAY = datetime.timedelta(hours=HOURS_PER_DAY)

# Most urgent first: the order of the drill-down lists and of "my work".
URGENCY = {
    DueState.BADLY_OVERDUE: 0,
    DueState.OVERDUE: 1,
    DueState.DUE_TODAY: 2,
    DueState.NEAR_DUE: 3,
    DueState.ON_TRACK: 4,
    DueState.PAUSED: 5,
}


@dataclass(frozen=True)
class Rules:
    near_due_working_days: Decimal
    near_due_share: Decimal
    apology_prompt_working_days: Decimal


def rules() -> Rules:
    """The configured rules (settings, all optional)."""

    def number(name, default):
        value = Decimal(str(getattr(settings, name, default)))
        if value < 0:
            raise ValueError(f"{name} must not be negative")
        return value

    share = number("MOTCUA_NEAR_DUE_SHARE", "0.2")
    if share > 1:
        raise ValueError("MOTCUA_NEAR_DUE_SHARE must be between 0 and 1")
    return Rules(
        near_due_working_days=number("MOTCUA_NEAR_DUE_WORKING_DAYS", 1),
        near_due_share=share,
        apology_prompt_working_days=max(number("MOTCUA_APOLOGY_PROMPT_WORKING_DAYS", 2), Decimal(1)),
    )


@dataclass(frozen=True)
class Thresholds:
    """The stored instants that decide a dossier's due state."""

    paused: bool
    due_at: datetime.datetime | None
    near_due_at: datetime.datetime | None
    badly_overdue_at: datetime.datetime | None
    step_due_at: datetime.datetime | None
    step_near_due_at: datetime.datetime | None
    appointment_at: datetime.datetime | None
    apology_from: datetime.datetime | None
    apology_until: datetime.datetime | None


def _before(cal, anchor, end, amount: datetime.timedelta):
    """The instant `amount` of working time before `end`, not earlier than `anchor` (anchor <= end)."""
    total = cal.working_time_between(anchor, end)
    if total <= amount:
        return cal.normalize(anchor) if total > datetime.timedelta(0) else end
    return cal.add_working_time(anchor, total - amount)


def _budget(value_unit, cal, start, due) -> datetime.timedelta:
    """A time limit as working time: exact for working days and hours, else the working time from start to
    due (calendar days, same day)."""
    if value_unit is not None:
        value, unit = value_unit
        if value is not None and unit == "working_days":
            return WORKING_DAY * float(value)
        if value is not None and unit == "working_hours":
            return datetime.timedelta(hours=float(value))
    if start is None or due is None or start >= due:
        return datetime.timedelta(0)
    return cal.working_time_between(start, due)


def _near(cal, r: Rules, start, due, legal: datetime.timedelta):
    """When a span ending at `due` with `legal` working time becomes near due (the earlier rule), or None."""
    if due is None:
        return None
    if start is None or start > due:
        start = due
    candidates = []
    if r.near_due_working_days > 0:
        candidates.append(_before(cal, start, due, WORKING_DAY * float(r.near_due_working_days)))
    if r.near_due_share > 0:
        candidates.append(_before(cal, start, due, legal * float(r.near_due_share)))
    return min(candidates) if candidates else due


def deadline_instants(cal, r: Rules, start, due_at, legal) -> tuple:
    """(near due instant, badly overdue instant) of a span from `start` to `due_at` whose time limit is `legal`
    (a (value, unit) pair, or None: the working time from start to due). A date outside the calendar's years
    leaves what could not be computed None (the state falls back to the due date)."""
    near = badly = None
    try:
        budget = _budget(legal, cal, start, due_at)
        near = _near(cal, r, start, due_at, budget)
        if due_at is not None:
            badly = cal.add_working_time(due_at, budget)
    except WorkdaysError:
        pass
    return near, badly


def thresholds(dossier, calendar=None, r: Rules | None = None) -> Thresholds:
    """The due instants of an open dossier, computed with the working-time calendar.

    Shares are of the legal time (the procedure's limit, or one step's part of it), so a pause that moved the
    due instant does not stretch them.
    """
    cal = calendar or get_calendar()
    r = r or rules()
    due, received = dossier.due_at, dossier.received_at
    step, step_due, step_start = (
        dossier.current_step,
        dossier.current_step_due_at,
        dossier.current_step_started_at,
    )
    near = badly = step_near = apology_from = apology_until = None
    try:
        procedure = dossier.procedure
        near, badly = deadline_instants(cal, r, received, due, procedure.time_limit_for(dossier.channel))
        # Unless a date outside the calendar's years stopped the instants above (no badly overdue instant):
        if due is None or badly is not None:
            if step_due is not None:
                step_budget = step.time_budget(dossier.channel) if step is not None else None
                step_near = _near(
                    cal, r, step_start, step_due, _budget(step_budget, cal, step_start, step_due)
                )
            appointment = dossier.appointment_at or due
            if appointment is not None:
                anchor = received if received and received < appointment else appointment
                apology_from = _before(
                    cal, anchor, appointment, WORKING_DAY * float(r.apology_prompt_working_days)
                )
                apology_until = _before(cal, anchor, appointment, WORKING_DAY)
    except WorkdaysError:
        # a date outside the calendar's years: keep what is known, the state falls back to the due date
        pass
    return Thresholds(
        paused=dossier.state in PAUSED_STATES,
        due_at=due,
        near_due_at=near,
        badly_overdue_at=badly,
        step_due_at=step_due,
        step_near_due_at=step_near,
        appointment_at=dossier.appointment_at or due,
        apology_from=apology_from,
        apology_until=apology_until,
    )


def day_bounds(now: datetime.datetime) -> tuple[datetime.datetime, datetime.datetime]:
    """The first instant of today and of tomorrow, local time."""
    today = timezone.localdate(now)
    start = timezone.make_aware(datetime.datetime.combine(today, datetime.time.min))
    end = timezone.make_aware(
        datetime.datetime.combine(today + datetime.timedelta(days=1), datetime.time.min)
    )
    return start, end


def classify(paused: bool, due_at, near_due_at, badly_overdue_at, now, bounds=None) -> str:
    """The due state from stored instants (the SQL filters of `watch` say the same); `bounds`:
    `day_bounds(now)` if the caller has them already."""
    if paused:
        return DueState.PAUSED
    if due_at is None:
        return DueState.ON_TRACK
    today_start, tomorrow_start = bounds or day_bounds(now)
    if due_at < today_start:
        if badly_overdue_at is not None and badly_overdue_at < now:
            return DueState.BADLY_OVERDUE
        return DueState.OVERDUE
    if due_at < tomorrow_start:
        return DueState.DUE_TODAY
    if near_due_at is not None and near_due_at <= now:
        return DueState.NEAR_DUE
    return DueState.ON_TRACK


def is_late(state: str) -> bool:
    return state in (DueState.OVERDUE, DueState.BADLY_OVERDUE)


@dataclass(frozen=True)
class DueStatus:
    """What monitoring says about one open dossier now."""

    state: str
    step_state: str | None
    step_overrun: bool
    apology_prompt: bool
    apology_until: datetime.datetime | None
    remaining: str
    thresholds: Thresholds

    @property
    def label(self) -> str:
        return str(DueState(self.state).label)

    @property
    def step_label(self) -> str:
        return str(DueState(self.step_state).label) if self.step_state else ""

    @property
    def is_late(self) -> bool:
        return is_late(self.state)

    @property
    def early_warning(self) -> bool:
        """The step used more than its share while the dossier as a whole is not yet late."""
        return self.step_overrun and self.state in (DueState.ON_TRACK, DueState.NEAR_DUE)


def status_from(th: Thresholds, now, calendar=None, *, finished: bool = False, bounds=None) -> DueStatus:
    cal = calendar or get_calendar()
    bounds = bounds or day_bounds(now)
    state = classify(th.paused, th.due_at, th.near_due_at, th.badly_overdue_at, now, bounds)
    step_state = None
    if th.step_due_at is not None:
        step_state = classify(th.paused, th.step_due_at, th.step_near_due_at, None, now, bounds)
    step_overrun = bool(not th.paused and th.step_due_at is not None and th.step_due_at < now)
    apology = bool(
        not th.paused
        and not finished
        and th.apology_from is not None
        and th.apology_until is not None
        and th.apology_from <= now < th.apology_until
    )
    remaining = ""
    if th.due_at is not None and not th.paused:
        try:
            remaining = cal.describe_remaining(now, th.due_at)
        except WorkdaysError:
            remaining = ""
    return DueStatus(
        state=state,
        step_state=step_state,
        step_overrun=step_overrun,
        apology_prompt=apology,
        apology_until=th.apology_until if apology else None,
        remaining=remaining,
        thresholds=th,
    )


def due_status(dossier, now: datetime.datetime | None = None, calendar=None) -> DueStatus | None:
    """The due state of an open dossier and of its current step; None for a dossier that is not open."""
    if dossier.state not in OPEN_STATES:
        return None
    now = now or timezone.now()
    cal = calendar or get_calendar()
    return status_from(thresholds(dossier, cal), now, cal)
