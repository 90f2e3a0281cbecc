"""The transitions of `workflow.TRANSITIONS` after intake, one function each."""

import datetime

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.catalog import implementations
from motcua.catalog.models import ProcessStep

from .. import workflow
from ..codes import next_code
from ..exceptions import TransitionNotAllowed
from ..models import Dossier
from ..states import State
from .access import _holds
from .clock import calendar
from .reception import _receive_into
from .steps import _previous_resolving_step, enter_step, next_step, step_agency, step_event_fields
from .transition import _transition


def _user_for_step(username_or_user, dossier: Dossier, step: ProcessStep | None):
    """The named person to hand the dossier to; they must hold the step's role at its agency."""
    if username_or_user in (None, ""):
        return None
    User = get_user_model()
    if isinstance(username_or_user, User):
        user = username_or_user
    else:
        user = User.objects.filter(username=username_or_user, is_active=True).first()
        if user is None:
            raise ValidationError(
                {"to_user": _("Không tìm thấy cán bộ “%(name)s”.") % {"name": username_or_user}}
            )
    if step is not None and not _holds(user, step.role, step_agency(dossier, step)):
        raise ValidationError(
            {
                "to_user": _("Cán bộ %(name)s không có vai trò thực hiện bước “%(step)s”.")
                % {"name": user, "step": step.name}
            }
        )
    return user


def receive(dossier, actor, note: str = "") -> Dossier:
    """Receive an online submission: due instant, first step (its code was given at submission)."""

    def apply(d, now):
        # The resolving agency's own time limit, where its implementation has one (as at the counter).
        d.procedure = implementations.as_implemented_by(
            d.procedure, d.resolving_agency, timezone.localdate(now)
        )
        _receive_into(d, actor, now)
        return {**d._reception_event, "note": note}

    return _transition(dossier, "receive", actor, apply)


def refuse_intake(dossier, actor, reason: str) -> Dossier:
    """Refuse an online submission at reception (Mẫu 03), with the reason."""
    reason = _required(reason, "reason", _("Phải ghi rõ lý do từ chối tiếp nhận."))

    def apply(d, now):
        # A refused submission keeps a code too: the refusal slip (Mẫu 03) and the lookup need it.
        d.code = d.code or next_code(d.agency, timezone.localdate(now))
        d.state = State.REJECTED
        d.closing_reason = reason
        return {"agency": d.agency, "note": reason}

    return _transition(dossier, "refuse_intake", actor, apply)


def advance(dossier, actor, note: str = "", to_user=None, expected_step_id=None) -> Dossier:
    """Complete the current step and hand the dossier to the next one; after the last resolving step the
    result is ready (status 9) and waits at the return step."""

    def apply(d, now):
        fields = step_event_fields(d, now)
        following = next_step(d, d.current_step)
        holder = _user_for_step(to_user, d, following)
        if following is None or following.kind == ProcessStep.Kind.RETURN:
            d.state = State.RESULT_READY
            d.finished_at = now
            if following is None:
                d.current_step, d.current_agency, d.holder = None, d.agency, None
                d.current_step_started_at, d.current_step_due_at = now, None
            else:
                enter_step(d, following, now, holder)
        else:
            d.state = State.IN_STEP
            enter_step(d, following, now, holder)
        fields.update(note=note, handed_to=holder, next_step_name=following.name if following else "")
        return fields

    return _transition(dossier, "advance", actor, apply, expected_step_id=expected_step_id)


def assign(dossier, actor, to_user, note: str = "") -> Dossier:
    """Hand the dossier to a named person for the current step (e.g. the leader assigns a specialist)."""
    if to_user in (None, ""):
        raise ValidationError({"to_user": _("Chưa chọn cán bộ nhận hồ sơ.")})

    def apply(d, now):
        holder = _user_for_step(to_user, d, d.current_step)
        d.holder = holder
        return {
            "agency": d.current_agency,
            "step": d.current_step,
            "step_name": getattr(d.current_step, "name", ""),
            "step_due_at": d.current_step_due_at,
            "handed_to": holder,
            "note": note,
        }

    return _transition(dossier, "assign", actor, apply)


