"""The bulk replay used to import history writes exactly what the real transition functions write."""

import pytest
from django.core.exceptions import PermissionDenied

from motcua.accounts.tests.factories import UserFactory
from motcua.dossiers.exceptions import TransitionNotAllowed
from motcua.dossiers.models import Dossier
from motcua.reports.models import DossierFact
from motcua.reports.replay import BulkHistory
from motcua.reports.resolution import resolution_report

from .factories import ApplicantFactory, History, ProcedureWithProcessFactory, at

pytestmark = pytest.mark.django_db

DOSSIER_FIELDS = [
    "procedure_code",
    "process_id",
    "on_the_spot",
    "channel",
    "agency_id",
    "resolving_agency_id",
    "status",
    "state",
    "received_at",
    "submitted_at",
    "due_at",
    "appointment_at",
    "finished_at",
    "returned_at",
    "current_step_id",
    "current_agency_id",
    "current_step_started_at",
    "current_step_due_at",
    "paused_at",
    "paused_state",
    "supplement_count",
    "closing_reason",
    "set_count",
    "regime",
    "summary",
]
EVENT_FIELDS = [
    "at",
    "action",
    "actor_id",
    "actor_name",
    "agency_id",
    "step_id",
    "step_name",
    "step_due_at",
    "step_outcome",
    "next_step_name",
    "note",
    "from_status",
    "to_status",
    "from_state",
    "to_state",
    "data",
]


def snapshot(dossier):
    dossier = Dossier.objects.get(pk=dossier.pk)
    events = [{f: getattr(e, f) for f in EVENT_FIELDS} for e in dossier.events.order_by("at", "id")]
    fields = {f: getattr(dossier, f) for f in DOSSIER_FIELDS}
    fields["code_shape"] = dossier.code.rsplit("-", 1)[0]
    return fields, events


SCENARIOS = {
    "counter_resolved_returned": lambda s: (
        s.receive(at(2022, 11, 1, 9))
        .advance(at(2022, 11, 1, 10))
        .advance(at(2022, 11, 2, 10))
        .advance(at(2022, 11, 3, 9))
        .advance(at(2022, 11, 3, 15))
        .return_result(at(2022, 11, 4, 8))
    ),
    "online_supplement_resolved": lambda s: (
        s.submit(at(2022, 11, 1, 6), "online")
        .receive(at(2022, 11, 1, 7, 30), "online")
        .advance(at(2022, 11, 1, 9))
        .request_supplement(at(2022, 11, 2, 10))
        .supplement(at(2022, 11, 7, 10))
        .advance(at(2022, 11, 8, 9))
        .advance(at(2022, 11, 8, 10))
        .advance(at(2022, 11, 9, 9))
    ),
    # Guidance at reception (Mẫu 02) before the online submission is received: not the once-only supplement
    # request, which is still made during the resolution.
    "online_guidance_at_reception_then_supplement": lambda s: (
        s.submit(at(2022, 11, 1, 6), "online")
        .request_supplement(at(2022, 11, 1, 8))
        .supplement(at(2022, 11, 3, 9))
        .receive(at(2022, 11, 3, 10), "online")
        .advance(at(2022, 11, 3, 11))
        .request_supplement(at(2022, 11, 4, 10))
        .supplement(at(2022, 11, 8, 10))
        .advance(at(2022, 11, 9, 9))
        .advance(at(2022, 11, 9, 10))
        .advance(at(2022, 11, 10, 9))
    ),
    "withdrawn_while_paused": lambda s: (
        s.receive(at(2022, 11, 1, 9)).request_supplement(at(2022, 11, 1, 10)).withdraw(at(2022, 11, 3, 9))
    ),
    "refused_in_step": lambda s: (
        s.receive(at(2022, 11, 1, 9)).advance(at(2022, 11, 1, 10)).refuse(at(2022, 11, 2, 9))
    ),
    "on_the_spot_same_day": lambda s: (
        s.receive(at(2022, 11, 1, 9), on_the_spot=True)
        .advance(at(2022, 11, 1, 9, 30))
        .advance(at(2022, 11, 1, 10))
        .advance(at(2022, 11, 1, 10, 30))
        .return_result(at(2022, 11, 1, 11))
    ),
}


def services_call(name):
    from motcua.dossiers import services

    return getattr(services, name)


class ViaServices:
    def __init__(self, procedure, actor):
        self.procedure, self.actor, self.h, self.pending = procedure, actor, None, None

    def submit(self, instant, channel):
        import time_machine

        from motcua.dossiers import services

        with time_machine.travel(instant, tick=False):
            self.pending = services.submit_online(procedure=self.procedure, applicant=ApplicantFactory())
        return self

    def receive(self, instant, channel="counter", on_the_spot=False):
        if self.pending is not None:
            import time_machine

            from motcua.dossiers import services

            self.h = History.__new__(History)
            self.h.actor = self.actor
            with time_machine.travel(instant, tick=False):
                self.h.dossier = services.receive(self.pending, self.actor)
        else:
            self.h = History(self.procedure, self.actor, instant, channel=channel, on_the_spot=on_the_spot)
        return self

    def advance(self, instant):
        import time_machine

        from motcua.dossiers import services

        with time_machine.travel(instant, tick=False):
            self.h.dossier = services.advance(self.h.dossier, self.actor)
        return self

    def request_supplement(self, instant):
        if self.h is None:  # at the reception of the online submission
            return self._pending(instant, services_call("request_supplement"), ["Bản sao giấy tờ còn thiếu"])
        self.h.request_supplement(instant)
        return self

    def supplement(self, instant):
        if self.h is None:
            return self._pending(instant, services_call("supplement"))
        self.h.supplement(instant)
        return self

    def _pending(self, instant, call, *args):
        import time_machine

        with time_machine.travel(instant, tick=False):
            self.pending = call(self.pending, self.actor, *args)
        return self

    def __getattr__(self, name):
        def call(instant):
            getattr(self.h, name)(instant)
            return self

        return call

    @property
    def dossier(self):
        return self.h.dossier


