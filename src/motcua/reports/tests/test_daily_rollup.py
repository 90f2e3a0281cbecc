"""The daily rollup gives exactly the numbers the facts give, on random histories, before and after more history
is imported into rolled-up days (digitisation counts included); the command rolls finished days up and refuses a bad date."""

import datetime
import random
from zoneinfo import ZoneInfo

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Q

from motcua.catalog.tests.factories import FieldFactory
from motcua.documents.models import DossierDigitisation
from motcua.documents.rates import digitisation_rates
from motcua.dossiers.models import Dossier
from motcua.dossiers.states import State
from motcua.org.tests.factories import AdminLevelFactory, AdminUnitFactory
from motcua.reports import facts, figures, rollup
from motcua.reports.models import DailyCount
from motcua.reports.replay import BulkHistory
from motcua.reports.resolution import GROUPS, counts_by, resolution_report

from .factories import (
    ApplicantFactory,
    DistrictAgencyFactory,
    ProcedureWithProcessFactory,
    SuperuserFactory,
    at,
)

pytestmark = pytest.mark.django_db
FIRST = datetime.date(2022, 9, 1)
SPAN = 90  # days of history


@pytest.fixture
def places(db):
    return make_places()


def make_places() -> dict:
    """Two agencies (a district's and a commune's) and three procedures with their processes."""
    district = AdminUnitFactory(code="99263", name="Huyện Thử", level=AdminLevelFactory(code="district"))
    commune = AdminUnitFactory(
        code="99454", name="Xã Thử", kind="commune", parent=district, level=AdminLevelFactory(code="commune")
    )
    x = DistrictAgencyFactory(name="Phòng X", unit=district)
    y = DistrictAgencyFactory(name="Ủy ban nhân dân xã Y", unit=commune)
    procedures = [
        ProcedureWithProcessFactory(resolving_agency=x, field=FieldFactory(name="Hộ tịch", code="ht-r")),
        ProcedureWithProcessFactory(resolving_agency=x, field=FieldFactory(name="Chứng thực", code="ct-r")),
        ProcedureWithProcessFactory(resolving_agency=y, field=FieldFactory(name="Đất đai", code="dd-r")),
    ]
    return {"district": district, "commune": commune, "procedures": procedures, "actor": SuperuserFactory()}


def instant(day: datetime.date, hour: float) -> datetime.datetime:
    return at(day.year, day.month, day.day, int(hour), int((hour % 1) * 60))


def import_history(places, rng: random.Random, count: int, first=FIRST, span=SPAN) -> None:
    """`count` dossiers received on random days, each with a random fate, written by the bulk import."""
    bulk = BulkHistory(places["actor"])
    actor = places["actor"]
    for _ in range(count):
        procedure = rng.choice(places["procedures"])
        channel = rng.choice(["counter", "counter", "online", "postal"])
        spot = channel == "counter" and rng.random() < 0.2
        process = procedure.process_for(on_the_spot=False, agency=procedure.resolving_agency)
        d = bulk.new(
            procedure=procedure,
            process=process,
            applicant=ApplicantFactory(),
            agency=procedure.resolving_agency,
            channel=channel,
            on_the_spot=spot,
        )
        day = first + datetime.timedelta(days=rng.randrange(span))
        moment = instant(day, 8 + rng.random() * 8)
        if channel == "online":
            bulk.submit_online(d, moment - datetime.timedelta(hours=1))
        bulk.receive(d, moment, actor)

        def later(moment, most_days):
            return moment + datetime.timedelta(days=rng.randint(0, most_days), hours=rng.random() * 6 + 0.1)

        fate = rng.random()
        if fate < 0.1:
            bulk.withdraw(d, later(moment, 3), actor, "Công dân xin rút hồ sơ")
            continue
        if fate < 0.3:
            moment = later(moment, 2)
            bulk.request_supplement(d, moment, actor, ["Bản sao còn thiếu"])
            if rng.random() < 0.3:
                continue  # still waiting
            moment = later(moment, 6)
            bulk.supplement(d, moment, actor)
        if fate > 0.9:
            continue  # still open
        if fate > 0.85:
            moment = later(moment, 1)
            bulk.advance(d, moment, actor)
            bulk.refuse(d, later(moment, 4), actor, "Không đủ điều kiện")
            continue
        while d.state in (State.RECEIVED, State.IN_STEP):
            moment = later(moment, 3)
            bulk.advance(d, moment, actor)
        if rng.random() < 0.5:
            bulk.return_result(d, later(moment, 2), actor)
    bulk.save()


