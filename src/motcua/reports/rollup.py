"""The daily rollup of the statistics facts: per day, agency and procedure, the flows of that day.

A report over years reads a few hundred thousand rollup rows instead of every fact. Finished days are rolled
up by `motcua rollup_reports` (run by the scheduler after midnight, and by the demo loader); the days after
the last rolled-up one (today, or several days if the command did not run) are read live from the facts, so a
report always sees every committed change.

The rollup stays exact when facts of rolled-up days change. The digitisation counts belong to the day of
reception, so ordinary work does change rolled-up days: a result, or a component digitised, for a dossier
received days ago. `facts` hands the facts of the dossiers it rewrites, before and after, to `apply_changes`,
which compares each dossier's contributions to the rolled-up days:

- a few dossiers rewritten at once (at most `DELTA_LIMIT`: the per-dossier case): the difference is added
  to the rows it touches (`UPDATE ... SET n = n + delta`; a missing row is created in a savepoint, a unique
  constraint on the day and grouping columns keeping it single; a row whose counts all fall to zero is
  deleted). Each such transaction holds a shared lock on the rollup state row (PostgreSQL), so `roll_up` and
  `refresh_days` wait for it but two of them wait for each other only on a rollup row both change; rows are
  changed in one order to rule out deadlocks. `facts` makes writers of the same dossiers' facts take turns,
  so the facts before are exactly the ones replaced;
- more (a history imported with past instants, a sync of many events, a rebuild): the days that differ are
  rolled up again (`refresh_days`, under an exclusive lock on the state row), from the facts.

It relies on the facts' order of dates: a dossier ends (and gets its first supplement request) on or after
the day it was received, so "carried over into `from`" = received before `from` − ended before `from`.

The monthly summary (`MonthlyCount`) holds, for each month and grouping columns, the sums of that month's daily
rows; it changes wherever they change (`roll`, `forget`, the added differences), so a long period reads its
whole months from it and only the partial months at its ends from the daily rows (`spans`).
"""

import datetime
from collections import Counter

from django.db import IntegrityError, connection, transaction
from django.db.models import Count, F, Min, Q, Sum
from django.db.models.functions import TruncMonth
from django.utils import timezone

from .bulk import insert_rows, reserve_ids
from .models import DailyCount, DossierFact, Ending, MonthlyCount, Outcome, RollupState

DIMS = ("agency_id", "procedure_id", "field_id", "unit_id", "level_id")
COUNTS = (
    "received",
    "online",
    "on_the_spot",
    "ended",
    "early",
    "on_time",
    "late",
    "refused",
    "withdrawn",
    "supplement_requested",
    "with_digitised_components",
    "with_result",
    "results_digitised",
    "components",
    "components_reused",
)


# The digitisation counts of the dossiers received on a day (as `motcua.documents.rates` defines them).
DIGITISATION = {
    "with_digitised_components": Count("pk", filter=Q(components_digitised__gt=0)),
    "with_result": Count("pk", filter=Q(has_result=True)),
    "results_digitised": Count("pk", filter=Q(has_result=True, result_digitised=True)),
    "components": Sum("components_total"),
    "components_reused": Sum("components_reused"),
}


def rolled_through() -> datetime.date | None:
    """The last day in the rollup (None: no rollup yet, every report reads the facts)."""
    return RollupState.objects.filter(pk=1).values_list("rolled_through", flat=True).first()


def _set_rolled_through(day: datetime.date | None) -> None:
    RollupState.objects.update_or_create(pk=1, defaults={"rolled_through": day})


def _rows_for(first: datetime.date, last: datetime.date) -> list[dict]:
    """The rollup rows of the days [first, last], aggregated from the facts."""
    rows: dict[tuple, dict] = {}

    def add(day_column, **annotations):
        qs = (
            DossierFact.objects.filter(
                **{f"{day_column}__gte": first, f"{day_column}__lte": last}, received_on__isnull=False
            )
            .values(day_column, *DIMS)
            .annotate(**annotations)
            .order_by()
        )
        for row in qs:
            key = (row[day_column], *(row[d] for d in DIMS))
            entry = rows.get(key)
            if entry is None:
                entry = rows[key] = {"day": key[0], **dict(zip(DIMS, key[1:], strict=True))}
                entry.update(dict.fromkeys(COUNTS, 0))
            for name in annotations:
                entry[name] += row[name]

    for family, measures in FAMILIES.items():
        add(family, **_aggregates(family, measures))
    return list(rows.values())


