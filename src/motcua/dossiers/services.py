"""Intake and the lifecycle of a dossier: one function per transition of `workflow.TRANSITIONS`.

Every transition has the same shape (DESIGN.md): open a transaction, lock the dossier row, check the action
against the transition table, the user's role and the action's guard, change the dossier, append one event row,
and send `signals.dossier_changed` after commit. Any error raised before the end rolls everything back, so a
failure half-way leaves no half state.

Deadlines (REFERENCE §4): the legal due instant (`due_at`) comes from the procedure's time limit through the
working-time calendar, counted from the reception instant. Each process step gets its own due instant from its
share of the legal time, counted from the moment it starts. A supplement request or a financial obligation
pauses the clock; when it resumes, `due_at`, `appointment_at` and the step's due instant move by the working
time that elapsed while paused. An apology moves only `appointment_at` (the promise to the citizen); statistics
keep the legal `due_at`.
"""

import copy
import datetime
from decimal import Decimal

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from motcua.catalog import implementations
from motcua.catalog.models import Procedure, ProcessStep, ProcessTemplate
from motcua.org import permissions
from motcua.org.models import Agency
from motcua.prepared import PreparedValues
from motcua.workdays.services import get_calendar

from . import deadlines, workflow
from .codes import next_code
from .exceptions import ActionForbidden, TransitionNotAllowed, UnknownAction
from .models import Applicant, CounterGuidance, Dossier, DossierDocument, DossierEvent
from .regimes import regime_for
from .signals import components_received, dossier_changed
from .states import STATUS_OF_STATE, Channel, ReturnMethod, State

HOURS_PER_WORKING_DAY = Decimal(8)
RESOLVING_KINDS = (ProcessStep.Kind.APPRAISAL, ProcessStep.Kind.APPROVAL, ProcessStep.Kind.ISSUE)


# --- time ---------------------------------------------------------------------------------------------------


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


# --- process steps ------------------------------------------------------------------------------------------


def _steps(dossier: Dossier) -> list[ProcessStep]:
    if dossier.process_id is None:
        return []
    cache = getattr(dossier, "_steps_cache", None)
    if cache is None:
        process = dossier.process
        if process.procedure_id == dossier.procedure_id:
            process.procedure = dossier.procedure  # the steps' time budgets read it: no second fetch
        # Through the template's own manager every step gets this template object (and its procedure).
        cache = list(process.steps.select_related("agency").order_by("position", "id"))
        dossier._steps_cache = cache
    return cache


def next_step(dossier: Dossier, step: ProcessStep | None) -> ProcessStep | None:
    """The step of the dossier's process after `step` (the first step when `step` is None), or None."""
    steps = _steps(dossier)
    if step is None:
        return steps[0] if steps else None
    later = [s for s in steps if (s.position, s.id) > (step.position, step.id)]
    return later[0] if later else None


def _previous_resolving_step(dossier: Dossier, step: ProcessStep | None) -> ProcessStep | None:
    if step is None:
        return None
    earlier = [
        s
        for s in _steps(dossier)
        if (s.position, s.id) < (step.position, step.id) and s.kind in RESOLVING_KINDS
    ]
    return earlier[-1] if earlier else None


def step_agency(dossier: Dossier, step: ProcessStep | None) -> Agency:
    """The agency that works on `step`: the step's own, else the resolving agency (with no step: where the
    dossier is now)."""
    if step is None:
        return dossier.current_agency or dossier.resolving_agency
    return step.agency or dossier.resolving_agency


def enter_step(
    dossier: Dossier, step: ProcessStep | None, at: datetime.datetime, holder=None, cal=None
) -> None:
    """Put the dossier (unsaved) into `step` from `at`: where it is, with the step's due instant and its holder."""
    dossier.current_step = step
    dossier.current_agency = step_agency(dossier, step) if step else dossier.agency
    dossier.current_step_started_at = at
    dossier.current_step_due_at = step_due(step, dossier.channel, at, cal or calendar(dossier.agency))
    dossier.holder = holder


# --- permissions --------------------------------------------------------------------------------------------


def _is_staff_user(user) -> bool:
    return user is not None and getattr(user, "is_authenticated", False) and getattr(user, "pk", None)


def _holds(user, role: str, agency) -> bool:
    """Does the user hold `role` today for `agency` (an Agency or its pk)? A superuser holds every role."""
    return bool(_is_staff_user(user)) and permissions.has_role(user, role, agency=agency)


def _role_ok(user, dossier: Dossier, transition: workflow.Transition) -> bool:
    if user is not None and getattr(user, "is_superuser", False):
        return True
    for role, where in transition.roles:
        if role == workflow.STEP_ROLE:
            if dossier.current_step is None:
                continue
            role = dossier.current_step.role
        if where == workflow.RECEIVING:
            agency = dossier.agency
        elif where == workflow.RESOLVING:
            agency = dossier.resolving_agency
        else:
            agency = dossier.current_agency or dossier.resolving_agency
        if _holds(user, role, agency):
            return True
    return False


def can_see(user, dossier: Dossier) -> bool:
    """Staff see the dossiers of the agencies in their scope (receiving, resolving or now holding it)."""
    if user is None or not getattr(user, "is_authenticated", False):
        return False
    if user.is_superuser:
        return True
    scope = permissions.agency_ids_in_scope(user)
    return any(
        agency_id in scope
        for agency_id in {dossier.agency_id, dossier.resolving_agency_id, dossier.current_agency_id} - {None}
    )


