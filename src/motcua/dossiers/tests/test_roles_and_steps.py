"""Each step is done by its role at its agency; others are refused and nothing changes."""

import datetime

import pytest

from motcua.accounts.tests.factories import UserFactory
from motcua.dossiers import services
from motcua.dossiers.exceptions import ActionForbidden, TransitionNotAllowed
from motcua.dossiers.states import State

from .factories import ApplicantFactory, ProcedureWithProcessFactory, StaffSet, grant

pytestmark = pytest.mark.django_db


def received(staff, procedure):
    return services.intake(procedure=procedure, applicant=ApplicantFactory(), actor=staff.officer)


def test_the_process_is_walked_by_officer_specialist_leader_clerk_officer(staff, procedure, monday_morning):
    dossier = received(staff, procedure)
    assert dossier.received_by == staff.officer
    for actor, kind_after in [
        (staff.officer, "appraisal"),
        (staff.specialist, "approval"),
        (staff.leader, "issue"),
        (staff.clerk, "return"),
    ]:
        assert "advance" in services.allowed_actions(dossier, actor)
        dossier = services.advance(dossier, actor)
        assert dossier.current_step.kind == kind_after
    assert dossier.state == State.RESULT_READY
    dossier = services.return_result(dossier, staff.officer)
    assert dossier.status == 10
    actors = [e.actor for e in dossier.events.order_by("at", "id")]
    assert actors == [
        staff.officer,
        staff.officer,
        staff.specialist,
        staff.leader,
        staff.clerk,
        staff.officer,
    ]


@pytest.mark.parametrize("who", ["specialist", "leader", "clerk"])
def test_only_the_steps_role_may_advance_it(staff, procedure, who):
    dossier = received(staff, procedure)  # at the transfer step (reception officer)
    with pytest.raises(ActionForbidden):
        services.advance(dossier, getattr(staff, who))
    dossier.refresh_from_db()
    assert dossier.current_step.kind == "transfer"
    assert dossier.events.count() == 1


def test_a_specialist_of_another_agency_may_not_act(staff, procedure):
    dossier = services.advance(received(staff, procedure), staff.officer)
    outsider = UserFactory()
    grant(outsider, "specialist", ProcedureWithProcessFactory().resolving_agency)
    with pytest.raises(ActionForbidden):
        services.advance(dossier, outsider)
    assert services.allowed_actions(dossier, outsider) == []


def test_the_leader_sends_back_to_appraisal_with_a_reason(staff, procedure):
    dossier = services.advance(services.advance(received(staff, procedure), staff.officer), staff.specialist)
    assert dossier.current_step.kind == "approval"
    dossier = services.send_back(dossier, staff.leader, "Bổ sung ý kiến thẩm định")
    assert dossier.current_step.kind == "appraisal"
    assert dossier.events.order_by("-id").first().note == "Bổ sung ý kiến thẩm định"


def test_the_leader_assigns_a_named_specialist_who_must_hold_the_role(staff, procedure):
    dossier = services.advance(received(staff, procedure), staff.officer)
    dossier = services.assign(dossier, staff.leader, staff.specialist.username)
    assert dossier.holder == staff.specialist
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.assign(dossier, staff.leader, staff.clerk.username)


def test_stale_page_cannot_advance_a_dossier_someone_else_already_moved(staff, procedure):
    dossier = received(staff, procedure)
    seen_step = dossier.current_step_id
    services.advance(dossier, staff.officer, expected_step_id=seen_step)
    with pytest.raises(TransitionNotAllowed):
        services.advance(dossier, staff.officer, expected_step_id=seen_step)


