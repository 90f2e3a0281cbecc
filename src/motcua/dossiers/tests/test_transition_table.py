"""Generated from the transition table: every allowed transition works, every forbidden one changes nothing."""

import pytest

from motcua.dossiers import services, workflow
from motcua.dossiers.exceptions import TransitionNotAllowed
from motcua.dossiers.models import Dossier, DossierEvent
from motcua.dossiers.states import STATUS_OF_STATE, State

from .builders import at_state, params_for

pytestmark = pytest.mark.django_db

# The actions taken through `perform` (a result is registered with its file: documents' tests cover it).
PERFORMED = {a: t for a, t in workflow.TRANSITIONS.items() if a not in workflow.DOCUMENT_ACTIONS}
ALLOWED = [(a, s) for a, t in PERFORMED.items() for s in sorted(t.sources)]
FORBIDDEN = [(a, s) for a, t in PERFORMED.items() for s in State.values if s not in t.sources]


def test_every_state_maps_to_one_portal_code_and_every_code_is_used():
    assert set(STATUS_OF_STATE) == set(State.values)
    assert sorted(set(STATUS_OF_STATE.values())) == list(range(1, 11))


@pytest.mark.parametrize(("action", "state"), ALLOWED, ids=[f"{a}-from-{s}" for a, s in ALLOWED])
def test_allowed_transition(action, state, procedure, superuser, monday_morning):
    dossier = at_state(state, procedure, superuser)
    assert dossier.state == state
    events_before = dossier.events.count()
    if action == "apologize":
        monday_morning.shift(60 * 60 * 24)  # the letter is for a dossier that will be late: 2 days before
    after = services.perform(dossier, superuser, action, **params_for(action, dossier, superuser))
    after.refresh_from_db()
    target = workflow.TRANSITIONS[action].target
    if target == workflow.SAME:
        assert after.state == state
    elif target == workflow.RESUME:
        assert after.state in (State.RECEIVED, State.IN_STEP)
    elif target == workflow.NEXT_STEP:
        assert after.state in (State.IN_STEP, State.RESULT_READY)
    elif target == workflow.PREVIOUS_STEP:
        assert after.state == State.IN_STEP
        assert after.current_step.position < dossier.current_step.position
    else:
        assert after.state == target
    assert after.status == STATUS_OF_STATE[after.state]
    assert after.events.count() == events_before + 1
    last = after.events.order_by("-at", "-id").first()
    assert (last.action, last.from_state, last.to_state) == (action, state, after.state)
    assert last.actor == superuser


@pytest.mark.parametrize(("action", "state"), FORBIDDEN, ids=[f"{a}-from-{s}" for a, s in FORBIDDEN])
def test_forbidden_transition_changes_nothing(action, state, procedure, superuser, monday_morning):
    dossier = at_state(state, procedure, superuser)
    before = Dossier.objects.values().get(pk=dossier.pk)
    events_before = DossierEvent.objects.filter(dossier=dossier).count()
    with pytest.raises(TransitionNotAllowed):
        services.perform(dossier, superuser, action, **params_for(action, dossier, superuser))
    assert Dossier.objects.values().get(pk=dossier.pk) == before
    assert DossierEvent.objects.filter(dossier=dossier).count() == events_before


def test_a_supplement_is_requested_only_once(procedure, superuser, monday_morning):
    dossier = at_state(State.RECEIVED, procedure, superuser)
    dossier = services.request_supplement(dossier, superuser, ["Bản sao CCCD"])
    dossier = services.supplement(dossier, superuser)
    with pytest.raises(TransitionNotAllowed, match="một lần"):
        services.request_supplement(dossier, superuser, ["Giấy tờ khác"])


def test_send_back_needs_an_earlier_resolving_step(procedure, superuser, monday_morning):
    dossier = at_state(State.RECEIVED, procedure, superuser)
    dossier = services.advance(dossier, superuser)  # now at appraisal: nothing before it to send back to
    with pytest.raises(TransitionNotAllowed):
        services.send_back(dossier, superuser, "Trả lại")