def send_back(dossier, actor, note: str, expected_step_id=None) -> Dossier:
    """Send the dossier back to the previous resolving step (Trả lại bước trước), with the reason."""
    note = _required(note, "note", _("Phải ghi rõ ý kiến khi trả lại bước trước."))

    def apply(d, now):
        fields = step_event_fields(d, now)
        previous = _previous_resolving_step(d, d.current_step)
        enter_step(d, previous, now)
        d.state = State.IN_STEP
        fields.update(note=note, next_step_name=previous.name)
        return fields

    return _transition(dossier, "send_back", actor, apply, expected_step_id=expected_step_id)


def _pause(d: Dossier, state: str, now) -> None:
    d.paused_state = d.state
    d.paused_at = now
    d.state = state


def _utc(instant: datetime.datetime) -> str:
    """An instant as the events' data record it: ISO 8601 in UTC (as read from the database or the clock)."""
    return instant.astimezone(datetime.UTC).isoformat()


def _resume(d: Dossier, now, cal=None) -> dict:
    """Move the clocks by the working time spent paused and restore the state held before the pause (`cal`: the
    working-time calendar, the agency's by default)."""
    cal = cal or calendar(d.agency)
    paused_from = d.paused_at
    data = {"paused_from": _utc(paused_from), "resumed_at": _utc(now)}
    if d.due_at is not None:
        data["due_before"] = _utc(d.due_at)
        d.due_at = cal.extend_for_pause(d.due_at, paused_from, now)
        data["due_after"] = d.due_at.isoformat()
    if d.appointment_at is not None:
        d.appointment_at = cal.extend_for_pause(d.appointment_at, paused_from, now)
    if d.current_step_due_at is not None:
        d.current_step_due_at = cal.extend_for_pause(d.current_step_due_at, paused_from, now)
    d.state = d.paused_state or State.IN_STEP
    d.paused_state, d.paused_at = "", None
    return data


def _required(value, field: str, message: str) -> str:
    value = (value or "").strip() if isinstance(value, str) or value is None else value
    if not value:
        raise ValidationError({field: message})
    return value


def request_supplement(dossier, actor, items, note: str = "") -> Dossier:
    """Ask once, listing everything missing (Mẫu 02); status 5 and the clock stops.

    Asked at reception, before the dossier is received (an online submission in "Mới đăng ký"), it is the
    reception's guidance to complete the dossier: the clock has not started, and it does not use up the
    once-only supplement request of the resolution.
    """
    if isinstance(items, str):
        items = [items]
    items = [str(i).strip() for i in (items or []) if str(i).strip()]
    if not items:
        raise ValidationError({"items": _("Phải liệt kê đầy đủ các giấy tờ cần bổ sung, hoàn thiện.")})

    return _transition(
        dossier, "request_supplement", actor, lambda d, now: supplement_requested(d, now, items, note)
    )


def supplement_requested(d: Dossier, now, items: list[str], note: str = "") -> dict:
    """The change a supplement request makes (live and in the bulk history): paused for the listed items, the
    once-only request counted unless asked at reception; returns the event's fields."""
    at_reception = d.state == State.ONLINE_PENDING
    _pause(d, State.PAUSED_SUPPLEMENT, now)
    if not at_reception:
        d.supplement_count += 1
    d.supplement_items = items
    data = {"items": items}
    if at_reception:
        data["at_reception"] = True
    return {
        "agency": d.current_agency or d.agency,
        "step": d.current_step,
        "step_name": getattr(d.current_step, "name", ""),
        "note": note,
        "data": data,
    }


def supplement(dossier, actor, note: str = "", as_applicant: bool = False) -> Dossier:
    """The applicant has supplemented: the clock resumes and the due instants move by the paused working time.

    A supplement requested at the reception of an online submission returns it to "Mới đăng ký": the clock has
    not started yet, so nothing moves; it starts afresh when the dossier is received. `as_applicant=True` when
    the applicant supplements online through their own account.
    """

    def apply(d, now):
        fields = supplemented(d, now, note)
        if as_applicant:
            fields["data"]["by_applicant"] = True
        return fields

    return _transition(dossier, "supplement", actor, apply, as_applicant=as_applicant)


def supplemented(d: Dossier, now, note: str = "", cal=None) -> dict:
    """The change a supplement makes (live and in the bulk history, which passes its calendar `cal`): the clock
    resumes, or a dossier guided at reception returns to "Mới đăng ký"; returns the event's fields."""
    if d.paused_state == State.ONLINE_PENDING:
        data = {"paused_from": _utc(d.paused_at), "resumed_at": _utc(now), "at_reception": True}
        d.state, d.paused_state, d.paused_at = State.ONLINE_PENDING, "", None
        d.due_at = d.appointment_at = d.current_step_due_at = None
    else:
        data = _resume(d, now, cal)
    return {"agency": d.agency, "note": note, "data": data}