def periods(rng: random.Random, n: int):
    last_day = FIRST + datetime.timedelta(days=SPAN + 40)
    for _ in range(n):
        a = FIRST - datetime.timedelta(days=5) + datetime.timedelta(days=rng.randrange(SPAN + 40))
        b = a + datetime.timedelta(days=rng.randrange(60))
        yield a, min(b, last_day)


def every_count(places, rng, n=12) -> list:
    """Counts for random periods, every grouping, with and without a unit."""
    results = []
    for date_from, date_to in periods(rng, n):
        for group_by, (column, _label) in GROUPS.items():
            for unit in (None, places["commune"]):
                counts = counts_by(column, date_from, date_to, unit=unit)
                results.append((date_from, date_to, group_by, unit, counts))
    return results


def live(date_from, date_to, column, unit):
    """The same counts read from the facts alone (an empty extra filter bypasses the rollup)."""
    return counts_by(column, date_from, date_to, unit=unit, extra_filter=Q())


@pytest.mark.parametrize("seed", [1, 2])
def test_rollup_and_facts_agree_on_random_histories(places, seed):
    rng = random.Random(seed)
    import_history(places, rng, 160)
    before = every_count(places, random.Random(seed))
    assert any(c.carried_over for row in before for c in row[4].values())
    # Roll up through a day in the middle: periods before, across and after it mix both sources.
    through = FIRST + datetime.timedelta(days=rng.randrange(20, SPAN))
    rollup.roll_up(through)
    assert rollup.rolled_through() == through and DailyCount.objects.exists()
    after = every_count(places, random.Random(seed))
    for (f, t, g, u, expected), (*_same, got) in zip(before, after, strict=True):
        assert got == expected, (f, t, g, u)
    # More history imported into rolled-up days (and after them) keeps the rollup exact.
    import_history(places, rng, 60)
    for date_from, date_to in periods(random.Random(seed + 10), 12):
        for column, _label in GROUPS.values():
            for unit in (None, places["commune"]):
                assert counts_by(column, date_from, date_to, unit=unit) == live(
                    date_from, date_to, column, unit
                ), (date_from, date_to, column, unit)


def test_a_full_report_is_the_same_with_and_without_the_rollup(places):
    import_history(places, random.Random(7), 120)
    period = (FIRST + datetime.timedelta(days=10), FIRST + datetime.timedelta(days=70))
    without = resolution_report(*period).as_dict()
    monthly_without = figures.monthly_by_agency(*period)
    online_without = figures.online_figures(*period)
    spot_without = figures.on_the_spot_figures(*period)
    rollup.roll_up(FIRST + datetime.timedelta(days=40))
    assert resolution_report(*period).as_dict() == without
    assert figures.monthly_by_agency(*period) == monthly_without
    assert figures.online_figures(*period) == online_without
    assert figures.on_the_spot_figures(*period) == spot_without
    rollup.forget()
    assert rollup.rolled_through() is None and not DailyCount.objects.exists()
    assert resolution_report(*period).as_dict() == without