def holds_role_for(user, dossier: Dossier, action: str) -> bool:
    """Whether the user holds one of the roles the transition table gives `action` on this dossier (whatever
    its state): what a screen checks before it offers the action's form."""
    return bool(_is_staff_user(user)) and _role_ok(user, dossier, workflow.TRANSITIONS[action])


def allowed_actions(dossier: Dossier, user) -> list[str]:
    """The actions this user may take on this dossier now (table, role and guards), as buttons or through
    `perform`; the actions of `workflow.DOCUMENT_ACTIONS` have their own screens and are not listed."""
    result = []
    for action in workflow.allowed_from(dossier.state):
        if action in workflow.DOCUMENT_ACTIONS:
            continue
        transition = workflow.TRANSITIONS[action]
        if _role_ok(user, dossier, transition) and _guard_message(dossier, action) is None:
            result.append(action)
    return result


def _guard_message(dossier: Dossier, action: str) -> str | None:
    """A reason why the rules (beyond the table) forbid `action` now, or None."""
    if action == "request_supplement":
        if dossier.state == State.ONLINE_PENDING:
            # Guidance at reception (Mẫu 02) is given once, fully, too; it is not the once-only request of the
            # resolution (`supplement_count`), which only counts requests made after reception.
            if dossier.supplement_items:
                return _(
                    "Hồ sơ đã được hướng dẫn bổ sung một lần khi tiếp nhận; nếu vẫn chưa đủ điều kiện, "
                    "hãy từ chối tiếp nhận."
                )
        elif dossier.supplement_count >= 1:
            return _(
                "Hồ sơ đã được yêu cầu bổ sung một lần; yêu cầu bổ sung chỉ được thực hiện một lần, đầy đủ."
            )
    if action == "apologize":
        return _apology_refusal(dossier, timezone.now())
    if action == "send_back" and _previous_resolving_step(dossier, dossier.current_step) is None:
        return _("Không có bước trước để trả lại.")
    if action == "advance" and dossier.current_step is None:
        return _("Hồ sơ không có quy trình xử lý để chuyển bước.")
    if action == "request_financial_obligation" and (
        dossier.current_step is None or dossier.current_step.kind not in RESOLVING_KINDS
    ):
        return _("Chỉ yêu cầu thực hiện nghĩa vụ tài chính trong khi đang giải quyết hồ sơ.")
    return None


def apology_window() -> Decimal:
    """How many working days before the appointment a dossier that will be late may get its apology letter
    (`MOTCUA_APOLOGY_PROMPT_WORKING_DAYS`, 2 by default; monitoring prompts for it from the same instant)."""
    value = Decimal(str(getattr(settings, "MOTCUA_APOLOGY_PROMPT_WORKING_DAYS", 2)))
    return max(value, Decimal(1))


def _apology_refusal(dossier: Dossier, now: datetime.datetime) -> str | None:
    """Why the apology letter (Mẫu 04) may not be issued now, or None (Decree 61/2018 Art. 19: for a dossier
    that will be late, sent at least one working day before the appointment)."""
    current = dossier.appointment_at or dossier.due_at
    if current is None:
        return _("Hồ sơ không có ngày hẹn trả nên không cần phiếu xin lỗi.")
    if dossier.state in workflow.PAUSED:
        return _(
            "Hồ sơ đang tạm dừng; ngày hẹn trả sẽ tự lùi theo thời gian tạm dừng, chưa cần phiếu xin lỗi."
        )
    left = calendar().working_time_between(now, current) if now < current else datetime.timedelta(0)
    if left < datetime.timedelta(hours=int(HOURS_PER_WORKING_DAY)):
        return _("Phiếu xin lỗi phải gửi trước ngày hẹn trả ít nhất 01 ngày làm việc.")
    window = datetime.timedelta(hours=float(HOURS_PER_WORKING_DAY * apology_window()))
    if left > window:
        return _(
            "Chỉ lập phiếu xin lỗi cho hồ sơ sẽ trễ hạn: còn hơn %(days)s ngày làm việc đến ngày hẹn trả "
            "(%(due)s), hồ sơ vẫn có thể giải quyết đúng hẹn."
        ) % {
            "days": f"{apology_window():g}",
            "due": timezone.localtime(current).strftime("%H:%M %d/%m/%Y"),
        }
    return None


# --- the transition shape -----------------------------------------------------------------------------------


def actor_name(user) -> str:
    """The name an event records for the person who acted (kept when the account is later removed)."""
    if user is None:
        return ""
    return user.get_full_name() if hasattr(user, "get_full_name") else str(user)


def _lock(dossier_or_pk) -> Dossier:
    pk = dossier_or_pk.pk if isinstance(dossier_or_pk, Dossier) else dossier_or_pk
    return (
        Dossier.objects.select_for_update(of=("self",))
        .select_related(
            "procedure", "agency", "resolving_agency", "current_agency", "current_step", "process"
        )
        .get(pk=pk)
    )


