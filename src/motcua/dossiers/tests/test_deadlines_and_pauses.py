"""The clock of a dossier: legal due instant, step due instants, pauses (supplement over Tết), apologies."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from motcua.dossiers import services
from motcua.dossiers.exceptions import TransitionNotAllowed
from motcua.dossiers.states import State
from motcua.workdays.services import get_calendar

from .factories import ApplicantFactory

pytestmark = pytest.mark.django_db
HCM = ZoneInfo("Asia/Ho_Chi_Minh")


def at(*args):
    return datetime.datetime(*args, tzinfo=HCM)


def test_supplement_before_tet_supplied_after_it_moves_due_by_exactly_the_paused_working_time(
    procedure, superuser
):
    # Received Wednesday 22/01/2025 09:00 with 3 working days: Wed 6 h + Thu 8 h + Fri 8 h, then Tết
    # (27/01-31/01/2025) and the weekend, so 2 h on Monday 03/02: due Monday 03/02/2025 09:00.
    with time_machine.travel(at(2025, 1, 22, 9, 0), tick=False) as clock:
        dossier = services.intake(procedure=procedure, applicant=ApplicantFactory(), actor=superuser)
        assert dossier.due_at == at(2025, 2, 3, 9, 0)
        # Supplement requested Thursday 23/01 10:00 ...
        clock.move_to(at(2025, 1, 23, 10, 0))
        dossier = services.request_supplement(dossier, superuser, ["Bản sao sổ hộ khẩu"])
        paused_from = dossier.paused_at
        # ... supplied Tuesday 04/02 10:00, after Tết.
        clock.move_to(at(2025, 2, 4, 10, 0))
        dossier = services.supplement(dossier, superuser)
    calendar = get_calendar()
    paused = calendar.working_time_between(paused_from, at(2025, 2, 4, 10, 0))
    # Thu 5 h + Fri 8 h + (Tết and weekend: nothing) + Mon 8 h + Tue 3 h = 24 working hours.
    assert paused == datetime.timedelta(hours=24)
    assert calendar.working_time_between(at(2025, 2, 3, 9, 0), dossier.due_at) == paused
    assert dossier.due_at == at(2025, 2, 6, 9, 0)
    assert dossier.appointment_at == dossier.due_at
    assert dossier.state == State.RECEIVED
    assert dossier.paused_at is None


def test_financial_obligation_pauses_the_clock_too(procedure, superuser):
    with time_machine.travel(at(2022, 11, 7, 9, 0), tick=False) as clock:
        dossier = services.intake(procedure=procedure, applicant=ApplicantFactory(), actor=superuser)
        dossier = services.advance(services.advance(dossier, superuser), superuser)
        due = dossier.due_at
        dossier = services.request_financial_obligation(dossier, superuser, note="Nộp thuế sử dụng đất")
        assert dossier.status == 6
        clock.move_to(at(2022, 11, 8, 9, 0))  # 8 working hours later
        dossier = services.fulfil_financial_obligation(dossier, superuser)
    assert dossier.state == State.IN_STEP
    assert dossier.due_at == due + datetime.timedelta(days=1)


def test_each_step_gets_its_own_due_instant_and_the_event_records_the_outcome(procedure, superuser):
    with time_machine.travel(at(2022, 11, 7, 9, 0), tick=False) as clock:
        dossier = services.intake(procedure=procedure, applicant=ApplicantFactory(), actor=superuser)
        # Transfer has 5% of 3 working days = 1.2 working hours.
        assert dossier.current_step.kind == "transfer"
        assert dossier.current_step_due_at == at(2022, 11, 7, 10, 12)
        clock.move_to(at(2022, 11, 7, 9, 30))
        dossier = services.advance(dossier, superuser)
        # Appraisal has 60% = 14.4 working hours from Monday 09:30 -> Wednesday 07:54 (Mon 5.5 h, Tue 8 h, Wed 0.9 h).
        assert dossier.current_step_due_at == at(2022, 11, 9, 7, 54)
        clock.move_to(at(2022, 11, 10, 9, 0))  # the day after the step's due date
        dossier = services.advance(dossier, superuser, note="Chậm do chờ xác minh")
    transfer, appraisal = dossier.events.order_by("at", "id")[1:3]
    assert (transfer.step.kind, transfer.step_outcome) == ("transfer", "on_time")
    assert (appraisal.step.kind, appraisal.step_outcome) == ("appraisal", "late")
    assert appraisal.step_due_at == at(2022, 11, 9, 7, 54)
    assert appraisal.note == "Chậm do chờ xác minh"


def test_apology_must_come_at_least_one_working_day_before_the_appointment(procedure, superuser):
    with time_machine.travel(at(2022, 11, 7, 9, 0), tick=False) as clock:
        dossier = services.intake(procedure=procedure, applicant=ApplicantFactory(), actor=superuser)
        # Due Thursday 10/11 09:00; on Wednesday 14:00 less than 8 working hours remain.
        clock.move_to(at(2022, 11, 9, 14, 0))
        with pytest.raises(TransitionNotAllowed, match="01 ngày làm việc"):
            services.apologize(dossier, superuser, at(2022, 11, 15, 9, 0), "Cần xác minh")
        clock.move_to(at(2022, 11, 8, 9, 0))
        dossier = services.apologize(dossier, superuser, at(2022, 11, 15, 9, 0), "Cần xác minh")
    assert dossier.appointment_at == at(2022, 11, 15, 9, 0)
    assert dossier.due_at == at(2022, 11, 10, 9, 0)
    assert dossier.apology_count == 1


def test_apology_cannot_bring_the_appointment_forward(procedure, superuser, monday_morning):
    from django.core.exceptions import ValidationError

    dossier = services.intake(procedure=procedure, applicant=ApplicantFactory(), actor=superuser)
    with pytest.raises(ValidationError):
        services.apologize(dossier, superuser, at(2022, 11, 9, 9, 0), "Sớm hơn")


def test_same_day_procedure_received_after_15h_is_due_the_next_working_day(superuser):
    from .factories import ProcedureWithProcessFactory

    procedure = ProcedureWithProcessFactory(time_limit_value=None, time_limit_unit="same_day")
    with time_machine.travel(at(2022, 11, 11, 15, 30), tick=False):  # Friday 15:30
        dossier = services.intake(procedure=procedure, applicant=ApplicantFactory(), actor=superuser)
    assert dossier.due_at == at(2022, 11, 14, 17, 0)


def test_result_finished_early_is_counted_from_the_legal_due_date(procedure, superuser, monday_morning):
    dossier = services.intake(procedure=procedure, applicant=ApplicantFactory(), actor=superuser)
    for _ in range(4):
        dossier = services.advance(dossier, superuser)
    assert dossier.state == State.RESULT_READY
    assert dossier.status == 9
    assert dossier.finished_at.date() < dossier.due_at.date()
