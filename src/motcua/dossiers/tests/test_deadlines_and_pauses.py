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
        # The transfer to the resolving agency is due the same working day (received before 15:00).
        assert dossier.current_step.kind == "transfer"
        assert dossier.current_step_due_at == at(2022, 11, 7, 17, 0)
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
    monday_morning.shift(60 * 60 * 24)  # Tuesday 09:00: two working days before the appointment
    with pytest.raises(ValidationError):
        services.apologize(dossier, superuser, at(2022, 11, 9, 9, 0), "Sớm hơn")


def test_same_day_procedure_received_after_15h_is_due_the_next_working_day(superuser):
    from .factories import ProcedureWithProcessFactory

    procedure = ProcedureWithProcessFactory(
        time_limit_value=None, time_limit_unit="same_day", same_day_cutoff=True
    )
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


# --- the transfer to the resolving agency: same working day, or the next morning after 15:00 ------------------


@pytest.mark.parametrize(
    ("received", "transfer_due"),
    [
        # Friday 11/11/2022 before the cut-off: with the resolving agency by Friday's close.
        (at(2022, 11, 11, 14, 59), at(2022, 11, 11, 17, 0)),
        (at(2022, 11, 11, 15, 0), at(2022, 11, 11, 17, 0)),  # at 15:00 sharp: not "after 15:00"
        # Friday after 15:00: at the opening of the next working day, Monday 14/11 07:00, over the weekend.
        (at(2022, 11, 11, 15, 1), at(2022, 11, 14, 7, 0)),
        (at(2022, 11, 11, 16, 45), at(2022, 11, 14, 7, 0)),
        # Received on Saturday (outside working hours): reception counts from Monday's opening, before 15:00.
        (at(2022, 11, 12, 10, 0), at(2022, 11, 14, 17, 0)),
        # Friday 29/04/2022 after 15:00: 30/04 and 01/05 fall on the weekend and are observed on Monday 02/05
        # and Tuesday 03/05 -> Wednesday 04/05.
        (at(2022, 4, 29, 15, 30), at(2022, 5, 4, 7, 0)),
    ],
)
def test_transfer_step_is_due_the_same_working_day_or_the_next_opening_after_15h(
    procedure, superuser, received, transfer_due
):
    with time_machine.travel(received, tick=False):
        dossier = services.intake(procedure=procedure, applicant=ApplicantFactory(), actor=superuser)
    assert dossier.current_step.kind == "transfer"
    assert dossier.current_step_due_at == transfer_due
    # The legal due instant of the dossier is still counted from the reception itself.
    assert dossier.due_at == get_calendar().add(received, 3, "working_days")


def test_dossier_received_friday_after_15h_and_transferred_monday_morning_is_on_time(procedure, superuser):
    with time_machine.travel(at(2022, 11, 11, 15, 30), tick=False) as clock:
        on_time = services.intake(procedure=procedure, applicant=ApplicantFactory(), actor=superuser)
        late = services.intake(procedure=procedure, applicant=ApplicantFactory(), actor=superuser)
        clock.move_to(at(2022, 11, 14, 8, 15))
        services.advance(on_time, superuser)
        clock.move_to(at(2022, 11, 15, 8, 15))
        services.advance(late, superuser)
    assert on_time.events.get(action="advance").step_outcome == "on_time"
    assert late.events.get(action="advance").step_outcome == "late"
    assert late.events.get(action="advance").step_due_at == at(2022, 11, 14, 7, 0)


# --- supplement at reception (before the dossier is received) -----------------------------------------------