class ViaBulk:
    def __init__(self, procedure, actor, bulk):
        self.procedure, self.actor, self.bulk, self.d = procedure, actor, bulk, None
        self.on_the_spot = False

    def _new(self, channel, on_the_spot=False):
        process = self.procedure.process_for(on_the_spot=on_the_spot, agency=self.procedure.resolving_agency)
        self.d = self.bulk.new(
            procedure=self.procedure,
            process=process,
            applicant=ApplicantFactory(),
            agency=self.procedure.resolving_agency,
            channel=channel,
            on_the_spot=on_the_spot,
            return_method="online" if channel == "online" else "counter",
        )

    def submit(self, instant, channel):
        self._new(channel)
        self.bulk.submit_online(self.d, instant)
        return self

    def receive(self, instant, channel="counter", on_the_spot=False):
        if self.d is None:
            self._new(channel, on_the_spot)
        self.bulk.receive(self.d, instant, self.actor)
        return self

    def advance(self, instant):
        self.bulk.advance(self.d, instant, self.actor)
        return self

    def request_supplement(self, instant):
        self.bulk.request_supplement(self.d, instant, self.actor, ["Bản sao giấy tờ còn thiếu"])
        return self

    def supplement(self, instant):
        self.bulk.supplement(self.d, instant, self.actor)
        return self

    def withdraw(self, instant):
        self.bulk.withdraw(self.d, instant, self.actor, "Công dân xin rút hồ sơ")
        return self

    def refuse(self, instant):
        self.bulk.refuse(self.d, instant, self.actor, "Không đủ điều kiện")
        return self

    def return_result(self, instant):
        self.bulk.return_result(self.d, instant, self.actor)
        return self

    @property
    def dossier(self):
        return self.d


@pytest.mark.parametrize("name", list(SCENARIOS))
def test_bulk_replay_matches_services(actor, name):
    procedure = ProcedureWithProcessFactory(on_the_spot=True, online_level="full")
    real = SCENARIOS[name](ViaServices(procedure, actor))
    bulk = BulkHistory(actor)
    replayed = SCENARIOS[name](ViaBulk(procedure, actor, bulk))
    bulk.save()
    real_fields, real_events = snapshot(real.dossier)
    bulk_fields, bulk_events = snapshot(replayed.dossier)
    assert bulk_fields == real_fields
    assert len(bulk_events) == len(real_events)
    for mine, theirs in zip(bulk_events, real_events, strict=True):
        assert mine == theirs
    # The statistics see both the same way.
    facts = {f.dossier_id: f for f in DossierFact.objects.all()}
    resolution_report("2022-11-01", "2022-11-30")  # syncs the facts of the real one
    facts = {f.dossier_id: f for f in DossierFact.objects.all()}
    a, b = facts[real.dossier.pk], facts[replayed.dossier.pk]
    for column in ("received_on", "ended_on", "ending", "outcome", "due_on", "supplement_on", "channel"):
        assert getattr(a, column) == getattr(b, column), column
    # Nothing before the reception: no supplement request, no day paused.
    assert a.supplement_on is None or a.supplement_on >= a.received_on
    assert all(s.start_on >= a.received_on for s in a.spells.all())
    assert [(s.start_on, s.end_on, s.paused, s.due_on) for s in a.spells.order_by("start_on")] == [
        (s.start_on, s.end_on, s.paused, s.due_on) for s in b.spells.order_by("start_on")
    ]


def test_bulk_replay_refuses_what_the_table_refuses(actor):
    procedure = ProcedureWithProcessFactory()
    bulk = BulkHistory(actor)
    d = bulk.new(
        procedure=procedure,
        process=procedure.process_for(),
        applicant=ApplicantFactory(),
        agency=procedure.resolving_agency,
    )
    bulk.receive(d, at(2022, 11, 1, 9), actor)
    with pytest.raises(TransitionNotAllowed):
        bulk.supplement(d, at(2022, 11, 1, 10), actor)  # nothing to resume
    bulk.request_supplement(d, at(2022, 11, 1, 10), actor, ["Giấy tờ"])
    bulk.supplement(d, at(2022, 11, 2, 10), actor)
    with pytest.raises(TransitionNotAllowed):
        bulk.request_supplement(d, at(2022, 11, 2, 11), actor, ["Giấy tờ khác"])  # only once
    with pytest.raises(ValueError):
        bulk.advance(d, at(2022, 11, 1, 8), actor)  # before the last event


def test_only_importers_may_write_history(db):
    with pytest.raises(PermissionDenied):
        BulkHistory(UserFactory())
