"""Derive the statistics facts of a dossier from its event history, and keep them current.

`derive(dossier, events)` is a pure function of the dossier row and its events (in order). The facts are kept
current outside the request, in batches, through an outbox:

- every new dossier event and every saved digitisation row writes a `PendingFact` row for its dossier in the
  same transaction (`post_save`; a rolled-back change leaves none);
- once that transaction has committed, one run of the task `tasks.refresh_facts` is queued for the burst
  (`motcua.background.enqueue_soon`); it `drain`s: deletes a batch of pending rows and rebuilds those dossiers'
  facts in one transaction, until none is left;
- before any report, `sync()` drains too, so a report sees every committed change even without a worker, and
  the nightly `rollup_reports` starts with it.

Bulk writers that send no signal write the facts themselves in their own transaction (`replay.BulkHistory`
derives them from the events it writes; after digitisation rows written in bulk, `refresh_digitisation`), or
call `mark_pending` for the dossiers they changed.

Dates are local dates in Asia/Ho_Chi_Minh (REFERENCE §9: statistics compare dates, not instants).
"""

import datetime
from dataclasses import dataclass, field

from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.db.models import Max
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from motcua.documents.rates import RESOLVED
from motcua.dossiers.models import Dossier, DossierEvent
from motcua.dossiers.services import outcome as compare_with_due
from motcua.dossiers.states import State

from . import rollup
from .bulk import insert_rows, reserve_ids
from .models import DossierFact, DossierSpell, Ending, PendingFact

_TZ = timezone.get_default_timezone()
ACTIVE = {State.RECEIVED, State.IN_STEP}
PAUSED = {State.PAUSED_SUPPLEMENT, State.PAUSED_FINANCIAL}
ENDING_OF_STATE = {
    State.RESULT_READY: Ending.RESOLVED,
    State.RETURNED: Ending.RESOLVED,
    State.STOPPED: Ending.REFUSED,
    State.WITHDRAWN: Ending.WITHDRAWN,
    State.REJECTED: Ending.NOT_ACCEPTED,
}
RESUME_ACTIONS = {"supplement", "fulfil_financial_obligation"}


def _local_date(value) -> datetime.date | None:
    if value is None:
        return None
    if isinstance(value, str):
        value = parse_datetime(value)
    return value.astimezone(_TZ).date()


@dataclass
class Derived:
    fact: dict
    spells: list = field(default_factory=list)


def _bucket(state: str) -> str:
    if state in ACTIVE:
        return "active"
    if state in PAUSED:
        return "paused"
    if state in ENDING_OF_STATE:
        return "ended"
    return "none"


DIGITISATION_COLUMNS = (
    "components_total",
    "components_digitised",
    "components_reused",
    "result_digitised",
    "has_result",
)


def digitisation_of(dossier_state: str, digitisation) -> dict:
    """The digitisation columns of a fact: `digitisation` is the dossier's `DossierDigitisation` (or None), as
    the documents app's rates read it (`motcua.documents.rates`)."""
    return {
        "components_total": digitisation.components_total if digitisation else 0,
        "components_digitised": digitisation.components_digitised if digitisation else 0,
        "components_reused": digitisation.components_reused if digitisation else 0,
        "result_digitised": bool(digitisation and digitisation.result_digitised),
        "has_result": dossier_state in RESOLVED,
    }