def _append_event(dossier: Dossier, *, action, actor, at, from_state, from_status, **fields) -> DossierEvent:
    event = DossierEvent.objects.create(
        dossier=dossier,
        at=at,
        action=action,
        actor=actor if getattr(actor, "pk", None) else None,
        actor_name=actor_name(actor),
        from_state=from_state or "",
        from_status=from_status,
        to_state=dossier.state,
        to_status=dossier.status,
        **fields,
    )
    transaction.on_commit(lambda: dossier_changed.send(sender=Dossier, dossier=dossier, event=event))
    return event


def _transition(dossier, action: str, actor, apply, *, expected_step_id=None, as_applicant=False) -> Dossier:
    """Run `apply(dossier, now) -> dict of event fields` as the transition `action`, with the common checks.

    `as_applicant`: the actor is the applicant acting online on their own dossier (the caller has checked that
    the dossier is theirs); only `workflow.APPLICANT_ACTIONS` may be taken that way.
    """
    if action not in workflow.TRANSITIONS:
        raise UnknownAction(action)
    transition = workflow.TRANSITIONS[action]
    if as_applicant and action not in workflow.APPLICANT_ACTIONS:
        raise ActionForbidden(_("Công dân không tự thực hiện được thao tác này."))
    with transaction.atomic():
        dossier = _lock(dossier)
        if not as_applicant and not can_see(actor, dossier):
            raise ActionForbidden(_("Bạn không có quyền với hồ sơ này."))
        if dossier.state not in transition.sources:
            raise TransitionNotAllowed(
                _("Hồ sơ đang ở trạng thái “%(state)s”, không thể thực hiện “%(action)s”.")
                % {"state": State(dossier.state).label, "action": transition.label}
            )
        if expected_step_id is not None and dossier.current_step_id != expected_step_id:
            raise TransitionNotAllowed(
                _("Hồ sơ đã được người khác chuyển sang bước khác; vui lòng tải lại trang."), code="stale"
            )
        if not as_applicant and not _role_ok(actor, dossier, transition):
            raise ActionForbidden(
                _("Bạn không có quyền “%(action)s” đối với hồ sơ này.") % {"action": transition.label}
            )
        message = _guard_message(dossier, action)
        if message:
            raise TransitionNotAllowed(message)
        from_state, from_status = dossier.state, dossier.status
        now = timezone.now()
        event_fields = apply(dossier, now)
        dossier.status = STATUS_OF_STATE[dossier.state]
        dossier.save()
        _append_event(
            dossier,
            action=action,
            actor=actor,
            at=now,
            from_state=from_state,
            from_status=from_status,
            **event_fields,
        )
    return dossier


def step_event_fields(dossier: Dossier, now: datetime.datetime, rate=deadlines.event_outcome) -> dict:
    """What the event records about the step being completed now (Mẫu 05). `rate(done_at, step_due_at,
    legal_due_at)` rates the step (`deadlines.event_outcome`; a bulk replay passes its own with the time zone
    looked up once)."""
    step = dossier.current_step
    if step is None:
        return {"agency": dossier.current_agency or dossier.agency}
    return {
        "agency": dossier.current_agency or step_agency(dossier, step),
        "step": step,
        "step_name": step.name,
        "step_due_at": dossier.current_step_due_at,
        "step_outcome": rate(now, dossier.current_step_due_at, dossier.due_at),
    }


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


# --- intake -------------------------------------------------------------------------------------------------


def _receiving_agency(actor, procedure: Procedure, agency: Agency | None) -> Agency:
    """The agency whose one-stop unit receives: the given one, else the actor's own, else the resolving one."""
    if agency is not None:
        return agency
    if _is_staff_user(actor) and not actor.is_superuser:
        own = permissions.primary_agency(actor, "reception_officer")
        if own is not None:
            return own
    return procedure.resolving_agency


def _check_intake(actor, procedure, agency, channel, return_method, received_at):
    errors = {}
    if channel not in Channel.values:
        errors["channel"] = _("Kênh nộp không hợp lệ.")
    elif channel == Channel.ONLINE and procedure.online_level == "none":
        errors["channel"] = _(
            "Thủ tục %(code)s không cung cấp dịch vụ công trực tuyến, không tiếp nhận hồ sơ nộp trực tuyến."
        ) % {"code": procedure.code}
    if return_method not in ReturnMethod.values:
        errors["return_method"] = _("Hình thức nhận kết quả không hợp lệ.")
    if procedure.status != Procedure.Status.PUBLISHED:
        errors["procedure"] = _("Thủ tục %(code)s không còn được công khai, không thể tiếp nhận hồ sơ.") % {
            "code": procedure.code
        }
    if received_at is not None:
        if not (actor is not None and (actor.is_superuser or actor.has_perm("dossiers.import_dossier"))):
            raise ActionForbidden(_("Chỉ người có quyền nhập hồ sơ lịch sử mới được ghi ngày tiếp nhận."))
        if received_at > timezone.now():
            errors["received_at"] = _("Ngày tiếp nhận không được ở tương lai.")
    if errors:
        raise ValidationError(errors)
    if not _holds(actor, "reception_officer", agency):
        raise ActionForbidden(_("Bạn không có quyền tiếp nhận hồ sơ cho cơ quan này."))