def test_five_on_the_spot_skips_the_transfer(monday_morning):
    procedure = ProcedureWithProcessFactory(
        on_the_spot=True, time_limit_value=None, time_limit_unit="same_day"
    )
    staff = StaffSet(procedure)
    dossier = services.intake(
        procedure=procedure, applicant=ApplicantFactory(), actor=staff.officer, on_the_spot=True
    )
    assert dossier.on_the_spot
    assert dossier.current_step.kind == "appraisal"
    for actor in (staff.specialist, staff.leader, staff.clerk):
        dossier = services.advance(dossier, actor)
    dossier = services.return_result(dossier, staff.officer)
    assert dossier.status == 10
    assert dossier.returned_at.date() == dossier.received_at.date()
    assert "transfer" not in [e.step.kind for e in dossier.events.all() if e.step]


def test_five_on_the_spot_needs_the_procedure_flag(staff, procedure):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.intake(
            procedure=procedure, applicant=ApplicantFactory(), actor=staff.officer, on_the_spot=True
        )


def test_refusal_at_intake_gets_a_code_and_status_3(staff, procedure):
    dossier = services.refuse_at_intake(
        procedure=procedure,
        applicant=ApplicantFactory(),
        actor=staff.officer,
        reason="Không thuộc thẩm quyền",
    )
    assert dossier.status == 3
    assert dossier.code.endswith("-0001")
    assert dossier.closing_reason == "Không thuộc thẩm quyền"


def test_online_submission_gets_its_code_at_once_and_its_clock_at_reception(staff, procedure, monday_morning):
    dossier = services.submit_online(procedure=procedure, applicant=ApplicantFactory())
    assert (dossier.status, dossier.due_at) == (1, None)
    assert dossier.code.endswith("-221107-0001")
    monday_morning.shift(datetime.timedelta(days=1))
    dossier = services.receive(dossier, staff.officer)
    assert dossier.status == 2
    assert dossier.code.endswith("-221107-0001")  # the code given at submission never changes
    assert dossier.due_at is not None


def test_interlinked_step_at_another_agency_is_done_by_that_agencys_staff(staff, procedure):
    from motcua.catalog.models import ProcessStep

    commune = ProcedureWithProcessFactory().resolving_agency
    appraisal = ProcessStep.objects.get(template__procedure=procedure, kind="appraisal")
    appraisal.agency = commune
    appraisal.save()
    commune_specialist = UserFactory()
    grant(commune_specialist, "specialist", commune)
    dossier = services.advance(received(staff, procedure), staff.officer)
    assert dossier.current_agency == commune
    with pytest.raises(ActionForbidden):
        services.advance(dossier, staff.specialist)
    dossier = services.advance(dossier, commune_specialist)
    assert dossier.current_agency == procedure.resolving_agency
    assert dossier.events.order_by("-id").first().agency == commune


def test_events_are_append_only(staff, procedure):
    dossier = received(staff, procedure)
    event = dossier.events.get()
    with pytest.raises(TypeError):
        event.save()
    with pytest.raises(TypeError):
        event.delete()
    with pytest.raises(TypeError):
        dossier.events.all().update(note="sửa")


def test_roles_read_once_per_request_still_follow_assignment_changes(staff, procedure, monday_morning):
    """The role scopes are read once per user object; granting or ending an assignment is seen at once."""
    from motcua.org.models import StaffAssignment
    from motcua.org.tests.factories import AgencyFactory

    dossier = services.intake(procedure=procedure, applicant=ApplicantFactory(), actor=staff.officer)
    dossier = services.advance(dossier, staff.officer)  # now at appraisal, a specialist's step
    newcomer = UserFactory(full_name="Vũ Thị Mới Đến")
    assert services.allowed_actions(dossier, newcomer) == []
    assert not services.can_see(newcomer, dossier)
    grant(newcomer, "specialist", procedure.resolving_agency)
    assert services.can_see(newcomer, dossier)
    assert "advance" in services.allowed_actions(dossier, newcomer)
    StaffAssignment.objects.filter(user=newcomer, role="specialist").delete()
    assert "advance" not in services.allowed_actions(dossier, newcomer)
    # A reception officer of another agency receives for their own agency, not for this one.
    other = AgencyFactory()
    grant(newcomer, "reception_officer", other)
    mine = services.intake(procedure=procedure, applicant=ApplicantFactory(), actor=newcomer)
    assert mine.agency == other