def derive(dossier, events, dims: dict, digitisation=None) -> Derived:
    """The fact and the open spells of `dossier` from its `events` (ordered by instant, then id).

    `dims` holds the grouping columns (agency_id, procedure_id, field_id, unit_id, level_id).
    Each event needs `at`, `action`, `to_state` and `data`. The legal due instant in force during each stretch
    is read back from the resume events (which record the due instant before and after the pause); after the
    last resume it is the dossier's own `due_at`. An apology moves only the appointment, never `due_at`.
    """
    resumes = [e for e in events if e.action in RESUME_ACTIONS and (e.data or {}).get("due_before")]
    due = resumes[0].data["due_before"] if resumes else dossier.due_at
    if isinstance(due, str):
        due = parse_datetime(due)
    fact = {
        **dims,
        "dossier_id": dossier.pk,
        "receiving_agency_id": dossier.agency_id,
        "channel": dossier.channel,
        "on_the_spot": dossier.on_the_spot,
        "received_on": _local_date(dossier.received_at),
        "ended_on": None,
        "ending": "",
        "outcome": "",
        "due_on": _local_date(dossier.due_at),
        "supplement_on": None,
        "last_event_id": max((e.pk or 0 for e in events), default=0),
        **digitisation_of(dossier.state, digitisation),
    }
    spells: list[dict] = []
    current = None  # the open spell being built
    bucket = "none"
    for event in events:
        if (event.data or {}).get("at_reception"):
            # Guidance to complete an online submission before its reception (and its completion): the dossier
            # was not received yet, so it was neither paused nor asked for the once-only supplement.
            continue
        if event.action == "request_supplement" and fact["supplement_on"] is None:
            fact["supplement_on"] = _local_date(event.at)
        if event.action in RESUME_ACTIONS and (event.data or {}).get("due_after"):
            due = parse_datetime(event.data["due_after"])
        new_bucket = _bucket(event.to_state)
        if new_bucket == bucket and not (new_bucket == "active" and event.action in RESUME_ACTIONS):
            continue
        day = _local_date(event.at)
        if current is not None:
            current["end_on"] = day
            spells.append(current)
            current = None
        if new_bucket in ("active", "paused"):
            current = {
                **dims,
                "start_on": day,
                "end_on": None,
                "paused": new_bucket == "paused",
                "due_on": _local_date(due),
            }
        elif new_bucket == "ended" and bucket != "ended":
            ending = ENDING_OF_STATE[event.to_state]
            fact["ending"] = ending
            if ending == Ending.RESOLVED:
                finished = dossier.finished_at or event.at
                fact["ended_on"] = _local_date(finished)
                fact["outcome"] = compare_with_due(finished, due)
            else:
                fact["ended_on"] = day
        bucket = new_bucket
    if current is not None:
        spells.append(current)
    # Spells that open and close on the same day cover no end of day: drop them.
    spells = [s for s in spells if s["end_on"] is None or s["end_on"] > s["start_on"]]
    return Derived(fact=fact, spells=spells)


def dims_of(dossier) -> dict:
    """The grouping columns of a dossier (needs procedure and resolving_agency__unit loaded)."""
    unit = dossier.resolving_agency.unit if dossier.resolving_agency.unit_id else None
    return {
        "agency_id": dossier.resolving_agency_id,
        "procedure_id": dossier.procedure_id,
        "field_id": dossier.procedure.field_id,
        "unit_id": unit.pk if unit else None,
        "level_id": unit.level_id if unit else None,
    }


def store(derived_list, *, replace: bool = True, old_facts=None, keep_rollup: bool = True) -> None:
    """Write derived facts (replacing the dossiers' previous facts and spells).

    When a daily rollup exists, the rows of rolled-up days are brought up to date (`rollup.apply_changes`;
    `old_facts`: the facts before, when the caller already deleted them under `_take_turns`; none for new
    dossiers).
    """
    derived_list = list(derived_list)
    ids = [d.fact["dossier_id"] for d in derived_list]
    with transaction.atomic():
        if replace and keep_rollup and old_facts is None:
            _take_turns(ids)
            old_facts = _facts_of(ids, lock=True)
        if replace:
            for start in range(0, len(ids), 900):
                chunk = ids[start : start + 900]
                DossierSpell.objects.filter(fact_id__in=chunk).delete()
                DossierFact.objects.filter(dossier_id__in=chunk).delete()
        insert_rows(DossierFact, [d.fact for d in derived_list], batch_size=2000)
        spells = [dict(s, fact_id=d.fact["dossier_id"]) for d in derived_list for s in d.spells]
        for spell, pk in zip(spells, reserve_ids(DossierSpell, len(spells)), strict=True):
            spell["id"] = pk
        insert_rows(DossierSpell, spells, batch_size=2000)
        if keep_rollup:
            rollup.apply_changes(old_facts or [], [d.fact for d in derived_list])