def resolve_agencies(procedure: Procedure, agency: Agency, day: datetime.date, chosen: Agency | None = None):
    """(the procedure as the resolving agency implements it, the resolution) for a dossier received by `agency`
    on `day`: refuses an agency that does not exist that day, and picks the resolving agency by the catalog's
    implementations (`motcua.catalog.implementations.resolve`). The procedure returned is the caller's own
    copy, carrying the implementation's own time limit and online level where it has them."""
    implementations.agency_exists_on(agency, day)
    resolution = implementations.resolve(procedure, agency, day, chosen)
    procedure = copy.copy(procedure)
    if resolution.implementation is not None:
        resolution.implementation.apply_to(procedure)
    return procedure, resolution


def _new_dossier(
    *,
    procedure,
    applicant,
    submitter,
    channel,
    agency,
    return_method,
    summary,
    set_count,
    on_the_spot,
    state: str,
    at: datetime.datetime,
    resolving_agency: Agency | None = None,
) -> Dossier:
    """A dossier not yet saved, submitted to `agency` at `at` and in `state` (the one place that stamps a new
    dossier; intake then receives it, `_record_new` saves it). `resolving_agency` is the applicant's choice
    among the implementing agencies; without it the rules of `motcua.catalog.implementations` pick one."""
    if on_the_spot and not procedure.on_the_spot:
        raise ValidationError({"on_the_spot": _("Thủ tục này không áp dụng “5 tại chỗ”.")})
    procedure, resolution = resolve_agencies(procedure, agency, timezone.localdate(at), resolving_agency)
    resolver = resolution.agency
    try:
        process, steps = procedure.process_with_steps(on_the_spot=on_the_spot, agency=resolver)
    except ProcessTemplate.DoesNotExist:
        process, steps = None, []
    dossier = Dossier(
        procedure=procedure,
        procedure_code=procedure.code,
        process=process,
        on_the_spot=on_the_spot,
        applicant=applicant,
        submitter=submitter if submitter is not None and submitter.pk != applicant.pk else None,
        channel=channel,
        agency=agency,
        current_agency=agency,
        resolving_agency=resolver,
        return_method=return_method,
        summary=summary or procedure.name[:500],
        set_count=set_count or getattr(procedure, "set_count", 1) or 1,
        regime=regime_for(agency, timezone.localdate(at)),
        submitted_at=at,
        state=state,
        status=STATUS_OF_STATE[state],
    )
    if process is not None:
        if process.procedure_id == procedure.pk:
            process.procedure = procedure  # the steps' time budgets read it: no second fetch
        dossier._steps_cache = steps
    dossier._transferred = resolution.transferred
    return dossier


def _record_transfer(dossier: Dossier, actor, at: datetime.datetime) -> DossierEvent | None:
    """The event of a dossier received at one point for an agency that point does not serve ("phi địa
    giới"): the receiving point hands it to the competent agency."""
    if not getattr(dossier, "_transferred", False):
        return None
    return _append_event(
        dossier,
        action="transfer_to_resolving",
        actor=actor,
        at=at,
        from_state=dossier.state,
        from_status=dossier.status,
        agency=dossier.resolving_agency,
        note=_(
            "Tiếp nhận tại %(receiving)s, chuyển %(resolving)s giải quyết (không phụ thuộc địa giới hành chính)."
        )
        % {"receiving": dossier.agency.name, "resolving": dossier.resolving_agency.name},
        data={
            "from_agency": dossier.agency.identity_code,
            "to_agency": dossier.resolving_agency.identity_code,
        },
    )


def _record_new(
    dossier: Dossier,
    *,
    action: str,
    actor,
    at: datetime.datetime,
    event_fields: dict,
    documents=None,
    historical: bool = False,
    take_code: bool = True,
) -> DossierEvent:
    """Save a new dossier with its code (see `_take_code`; none when it gets one only at reception), its
    components (when `documents` is given) and its first event. Call inside the creating transaction."""
    if take_code:
        _take_code(dossier, at)
    dossier.save()
    if documents is not None:
        rows = _save_documents(dossier, documents)
        components_received.send(
            sender=Dossier,
            dossier=dossier,
            documents=documents,
            rows=rows,
            actor=actor,
            historical=historical,
        )
    event = _append_event(
        dossier, action=action, actor=actor, at=at, from_state="", from_status=None, **event_fields
    )
    return event


def _save_documents(dossier: Dossier, documents) -> None:
    rows = []
    for position, doc in enumerate(documents or [], start=1):
        name = (doc.get("name") or "").strip()
        if not name:
            raise ValidationError(
                {"documents": _("Thành phần hồ sơ số %(n)d chưa có tên.") % {"n": position}}
            )
        originals, copies = int(doc.get("original_count") or 0), int(doc.get("copy_count") or 0)
        if originals < 0 or copies < 0:
            raise ValidationError({"documents": _("Số bản không được âm.")})
        rows.append(
            DossierDocument(
                dossier=dossier,
                position=position,
                name=name[:500],
                original_count=originals,
                copy_count=copies,
                file=doc.get("file") or "",
            )
        )
    return DossierDocument.objects.bulk_create(rows)


