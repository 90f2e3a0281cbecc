"""The deadlines of a dossier, as every screen, list, printed form and API answer shows them.

Three instants, never confused (REFERENCE §4; Decree 61/2018 Art. 15–19):

- the legal due instant (`due_at`, "Hạn giải quyết theo quy định"): the procedure's time limit counted in
  working time from reception, moved only by pauses (supplement, financial obligation). It decides whether the
  dossier is overdue and, by date, whether it was resolved early, on time or late;
- the appointment (`appointment_at`, "Ngày hẹn trả kết quả"): the instant promised to the citizen on the
  receipt (Mẫu 01); equal to the legal due instant unless an apology letter (Mẫu 04) moved it. It is what the
  citizen sees and what the return of the result is measured against in the citizen's eyes; the statistics
  never use it;
- the current step's deadline (`current_step_due_at`, "Hạn xử lý của bước"): an internal share of the legal
  time for the person holding the dossier now. Passing it is an early warning ("bước chậm"), never "overdue".

"Overdue" (quá hạn) always means past the legal due instant. While the clock is stopped (paused) a dossier is
overdue only if it was already past its due instant when the pause began: the pause moves the due instant on
resumption.

`deadlines()` is the one function that computes them; `event_outcome()` is the one rule that rates a step's
completion in the history (Mẫu 05): a step finished after the dossier's legal due date is late, whatever its
own share said.
"""

import datetime
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.workdays.core import WorkdaysError

from .states import PAUSED_STATES, State, StepOutcome

OPEN_STATES = (State.RECEIVED, State.IN_STEP, State.PAUSED_SUPPLEMENT, State.PAUSED_FINANCIAL)


def by_date(done_at: datetime.datetime, due_at: datetime.datetime | None) -> str:
    """Early, on time or late, compared by date (REFERENCE §4); no due date counts as on time."""
    if due_at is None:
        return StepOutcome.ON_TIME
    done, due = timezone.localdate(done_at), timezone.localdate(due_at)
    if done < due:
        return StepOutcome.EARLY
    if done == due:
        return StepOutcome.ON_TIME
    return StepOutcome.LATE


_RANK = {StepOutcome.EARLY: 0, StepOutcome.ON_TIME: 1, StepOutcome.LATE: 2}


def event_outcome(
    done_at: datetime.datetime, step_due_at: datetime.datetime | None, legal_due_at: datetime.datetime | None
) -> str:
    """How a step completed at `done_at` is rated in the history: against its own deadline, but never better
    than the dossier against its legal due date (a step done "early" on a dossier already past its legal due
    date is late)."""
    own = by_date(done_at, step_due_at)
    if legal_due_at is None:
        return own
    legal = by_date(done_at, legal_due_at)
    return own if _RANK[own] >= _RANK[legal] else legal


@dataclass(frozen=True)
class Deadline:
    """One labelled instant and how it stands now."""

    kind: str  # "legal" | "appointment" | "step"
    label: str
    at: datetime.datetime | None
    remaining: str  # "Còn 1 ngày 6 giờ", "Quá hạn 2 giờ", "" when not running
    passed: bool


@dataclass(frozen=True)
class Deadlines:
    """The three deadlines of a dossier at one instant. `overdue` is the dossier's: past the legal due."""

    legal: Deadline
    appointment: Deadline
    step: Deadline | None
    running: bool  # the clock runs (received, in a step)
    paused: bool
    overdue: bool
    outcome: str  # for a finished dossier: early / on_time / late against the legal due; else ""
    # Waiting at reception (online, to be checked) or for a supplement: the limit it is held to.
    reception: Deadline | None = None

    @property
    def remaining(self) -> str:
        """What a list row shows first: the legal time left (or overdue), as people say it."""
        return self.legal.remaining

    @property
    def step_late(self) -> bool:
        """The current step used more than its share (an early warning, not "overdue")."""
        return bool(self.step and self.step.passed)

    @property
    def outcome_label(self) -> str:
        return str(StepOutcome(self.outcome).label) if self.outcome else ""

    def as_dict(self) -> dict:
        def one(d: Deadline | None):
            if d is None:
                return None
            return {
                "kind": d.kind,
                "label": d.label,
                "at": timezone.localtime(d.at).isoformat() if d.at else None,
                "remaining": d.remaining,
                "passed": d.passed,
            }

        return {
            "legal": one(self.legal),
            "appointment": one(self.appointment),
            "step": one(self.step),
            "overdue": self.overdue,
            "outcome": self.outcome,
            "reception": one(self.reception),
        }


def _describe(cal, now, at) -> str:
    if at is None or cal is None:
        return ""
    try:
        return cal.describe_remaining(now, at)
    except WorkdaysError:
        return ""


def promised(due_at: datetime.datetime | None, appointment_at: datetime.datetime | None):
    """The legal due instant and the appointment as every screen shows them: the appointment is the one on the
    receipt, or the legal due instant when none was written (an apology letter is what moves it). Plain values
    in, so the one-query public lookup reads the same two instants as `deadlines()` without loading a dossier."""
    return due_at, appointment_at or due_at