def test_the_command_rolls_up_finished_days_and_is_safe_to_run_again(places, capsys):
    import_history(places, random.Random(3), 40)
    call_command("rollup_reports", through="2022-10-15")
    rows = DailyCount.objects.count()
    assert rollup.rolled_through() == datetime.date(2022, 10, 15) and rows
    assert not DailyCount.objects.filter(day__gt=datetime.date(2022, 10, 15)).exists()
    call_command("rollup_reports", through="2022-10-15")
    assert DailyCount.objects.count() == rows
    call_command("rollup_reports", through="2022-10-15", rebuild=True)
    assert DailyCount.objects.count() == rows
    # Without a date: through yesterday.
    call_command("rollup_reports")
    assert rollup.rolled_through() > datetime.date(2022, 12, 31)
    assert "Đã cộng dồn đến hết ngày" in capsys.readouterr().out
    with pytest.raises(CommandError, match="Ngày không hợp lệ"):
        call_command("rollup_reports", through="15/10/2022")
    assert rollup.rolled_through() > datetime.date(2022, 12, 31)


def test_rebuilding_the_facts_rebuilds_the_rollup(places):
    import_history(places, random.Random(5), 50)
    rollup.roll_up(datetime.date(2022, 11, 30))
    rows = sorted(DailyCount.objects.values_list("day", "procedure_id", "received", "ended"))
    DailyCount.objects.all().delete()  # damaged
    call_command("rebuild_report_facts")
    assert sorted(DailyCount.objects.values_list("day", "procedure_id", "received", "ended")) == rows


# --- digitisation counts: the rollup gives what the documents app's rates read from the dossier rows ---------


def digitise_randomly(rng: random.Random, dossiers, *, bulk: bool = False) -> None:
    """Give some dossiers a digitisation row (or change theirs): saved one by one (the documents app's writer
    sends `post_save`) or written in bulk and copied into the facts as the demo loader does."""
    rows = []
    for dossier in dossiers:
        if rng.random() < 0.25:
            continue
        total = rng.randint(1, 4)
        digitised = rng.choice([0, total, rng.randint(0, total)])
        values = {
            "components_total": total,
            "components_digitised": digitised,
            "components_reused": rng.randint(0, digitised),
            "result_digitised": dossier.state in (State.RESULT_READY, State.RETURNED) and rng.random() < 0.6,
        }
        if bulk:
            rows.append(DossierDigitisation(dossier=dossier, **values))
        else:
            DossierDigitisation.objects.update_or_create(dossier=dossier, defaults=values)
    if bulk:
        DossierDigitisation.objects.bulk_create(rows)
        facts.refresh_digitisation([d.pk for d in dossiers])


def digitisation_from_dossiers(date_from, date_to) -> dict:
    """The documents app's own counts (dossier rows joined with their digitisation rows)."""
    tz = ZoneInfo("Asia/Ho_Chi_Minh")
    start = datetime.datetime.combine(date_from, datetime.time.min, tzinfo=tz)
    end = datetime.datetime.combine(date_to + datetime.timedelta(days=1), datetime.time.min, tzinfo=tz)
    return digitisation_rates(start, end, group_by="agency")


def assert_digitisation_agrees(seed: int) -> None:
    for date_from, date_to in periods(random.Random(seed), 15):
        got = figures.digitisation_by_agency(date_from, date_to)
        assert got == digitisation_from_dossiers(date_from, date_to), (date_from, date_to)
        assert figures.digitisation_figures(
            date_from, date_to, per_agency=got
        ) == figures.digitisation_figures(
            date_from, date_to, per_agency=digitisation_from_dossiers(date_from, date_to)
        )