def roll(first: datetime.date, last: datetime.date) -> int:
    """Recompute the rollup of the days [first, last] from the facts (and the monthly summary of their months);
    returns the number of daily rows written."""
    if last < first:
        return 0
    rows = _rows_for(first, last)
    with transaction.atomic():
        DailyCount.objects.filter(day__gte=first, day__lte=last).delete()
        for row, pk in zip(rows, reserve_ids(DailyCount, len(rows)), strict=True):
            row["id"] = pk
        insert_rows(DailyCount, rows, batch_size=2000)
        summarise(first, last)
    return len(rows)


# --- the monthly summary ------------------------------------------------------------------------------------


def month_of(day: datetime.date) -> datetime.date:
    return day.replace(day=1)


def next_month(day: datetime.date) -> datetime.date:
    return (day.replace(day=1) + datetime.timedelta(days=32)).replace(day=1)


def summarise(first: datetime.date | None = None, last: datetime.date | None = None) -> int:
    """Recompute the monthly summary of the months of the days [first, last] (every month when both are None)
    from the daily rollup; returns the number of monthly rows written."""
    daily = DailyCount.objects.all()
    monthly = MonthlyCount.objects.all()
    if first is not None:
        daily = daily.filter(day__gte=month_of(first))
        monthly = monthly.filter(month__gte=month_of(first))
    if last is not None:
        daily = daily.filter(day__lt=next_month(last))
        monthly = monthly.filter(month__lte=month_of(last))
    rows = (
        daily.annotate(month=TruncMonth("day"))
        .values("month", *DIMS)
        .annotate(**{c: Sum(c) for c in COUNTS})
        .order_by()
    )
    with transaction.atomic():
        monthly.delete()
        written = MonthlyCount.objects.bulk_create((MonthlyCount(**row) for row in rows), batch_size=2000)
    return len(written)


def spans(first: datetime.date | None, last: datetime.date):
    """Cut the days [first, last] (`first` None: from the beginning) into the whole months inside it and the days
    left at its ends: ((first month, last month) or None, [(first day, last day), ...])."""
    end = next_month(last) if next_month(last) == last + datetime.timedelta(days=1) else month_of(last)
    if first is None:
        start = None
    else:
        start = first if first.day == 1 else next_month(first)
        if start >= end:
            return None, [(first, last)] if first <= last else []
    days = []
    if first is not None and first < start:
        days.append((first, start - datetime.timedelta(days=1)))
    if end <= last:
        days.append((end, last))
    last_month = month_of(end - datetime.timedelta(days=1))
    if start is None:
        return (None, last_month), days
    return (start, last_month), days


def day_filter(first: datetime.date | None, last: datetime.date, *, day="day", month="month"):
    """(Q over `MonthlyCount` or None, Q over `DailyCount` or None) selecting exactly the days [first, last]."""
    months, days = spans(first, last)
    monthly = None
    if months is not None:
        monthly = Q(**{f"{month}__lte": months[1]})
        if months[0] is not None:
            monthly &= Q(**{f"{month}__gte": months[0]})
    daily = None
    for a, b in days:
        q = Q(**{f"{day}__gte": a, f"{day}__lte": b})
        daily = q if daily is None else daily | q
    return monthly, daily


