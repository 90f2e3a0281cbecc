"""A hypothesis state machine drives random action sequences by random staff and checks the invariants."""

import re

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from motcua.dossiers import services, workflow
from motcua.dossiers.exceptions import TransitionNotAllowed
from motcua.dossiers.models import Dossier
from motcua.dossiers.states import STATUS_OF_STATE, State

from .builders import params_for
from .factories import ApplicantFactory, ProcedureWithProcessFactory, StaffSet

CODE = re.compile(r"^\d{3}\.\d{2}\.\d{2}\.[A-Z]\d{2}-\d{6}-\d{4}$")
ACTIONS = sorted(set(workflow.TRANSITIONS) - workflow.DOCUMENT_ACTIONS)
ROLES = ["officer", "specialist", "leader", "clerk"]


class DossierLifecycle(RuleBasedStateMachine):
    def __init__(self):
        super().__init__()
        procedure = ProcedureWithProcessFactory()
        self.staff = StaffSet(procedure)
        self.procedure = procedure
        self.dossier = None
        self.successes = 0
        self.first_code = None
        self.history: list[tuple[str, str, str]] = []

    @precondition(lambda self: self.dossier is None)
    @rule(online=st.booleans())
    def submit(self, online):
        applicant = ApplicantFactory()
        if online:
            self.dossier = services.submit_online(procedure=self.procedure, applicant=applicant)
        else:
            self.dossier = services.intake(
                procedure=self.procedure, applicant=applicant, actor=self.staff.officer
            )
        self.successes = 1

    @precondition(lambda self: self.dossier is not None)
    @rule(action=st.sampled_from(ACTIONS), who=st.sampled_from(ROLES))
    def act(self, action, who):
        actor = getattr(self.staff, who)
        before = Dossier.objects.values().get(pk=self.dossier.pk)
        params = params_for(action, self.dossier, actor)
        try:
            after = services.perform(self.dossier, actor, action, **params)
        except (TransitionNotAllowed, PermissionDenied, ValidationError):
            # Refused: nothing changed at all.
            assert Dossier.objects.values().get(pk=self.dossier.pk) == before
            return
        assert before["state"] in workflow.TRANSITIONS[action].sources
        self.history.append((action, before["state"], after.state))
        self.successes += 1
        self.dossier = after

    @invariant()
    def status_is_the_cache_of_the_state_and_history(self):
        if self.dossier is None:
            return
        d = Dossier.objects.get(pk=self.dossier.pk)
        assert d.status == STATUS_OF_STATE[d.state]
        events = list(d.events.order_by("at", "id"))
        assert len(events) == self.successes
        assert events[-1].to_state == d.state and events[-1].to_status == d.status
        for previous, current in zip(events, events[1:], strict=False):
            assert current.from_state == previous.to_state
        # Every dossier has its code from the start (an online submission when submitted), never changed.
        assert CODE.match(d.code or ""), d.code
        self.first_code = self.first_code or d.code
        assert d.code == self.first_code
        assert (d.paused_at is not None) == (d.state in workflow.PAUSED)
        assert d.supplement_count <= 1
        assert (d.returned_at is not None) == (d.state == State.RETURNED)
        if d.state in (State.RESULT_READY, State.RETURNED):
            assert d.finished_at is not None
        if d.due_at and d.appointment_at:
            assert d.appointment_at >= d.due_at


@pytest.mark.django_db
def test_random_action_sequences_keep_the_invariants():
    run_state_machine_as_test(
        DossierLifecycle,
        settings=settings(
            max_examples=20,
            stateful_step_count=15,
            deadline=None,
            suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
        ),
    )
