"""A dossier moves on track → near due → due today → overdue → badly overdue as frozen time passes, across a
weekend and across Tết; the domain function and the SQL filters over the stored instants always agree."""

import pytest
import time_machine

from motcua.dossiers import services
from motcua.monitoring import dashboard, due, watch
from motcua.monitoring.models import DueState, DueWatch

from .factories import Office, UserFactory, at, grant

STATES = [s for s in DueState.values if s != DueState.BADLY_OVERDUE]


def sql_state(dossier, now) -> str:
    """The one bucket the SQL filters put the dossier in (badly overdue checked inside overdue)."""
    rows = DueWatch.objects.filter(dossier=dossier)
    found = [s for s in STATES if rows.filter(watch.state_q(s, now)).exists()]
    assert len(found) == 1, found
    if found == [DueState.OVERDUE] and rows.filter(watch.state_q(DueState.BADLY_OVERDUE, now)).exists():
        return DueState.BADLY_OVERDUE
    return found[0]


def dashboard_bucket(dossier, now) -> str:
    """The bucket the dashboard's GROUP BY counts the dossier in (badly overdue is counted as overdue too)."""
    by_agency, _by_resolving = dashboard._grouped(DueWatch.objects.filter(dossier=dossier), now)
    [counts] = by_agency.values()
    found = [s for s in DueState.values if counts[s] and s != DueState.OVERDUE] or [DueState.OVERDUE]
    assert counts["total"] == 1 and len(found) == 1, counts
    if found == [DueState.BADLY_OVERDUE]:
        assert counts[DueState.OVERDUE] == 1
    return found[0]


def state_at(dossier, now) -> str:
    """The state at `now`: the same from the domain function, the SQL filters and the dashboard's counts."""
    dossier.refresh_from_db()
    with time_machine.travel(now, tick=False):
        domain = due.due_status(dossier).state
    assert sql_state(dossier, now) == domain
    assert dashboard_bucket(dossier, now) == domain
    return domain


@pytest.fixture
def office(db):
    return Office()


def test_across_a_weekend(office):
    # Thu 10/11/2022 09:00 + 3 working days (6 h Thu, 8 h Fri, 8 h Mon, 2 h Tue) = Tue 15/11 09:00
    dossier = office.receive(at(2022, 11, 10, 9))
    assert dossier.due_at == at(2022, 11, 15, 9)
    assert state_at(dossier, at(2022, 11, 10, 10)) == DueState.ON_TRACK
    assert state_at(dossier, at(2022, 11, 11, 16)) == DueState.ON_TRACK
    # the weekend does not count: on Sunday more than one working day is still left
    assert state_at(dossier, at(2022, 11, 13, 12)) == DueState.ON_TRACK
    # one working day before the due instant
    assert state_at(dossier, at(2022, 11, 14, 8, 59)) == DueState.ON_TRACK
    assert state_at(dossier, at(2022, 11, 14, 9)) == DueState.NEAR_DUE
    assert state_at(dossier, at(2022, 11, 15, 7)) == DueState.DUE_TODAY
    # past the due instant but the same date: still "due today", as the reports count it on time
    assert state_at(dossier, at(2022, 11, 15, 16)) == DueState.DUE_TODAY
    assert state_at(dossier, at(2022, 11, 16, 7)) == DueState.OVERDUE
    # late by more than the legal 3 working days again: after Fri 18/11 09:00
    assert state_at(dossier, at(2022, 11, 18, 8)) == DueState.OVERDUE
    assert state_at(dossier, at(2022, 11, 18, 10)) == DueState.BADLY_OVERDUE


def test_across_tet(office):
    # Thu 23/01/2025 09:00; 27/01–31/01 are Tết days off: due Tue 04/02/2025 09:00
    dossier = office.receive(at(2025, 1, 23, 9))
    assert dossier.due_at == at(2025, 2, 4, 9)
    assert state_at(dossier, at(2025, 1, 24, 16)) == DueState.ON_TRACK
    # in the middle of Tết the calendar says due in days, but 10 working hours are left
    assert state_at(dossier, at(2025, 1, 30, 10)) == DueState.ON_TRACK
    assert state_at(dossier, at(2025, 2, 3, 10)) == DueState.NEAR_DUE
    assert state_at(dossier, at(2025, 2, 4, 10)) == DueState.DUE_TODAY
    assert state_at(dossier, at(2025, 2, 5, 8)) == DueState.OVERDUE


def test_share_rule_makes_a_long_dossier_near_due_earlier(office, settings):
    # 10 working days from Mon 07/11/2022 09:00: due Mon 21/11 09:00; 20% = 2 working days before
    office.procedure.time_limit_value = 10
    office.procedure.save()
    dossier = office.receive(at(2022, 11, 7, 9))
    assert dossier.due_at == at(2022, 11, 21, 9)
    assert state_at(dossier, at(2022, 11, 17, 8)) == DueState.ON_TRACK
    assert state_at(dossier, at(2022, 11, 17, 10)) == DueState.NEAR_DUE
    settings.MOTCUA_NEAR_DUE_SHARE = 0
    watch.refresh_all()
    assert state_at(dossier, at(2022, 11, 17, 10)) == DueState.ON_TRACK
    assert state_at(dossier, at(2022, 11, 18, 10)) == DueState.NEAR_DUE