def roll_up(
    through: datetime.date | None = None, *, rebuild: bool = False
) -> tuple[int, datetime.date | None]:
    """Roll up every finished day not rolled up yet (through yesterday unless `through`); `rebuild` starts
    again from the first day. Returns (rows written, last day rolled up)."""
    from . import facts

    facts.sync()
    through = through or timezone.localdate() - datetime.timedelta(days=1)
    with transaction.atomic():
        RollupState.objects.get_or_create(pk=1)
        state = RollupState.objects.select_for_update().get(pk=1)
        first_fact = DossierFact.objects.aggregate(m=Min("received_on"))["m"]
        if rebuild or state.rolled_through is None:
            DailyCount.objects.all().delete()
            MonthlyCount.objects.all().delete()
            start = first_fact
        else:
            # The last day rolled up is rolled up again: a change committed while the previous run was reading
            # that day (a late commit around midnight) is folded in.
            start = state.rolled_through
        written = 0
        if start is not None:
            # A month at a time keeps the aggregation queries and the rows in memory small.
            day = start
            while day <= through:
                next_month = (day.replace(day=1) + datetime.timedelta(days=32)).replace(day=1)
                last = min(through, next_month - datetime.timedelta(days=1))
                written += roll(day, last)
                day = last + datetime.timedelta(days=1)
        if state.rolled_through is None or rebuild or through > state.rolled_through:
            state.rolled_through = through
            state.save(update_fields=["rolled_through"])
    return written, state.rolled_through


def forget() -> None:
    """Drop the rollup: every report reads the facts until the next `roll_up`."""
    with transaction.atomic():
        RollupState.objects.select_for_update().filter(pk=1).first()
        DailyCount.objects.all().delete()
        MonthlyCount.objects.all().delete()
        _set_rolled_through(None)


# --- keeping rolled-up days exact when facts change ---------------------------------------------------------


def contributions(fact, through: datetime.date) -> Counter:
    """What one fact (a model or a dict of its columns) adds to the rollup rows of days up to `through`."""

    def get(name):
        return fact[name] if isinstance(fact, dict) else getattr(fact, name)

    result: Counter = Counter()
    if get("received_on") is None:
        return result
    dims = tuple(get(d) for d in DIMS)
    received = get("received_on")
    if received <= through:
        result[(received, dims, "received")] += 1
        if get("channel") == "online":
            result[(received, dims, "online")] += 1
        if get("on_the_spot"):
            result[(received, dims, "on_the_spot")] += 1
        if get("components_digitised"):
            result[(received, dims, "with_digitised_components")] += 1
        if get("has_result"):
            result[(received, dims, "with_result")] += 1
            if get("result_digitised"):
                result[(received, dims, "results_digitised")] += 1
        for column, name in (("components_total", "components"), ("components_reused", "components_reused")):
            if get(column):
                result[(received, dims, name)] += get(column)
    ended = get("ended_on")
    if ended is not None and ended <= through:
        result[(ended, dims, "ended", get("ending"), get("outcome"))] += 1
    supplement = get("supplement_on")
    if supplement is not None and supplement <= through:
        result[(supplement, dims, "supplement_requested")] += 1
    return result


# At most this many dossiers rewritten at once: their changes are added to the rollup rows they touch; more (a
# history import, a rebuild, a sync of many events) and the rolled-up days they change are rolled up again.
DELTA_LIMIT = 20


def by_deltas(dossier_count: int) -> bool:
    """Whether rewriting the facts of this many dossiers updates the rollup by adding differences (which needs
    the facts before to be exactly the ones replaced: `facts` takes turns on those dossiers)."""
    return dossier_count <= DELTA_LIMIT


def _columns(key) -> tuple[tuple[datetime.date, tuple], list[str]]:
    """The rollup row (day, dims) and the columns that one `contributions` key counts in."""
    day, dims, name = key[:3]
    if name != "ended":
        return (day, dims), [name]
    ending, outcome = key[3:]
    columns = ["ended"]
    if ending == Ending.RESOLVED and outcome in (Outcome.EARLY, Outcome.ON_TIME, Outcome.LATE):
        columns.append(outcome)
    elif ending == Ending.REFUSED:
        columns.append("refused")
    elif ending == Ending.WITHDRAWN:
        columns.append("withdrawn")
    return (day, dims), columns


def _fact_id(fact):
    return fact["dossier_id"] if isinstance(fact, dict) else fact.dossier_id