def intake(
    *,
    procedure: Procedure,
    applicant: Applicant,
    actor,
    channel: str = Channel.COUNTER,
    agency: Agency | None = None,
    submitter: Applicant | None = None,
    documents=(),
    return_method: str = ReturnMethod.COUNTER,
    summary: str = "",
    set_count: int | None = None,
    on_the_spot: bool = False,
    received_at: datetime.datetime | None = None,
    note: str = "",
    resolving_agency: Agency | None = None,
) -> Dossier:
    """Receive a complete dossier (counter, post, or an online submission accepted as it arrives).

    Gives it its code, computes the legal due instant (also the first appointment), completes the reception step
    and hands the dossier to the next step of its process. `received_at` is for importing history only.
    """
    agency = _receiving_agency(actor, procedure, agency)
    _check_intake(actor, procedure, agency, channel, return_method, received_at)
    with transaction.atomic():
        now = received_at or timezone.now()
        dossier = _new_dossier(
            procedure=procedure,
            applicant=applicant,
            submitter=submitter,
            channel=channel,
            agency=agency,
            return_method=return_method,
            summary=summary,
            set_count=set_count,
            on_the_spot=on_the_spot,
            state=State.RECEIVED,
            at=now,
            resolving_agency=resolving_agency,
        )
        _receive_into(dossier, actor, now, take_code=False)
        event = _record_new(
            dossier,
            action="receive",
            actor=actor,
            at=now,
            event_fields={"note": note, **dossier._reception_event},
            documents=documents,
            historical=received_at is not None,
        )
        transfer = _record_transfer(dossier, actor, now)
    dossier.new_events = [event] if transfer is None else [event, transfer]
    return dossier


def _take_code(dossier: Dossier, now: datetime.datetime) -> None:
    """Give the dossier about to be saved the next number of its agency's day. The counter row stays locked
    until the transaction ends, so concurrent intakes for one agency take turns from here to their commit (a
    few statements); the dossier is inserted with its code, never updated for it (an UPDATE of an indexed
    column rewrites every index entry of the row)."""
    dossier.code = next_code(dossier.agency, timezone.localdate(now))


def _receive_into(dossier: Dossier, actor, now: datetime.datetime, take_code: bool = True) -> None:
    """Code, clock and first step of a dossier being received now (shared by counter and online intake). An
    online submission keeps the code it got when submitted."""
    if take_code and not dossier.code:
        dossier.code = next_code(dossier.agency, timezone.localdate(now))
    dossier.received_at = now
    dossier.regime = regime_for(dossier.agency, timezone.localdate(now))
    dossier.received_by = actor if getattr(actor, "pk", None) else None
    dossier.submitted_at = dossier.submitted_at or now
    cal = calendar(dossier.agency)
    dossier.due_at = legal_due(dossier.procedure, dossier.channel, now, cal)
    dossier.appointment_at = dossier.due_at
    dossier.state = State.RECEIVED
    dossier.status = STATUS_OF_STATE[State.RECEIVED]
    first = next_step(dossier, None)
    event = {"agency": dossier.agency}
    if first is not None and first.kind == ProcessStep.Kind.RECEPTION:
        due = step_due(first, dossier.channel, now, cal)
        event.update(step=first, step_name=first.name, step_due_at=due, step_outcome=outcome(now, due))
        first = next_step(dossier, first)
    enter_step(dossier, first, now, cal=cal)
    if first is not None:
        event["next_step_name"] = first.name
    dossier._reception_event = event


def refuse_at_intake(
    *,
    procedure: Procedure,
    applicant: Applicant,
    actor,
    reason: str,
    channel: str = Channel.COUNTER,
    agency: Agency | None = None,
    submitter: Applicant | None = None,
    summary: str = "",
    resolving_agency: Agency | None = None,
) -> Dossier:
    """Record a refusal at the counter (Mẫu 03): outside competence or not eligible. Status 3, with a code."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": _("Phải ghi rõ lý do từ chối tiếp nhận.")})
    agency = _receiving_agency(actor, procedure, agency)
    _check_intake(actor, procedure, agency, channel, ReturnMethod.COUNTER, None)
    with transaction.atomic():
        now = timezone.now()
        dossier = _new_dossier(
            procedure=procedure,
            applicant=applicant,
            submitter=submitter,
            channel=channel,
            agency=agency,
            return_method=ReturnMethod.COUNTER,
            summary=summary,
            set_count=None,
            on_the_spot=False,
            state=State.REJECTED,
            at=now,
            resolving_agency=resolving_agency,
        )
        dossier.closing_reason = reason
        _record_new(
            dossier,
            action="refuse_intake",
            actor=actor,
            at=now,
            event_fields={"agency": agency, "note": reason},
        )
    return dossier


def _item_list(items) -> list[str]:
    if isinstance(items, str):
        items = items.splitlines()
    return [str(i).strip() for i in (items or []) if str(i).strip()]


def guide_at_counter(
    *,
    procedure: Procedure,
    applicant: Applicant,
    actor,
    items,
    note: str = "",
    agency: Agency | None = None,
) -> CounterGuidance:
    """Guide an incomplete dossier at the counter without receiving it (Mẫu 02): list, once and fully, what is
    missing. No dossier, no code, no clock; the guidance is recorded (who, when, procedure, applicant, items)
    for the slip and the counter's statistics."""
    items = _item_list(items)
    if not items:
        raise ValidationError({"items": _("Phải liệt kê đầy đủ các giấy tờ cần bổ sung, hoàn thiện.")})
    agency = _receiving_agency(actor, procedure, agency)
    _check_intake(actor, procedure, agency, Channel.COUNTER, ReturnMethod.COUNTER, None)
    return CounterGuidance.objects.create(
        procedure=procedure,
        agency=agency,
        applicant=applicant,
        officer=actor if getattr(actor, "pk", None) else None,
        officer_name=actor_name(actor),
        at=timezone.now(),
        items=items,
        note=(note or "").strip(),
    )