def test_paused_dossier_and_the_clock_after_resuming(office):
    dossier = office.receive(at(2022, 11, 10, 9))
    with time_machine.travel(at(2022, 11, 11, 9), tick=False):
        services.request_supplement(dossier, office.admin, ["Bản sao giấy khai sinh"])
    assert state_at(dossier, at(2022, 11, 21, 9)) == DueState.PAUSED
    with time_machine.travel(at(2022, 11, 21, 9), tick=False):
        services.supplement(dossier, office.admin)
    dossier.refresh_from_db()
    # paused 6 working days (Fri 11/11 09:00 to Mon 21/11 09:00): due Wed 23/11 09:00
    assert dossier.due_at == at(2022, 11, 23, 9)
    # the shares are of the legal 3 days, not of the span stretched by the pause
    assert state_at(dossier, at(2022, 11, 21, 16)) == DueState.ON_TRACK
    assert state_at(dossier, at(2022, 11, 22, 10)) == DueState.NEAR_DUE
    # badly overdue counts the legal time again, not the pause: after Mon 28/11 09:00
    assert state_at(dossier, at(2022, 11, 28, 8)) == DueState.OVERDUE
    assert state_at(dossier, at(2022, 11, 28, 10)) == DueState.BADLY_OVERDUE
    assert DueWatch.objects.get(dossier=dossier).due_at == dossier.due_at


def test_closed_dossier_leaves_the_watch(office):
    dossier = office.receive(at(2022, 11, 10, 9))
    assert DueWatch.objects.filter(dossier=dossier).exists()
    with time_machine.travel(at(2022, 11, 11, 9), tick=False):
        services.withdraw(dossier, office.admin, "Công dân xin rút")
    assert not DueWatch.objects.filter(dossier=dossier).exists()
    dossier.refresh_from_db()
    assert due.due_status(dossier) is None


def test_step_overrun_is_flagged_before_the_dossier_is_at_risk(office):
    # the appraisal step has 60% of 3 days = 14.4 working hours from Thu 09:00: due Mon 14/11 07:24
    dossier = office.receive(at(2022, 11, 10, 9))
    assert dossier.current_step.kind == "appraisal"
    assert dossier.current_step_due_at == at(2022, 11, 14, 7, 24)
    with time_machine.travel(at(2022, 11, 11, 16), tick=False):
        status = due.due_status(dossier)
    assert status.state == DueState.ON_TRACK and status.step_state == DueState.NEAR_DUE
    assert not status.step_overrun and not status.early_warning
    with time_machine.travel(at(2022, 11, 14, 8), tick=False):
        status = due.due_status(dossier)
    assert status.state == DueState.ON_TRACK
    assert status.step_overrun and status.early_warning
    assert status.step_state == DueState.DUE_TODAY
    assert DueWatch.objects.filter(watch.step_overrun_q(at(2022, 11, 14, 8)), dossier=dossier).exists()
    assert not DueWatch.objects.filter(watch.step_overrun_q(at(2022, 11, 11, 16))).exists()


def test_apology_letter_is_prompted_at_least_one_working_day_before_due(office):
    # due Tue 15/11 09:00: prompt from Fri 11/11 09:00 (2 working days before) until Mon 14/11 09:00
    dossier = office.receive(at(2022, 11, 10, 9))

    def prompt(now):
        with time_machine.travel(now, tick=False):
            return due.due_status(dossier).apology_prompt

    assert not prompt(at(2022, 11, 10, 16))
    assert prompt(at(2022, 11, 11, 10))
    with time_machine.travel(at(2022, 11, 11, 10), tick=False):
        assert due.due_status(dossier).apology_until == at(2022, 11, 14, 9)
    assert prompt(at(2022, 11, 14, 8))
    assert not prompt(at(2022, 11, 14, 10))  # too late for the letter: the service would refuse it now


def test_inbox_order_puts_my_late_work_first(office):
    from motcua.dossiers.models import Dossier

    mine_on_track = office.receive(at(2022, 11, 14, 9))
    mine_late = office.receive(at(2022, 11, 3, 9))
    colleague = UserFactory()
    grant(colleague, "specialist", office.agency)
    other_late = office.receive(at(2022, 11, 2, 9), holder=colleague)
    now = at(2022, 11, 15, 10)
    ordered = list(watch.inbox_order(Dossier.objects.all(), office.staff.specialist, now))
    assert ordered[:3] == [mine_late, other_late, mine_on_track]
    assert ordered[0].due_rank == due.URGENCY[DueState.BADLY_OVERDUE]


def test_refresh_rebuilds_missing_and_stale_rows(office):
    from io import StringIO

    from django.core.management import call_command

    kept = office.receive(at(2022, 11, 10, 9))
    closed = office.receive(at(2022, 11, 10, 10))
    DueWatch.objects.filter(dossier=kept).delete()
    # a dossier closed behind the application's back (e.g. a bulk import) still has its row
    type(closed).objects.filter(pk=closed.pk).update(state="returned", status=10)
    out = StringIO()
    call_command("refresh_due_watch", stdout=out)
    assert "1 hồ sơ đang theo dõi" in out.getvalue()
    assert list(DueWatch.objects.values_list("dossier_id", flat=True)) == [kept.pk]