def test_supplement_guided_at_reception_does_not_count_and_the_clock_starts_at_receipt(procedure, superuser):
    with time_machine.travel(at(2022, 11, 7, 8, 0), tick=False) as clock:  # Monday
        dossier = services.submit_online(procedure=procedure, applicant=ApplicantFactory())
        clock.move_to(at(2022, 11, 7, 9, 0))
        dossier = services.request_supplement(dossier, superuser, ["Bản sao giấy chứng nhận kết hôn"])
        assert (dossier.state, dossier.status) == (State.PAUSED_SUPPLEMENT, 5)
        assert dossier.supplement_count == 0
        assert dossier.due_at is None
        clock.move_to(at(2022, 11, 9, 10, 0))  # the applicant supplements on Wednesday
        dossier = services.supplement(dossier, superuser, as_applicant=True)
        assert (dossier.state, dossier.status) == (State.ONLINE_PENDING, 1)
        assert dossier.due_at is None and dossier.appointment_at is None and dossier.paused_at is None
        clock.move_to(at(2022, 11, 10, 9, 0))  # received on Thursday
        dossier = services.receive(dossier, superuser)
        # 3 working days from the receipt (Thu 6 h + Fri 8 h + Mon 8 h + Tue 2 h), not from the submission and
        # not extended by the time spent waiting for the supplement.
        assert dossier.due_at == at(2022, 11, 15, 9, 0)
        assert dossier.appointment_at == dossier.due_at
        # The once-only supplement request of the resolution is still available, and then used up.
        clock.move_to(at(2022, 11, 11, 9, 0))
        dossier = services.request_supplement(dossier, superuser, ["Bản sao sổ hộ khẩu"])
        assert dossier.supplement_count == 1
        clock.move_to(at(2022, 11, 14, 9, 0))  # 8 working hours later
        dossier = services.supplement(dossier, superuser)
        assert dossier.due_at == at(2022, 11, 16, 9, 0)  # moved by the paused working time, this time
        with pytest.raises(TransitionNotAllowed, match="một lần"):
            services.request_supplement(dossier, superuser, ["Bản sao khác"])
    events = dossier.events.filter(action__in=["request_supplement", "supplement"]).order_by("at")
    request, resumed = events[:2]
    assert request.data == {"items": ["Bản sao giấy chứng nhận kết hôn"], "at_reception": True}
    assert resumed.data["at_reception"] is True and "due_after" not in resumed.data


def test_guidance_at_reception_is_given_once(procedure, superuser, monday_morning):
    dossier = services.submit_online(procedure=procedure, applicant=ApplicantFactory())
    dossier = services.request_supplement(dossier, superuser, ["Bản sao CCCD"])
    dossier = services.supplement(dossier, superuser)
    assert "request_supplement" not in services.allowed_actions(dossier, superuser)
    with pytest.raises(TransitionNotAllowed, match="một lần khi tiếp nhận"):
        services.request_supplement(dossier, superuser, ["Bản sao khác"])
    dossier.refresh_from_db()
    assert dossier.state == State.ONLINE_PENDING and dossier.supplement_items == ["Bản sao CCCD"]
    # The officer may still refuse the submission, or receive it.
    assert {"receive", "refuse_intake"} <= set(services.allowed_actions(dossier, superuser))


# --- refusal during resolution ------------------------------------------------------------------------------


def test_refusal_during_resolution_is_national_status_8_with_the_reason(procedure, superuser, monday_morning):
    dossier = services.intake(procedure=procedure, applicant=ApplicantFactory(), actor=superuser)
    dossier = services.advance(dossier, superuser)
    dossier = services.refuse(dossier, superuser, "Không đủ điều kiện cấp bản sao")
    # REFERENCE §1.1: 3 "Không được tiếp nhận" is for a dossier never received; a received dossier whose
    # resolution ends without a result is 8 "Dừng xử lý" (the 2025 "Thông báo dừng giải quyết hồ sơ").
    assert (dossier.state, dossier.status) == (State.STOPPED, 8)
    assert dossier.get_status_display() == "Dừng xử lý"
    assert dossier.closing_reason == "Không đủ điều kiện cấp bản sao"
    event = dossier.events.get(action="refuse")
    assert (event.from_status, event.to_status, event.note) == (4, 8, "Không đủ điều kiện cấp bản sao")