def counter_guidance_counts(agency_ids, day_from: datetime.date, day_to: datetime.date) -> dict:
    """How many guidance slips (Mẫu 02 without receiving) each officer gave at these agencies, days included:
    {officer name: count}, and the total under ""."""
    start = timezone.make_aware(datetime.datetime.combine(day_from, datetime.time.min))
    end = timezone.make_aware(
        datetime.datetime.combine(day_to + datetime.timedelta(days=1), datetime.time.min)
    )
    rows = CounterGuidance.objects.filter(agency_id__in=list(agency_ids), at__gte=start, at__lt=end)
    counts: dict = {}
    for name in rows.values_list("officer_name", flat=True):
        counts[name] = counts.get(name, 0) + 1
    counts[""] = sum(counts.values())
    return counts


def submit_online(
    *,
    procedure: Procedure,
    applicant: Applicant,
    agency: Agency | None = None,
    submitter: Applicant | None = None,
    return_method: str = ReturnMethod.ONLINE,
    summary: str = "",
    documents=(),
    resolving_agency: Agency | None = None,
) -> Dossier:
    """An online submission waiting for reception (status 1). It gets its code at once, as the National Public
    Service Portal gives one (the citizen follows the dossier by it; the code never changes afterwards); the
    clock starts at reception."""
    agency = agency or procedure.resolving_agency
    with transaction.atomic():
        now = timezone.now()
        dossier = _new_dossier(
            procedure=procedure,
            applicant=applicant,
            submitter=submitter,
            channel=Channel.ONLINE,
            agency=agency,
            return_method=return_method,
            summary=summary,
            set_count=None,
            on_the_spot=False,
            state=State.ONLINE_PENDING,
            at=now,
            resolving_agency=resolving_agency,
        )
        _record_new(
            dossier,
            action="submit_online",
            actor=None,
            at=now,
            event_fields={"agency": agency, "note": ""},
            documents=documents,
        )
        _record_transfer(dossier, None, now)
    return dossier


# --- transitions --------------------------------------------------------------------------------------------


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


def _resume(d: Dossier, now) -> dict:
    """Move the clocks by the working time spent paused and restore the state held before the pause."""
    cal = calendar(d.agency)
    paused_from = d.paused_at
    data = {"paused_from": paused_from.isoformat(), "resumed_at": now.isoformat()}
    if d.due_at is not None:
        data["due_before"] = d.due_at.isoformat()
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

    def apply(d, now):
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

    return _transition(dossier, "request_supplement", actor, apply)


def supplement(dossier, actor, note: str = "", as_applicant: bool = False) -> Dossier:
    """The applicant has supplemented: the clock resumes and the due instants move by the paused working time.

    A supplement requested at the reception of an online submission returns it to "Mới đăng ký": the clock has
    not started yet, so nothing moves; it starts afresh when the dossier is received. `as_applicant=True` when
    the applicant supplements online through their own account.
    """

    def apply(d, now):
        if d.paused_state == State.ONLINE_PENDING:
            data = {
                "paused_from": d.paused_at.isoformat(),
                "resumed_at": now.isoformat(),
                "at_reception": True,
            }
            d.state, d.paused_state, d.paused_at = State.ONLINE_PENDING, "", None
            d.due_at = d.appointment_at = d.current_step_due_at = None
        else:
            data = _resume(d, now)
        if as_applicant:
            data["by_applicant"] = True
        return {"agency": d.agency, "note": note, "data": data}

    return _transition(dossier, "supplement", actor, apply, as_applicant=as_applicant)


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


SUPPLEMENT_OVERDUE_REASON = gettext_lazy(
    "Quá thời hạn bổ sung, hoàn thiện hồ sơ mà người nộp hồ sơ không bổ sung; hồ sơ được trả lại."
)


def close_overdue_supplement(dossier, actor, reason: str = "") -> Dossier:
    """Close a dossier that waited for a supplement past its limit (`deadlines.supplement_due`): through the
    table's `refuse`, status 8 with the reason; one waiting since the guidance at the reception of an online
    submission was never received and is closed as not received (status 3). Refused, changing nothing, while
    the limit has not passed."""
    reason = (reason or "").strip() or str(SUPPLEMENT_OVERDUE_REASON)

    def apply(d, now):
        due = deadlines.supplement_due(d, calendar(d.agency))
        if due is None or now <= due:
            raise TransitionNotAllowed(
                _("Hồ sơ chưa quá hạn bổ sung (hạn bổ sung: %(due)s), chưa thể trả lại.")
                % {"due": timezone.localtime(due).strftime("%H:%M %d/%m/%Y") if due else "—"}
            )
        at_reception = d.paused_state == State.ONLINE_PENDING
        d.state = State.REJECTED if at_reception else State.STOPPED
        d.closing_reason = reason
        d.paused_state, d.paused_at, d.holder = "", None, None
        return {
            "agency": d.current_agency or d.agency,
            "note": reason,
            "data": {"supplement_overdue": True, "supplement_due_at": due.isoformat()},
        }

    return _transition(dossier, "refuse", actor, apply)


