"""Bulk replay of dossier histories with past instants, for importing history (the demo's nine months).

Real intake and resolution run one transaction per transition (`motcua.dossiers.services`): right for people
at counters, too slow for tens of thousands of historical dossiers loaded when the demo starts. This module
replays the same transitions in memory and writes the rows in bulk. It builds on the same domain pieces:

- the transition table (`workflow.TRANSITIONS`: an action is refused from a sub-state it does not start from);
- the legal and step time limits of the catalog (`Procedure.time_limit_for`, `ProcessStep.time_budget`);
- the working-time calendar (`WorkCalendar.add`, `extend_for_pause`), fetched once instead of per call;
- the public step functions of `services` (`unsaved_dossier`, `received`, `supplement_requested`,
  `supplemented`, `legal_due`, `step_due`, `next_step`, `step_agency`, `step_event_fields`, `actor_name`;
  `enter_step` is restated here to set the foreign keys without their descriptors' checks, and the dates of
  `outcome` are compared with the time zone looked up once), the status mapping (`STATUS_OF_STATE`) and the
  code format of `codes.format_code` with gap-free daily sequences.

`test_bulk_replay_matches_services` replays the same histories both ways and compares the dossiers and their
events field by field, so a change of the rules in `services` that this module misses fails the suite.
Only users with the import permission may write history with past instants.
"""

import datetime
from collections import defaultdict

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from motcua.catalog.models import ProcessStep
from motcua.dossiers import services, workflow
from motcua.dossiers.codes import format_code
from motcua.dossiers.exceptions import TransitionNotAllowed
from motcua.dossiers.models import Dossier, DossierCodeCounter, DossierEvent
from motcua.dossiers.regimes import regime_for
from motcua.dossiers.states import STATUS_OF_STATE, Channel, ReturnMethod, State, StepOutcome
from motcua.workdays.services import get_calendar

from . import facts
from .bulk import insert_rows, reserve_ids


class Event:
    """An event row waiting to be written (the columns of `DossierEvent`, foreign keys as ids)."""

    __slots__ = (
        "pk",
        "dossier_id",
        "at",
        "action",
        "actor_id",
        "actor_name",
        "agency_id",
        "step_id",
        "step_name",
        "step_due_at",
        "step_outcome",
        "handed_to_id",
        "next_step_name",
        "note",
        "from_status",
        "to_status",
        "from_state",
        "to_state",
        "data",
    )

    def __init__(self, **values):
        for name in self.__slots__:
            setattr(self, name, values.get(name))

    def row(self) -> dict:
        return {"id" if name == "pk" else name: getattr(self, name) for name in self.__slots__}


_ID = {"agency": "agency_id", "step": "step_id", "handed_to": "handed_to_id"}
_TEXT_DEFAULTS = {"step_name": "", "step_outcome": "", "next_step_name": "", "note": ""}


def _set_fk(instance, name: str, value) -> None:
    field = instance._meta.get_field(name)
    setattr(instance, field.attname, value.pk if value is not None else None)
    field.set_cached_value(instance, value)


