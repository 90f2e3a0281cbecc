"""Intake: receiving a dossier at the counter or online, refusing it at reception, online submission."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.catalog import implementations
from motcua.catalog.models import Procedure, ProcessStep, ProcessTemplate
from motcua.org import permissions
from motcua.org.models import Agency
from motcua.refcache import copied

from ..codes import next_code
from ..exceptions import ActionForbidden
from ..models import Applicant, Dossier, DossierDocument, DossierEvent
from ..regimes import regime_for
from ..signals import components_received
from ..states import STATUS_OF_STATE, Channel, ReturnMethod, State
from .access import _holds, _is_staff_user
from .clock import calendar, legal_due, outcome, step_due
from .steps import enter_step, next_step
from .transition import _append_event


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
    procedure = copied(procedure)
    if resolution.implementation is not None:
        resolution.implementation.apply_to(procedure)
    return procedure, resolution


def unsaved_dossier(
    procedure: Procedure,
    *,
    process,
    on_the_spot: bool,
    channel: str,
    agency: Agency,
    resolving_agency: Agency,
    return_method: str,
    summary: str = "",
    set_count: int | None = None,
    **fields,
) -> Dossier:
    """A new dossier of `procedure` submitted to `agency`, not saved (intake and the bulk history build theirs
    here): the procedure's code, its name as the summary and its number of sets unless given; `fields` are the
    dossier's other columns (the applicant, the state...)."""
    return Dossier(
        procedure=procedure,
        procedure_code=procedure.code,
        process=process,
        on_the_spot=on_the_spot,
        channel=channel,
        agency=agency,
        resolving_agency=resolving_agency,
        return_method=return_method,
        summary=summary or procedure.name[:500],
        set_count=set_count or getattr(procedure, "set_count", 1) or 1,
        **fields,
    )


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
    dossier = unsaved_dossier(
        procedure,
        process=process,
        on_the_spot=on_the_spot,
        channel=channel,
        agency=agency,
        resolving_agency=resolver,
        return_method=return_method,
        summary=summary,
        set_count=set_count,
        applicant=applicant,
        submitter=submitter if submitter is not None and submitter.pk != applicant.pk else None,
        current_agency=agency,
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
    savepoint: bool = True,
) -> Dossier:
    """Receive a complete dossier (counter, post, or an online submission accepted as it arrives).

    Gives it its code, computes the legal due instant (also the first appointment), completes the reception step
    and hands the dossier to the next step of its process. `received_at` is for importing history only.

    Inside a caller's transaction the intake is a savepoint, so a caller may catch its error and go on. A caller
    whose transaction always ends on the intake's error (the API) passes `savepoint=False` and saves the two
    statements: after an error its transaction can only be rolled back.
    """
    agency = _receiving_agency(actor, procedure, agency)
    _check_intake(actor, procedure, agency, channel, return_method, received_at)
    with transaction.atomic(savepoint=savepoint):
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
    dossier._reception_event = received(dossier, actor, now)


def received(
    dossier: Dossier,
    actor,
    now: datetime.datetime,
    *,
    cal=None,
    regime: str | None = None,
    rate=outcome,
    enter=enter_step,
) -> dict:
    """The change reception makes to a dossier that has its code (live and in the bulk history): the legal
    clock starts now, the reception step is completed and the dossier enters the step after it; returns the
    event's fields. The bulk history passes its own calendar `cal` (the agency's by default), `regime` (read
    once per agency and day), `rate(done_at, due_at)` of the reception step (`outcome`) and `enter(dossier,
    step, at, cal=)` (`enter_step`)."""
    dossier.received_at = now
    dossier.regime = regime or regime_for(dossier.agency, timezone.localdate(now))
    dossier.received_by = actor if getattr(actor, "pk", None) else None
    dossier.submitted_at = dossier.submitted_at or now
    cal = cal or calendar(dossier.agency)
    dossier.due_at = legal_due(dossier.procedure, dossier.channel, now, cal)
    dossier.appointment_at = dossier.due_at
    dossier.state = State.RECEIVED
    dossier.status = STATUS_OF_STATE[State.RECEIVED]
    first = next_step(dossier, None)
    event = {"agency": dossier.agency}
    if first is not None and first.kind == ProcessStep.Kind.RECEPTION:
        due = step_due(first, dossier.channel, now, cal)
        event.update(step=first, step_name=first.name, step_due_at=due, step_outcome=rate(now, due))
        first = next_step(dossier, first)
    enter(dossier, first, now, cal=cal)
    if first is not None:
        event["next_step_name"] = first.name
    return event


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