def resolve_on_the_spot(dossier, actor, note: str = "") -> Dossier:
    """ "5 tại chỗ": the officer who received the dossier appraises, approves, issues and returns it at the
    counter in one sitting. Each step goes through the transition table (`advance` for every resolving step,
    then `return_result`), so each is an event of the history with its own check of the officer's roles there
    (the delegation: the officer must hold the specialist's, leader's and clerk's roles the center's process
    gives its steps). All or nothing: a step the officer may not take leaves the dossier as it was."""
    dossier = dossier if isinstance(dossier, Dossier) else Dossier.objects.get(pk=dossier)
    if not dossier.on_the_spot:
        raise TransitionNotAllowed(_("Hồ sơ không giải quyết theo “5 tại chỗ”."))
    if not (getattr(actor, "pk", None) and dossier.received_by_id == actor.pk):
        raise ActionForbidden(_("Chỉ cán bộ đã tiếp nhận hồ sơ mới giải quyết “5 tại chỗ” tại quầy."))
    if dossier.state not in workflow.ACTIVE:
        raise TransitionNotAllowed(
            _("Hồ sơ đang ở trạng thái “%(state)s”, không thể giải quyết tại chỗ.")
            % {"state": State(dossier.state).label}
        )
    marker = _("Giải quyết “5 tại chỗ” tại quầy")
    text = f"{marker}: {note}" if note else str(marker)
    with transaction.atomic():
        for _i in range(len(_steps(dossier)) + 1):
            if dossier.state == State.RESULT_READY:
                break
            dossier = advance(dossier, actor, note=text)
        if dossier.state != State.RESULT_READY:
            raise TransitionNotAllowed(_("Quy trình “5 tại chỗ” không đưa hồ sơ đến bước trả kết quả."))
        dossier = return_result(dossier, actor, note=text)
    return dossier


# --- one entry point for the API and the screens -------------------------------------------------------------

ACTIONS = {
    "receive": receive,
    "refuse_intake": refuse_intake,
    "advance": advance,
    "assign": assign,
    "send_back": send_back,
    "request_supplement": request_supplement,
    "supplement": supplement,
    "request_financial_obligation": request_financial_obligation,
    "fulfil_financial_obligation": fulfil_financial_obligation,
    "refuse": refuse,
    "withdraw": withdraw,
    "apologize": apologize,
    "return_result": return_result,
    # Services made of transitions of the table (each recorded as its own event), not transitions themselves.
    "resolve_on_the_spot": resolve_on_the_spot,
    "close_overdue_supplement": close_overdue_supplement,
}
COMPOSITE_LABELS = {
    "resolve_on_the_spot": gettext_lazy("Giải quyết và trả kết quả tại chỗ (“5 tại chỗ”)"),
    "close_overdue_supplement": gettext_lazy("Trả lại hồ sơ quá hạn bổ sung"),
}


def action_label(action: str) -> str:
    if action in COMPOSITE_LABELS:
        return str(COMPOSITE_LABELS[action])
    return str(workflow.TRANSITIONS[action].label)


def composite_actions(dossier: Dossier, user) -> list[str]:
    """The composite services this user is offered on this dossier now (their own checks run again when taken)."""
    offered = []
    if (
        dossier.on_the_spot
        and dossier.state in workflow.ACTIVE
        and getattr(user, "pk", None)
        and dossier.received_by_id == user.pk
    ):
        offered.append("resolve_on_the_spot")
    if dossier.state == State.PAUSED_SUPPLEMENT and _role_ok(user, dossier, workflow.TRANSITIONS["refuse"]):
        limit = deadlines.reception_limits(dossier, cal=calendar(dossier.agency))
        if limit is not None and limit.passed:
            offered.append("close_overdue_supplement")
    return offered


PARAMETERS = {
    "receive": ("note",),
    "refuse_intake": ("reason",),
    "advance": ("note", "to_user", "expected_step_id"),
    "assign": ("to_user", "note"),
    "send_back": ("note", "expected_step_id"),
    "request_supplement": ("items", "note"),
    "supplement": ("note",),
    "request_financial_obligation": ("note",),
    "fulfil_financial_obligation": ("note",),
    "refuse": ("reason",),
    "withdraw": ("reason",),
    "apologize": ("new_appointment_at", "reason"),
    "return_result": ("note",),
    "resolve_on_the_spot": ("note",),
    "close_overdue_supplement": ("reason",),
}


def perform(dossier, actor, action: str, **params) -> Dossier:
    """Take `action` (a name of the transition table) with its parameters; unknown parameters are ignored."""
    if action not in ACTIONS:
        raise UnknownAction(action)
    accepted = {k: v for k, v in params.items() if k in PARAMETERS[action] and v is not None}
    if action == "apologize":
        accepted.setdefault("new_appointment_at", None)
        accepted.setdefault("reason", "")
    if action in ("refuse", "withdraw", "refuse_intake"):
        accepted.setdefault("reason", "")
    if action == "request_supplement":
        accepted.setdefault("items", [])
    if action == "send_back":
        accepted.setdefault("note", "")
    if action == "assign":
        accepted.setdefault("to_user", None)
    return ACTIONS[action](dossier, actor, **accepted)


# --- public lookup ------------------------------------------------------------------------------------------