class BulkHistory:
    """Collects dossiers and their events in memory; `save()` writes them (and their statistics facts)."""

    def __init__(self, actor, calendar=None):
        if not (actor is not None and (actor.is_superuser or actor.has_perm("dossiers.import_dossier"))):
            raise PermissionDenied(_("Chỉ người có quyền nhập hồ sơ lịch sử mới được ghi ngày tiếp nhận."))
        self.importer = actor
        self.calendar = calendar or get_calendar()
        self.dossiers: list[Dossier] = []
        self.events: dict[int, list[DossierEvent]] = defaultdict(list)
        self._counters: dict[tuple[int, datetime.date], int] = {}
        self._steps: dict[int, list[ProcessStep]] = {}
        self._now = timezone.now()
        self._actor_names: dict = {}
        self._tz = timezone.get_default_timezone()
        self._regimes: dict[tuple[int, datetime.date], str] = {}

    # --- time limits (the services' rules with the calendar fetched once) ---------------------------------

    def legal_due(self, procedure, channel, start):
        return services.legal_due(procedure, channel, start, self.calendar)

    def step_due(self, step, channel, start):
        return services.step_due(step, channel, start, self.calendar)

    def _enter_step(self, d, step, at, holder=None, cal=None):
        """services.enter_step, with the foreign keys set without the descriptor's checks (`cal`: the history's
        calendar)."""
        _set_fk(d, "current_step", step)
        _set_fk(d, "current_agency", services.step_agency(d, step) if step else d.agency)
        d.current_step_started_at = at
        d.current_step_due_at = services.step_due(step, d.channel, at, cal or self.calendar)
        _set_fk(d, "holder", holder)

    def outcome(self, done_at, due_at) -> str:
        """services.outcome with the time zone looked up once."""
        if due_at is None:
            return StepOutcome.ON_TIME
        done, due = done_at.astimezone(self._tz).date(), due_at.astimezone(self._tz).date()
        if done < due:
            return StepOutcome.EARLY
        if done == due:
            return StepOutcome.ON_TIME
        return StepOutcome.LATE

    def _step_event_fields(self, d, now) -> dict:
        """services.step_event_fields, rated with the time zone looked up once."""
        return services.step_event_fields(d, now, rate=self.event_outcome)

    def event_outcome(self, done_at, step_due_at, legal_due_at) -> str:
        """deadlines.event_outcome: the step's own rating, never better than the dossier's legal one."""
        own = self.outcome(done_at, step_due_at)
        if legal_due_at is None:
            return own
        legal = self.outcome(done_at, legal_due_at)
        rank = {StepOutcome.EARLY: 0, StepOutcome.ON_TIME: 1, StepOutcome.LATE: 2}
        return own if rank[own] >= rank[legal] else legal

    # --- rows ----------------------------------------------------------------------------------------------

    def _code(self, agency, day: datetime.date) -> str:
        key = (agency.pk, day)
        if key not in self._counters:
            row = DossierCodeCounter.objects.filter(agency=agency, day=day).first()
            self._counters[key] = row.last_number if row else 0
        self._counters[key] += 1
        return format_code(agency.identity_code, day, self._counters[key])

    def _event(self, d, *, action, actor, at, from_state, from_status, **fields):
        values = dict(_TEXT_DEFAULTS)
        for name, value in fields.items():
            if name in _ID:
                values[_ID[name]] = value.pk if value is not None else None
            else:
                values[name] = "" if value is None and name in _TEXT_DEFAULTS else value
        self.events[id(d)].append(
            Event(
                at=at,
                action=action,
                actor_id=actor.pk if getattr(actor, "pk", None) else None,
                actor_name=self._actor_names.setdefault(actor, services.actor_name(actor)),
                from_state=from_state or "",
                from_status=from_status,
                to_state=d.state,
                to_status=d.status,
                data=values.pop("data", None) or {},
                **values,
            )
        )

    def _check(self, d, action, at):
        if at > self._now:
            raise ValueError("History cannot be written in the future.")
        if d.state not in workflow.TRANSITIONS[action].sources:
            raise TransitionNotAllowed(f"{action} is not allowed from {d.state}")
        last = self.events[id(d)][-1].at if self.events[id(d)] else None
        if last is not None and at < last:
            raise ValueError("Events of a dossier must be replayed in order.")

    def steps_of(self, process) -> list[ProcessStep]:
        if process is None:
            return []
        if process.pk not in self._steps:
            self._steps[process.pk] = list(
                process.steps.select_related("agency", "template__procedure").order_by("position", "id")
            )
        return self._steps[process.pk]

    # --- intake --------------------------------------------------------------------------------------------

    def new(
        self,
        *,
        procedure,
        process,
        applicant,
        agency,
        channel=Channel.COUNTER,
        on_the_spot=False,
        return_method=ReturnMethod.COUNTER,
    ) -> Dossier:
        person = {"applicant_id": applicant} if isinstance(applicant, int) else {"applicant": applicant}
        d = services.unsaved_dossier(
            procedure,
            process=process,
            on_the_spot=on_the_spot,
            channel=channel,
            agency=agency,
            resolving_agency=procedure.resolving_agency,
            return_method=return_method,
            submitter=None,
            **person,
        )
        d._steps_cache = self.steps_of(process)
        self.dossiers.append(d)
        return d

    def _regime(self, agency, at) -> str:
        """The regime of a dossier received by `agency` at `at` (`regime_for`, read once per agency and day)."""
        key = (agency.pk, at.astimezone(self._tz).date())
        if key not in self._regimes:
            self._regimes[key] = regime_for(agency, key[1])
        return self._regimes[key]

    def submit_online(self, d, at) -> Dossier:
        d.code = self._code(d.agency, at.astimezone(self._tz).date())
        d.submitted_at = at
        d.regime = self._regime(d.agency, at)
        d.state = State.ONLINE_PENDING
        d.status = STATUS_OF_STATE[State.ONLINE_PENDING]
        d.current_agency = d.agency
        self._event(
            d,
            action="submit_online",
            actor=None,
            at=at,
            from_state="",
            from_status=None,
            agency=d.agency,
            note="",
        )
        return d

    def receive(self, d, at, actor, note="") -> Dossier:
        """Reception (intake at the counter, or receiving a pending online submission)."""
        submitted = bool(self.events[id(d)])  # an online submission waiting for reception
        from_state, from_status = (d.state, d.status) if submitted else ("", None)
        if submitted:
            self._check(d, "receive", at)
        d.code = d.code or self._code(d.agency, at.astimezone(self._tz).date())
        event = services.received(
            d,
            actor,
            at,
            cal=self.calendar,
            regime=self._regime(d.agency, at),
            rate=self.outcome,
            enter=self._enter_step,
        )
        self._event(
            d,
            action="receive",
            actor=actor,
            at=at,
            from_state=from_state,
            from_status=from_status,
            note=note,
            **event,
        )
        return d

    # --- transitions ---------------------------------------------------------------------------------------

    def _apply(self, d, action, at, actor, apply):
        self._check(d, action, at)
        from_state, from_status = d.state, d.status
        fields = apply(d, at)
        d.status = STATUS_OF_STATE[d.state]
        self._event(
            d, action=action, actor=actor, at=at, from_state=from_state, from_status=from_status, **fields
        )
        return d

    def advance(self, d, at, actor, note="") -> Dossier:
        def apply(d, now):
            fields = self._step_event_fields(d, now)
            following = services.next_step(d, d.current_step)
            if following is None or following.kind == ProcessStep.Kind.RETURN:
                d.state = State.RESULT_READY
                d.finished_at = now
                if following is None:
                    _set_fk(d, "current_step", None)
                    _set_fk(d, "current_agency", d.agency)
                    _set_fk(d, "holder", None)
                    d.current_step_started_at, d.current_step_due_at = now, None
                else:
                    self._enter_step(d, following, now)
            else:
                d.state = State.IN_STEP
                self._enter_step(d, following, now)
            fields.update(note=note, handed_to=None, next_step_name=following.name if following else "")
            return fields

        if d.current_step is None:
            raise TransitionNotAllowed("The dossier has no process step to complete.")
        return self._apply(d, "advance", at, actor, apply)

    def resolve(self, d, times, actor) -> Dossier:
        """Advance step after step at the given instants until the result is ready."""
        for at in times:
            if d.state not in workflow.ACTIVE:
                break
            self.advance(d, at, actor)
        return d

    def request_supplement(self, d, at, actor, items, note="") -> Dossier:
        """As `services.request_supplement`: asked at the reception of an online submission, it is the guidance
        to complete it (once too), not the once-only request of the resolution."""

        def apply(d, now):
            return services.supplement_requested(d, now, items, note)

        if d.state == State.ONLINE_PENDING:
            if d.supplement_items:
                raise TransitionNotAllowed("Guidance at reception is given once.")
        elif d.supplement_count >= 1:
            raise TransitionNotAllowed("A supplement is requested once.")
        return self._apply(d, "request_supplement", at, actor, apply)

    def supplement(self, d, at, actor, note="") -> Dossier:
        def apply(d, now):
            return services.supplemented(d, now, note, cal=self.calendar)

        return self._apply(d, "supplement", at, actor, apply)

    def withdraw(self, d, at, actor, reason) -> Dossier:
        def apply(d, now):
            d.state = State.WITHDRAWN
            d.closing_reason = reason
            d.paused_state, d.paused_at, d.holder = "", None, None
            return {"agency": d.agency, "note": reason}

        return self._apply(d, "withdraw", at, actor, apply)

    def refuse(self, d, at, actor, reason) -> Dossier:
        def apply(d, now):
            fields = (
                self._step_event_fields(d, now)
                if d.state in workflow.ACTIVE
                else {"agency": d.current_agency}
            )
            d.state = State.STOPPED
            d.closing_reason = reason
            d.paused_state, d.paused_at, d.holder = "", None, None
            fields["note"] = reason
            return fields

        return self._apply(d, "refuse", at, actor, apply)

    def return_result(self, d, at, actor, note="") -> Dossier:
        def apply(d, now):
            fields = self._step_event_fields(d, now)
            d.state = State.RETURNED
            d.returned_at = now
            d.holder = None
            fields["note"] = note
            return fields

        return self._apply(d, "return_result", at, actor, apply)

    # --- writing -------------------------------------------------------------------------------------------

    @transaction.atomic
    def save(self) -> int:
        """Write the dossiers, their events, the code counters and the statistics facts (derived here from the
        events written, so no dossier is left pending); returns the count."""
        for d, pk in zip(self.dossiers, reserve_ids(Dossier, len(self.dossiers)), strict=True):
            d.pk = d.id = pk
        now = timezone.now()
        fields = [f.attname for f in Dossier._meta.concrete_fields]
        rows = []
        for d in self.dossiers:
            row = {name: getattr(d, name) for name in fields}
            row["created_at"] = row["updated_at"] = now
            rows.append(row)
        insert_rows(Dossier, rows)
        events = [e for d in self.dossiers for e in self.events[id(d)]]
        for d in self.dossiers:
            for e in self.events[id(d)]:
                e.dossier_id = d.pk
        for e, pk in zip(events, reserve_ids(DossierEvent, len(events)), strict=True):
            e.pk = pk
        insert_rows(DossierEvent, [e.row() for e in events], batch_size=2000)
        existing = {
            (c.agency_id, c.day): c
            for c in DossierCodeCounter.objects.filter(
                agency_id__in={k[0] for k in self._counters}, day__in={k[1] for k in self._counters}
            )
        }
        new_counters = []
        for (agency_id, day), number in self._counters.items():
            if (agency_id, day) in existing:
                existing[(agency_id, day)].last_number = number
                existing[(agency_id, day)].save(update_fields=["last_number"])
            else:
                new_counters.append({"agency_id": agency_id, "day": day, "last_number": number})
        for row, pk in zip(new_counters, reserve_ids(DossierCodeCounter, len(new_counters)), strict=True):
            row["id"] = pk
        insert_rows(DossierCodeCounter, new_counters)
        derived = [
            facts.derive(d, self.events[id(d)], facts.dims_of(d)) for d in self.dossiers if d.received_at
        ]
        facts.store(derived, replace=False)
        return len(self.dossiers)