# Namespace of the transaction-level advisory locks taken on dossiers whose facts are rewritten.
FACT_LOCK = 7_702


def _take_turns(dossier_ids) -> None:
    """Make transactions that rewrite the facts of the same dossiers take turns (until they end), so that the
    facts one reads before rewriting them are the ones it replaces: the rollup adds the difference
    (`rollup.apply_changes`). Dossier rows are left alone (their transitions do not wait). SQLite writes one at
    a time."""
    ids = sorted(set(dossier_ids))
    if not rollup.by_deltas(len(ids)):
        return  # many dossiers: the rollup rolls their days up again, from the facts
    _lock_dossiers(ids)


def _lock_dossiers(dossier_ids) -> None:
    """Take the fact locks of these dossiers (in one order, until the transaction ends); see `_take_turns`."""
    ids = sorted(set(dossier_ids))
    if connection.vendor != "postgresql" or not ids:
        return
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(pg_advisory_xact_lock(%s, (id %% 2147483647)::int))"
            " FROM (SELECT id FROM unnest(%s::bigint[]) AS id ORDER BY id) AS ids",
            [FACT_LOCK, ids],
        )


def _facts_of(ids, *, lock: bool = False) -> list[DossierFact]:
    """The facts of these dossiers; `lock`: wait for a writer that updates them in place
    (`refresh_digitisation`) and read what it wrote."""
    ids = list(ids)
    found = []
    facts = DossierFact.objects.select_for_update() if lock else DossierFact.objects
    for start in range(0, len(ids), 900):
        found.extend(facts.filter(dossier_id__in=ids[start : start + 900]))
    return found


def rebuild(dossier_ids, *, keep_rollup: bool = True, turns_taken: bool = False) -> int:
    """Recompute the facts of these dossiers from their events; returns how many were rebuilt. `turns_taken`:
    the caller holds the fact locks of all of them already (`drain`)."""
    dossier_ids = sorted(dossier_ids)  # one order of locks for every writer
    done = 0
    for start in range(0, len(dossier_ids), 900):
        chunk = dossier_ids[start : start + 900]
        dossiers = {
            d.pk: d
            for d in Dossier.objects.filter(pk__in=chunk)
            .exclude(received_at__isnull=True)
            .select_related("procedure", "resolving_agency__unit")
        }
        events: dict[int, list] = {pk: [] for pk in dossiers}
        for event in (
            DossierEvent.objects.filter(dossier_id__in=list(dossiers))
            .only("id", "dossier_id", "at", "action", "to_state", "data")
            .order_by("dossier_id", "at", "id")
        ):
            events[event.dossier_id].append(event)
        digitised = _digitisation_rows(list(dossiers))
        derived = [derive(d, events[pk], dims_of(d), digitised.get(pk)) for pk, d in dossiers.items()]
        with transaction.atomic():
            if not turns_taken:
                _take_turns(dossiers)  # the received ones: those with facts
            old = _facts_of(chunk, lock=True) if keep_rollup else None
            DossierSpell.objects.filter(fact_id__in=chunk).delete()
            DossierFact.objects.filter(dossier_id__in=chunk).delete()
            store(derived, replace=False, old_facts=old, keep_rollup=keep_rollup)
        done += len(derived)
    return done


def _digitisation_rows(dossier_ids) -> dict:
    from motcua.documents.models import DossierDigitisation

    return {
        row.dossier_id: row
        for row in DossierDigitisation.objects.filter(dossier_id__in=dossier_ids).only(
            "dossier_id", "components_total", "components_digitised", "components_reused", "result_digitised"
        )
    }