def _pair_matches(people, phone: str, id_number: str) -> bool:
    """Whether the phone number or ID number given matches one of `people`' (phone, id_number) pairs."""
    from . import identity

    if phone:
        wanted = identity.normalize_phone(phone)
        if any(p_phone and p_phone == wanted for p_phone, _id in people):
            return True
    if id_number:
        wanted = "".join(id_number.split()).upper()
        if any(p_id and p_id.upper() == wanted for _phone, p_id in people):
            return True
    return False


def lookup(code: str, *, phone: str = "", id_number: str = "") -> Dossier | None:
    """The dossier with this code if the phone number or ID number matches its applicant (or submitter).

    A wrong pair gives the same None as an unknown code, so the lookup never tells whether a code exists.
    """
    # The code is unique: no ordering to compile or sort (a measurable part of this public, hot query).
    dossier = next(
        iter(
            Dossier.objects.select_related("procedure", "applicant", "submitter")
            .filter(code=code)
            .exclude(state=State.ONLINE_PENDING)
            .order_by()[:1]
        ),
        None,
    )
    if dossier is None:
        return None
    people = [(p.phone, p.id_number) for p in (dossier.applicant, dossier.submitter) if p is not None]
    return dossier if _pair_matches(people, phone, id_number) else None


_PUBLIC_STATUS_COLUMNS = (
    "id",
    "code",
    "procedure_code",
    "procedure__name",
    "status",
    "received_at",
    "appointment_at",
    "returned_at",
    "applicant__phone",
    "applicant__id_number",
    "submitter__phone",
    "submitter__id_number",
)


_PUBLIC_STATUS_EVENT_COLUMNS = ("events__at", "events__action", "events__agency__name")

# One round trip (a row per event, the dossier's columns repeated), compiled once per server thread
# (motcua.prepared): the ORM's building and compiling was most of this read's CPU.
_public_status_rows = PreparedValues(
    lambda code: (
        Dossier.objects.filter(code=code)
        .exclude(state=State.ONLINE_PENDING)
        .order_by("events__at", "events__id")
        .values_list(*_PUBLIC_STATUS_COLUMNS, *_PUBLIC_STATUS_EVENT_COLUMNS)
    ),
    args=(str,),
)


def public_status(code: str, *, phone: str = "", id_number: str = "") -> dict | None:
    """What the public status lookup shows of the dossier with this code, under the same rule as `lookup`:
    None unless the phone number or ID number matches its applicant (or submitter).

    The busiest public read, so it reads only the columns shown, as plain values (no model instances, one
    query): `{"code", "procedure_code", "procedure_name", "status", "received_at", "appointment_at",
    "returned_at", "events": [(at, action, agency name or None), ...]}`.
    """
    rows = _public_status_rows(code)
    if not rows:
        return None
    width = len(_PUBLIC_STATUS_COLUMNS)
    values = dict(zip(_PUBLIC_STATUS_COLUMNS, rows[0][:width], strict=True))
    people = [
        (values["applicant__phone"], values["applicant__id_number"]),
        (values["submitter__phone"], values["submitter__id_number"]),
    ]
    if not _pair_matches(people, phone, id_number):
        return None
    events = [row[width:] for row in rows if row[width] is not None]
    return {
        "code": values["code"],
        "procedure_code": values["procedure_code"],
        "procedure_name": values["procedure__name"],
        "status": values["status"],
        "received_at": values["received_at"],
        "appointment_at": values["appointment_at"],
        "returned_at": values["returned_at"],
        "events": events,
    }


# --- reorganisation -------------------------------------------------------------------------------------------


def move_open_dossiers(
    old: Agency, new: Agency, *, basis: str, at: datetime.datetime, actor=None
) -> list[str]:
    """Move every dossier of `old` that is not closed (received, in a step, paused, waiting for reception or
    for its result to be returned) to its successor `new`: receiving, resolving and current agency, one
    `reorganise` event each naming the legal basis. Codes do not change, so lookup, payment and the National
    Portal sync keep working with them; closed dossiers stay with `old`. Returns the codes moved (or the
    primary keys of dossiers without a code yet). Call inside the reorganisation's transaction."""
    from django.db.models import Q

    from .states import FINAL_STATES

    moving = list(
        Dossier.objects.select_for_update()
        .filter(Q(agency=old) | Q(resolving_agency=old) | Q(current_agency=old))
        .exclude(state__in=FINAL_STATES)
        .order_by("pk")
    )
    note = _("Chuyển từ %(old)s sang %(new)s theo %(basis)s.") % {
        "old": old.name,
        "new": new.name,
        "basis": basis,
    }
    for dossier in moving:
        changed = {}
        for field in ("agency", "resolving_agency", "current_agency"):
            if getattr(dossier, f"{field}_id") == old.pk:
                setattr(dossier, field, new)
                changed[field] = new.identity_code
        dossier.save(update_fields=[*changed, "updated_at"])
        _append_event(
            dossier,
            action="reorganise",
            actor=actor,
            at=at,
            from_state=dossier.state,
            from_status=dossier.status,
            agency=new,
            note=note,
            data={
                "from_agency": old.identity_code,
                "to_agency": new.identity_code,
                "basis": basis,
                **changed,
            },
        )
    return [d.code or f"#{d.pk}" for d in moving]
