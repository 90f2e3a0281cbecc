"""The monthly summary of the daily rollup: always the sums of the daily rows of each month (after a rollup,
history imported into rolled-up days, one dossier's result, a rebuild), and the reports that read whole months
from it give exactly what the daily rollup alone gives, for periods starting and ending mid-month or on a month's
edges, before and after the last rolled-up day."""

import datetime
import random
from collections import Counter

import pytest
from django.core.management import call_command
from django.db.models import Q

from motcua.dossiers.models import Dossier
from motcua.dossiers.states import State
from motcua.reports import figures, rollup
from motcua.reports.models import DailyCount, MonthlyCount
from motcua.reports.resolution import GROUPS, counts_by, resolution_report

from .test_daily_rollup import digitise_randomly, import_history, make_places

pytestmark = pytest.mark.django_db
SPAN = 150  # days of history: September 2022 to January 2023
D = datetime.date

PERIODS = [
    (D(2022, 9, 1), D(2022, 9, 30)),  # one whole month
    (D(2022, 9, 1), D(2022, 12, 31)),  # whole months only
    (D(2022, 9, 15), D(2022, 12, 10)),  # mid-month to mid-month
    (D(2022, 10, 31), D(2022, 11, 1)),  # two partial months, no whole one
    (D(2022, 10, 2), D(2022, 10, 30)),  # inside one month
    (D(2022, 8, 20), D(2023, 1, 20)),  # from before the first dossier to after the last rolled-up day
    (D(2022, 11, 1), D(2023, 2, 28)),  # a month's first day to past the history
    (D(2022, 12, 5), D(2022, 12, 5)),  # one day
]


@pytest.fixture
def places(db):
    return make_places()


def summed_by_month() -> dict:
    """The monthly summary as it must be: the daily rows summed by month and grouping columns."""
    result: dict = {}
    for row in DailyCount.objects.values("day", *rollup.DIMS, *rollup.COUNTS):
        key = (row["day"].replace(day=1), *(row[d] for d in rollup.DIMS))
        result.setdefault(key, Counter()).update({c: row[c] for c in rollup.COUNTS})
    return {key: {c: n.get(c, 0) for c in rollup.COUNTS} for key, n in result.items()}


def summary() -> dict:
    return {
        (row["month"], *(row[d] for d in rollup.DIMS)): {c: row[c] for c in rollup.COUNTS}
        for row in MonthlyCount.objects.values("month", *rollup.DIMS, *rollup.COUNTS)
    }


def assert_summary_exact() -> None:
    assert summary() == summed_by_month()


def reports(places, periods=PERIODS) -> list:
    """Every report that reads the rollup, for each period."""
    results = []
    for date_from, date_to in periods:
        for column, _label in GROUPS.values():
            for unit in (None, places["commune"]):
                results.append(counts_by(column, date_from, date_to, unit=unit))
        results.append(resolution_report(date_from, date_to).as_dict())
        results.append(figures.monthly_by_agency(date_from, date_to))
        results.append(figures.online_figures(date_from, date_to))
        results.append(figures.on_the_spot_figures(date_from, date_to))
        results.append(figures.quality_index(date_from, date_to))
        results.append(figures.other_figures(date_from, date_to)["digitisation"])
    return results


@pytest.fixture
def daily_only(monkeypatch):
    """Read every rolled-up day from the daily rollup (the computation before the monthly summary)."""

    def days(first, last, *, day="day", month="month"):
        if first is not None and first > last:
            return None, None
        q = Q(**{f"{day}__lte": last})
        if first is not None:
            q &= Q(**{f"{day}__gte": first})
        return None, q

    def use():
        monkeypatch.setattr(rollup, "day_filter", days)

    return use