@pytest.mark.parametrize("seed", [4, 5])
def test_rollup_digitisation_counts_equal_the_dossier_rows_on_random_histories(places, seed):
    rng = random.Random(seed)
    import_history(places, rng, 140)
    digitise_randomly(rng, list(Dossier.objects.all()), bulk=True)
    assert_digitisation_agrees(seed)  # no rollup: facts only
    through = FIRST + datetime.timedelta(days=rng.randrange(20, SPAN))
    rollup.roll_up(through)
    assert DailyCount.objects.filter(with_digitised_components__gt=0, day__lte=through).exists()
    assert_digitisation_agrees(seed)  # rolled-up days from the rollup, later days from the facts
    # Dossiers received on rolled-up days get digitised later (one by one, as the documents app does) ...
    early = list(Dossier.objects.filter(report_fact__received_on__lte=through))
    digitise_randomly(rng, rng.sample(early, len(early) // 2))
    # ... or get their result later (the fact is rebuilt from the dossier, as after each dossier change) ...
    open_ids = list(
        Dossier.objects.filter(
            report_fact__received_on__lte=through,
            state__in=[State.RECEIVED, State.IN_STEP, State.PAUSED_SUPPLEMENT],
        ).values_list("pk", flat=True)[:5]
    )
    assert open_ids
    Dossier.objects.filter(pk__in=open_ids).update(state=State.RESULT_READY)
    DossierDigitisation.objects.filter(dossier_id__in=open_ids).update(result_digitised=True)
    facts.rebuild(open_ids)
    # ... and more history lands in rolled-up days: the rollup stays equal to the dossier rows.
    import_history(places, rng, 40)
    digitise_randomly(rng, list(Dossier.objects.filter(digitisation__isnull=True)), bulk=True)
    assert_digitisation_agrees(seed + 1)
    # Dropping the rollup and rolling up again gives the same rows.
    before = sorted(DailyCount.objects.values_list("day", "procedure_id", "components", "results_digitised"))
    rollup.roll_up(through, rebuild=True)
    after = sorted(DailyCount.objects.values_list("day", "procedure_id", "components", "results_digitised"))
    assert after == before


def test_the_index_reads_the_same_digitisation_points_with_and_without_the_rollup(places):
    rng = random.Random(9)
    import_history(places, rng, 100)
    digitise_randomly(rng, list(Dossier.objects.all()))
    period = (FIRST + datetime.timedelta(days=5), FIRST + datetime.timedelta(days=80))
    without = figures.quality_index(*period)
    other_without = figures.other_figures(*period)["digitisation"]
    assert other_without["components"] and other_without["results_digitised"]
    rollup.roll_up(FIRST + datetime.timedelta(days=50))
    assert figures.quality_index(*period) == without
    assert figures.other_figures(*period)["digitisation"] == other_without


def test_a_result_for_a_dossier_received_on_a_rolled_up_day_adds_one_to_its_row_only(
    places, django_capture_on_commit_callbacks
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from motcua.dossiers import services
    from motcua.reports.models import DossierFact

    import_history(places, random.Random(11), 80)
    rollup.roll_up(FIRST + datetime.timedelta(days=SPAN))
    # An open dossier received on a day that has rows of other agencies or procedures too.
    fact = next(
        f
        for f in DossierFact.objects.filter(
            dossier__state__in=[State.RECEIVED, State.IN_STEP], has_result=False
        ).order_by("pk")
        if DailyCount.objects.filter(day=f.received_on).count() > 1
    )
    dossier = fact.dossier
    key = {"day": fact.received_on, **{d: getattr(fact, d) for d in rollup.DIMS}}
    target = DailyCount.objects.get(**key)
    before = {row["id"]: row for row in DailyCount.objects.values()}

    with CaptureQueriesContext(connection) as queries:
        for _step in range(10):
            with django_capture_on_commit_callbacks(execute=True):
                dossier = services.advance(Dossier.objects.get(pk=dossier.pk), places["actor"])
            if dossier.state == State.RESULT_READY:
                break
    assert dossier.state == State.RESULT_READY

    after = {row["id"]: row for row in DailyCount.objects.values()}
    assert after.keys() == before.keys()  # no row of any day rewritten (same ids), none added
    assert after[target.pk] == dict(before[target.pk], with_result=before[target.pk]["with_result"] + 1)
    assert {pk: row for pk, row in after.items() if pk != target.pk} == {
        pk: row for pk, row in before.items() if pk != target.pk
    }
    sql = [q["sql"].lower() for q in queries.captured_queries]
    table = DailyCount._meta.db_table
    assert not [q for q in sql if q.startswith("delete") and table in q]
    assert not [q for q in sql if "for update" in q and "reports_rollupstate" in q]
    # Still what the facts give.
    day = fact.received_on
    assert figures.digitisation_by_agency(day, day) == digitisation_from_dossiers(day, day)