def deltas(old_facts, new_facts, through: datetime.date) -> tuple[dict, int]:
    """What changes in the rollup rows of days up to `through` between two versions of the same dossiers'
    facts: {(day, dims): {column: signed change}}."""
    before: dict = {}
    after: dict = {}
    for version, side in ((old_facts, before), (new_facts, after)):
        for fact in version:
            side.setdefault(_fact_id(fact), Counter()).update(contributions(fact, through))
    rows: dict = {}
    for dossier_id in before.keys() | after.keys():
        old, new = before.get(dossier_id, Counter()), after.get(dossier_id, Counter())
        if old == new:
            continue
        for key in old.keys() | new.keys():
            difference = new.get(key, 0) - old.get(key, 0)
            if not difference:
                continue
            row, columns = _columns(key)
            entry = rows.setdefault(row, Counter())
            for column in columns:
                entry[column] += difference
    rows = {row: {c: n for c, n in change.items() if n} for row, change in rows.items()}
    return {row: change for row, change in rows.items() if change}


def _lock_state_shared() -> None:
    """Keep `roll_up`, `refresh_days` and `forget` (which lock the state row for update) out while counts are
    added, without making two transactions that add counts wait for each other. SQLite writes one at a time."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT id FROM {RollupState._meta.db_table} WHERE id = 1 FOR SHARE")


def _add(day: datetime.date, dims: tuple, change: dict, model=DailyCount) -> bool:
    """Add `change` to the rollup row of (day, dims) (with `MonthlyCount`: of (month, dims)), atomically; False
    when the counts do not fit (no row, or a count would go below zero: the rollup was not exact) and the day
    (the month) must be rolled up (summarised) again."""
    key = {"day" if model is DailyCount else "month": day, **dict(zip(DIMS, dims, strict=True))}
    rows = model.objects.filter(**key)
    increments = {column: F(column) + n for column, n in change.items()}
    decreases = [(f"{column}__lt", -n) for column, n in change.items() if n < 0]
    if decreases and rows.filter(Q.create(decreases, connector=Q.OR)).exists():
        return False
    if rows.update(**increments):
        if decreases:
            # A row whose counts all fell to zero is one `roll` would not write.
            rows.filter(**dict.fromkeys(COUNTS, 0)).delete()
        return True
    if decreases:
        return False
    try:
        with transaction.atomic():  # a savepoint: another transaction may create the same row first
            model.objects.create(**key, **change)
    except IntegrityError:
        rows.update(**increments)
    return True


def apply_changes(old_facts, new_facts) -> None:
    """Bring the rollup up to date with rewritten facts of some dossiers (runs inside the transaction that
    rewrote them; `old_facts`: their facts before). A few dossiers: their changes are added to the rows they
    touch, so two transactions wait for each other only on a row both change. Many: `refresh_days`."""
    old_facts, new_facts = list(old_facts), list(new_facts)
    through = rolled_through()
    if through is None:
        return
    change = deltas(old_facts, new_facts, through)
    if not change:
        return
    if not by_deltas(len({_fact_id(f) for f in old_facts} | {_fact_id(f) for f in new_facts})):
        refresh_days(day for day, _dims in change)
        return
    _lock_state_shared()
    locked_through = rolled_through()
    if locked_through != through:  # `roll_up` moved on meanwhile: count against what is rolled up now
        if locked_through is None:
            return
        change = deltas(old_facts, new_facts, locked_through)
    # One order for every transaction, so two that touch the same rows cannot wait for each other in a cycle.
    unfit = set()
    by_month: dict = {}
    for (day, dims), columns in sorted(change.items(), key=lambda item: _order(item[0])):
        if not _add(day, dims, columns):
            unfit.add(day)
            continue
        entry = by_month.setdefault((month_of(day), dims), Counter())
        entry.update(columns)
    # The same differences in the monthly summary, after the daily rows and in the same order (a month whose
    # counts do not fit is summarised again from its days).
    unfit_months = set()
    for (month, dims), columns in sorted(by_month.items(), key=lambda item: _order(item[0])):
        columns = {c: n for c, n in columns.items() if n}
        if columns and not _add(month, dims, columns, MonthlyCount):
            unfit_months.add(month)
    for month in sorted(unfit_months - {month_of(day) for day in unfit}):
        summarise(month, month)
    if unfit:
        refresh_days(unfit)


def _order(row) -> tuple:
    day, dims = row
    return (day, *((-1 if value is None else value) for value in dims))


def refresh_days(days) -> None:
    """Roll up these days again (runs inside the transaction that changed their facts).

    The rollup state row is locked first, so that two transactions refreshing the same day (or a refresh and
    `roll_up`) take turns instead of both deleting and inserting its rows.
    """
    days = sorted(set(days))
    if not days:
        return
    RollupState.objects.select_for_update().filter(pk=1).first()
    start = previous = days[0]
    for day in days[1:] + [None]:
        if day is not None and day == previous + datetime.timedelta(days=1):
            previous = day
            continue
        roll(start, previous)
        if day is not None:
            start = previous = day


# --- flows by reception or ending date, for the figures --------------------------------------------------------

FAMILIES = {
    "received_on": {
        "received": Q(),
        "online": Q(channel="online"),
        "on_the_spot": Q(on_the_spot=True),
        **DIGITISATION,
    },
    "ended_on": {
        "ended": Q(),
        "early": Q(ending=Ending.RESOLVED, outcome=Outcome.EARLY),
        "on_time": Q(ending=Ending.RESOLVED, outcome=Outcome.ON_TIME),
        "late": Q(ending=Ending.RESOLVED, outcome=Outcome.LATE),
        "refused": Q(ending=Ending.REFUSED),
        "withdrawn": Q(ending=Ending.WITHDRAWN),
    },
    "supplement_on": {"supplement_requested": Q()},
}


def _aggregates(family: str, measures) -> dict:
    """The aggregates over the facts of the measures (names in `FAMILIES[family]`): a condition is a count of the
    facts that meet it."""
    definitions = FAMILIES[family]
    return {
        m: Count("pk", filter=definitions[m] or None) if isinstance(definitions[m], Q) else definitions[m]
        for m in measures
    }


def flows(date_from, date_to, measures, *, by=(), agency_ids=None, monthly=False) -> dict[tuple, dict]:
    """Sums of `measures` (rollup columns of one date family: reception, ending or supplement) over the days
    [date_from, date_to], grouped by the columns `by` (and the month of the date when `monthly`).

    Rolled-up days come from the rollup, later days from the facts. Returns {group values: {measure: n}}.
    """
    family = next(column for column, names in FAMILIES.items() if measures[0] in names)
    if any(m not in FAMILIES[family] for m in measures):
        raise ValueError("measures must be of one date family")
    through = rolled_through()
    result: dict[tuple, dict] = {}

    def add(rows):
        for row in rows:
            key = tuple(row[c] for c in by) + ((row["month"],) if monthly else ())
            entry = result.setdefault(key, dict.fromkeys(measures, 0))
            for m in measures:
                entry[m] += row[m] or 0

    def scoped(qs):
        return qs if agency_ids is None else qs.filter(agency_id__in=list(agency_ids))

    live_from = date_from
    if through is not None and through >= date_from:
        # Whole months from the monthly summary, the days at the ends from the daily rollup.
        in_months, in_days = day_filter(date_from, min(date_to, through))
        for model, where, month in ((MonthlyCount, in_months, "month"), (DailyCount, in_days, "day")):
            if where is None:
                continue
            qs = scoped(model.objects.filter(where))
            if monthly:
                qs = qs.annotate(month_start=TruncMonth(month))
            rows = (
                qs.values(*by, *(["month_start"] if monthly else []))
                .annotate(**{m: Sum(m) for m in measures})
                .order_by()
            )
            add({**row, "month": row["month_start"]} if monthly else row for row in rows)
        live_from = through + datetime.timedelta(days=1)
    if live_from <= date_to:
        qs = scoped(
            DossierFact.objects.filter(
                **{f"{family}__gte": live_from, f"{family}__lte": date_to}, received_on__isnull=False
            )
        )
        if monthly:
            qs = qs.annotate(month=TruncMonth(family))
        annotations = _aggregates(family, measures)
        add(qs.values(*by, *(["month"] if monthly else [])).annotate(**annotations).order_by())
    return result
