"""One deadline rule everywhere (issue 20, finding 1): "overdue" means past the legal due instant; the step's
deadline is shown with its own label and never makes an overdue dossier look on time."""

import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine

from motcua.dossiers import deadlines, services
from motcua.dossiers.states import StepOutcome

from .conftest import bearer
from .factories import ApplicantFactory

pytestmark = pytest.mark.django_db
HCM = ZoneInfo("Asia/Ho_Chi_Minh")


def at(*args):
    return datetime.datetime(*args, tzinfo=HCM)


def _late_dossier_in_a_fresh_step(procedure, actor, clock):
    """Received Mon 07/11/2022 09:00 (3 working days: legal due Thu 10/11 09:00); the appraisal is finished
    on Fri 11/11 09:00, so the approval step starts then with its own, still running, deadline."""
    clock.move_to(at(2022, 11, 7, 9, 0))
    dossier = services.intake(procedure=procedure, applicant=ApplicantFactory(), actor=actor)
    dossier = services.advance(dossier, actor)  # transfer -> appraisal
    clock.move_to(at(2022, 11, 11, 9, 0))
    dossier = services.advance(dossier, actor)  # appraisal -> approval, a day after the legal due date
    return dossier


def test_a_dossier_past_its_legal_due_is_overdue_even_when_its_step_has_time_left(procedure, superuser):
    with time_machine.travel(at(2022, 11, 7, 9, 0), tick=False) as clock:
        dossier = _late_dossier_in_a_fresh_step(procedure, superuser, clock)
        clock.move_to(at(2022, 11, 11, 9, 30))
        due = deadlines.deadlines(dossier)
    assert dossier.due_at == at(2022, 11, 10, 9, 0)
    assert dossier.current_step_due_at > at(2022, 11, 11, 9, 30)  # the step itself still has time
    assert due.overdue
    assert due.legal.remaining.startswith("Quá hạn")
    assert due.step is not None and not due.step.passed and due.step.remaining.startswith("Còn")
    assert due.remaining == due.legal.remaining  # what a row shows first is the legal time


def test_inbox_row_and_dossier_page_show_the_same_legal_time_and_mark_it_overdue(
    client, procedure, superuser
):
    with time_machine.travel(at(2022, 11, 7, 9, 0), tick=False) as clock:
        dossier = _late_dossier_in_a_fresh_step(procedure, superuser, clock)
        clock.move_to(at(2022, 11, 11, 9, 30))
        client.force_login(superuser)
        inbox = client.get("/ho-so/?box=all").content.decode()
        page = client.get(f"/ho-so/{dossier.code}/").content.decode()
        legal = deadlines.deadlines(dossier).legal.remaining
    assert legal.startswith("Quá hạn")
    for html in (inbox, page):
        shown = html.split('data-testid="deadline-legal">', 1)[1].split("</span></span>", 1)[0]
        assert f'<span class="overdue">{legal}</span>' in shown + "</span>"
        assert "ontrack" not in shown
        assert "Hạn của bước" in html  # the step's deadline is there, with its own label


def test_a_step_finished_after_the_legal_due_date_is_rated_late_in_the_history(procedure, superuser):
    with time_machine.travel(at(2022, 11, 7, 9, 0), tick=False) as clock:
        dossier = _late_dossier_in_a_fresh_step(procedure, superuser, clock)
        clock.move_to(at(2022, 11, 11, 10, 0))  # refused within the approval step's own deadline
        dossier = services.refuse(dossier, superuser, "Không đủ điều kiện")
    refusal = dossier.events.get(action="refuse")
    assert refusal.step_due_at > at(2022, 11, 11, 10, 0)
    assert refusal.step_outcome == StepOutcome.LATE
    assert deadlines.deadlines(dossier).outcome == StepOutcome.LATE


def test_the_api_says_overdue_from_the_legal_due_instant(client, procedure, superuser):
    with time_machine.travel(at(2022, 11, 7, 9, 0), tick=False) as clock:
        dossier = _late_dossier_in_a_fresh_step(procedure, superuser, clock)
        body = client.get(f"/api/v1/dossiers/{dossier.code}", **bearer(superuser)).json()
    assert body["overdue"] is True
    assert body["current_step"]["due_at"] > body["due_at"]


@pytest.mark.parametrize(
    ("done", "step_due", "legal_due", "expected"),
    [
        # a step done early against its share on a dossier still within its legal date: early
        (at(2022, 11, 8, 9), at(2022, 11, 9, 9), at(2022, 11, 10, 9), StepOutcome.EARLY),
        # a step done before its own deadline after the legal due date: late
        (at(2022, 11, 11, 9), at(2022, 11, 14, 9), at(2022, 11, 10, 9), StepOutcome.LATE),
        # a step done after its own deadline but on the legal due date: late (its own)
        (at(2022, 11, 10, 9), at(2022, 11, 9, 9), at(2022, 11, 10, 17), StepOutcome.LATE),
        # on the legal due date, own deadline later: on time (legal, by date)
        (at(2022, 11, 10, 16), at(2022, 11, 14, 9), at(2022, 11, 10, 9), StepOutcome.ON_TIME),
        # no legal due date (a procedure with no time limit): the step's own rating
        (at(2022, 11, 10, 9), at(2022, 11, 14, 9), None, StepOutcome.EARLY),
    ],
)
def test_event_outcome_is_never_better_than_the_legal_one(done, step_due, legal_due, expected):
    assert deadlines.event_outcome(done, step_due, legal_due) == expected