def refresh_digitisation(dossier_ids) -> int:
    """Copy the current digitisation (and result) state of these dossiers into their facts, rolling up again
    the rolled-up days whose counts change; returns how many facts changed. For writers of
    `DossierDigitisation` that send no signal (bulk history)."""
    dossier_ids = sorted(dossier_ids)  # one order of locks for every writer
    changed_count = 0
    for start in range(0, len(dossier_ids), 900):
        chunk = dossier_ids[start : start + 900]
        with transaction.atomic():
            # Facts updated in place, each under its row lock: a writer that replaces them waits, or finds them
            # gone and leaves them (no turns to take).
            states = dict(Dossier.objects.filter(pk__in=chunk).values_list("pk", "state"))
            digitised = _digitisation_rows(chunk)
            old, new, changed = [], [], []
            for fact in DossierFact.objects.select_for_update().filter(dossier_id__in=chunk):
                columns = digitisation_of(states.get(fact.pk, ""), digitised.get(fact.pk))
                if all(getattr(fact, k) == v for k, v in columns.items()):
                    continue
                old.append({f.attname: getattr(fact, f.attname) for f in DossierFact._meta.concrete_fields})
                for k, v in columns.items():
                    setattr(fact, k, v)
                new.append({f.attname: getattr(fact, f.attname) for f in DossierFact._meta.concrete_fields})
                changed.append(fact)
            DossierFact.objects.bulk_update(changed, DIGITISATION_COLUMNS, batch_size=500)
            rollup.apply_changes(old, new)
        changed_count += len(changed)
    return changed_count


# --- the pending-facts outbox ---------------------------------------------------------------------------------


def _insert_pending(dossier_ids, using: str = DEFAULT_DB_ALIAS) -> None:
    """Mark dossiers pending (inside the transaction that changes them): one plain INSERT per batch."""
    dossier_ids = list(dossier_ids)
    table = connections[using].ops.quote_name(PendingFact._meta.db_table)
    with connections[using].cursor() as cursor:
        for start in range(0, len(dossier_ids), 900):
            chunk = dossier_ids[start : start + 900]
            cursor.execute(
                f'INSERT INTO {table} ("dossier_id") VALUES ' + ", ".join(["(%s)"] * len(chunk)), chunk
            )


class _Marked:
    """The on-commit callback of one `mark_pending` call, which also remembers the dossiers it marked: Django drops
    the callbacks registered inside a savepoint that rolls back, so the callbacks still waiting on the connection
    name exactly the dossiers whose pending rows are still part of the open transaction."""

    __slots__ = ("dossier_ids",)

    def __init__(self, dossier_ids):
        self.dossier_ids = frozenset(dossier_ids)

    def __call__(self) -> None:
        _refresh_soon()


def _marks(using: str) -> list[_Marked]:
    """The marks still waiting on the open transaction of `using`."""
    return [
        callback
        for _sids, callback, _robust in connections[using].run_on_commit
        if isinstance(callback, _Marked)
    ]


def _forget_marks(using: str = DEFAULT_DB_ALIAS) -> None:
    """Pending rows were deleted in this transaction (a drain): a later change of those dossiers marks them again."""
    for mark in _marks(using):
        mark.dossier_ids = frozenset()


def _marked_in_this_transaction(using: str) -> set[int]:
    return set().union(*(mark.dossier_ids for mark in _marks(using)))


def mark_pending(dossier_ids, using: str = DEFAULT_DB_ALIAS) -> None:
    """Note that these dossiers' facts must be rebuilt (the event and digitisation receivers below, and writers
    that send no signal and do not write the facts themselves); a run of `tasks.refresh_facts` is queued once the transaction
    commits (a report or the nightly rollup drains them too). Call it inside the transaction that changes them.

    A dossier already marked earlier in the same transaction is not marked again (an intake with documents saves
    an event and a digitisation row: one pending row, not two), unless the savepoint that marked it rolled back."""
    wanted = set(dossier_ids)
    if connections[using].in_atomic_block:
        wanted -= _marked_in_this_transaction(using)
    if not wanted:
        return
    _insert_pending(sorted(wanted), using)
    transaction.on_commit(_Marked(wanted), using=using)


