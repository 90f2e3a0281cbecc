"""Biểu 06 balances on random histories (issue 20, finding 3): every dossier of "received" is resolved, in
progress (paused ones included, within deadline or overdue) or ended otherwise (refused, withdrawn)."""

import datetime

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from motcua.dossiers.exceptions import TransitionNotAllowed
from motcua.reports.resolution import resolution_report

from .factories import History, ProcedureWithProcessFactory, at

pytestmark = pytest.mark.django_db

START = datetime.date(2022, 10, 24)
STEPS = ("resolve", "return", "supplement", "supplied", "financial", "fulfilled", "refuse", "withdraw")
plan = st.tuples(
    st.integers(0, 40),  # reception day after START
    st.sampled_from(["counter", "online", "postal"]),
    st.lists(st.tuples(st.integers(0, 6), st.sampled_from(STEPS)), max_size=3),
)


class _Rollback(Exception):
    pass


def _instant(day: datetime.date, hour: int = 9) -> datetime.datetime:
    return at(day.year, day.month, day.day, hour)


def _build(procedures, actor, plans):
    for k, (offset, channel, steps) in enumerate(plans):
        day = START + datetime.timedelta(days=offset)
        history = History(procedures[k % 2], actor, _instant(day), channel=channel)
        for gap, step in steps:
            day += datetime.timedelta(days=gap)
            when = _instant(day, 10)
            action = {
                "resolve": history.resolve,
                "return": history.return_result,
                "supplement": history.request_supplement,
                "supplied": history.supplement,
                "financial": history.request_financial_obligation,
                "fulfilled": history.fulfil_financial_obligation,
                "refuse": history.refuse,
                "withdraw": history.withdraw,
            }[step]
            try:
                action(when)
            except (TransitionNotAllowed, AttributeError):
                continue  # not allowed from where the dossier stands: the history goes on without it


def _balanced(counts: dict) -> bool:
    return (
        counts["received"]["total"]
        == (
            counts["resolved"]["total"]
            + counts["in_progress"]["total"]
            + counts["refused"]
            + counts["withdrawn"]
        )
        and counts["in_progress"]["total"]
        == (counts["in_progress"]["within_deadline"] + counts["in_progress"]["overdue"])
        and counts["in_progress"]["paused"] <= counts["in_progress"]["total"]
    )


@pytest.fixture
def world(db):
    from .factories import SuperuserFactory

    return SuperuserFactory(), [ProcedureWithProcessFactory(), ProcedureWithProcessFactory()]


@settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    plans=st.lists(plan, min_size=1, max_size=6),
    first=st.integers(0, 50),
    length=st.integers(0, 40),
)
def test_received_equals_resolved_plus_in_progress_plus_other_endings(world, plans, first, length):
    actor, procedures = world
    date_from = START + datetime.timedelta(days=first)
    date_to = date_from + datetime.timedelta(days=length)
    try:
        with transaction.atomic():
            _build(procedures, actor, plans)
            for group_by in ("agency", "procedure"):
                report = resolution_report(date_from, date_to, group_by=group_by).as_dict()
                assert _balanced(report["total"]), report["total"]
                for row in report["rows"]:
                    assert _balanced(row), row
            raise _Rollback
    except _Rollback:
        pass


def test_a_paused_dossier_is_in_progress_and_overdue_only_if_late_before_the_pause(world):
    actor, procedures = world
    # Received Mon 07/11/2022 09:00 (due Thu 10/11 09:00): paused on Tue 08/11, still paused at the end of
    # November: in progress, within deadline (its clock stopped before the due date).
    early = History(procedures[0], actor, at(2022, 11, 7, 9)).request_supplement(at(2022, 11, 8, 10))
    # Received Mon 07/11, still unresolved on Mon 14/11 (past due) when the financial obligation is asked:
    # overdue, though paused.
    late = History(procedures[1], actor, at(2022, 11, 7, 9)).request_financial_obligation(
        at(2022, 11, 14, 10)
    )
    assert early.dossier.paused_at < early.dossier.due_at < late.dossier.paused_at
    total = resolution_report(datetime.date(2022, 11, 1), datetime.date(2022, 11, 30)).as_dict()["total"]
    assert total["received"]["total"] == 2
    assert total["in_progress"] == {"total": 2, "within_deadline": 1, "overdue": 1, "paused": 2}
    assert _balanced(total)