def test_spans_cover_each_day_once_with_whole_months_in_the_summary():
    rng = random.Random(1)
    for _ in range(300):
        first = D(2022, 1, 1) + datetime.timedelta(days=rng.randrange(400))
        last = first + datetime.timedelta(days=rng.randrange(-3, 120))
        for start in (first, None):
            months, days = rollup.spans(start, last)
            covered = []
            for a, b in days:
                covered += [a + datetime.timedelta(days=i) for i in range((b - a).days + 1)]
            if months is not None:
                month = months[0] or D(2021, 1, 1)
                while month <= months[1]:
                    nxt = rollup.next_month(month)
                    covered += [month + datetime.timedelta(days=i) for i in range((nxt - month).days)]
                    month = nxt
            lower = start or D(2021, 1, 1)
            expected = [lower + datetime.timedelta(days=i) for i in range((last - lower).days + 1)]
            assert sorted(covered) == expected, (start, last)
            # At most the partial months at both ends are read day by day.
            assert len(days) <= 2 and sum((b - a).days + 1 for a, b in days) < 62


@pytest.mark.parametrize("seed", [1, 2])
def test_reports_read_from_the_summary_equal_the_daily_rollup(places, daily_only, seed):
    rng = random.Random(seed)
    import_history(places, rng, 150, span=SPAN)
    digitise_randomly(rng, list(Dossier.objects.all()))
    # Rolled up through a day in the middle of December: later days are read from the facts.
    rollup.roll_up(D(2022, 12, 17))
    assert_summary_exact()
    assert MonthlyCount.objects.filter(month=D(2022, 10, 1)).exists()
    assert MonthlyCount.objects.count() < DailyCount.objects.count()
    got = reports(places)
    daily_only()
    assert got == reports(places)


def test_the_summary_follows_history_imported_into_rolled_up_days(places, daily_only):
    rng = random.Random(3)
    import_history(places, rng, 100, span=SPAN)
    rollup.roll_up(D(2023, 1, 31))
    # More history (many dossiers at once: the rolled-up days are rolled up again) and digitisation.
    import_history(places, rng, 40, span=SPAN)
    digitise_randomly(rng, list(Dossier.objects.all()[:30]), bulk=True)
    assert_summary_exact()
    got = reports(places, PERIODS[:4])
    daily_only()
    assert got == reports(places, PERIODS[:4])


def test_one_dossiers_result_adds_one_to_its_month_as_to_its_day(places, django_capture_on_commit_callbacks):
    from motcua.dossiers import services
    from motcua.reports.models import DossierFact

    import_history(places, random.Random(11), 80, span=SPAN)
    rollup.roll_up(D(2023, 1, 31))
    fact = (
        DossierFact.objects.filter(dossier__state__in=[State.RECEIVED, State.IN_STEP], has_result=False)
        .order_by("pk")
        .first()
    )
    key = {"month": fact.received_on.replace(day=1), **{d: getattr(fact, d) for d in rollup.DIMS}}
    before = MonthlyCount.objects.get(**key)
    dossier = fact.dossier
    for _step in range(10):
        with django_capture_on_commit_callbacks(execute=True):
            dossier = services.advance(Dossier.objects.get(pk=dossier.pk), places["actor"])
        if dossier.state == State.RESULT_READY:
            break
    assert dossier.state == State.RESULT_READY
    after = MonthlyCount.objects.get(**key)
    assert after.pk == before.pk and after.with_result == before.with_result + 1
    assert_summary_exact()


def test_a_damaged_summary_is_put_right_by_a_rebuild(places, daily_only):
    import_history(places, random.Random(5), 80, span=SPAN)
    rollup.roll_up(D(2022, 12, 31))
    expected = summary()
    MonthlyCount.objects.filter(month=D(2022, 10, 1)).update(received=0)  # damaged
    MonthlyCount.objects.filter(month=D(2022, 11, 1)).delete()
    call_command("rollup_reports", through="2022-12-31", rebuild=True)
    assert summary() == expected
    MonthlyCount.objects.all().delete()
    call_command("rebuild_report_facts")
    assert summary() == expected
    got = reports(places, PERIODS[:3])
    daily_only()
    assert got == reports(places, PERIODS[:3])


def test_forgetting_the_rollup_forgets_the_summary(places):
    import_history(places, random.Random(6), 30, span=SPAN)
    rollup.roll_up(D(2022, 12, 31))
    assert MonthlyCount.objects.exists()
    rollup.forget()
    assert not MonthlyCount.objects.exists()
    # The night's run after that starts again from the first day, the summary with it.
    rollup.roll_up(D(2022, 11, 15))
    assert not MonthlyCount.objects.filter(month__gt=D(2022, 11, 1)).exists()
    assert_summary_exact()