def _take_pending(batch: int, upto: int) -> list[int]:
    """Delete up to `batch` pending rows (the oldest, none above `upto`) and return their dossiers. On
    PostgreSQL rows another drain holds are skipped, and rows of transactions still open are not seen: those
    are left for a later drain."""
    table = connection.ops.quote_name(PendingFact._meta.db_table)
    lock = " FOR UPDATE SKIP LOCKED" if connection.vendor == "postgresql" else ""
    with connection.cursor() as cursor:
        cursor.execute(
            f"DELETE FROM {table} WHERE id IN (SELECT id FROM {table} WHERE id <= %s ORDER BY id LIMIT %s{lock})"
            " RETURNING dossier_id",
            [upto, batch],
        )
        taken = sorted({row[0] for row in cursor.fetchall()})
    _forget_marks()
    return taken


# Pending rows taken and rebuilt per transaction.
DRAIN_BATCH = 500
# Seconds between a change and the run that rebuilds its facts: a longer wait makes larger, cheaper batches, and
# costs nothing in freshness, since every report drains what is pending before it reads.
REFRESH_DELAY = 5.0


def drain(batch: int = DRAIN_BATCH) -> int:
    """Rebuild the facts of every dossier pending when the drain starts, `batch` pending rows per transaction
    (the rows are deleted in the transaction that rebuilds those dossiers, so a failure leaves them pending);
    returns how many dossiers were rebuilt.

    Rows written after the start are left to the next drain: under a steady flow of changes, a drain that chased
    them would rebuild a few dossiers per transaction for ever, each transaction paying the whole fixed cost of a
    rebuild. A change that commits after a queued run has started queues another run (`enqueue_soon`), and a
    report drains before it reads. Two drains at once share the work: each takes rows the other does not hold,
    and they take turns on a dossier both took (one rebuilds it after the other has committed)."""
    upto = PendingFact.objects.aggregate(last=Max("id"))["last"]
    done = 0
    while upto is not None:
        with transaction.atomic():
            ids = _take_pending(batch, upto)
            if not ids:
                break
            # Turns are taken whatever the count (not only for deltas): a dossier may be in two drains' batches.
            _lock_dossiers(ids)
            done += rebuild(ids, turns_taken=True)
    return done


def sync() -> int:
    """Bring the facts up to date before a report reads them (what the task worker has not done yet)."""
    return drain()


def rebuild_all() -> int:
    """Recompute every fact from the events (derived data: safe to run any time)."""
    with transaction.atomic():
        # Pending rows committed so far are covered by what is read below; later ones stay for the next drain.
        PendingFact.objects.all().delete()
        _forget_marks()
        DossierSpell.objects.all().delete()
        DossierFact.objects.all().delete()
        ids = list(Dossier.objects.exclude(received_at__isnull=True).values_list("pk", flat=True))
        count = rebuild(ids, keep_rollup=False)
        through = rollup.rolled_through()
        if through is not None:
            rollup.roll_up(through, rebuild=True)
    return count


@receiver(post_save, sender=DossierEvent, dispatch_uid="reports_fact_event")
def _on_event_saved(sender, instance=None, created=False, raw=False, using=DEFAULT_DB_ALIAS, **kwargs):
    if created and not raw and instance is not None:
        mark_pending([instance.dossier_id], using)


@receiver(post_save, sender="documents.DossierDigitisation", dispatch_uid="reports_fact_digitisation")
def _on_digitisation_saved(sender, instance=None, raw=False, using=DEFAULT_DB_ALIAS, **kwargs):
    if instance is not None and instance.dossier_id and not raw:
        mark_pending([instance.dossier_id], using)


def _refresh_soon() -> None:
    from motcua.background import enqueue_soon

    from .tasks import refresh_facts

    enqueue_soon(refresh_facts, delay=REFRESH_DELAY)