def request_financial_obligation(dossier, actor, note: str = "") -> Dossier:
    """Wait for the applicant's financial obligation (e.g. land tax): status 6, the clock stops."""

    def apply(d, now):
        _pause(d, State.PAUSED_FINANCIAL, now)
        return {
            "agency": d.current_agency,
            "step": d.current_step,
            "step_name": getattr(d.current_step, "name", ""),
            "note": note,
        }

    return _transition(dossier, "request_financial_obligation", actor, apply)


def fulfil_financial_obligation(dossier, actor, note: str = "") -> Dossier:
    """The financial obligation is met: the clock resumes (due instants move by the paused working time)."""

    def apply(d, now):
        data = _resume(d, now)
        return {"agency": d.current_agency, "note": note, "data": data}

    return _transition(dossier, "fulfil_financial_obligation", actor, apply)


def refuse(dossier, actor, reason: str) -> Dossier:
    """Refuse during resolution: the dossier is returned to the applicant with written reasons (status 8)."""
    reason = _required(reason, "reason", _("Phải ghi rõ lý do trả lại hồ sơ."))

    def apply(d, now):
        fields = step_event_fields(d, now) if d.state in workflow.ACTIVE else {"agency": d.current_agency}
        d.state = State.STOPPED
        d.closing_reason = reason
        d.paused_state, d.paused_at, d.holder = "", None, None
        fields["note"] = reason
        return fields

    return _transition(dossier, "refuse", actor, apply)


def withdraw(dossier, actor, reason: str) -> Dossier:
    """Withdrawal at the applicant's request (status 7)."""
    reason = _required(reason, "reason", _("Phải ghi rõ lý do rút hồ sơ."))

    def apply(d, now):
        d.state = State.WITHDRAWN
        d.closing_reason = reason
        d.paused_state, d.paused_at, d.holder = "", None, None
        return {"agency": d.agency, "note": reason}

    return _transition(dossier, "withdraw", actor, apply)


def apologize(dossier, actor, new_appointment_at: datetime.datetime, reason: str) -> Dossier:
    """The apology letter (Mẫu 04): a new appointment, sent at least one working day before the current one.

    Moves `appointment_at` only; the legal `due_at` stays for the statistics.
    """
    reason = _required(reason, "reason", _("Phải ghi rõ lý do chậm trả kết quả."))
    if not isinstance(new_appointment_at, datetime.datetime):
        raise ValidationError({"new_appointment_at": _("Ngày hẹn trả mới không hợp lệ.")})
    if timezone.is_naive(new_appointment_at):
        new_appointment_at = timezone.make_aware(new_appointment_at)

    def apply(d, now):
        current = d.appointment_at or d.due_at
        if current is None:
            raise TransitionNotAllowed(_("Hồ sơ không có ngày hẹn trả nên không cần phiếu xin lỗi."))
        if new_appointment_at <= current:
            raise ValidationError(
                {"new_appointment_at": _("Ngày hẹn trả mới phải sau ngày hẹn trả hiện tại.")}
            )
        data = {
            "previous_appointment_at": current.isoformat(),
            "new_appointment_at": new_appointment_at.isoformat(),
        }
        d.appointment_at = new_appointment_at
        d.apology_count += 1
        return {"agency": d.current_agency or d.agency, "note": reason, "data": data}

    return _transition(dossier, "apologize", actor, apply)


def return_result(dossier, actor, note: str = "") -> Dossier:
    """The result is handed to the applicant (status 10)."""

    def apply(d, now):
        fields = step_event_fields(d, now)
        d.state = State.RETURNED
        d.returned_at = now
        d.holder = None
        fields["note"] = note
        return fields

    return _transition(dossier, "return_result", actor, apply)


def record_result(dossier, actor, file_result) -> Dossier:
    """The result of the dossier is registered by the resolving agency; the dossier stays where it is.

    `file_result(d)` files the result document of the locked dossier `d` and returns the note of the event
    (e.g. the result's number); slow work (rendering, signing) must be done before, as the row is locked.
    """

    def apply(d, now):
        return {"agency": d.resolving_agency or d.agency, "note": file_result(d)}

    return _transition(dossier, "register_result", actor, apply)