def deadlines(dossier, now: datetime.datetime | None = None, cal=None) -> Deadlines:
    """The legal due instant, the appointment and the current step's deadline of `dossier` at `now`."""
    if cal is None:
        from motcua.workdays.services import get_calendar

        cal = get_calendar()
    now = now or timezone.now()
    state = dossier.state
    running = state in (State.RECEIVED, State.IN_STEP)
    paused = state in PAUSED_STATES
    due, appointment_at = promised(dossier.due_at, dossier.appointment_at)
    if paused:
        # The clock stopped at the pause: overdue only if the due instant had passed by then.
        stopped_at = dossier.paused_at or now
        legal_passed = bool(due and due < stopped_at)
    else:
        legal_passed = bool(due and due < now)
    legal = Deadline(
        "legal",
        _("Hạn giải quyết theo quy định"),
        due,
        _describe(cal, now, due) if running else "",
        running and legal_passed or paused and legal_passed,
    )
    appointment = Deadline(
        "appointment",
        _("Ngày hẹn trả kết quả"),
        appointment_at,
        _describe(cal, now, appointment_at) if running and appointment_at != due else "",
        bool(running and appointment_at and appointment_at < now),
    )
    step = None
    if dossier.current_step_id and dossier.current_step_due_at and state in OPEN_STATES:
        step_name = dossier.current_step.name if dossier.current_step else ""
        step = Deadline(
            "step",
            _("Hạn xử lý của bước «%(step)s»") % {"step": step_name}
            if step_name
            else _("Hạn xử lý của bước"),
            dossier.current_step_due_at,
            _describe(cal, now, dossier.current_step_due_at) if running else "",
            bool(running and dossier.current_step_due_at < now),
        )
    outcome = ""
    if state in (State.RESULT_READY, State.RETURNED) and dossier.finished_at:
        outcome = by_date(dossier.finished_at, due)
    elif state == State.STOPPED and due is not None:
        closed = dossier.updated_at if getattr(dossier, "updated_at", None) else now
        outcome = by_date(closed, due)
    return Deadlines(
        legal=legal,
        appointment=appointment,
        step=step,
        running=running,
        paused=paused,
        overdue=bool((running or paused) and legal_passed),
        outcome=outcome,
        reception=reception_limits(dossier, now, cal)
        if state in (State.ONLINE_PENDING, State.PAUSED_SUPPLEMENT)
        else None,
    )


# --- time limits of reception and supplements ---------------------------------------------------------------
#
# Neither limit was found in the legal texts read (REGIME-2025 §3: "Not found"; REFERENCE §4). Both are settings
# with a default, stated in docs/LAW.md §9:
# - `MOTCUA_ONLINE_CHECK_WORKING_HOURS` (default 8, one working day): the receiving point checks an online
#   submission within this working time from its submission (normalised to the next working slot);
# - `MOTCUA_SUPPLEMENT_LIMIT_WORKING_DAYS` (default 30): a dossier waiting for a supplement longer than this
#   working time from the request is flagged ("quá hạn bổ sung") and may be closed as refused.


def _setting_number(name: str, default: int) -> Decimal:
    from django.conf import settings

    try:
        value = Decimal(str(getattr(settings, name, default)))
    except (InvalidOperation, ValueError):
        value = Decimal(default)
    return value if value > 0 else Decimal(default)


def online_check_limit_hours() -> Decimal:
    return _setting_number("MOTCUA_ONLINE_CHECK_WORKING_HOURS", 8)


def supplement_limit_days() -> Decimal:
    return _setting_number("MOTCUA_SUPPLEMENT_LIMIT_WORKING_DAYS", 30)


def online_check_due(dossier, cal) -> datetime.datetime | None:
    """The instant by which the receiving point must check an online submission waiting for reception."""
    if dossier.state != State.ONLINE_PENDING or dossier.submitted_at is None:
        return None
    return cal.add(dossier.submitted_at, online_check_limit_hours(), "working_hours")


def supplement_due(dossier, cal) -> datetime.datetime | None:
    """The instant after which a dossier waiting for a supplement is overdue for it ("quá hạn bổ sung"). Counted
    from the current request only (each round has its own limit)."""
    if dossier.state != State.PAUSED_SUPPLEMENT or dossier.paused_at is None:
        return None
    return cal.add(dossier.paused_at, supplement_limit_days(), "working_days")


def reception_limits(dossier, now: datetime.datetime | None = None, cal=None) -> Deadline | None:
    """The labelled limit a dossier waiting at reception or for a supplement is held to, or None."""
    if cal is None:
        from motcua.workdays.services import get_calendar

        cal = get_calendar()
    now = now or timezone.now()
    try:
        check = online_check_due(dossier, cal)
        supplement = supplement_due(dossier, cal)
    except WorkdaysError:
        return None
    if check is not None:
        return Deadline(
            "online_check", _("Hạn kiểm tra hồ sơ trực tuyến"), check, _describe(cal, now, check), check < now
        )
    if supplement is not None:
        return Deadline(
            "supplement",
            _("Hạn bổ sung hồ sơ"),
            supplement,
            _describe(cal, now, supplement),
            supplement < now,
        )
    return None
