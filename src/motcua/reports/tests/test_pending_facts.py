"""The facts leave the request: a change marks its dossier pending in its own transaction; `drain` (the task
worker, a report, the nightly rollup) rebuilds the pending dossiers in batches, to exactly what a full rebuild
gives; a change committed during a drain is left for the next one; two drains at once share the work."""

import datetime
import random
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test import override_settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from motcua import background
from motcua.catalog.tests.factories import RequiredDocumentFactory
from motcua.documents.models import DossierDigitisation
from motcua.dossiers import services
from motcua.dossiers.models import Dossier
from motcua.dossiers.states import State
from motcua.reports import facts, rollup
from motcua.reports.models import DailyCount, DossierFact, DossierSpell, PendingFact
from motcua.reports.resolution import resolution_report
from motcua.reports.tasks import refresh_facts

from .factories import ApplicantFactory, ProcedureWithProcessFactory, SuperuserFactory
from .test_daily_rollup import FIRST, digitise_randomly, import_history, places  # noqa: F401  (a fixture)

pytestmark = pytest.mark.django_db

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}


@pytest.fixture(autouse=True)
def fresh_notes():
    """Each test starts with no queued run noted by this process (`enqueue_soon`)."""
    background.forget()
    yield
    background.forget()


@pytest.fixture
def run_worker(monkeypatch):
    """Run the real database worker once over the queue (as in the notifications' background tests: the
    connection check between tasks is left out because the test's transaction keeps autocommit off)."""
    from django_tasks_db.management.commands import db_worker

    monkeypatch.setattr(db_worker, "close_old_connections", lambda: None)

    def run() -> None:
        call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)

    return run


def _require_postgresql():
    if connection.vendor != "postgresql":
        pytest.skip("Only meaningful on PostgreSQL (CI runs the suite there too).")


def snapshot() -> tuple:
    """Every fact, spell and rollup row (without the spells' and rollup rows' own ids)."""

    def rows(model, exclude=("id",)):
        names = [f.attname for f in model._meta.concrete_fields if f.attname not in exclude]
        return sorted(model.objects.values_list(*names), key=repr)

    return rows(DossierFact, exclude=()), rows(DossierSpell), rows(DailyCount)


def pending_of(dossier) -> int:
    return PendingFact.objects.filter(dossier_id=dossier.pk).count()


def test_a_change_marks_its_dossier_pending_in_its_own_transaction_and_a_rollback_leaves_nothing(actor):
    procedure = ProcedureWithProcessFactory()
    # Inside the test's transaction nothing runs after commit: the request itself rebuilds no fact.
    dossier = services.intake(procedure=procedure, applicant=ApplicantFactory(), actor=actor)
    assert pending_of(dossier) == 1
    assert not DossierFact.objects.filter(pk=dossier.pk).exists()
    assert facts.drain() == 1 and pending_of(dossier) == 0

    with pytest.raises(RuntimeError), transaction.atomic():
        services.withdraw(dossier, actor, "Công dân xin rút")
        assert pending_of(dossier) == 1
        raise RuntimeError("rolled back")
    assert pending_of(dossier) == 0

    # the rolled-back mark is forgotten with its savepoint: the next change marks the dossier again
    DossierDigitisation.objects.update_or_create(dossier=dossier, defaults={"components_total": 2})
    assert pending_of(dossier) == 1
    assert facts.drain() == 1
    assert pending_of(dossier) == 0
    assert DossierFact.objects.get(pk=dossier.pk).components_total == 2


def test_an_intake_with_documents_leaves_one_pending_row_for_its_event_and_its_digitisation(actor):
    procedure = ProcedureWithProcessFactory()
    form = RequiredDocumentFactory(procedure=procedure, name="Tờ khai", must_digitise=False)
    dossier = services.intake(
        procedure=procedure,
        applicant=ApplicantFactory(),
        actor=actor,
        documents=[{"name": "Tờ khai", "required_document": form.pk}],
    )
    assert DossierDigitisation.objects.get(dossier=dossier).components_total == 1
    assert pending_of(dossier) == 1
    assert facts.drain() == 1
    assert DossierFact.objects.get(pk=dossier.pk).components_total == 1


def test_a_dossier_is_marked_once_per_transaction_and_again_after_a_drain(actor):
    procedure = ProcedureWithProcessFactory()
    other = services.intake(procedure=procedure, applicant=ApplicantFactory(), actor=actor)
    dossier = services.intake(procedure=procedure, applicant=ApplicantFactory(), actor=actor)
    # the intake's event and its digitisation row, then a savepoint that commits into the transaction
    DossierDigitisation.objects.update_or_create(dossier=dossier, defaults={"components_total": 3})
    with transaction.atomic():
        services.withdraw(dossier, actor, "Công dân xin rút")
    assert (pending_of(dossier), pending_of(other)) == (1, 1)
    facts.mark_pending([dossier.pk, other.pk])
    assert PendingFact.objects.count() == 2

    # a drain in the same transaction deletes the rows it rebuilds: a later change must be seen again
    assert facts.drain() == 2
    DossierDigitisation.objects.filter(dossier=dossier).update(components_total=1)
    facts.mark_pending([dossier.pk])
    assert (pending_of(dossier), pending_of(other)) == (1, 0)
    assert facts.drain() == 1
    assert DossierFact.objects.get(pk=dossier.pk).components_total == 1


@pytest.mark.django_db(transaction=True)
@override_settings(
    TASKS=DATABASE_TASKS
)  # the refresh is queued, not run at once: the rows stay to be counted
def test_outside_a_transaction_each_change_writes_its_own_pending_row(actor):
    procedure = ProcedureWithProcessFactory()
    dossier = services.intake(procedure=procedure, applicant=ApplicantFactory(), actor=actor)
    assert pending_of(dossier) == 1  # the intake's own transaction, committed
    facts.mark_pending([dossier.pk])
    facts.mark_pending([dossier.pk])
    assert pending_of(dossier) == 3


@pytest.mark.parametrize("batch", [3, 40])  # the rollup by differences, and by rolling whole days again
def test_draining_gives_the_facts_and_rollup_a_full_rebuild_gives(places, batch):  # noqa: F811
    rng = random.Random(11)
    import_history(places, rng, 120)
    rollup.roll_up(FIRST + datetime.timedelta(days=45))
    received = list(Dossier.objects.exclude(received_at=None))
    # Digitised one by one (each save marks its dossier pending), some twice ...
    digitise_randomly(rng, rng.sample(received, 60))
    # ... results given to dossiers received on rolled-up days, by a writer that marks them itself ...
    open_ids = list(
        Dossier.objects.filter(
            pk__in=[d.pk for d in received], state__in=[State.RECEIVED, State.IN_STEP]
        ).values_list("pk", flat=True)[:8]
    )
    assert open_ids
    Dossier.objects.filter(pk__in=open_ids).update(state=State.RESULT_READY)
    facts.mark_pending(open_ids)
    digitise_randomly(rng, rng.sample(received, 40))
    pending = set(PendingFact.objects.values_list("dossier_id", flat=True))
    assert len(pending) > batch

    assert facts.drain(batch=batch) >= len(pending)

    assert not PendingFact.objects.exists()
    drained = snapshot()
    assert any(row[-2] for row in drained[0])  # has_result: the results given above are in the facts
    facts.rebuild_all()
    assert snapshot() == drained


def test_a_rebuild_copies_the_digitisation_as_the_in_place_refresh_does(places):  # noqa: F811
    rng = random.Random(12)
    import_history(places, rng, 60)
    rollup.roll_up(FIRST + datetime.timedelta(days=45))
    digitise_randomly(rng, list(Dossier.objects.all()), bulk=True)  # refresh_digitisation, in place
    PendingFact.objects.all().delete()
    refreshed = snapshot()
    assert any(row[-3] for row in refreshed[0])  # some result digitised

    facts.rebuild(list(Dossier.objects.exclude(received_at=None).values_list("pk", flat=True)))

    assert snapshot() == refreshed


@override_settings(TASKS=DATABASE_TASKS)
def test_a_burst_of_intakes_queues_one_refresh_and_the_worker_brings_the_facts_up_to_date(
    actor, django_capture_on_commit_callbacks, run_worker, monkeypatch
):
    # The burst must fall within one run's delay however slow the machine: a minute instead of a second.
    monkeypatch.setattr(facts, "REFRESH_DELAY", 60.0)
    procedure = ProcedureWithProcessFactory()
    dossiers = []
    for _ in range(12):
        with django_capture_on_commit_callbacks(execute=True):
            dossiers.append(services.intake(procedure=procedure, applicant=ApplicantFactory(), actor=actor))
    with django_capture_on_commit_callbacks(execute=True):
        services.withdraw(dossiers[0], actor, "Công dân xin rút")

    runs = DBTaskResult.objects.filter(task_path=refresh_facts.module_path)
    assert runs.count() == 1
    assert not DossierFact.objects.exists()
    # The run was queued ahead, for the rest of the burst; let its time come.
    runs.update(run_after=timezone.now())
    run_worker()

    assert runs.get().status == "SUCCESSFUL"
    assert not PendingFact.objects.exists()
    assert DossierFact.objects.filter(pk__in=[d.pk for d in dossiers]).count() == 12
    assert DossierFact.objects.get(pk=dossiers[0].pk).ending == "withdrawn"


@override_settings(TASKS=DATABASE_TASKS)
def test_a_report_read_without_a_worker_sees_every_committed_change(
    actor, django_capture_on_commit_callbacks
):
    procedure = ProcedureWithProcessFactory()
    for _ in range(3):
        with django_capture_on_commit_callbacks(execute=True):
            dossier = services.intake(procedure=procedure, applicant=ApplicantFactory(), actor=actor)
    with django_capture_on_commit_callbacks(execute=True):
        services.withdraw(dossier, actor, "Công dân xin rút")
    assert not DossierFact.objects.exists()  # the queued run has not run

    today = timezone.localdate()
    total = resolution_report(today, today).as_dict()["total"]

    assert total["received"]["total"] == 3
    assert total["withdrawn"] == 1
    assert not PendingFact.objects.exists()


def test_the_nightly_rollup_folds_in_pending_changes_first(actor):
    dossier = services.intake(
        procedure=ProcedureWithProcessFactory(), applicant=ApplicantFactory(), actor=actor
    )
    assert pending_of(dossier)

    call_command("rollup_reports")

    assert pending_of(dossier) == 0
    assert DossierFact.objects.filter(pk=dossier.pk).exists()


# --- PostgreSQL: concurrent writers and drains ---------------------------------------------------------------


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@override_settings(TASKS=DATABASE_TASKS)
def test_a_change_committed_during_a_drain_is_left_pending_for_the_next_one(monkeypatch):
    _require_postgresql()
    actor = SuperuserFactory()
    dossier = services.intake(
        procedure=ProcedureWithProcessFactory(), applicant=ApplicantFactory(), actor=actor
    )
    assert pending_of(dossier)
    has_read, go_on = threading.Event(), threading.Event()
    store = facts.store

    def store_after_a_pause(*args, **kwargs):
        if not has_read.is_set():
            has_read.set()  # the first batch has read the dossier's events and is about to write its facts
            assert go_on.wait(30)
        written.append([d.fact["ending"] for d in args[0]])
        return store(*args, **kwargs)

    written = []
    monkeypatch.setattr(facts, "store", store_after_a_pause)

    def drain():
        try:
            return facts.drain()
        finally:
            connection.close()

    with ThreadPoolExecutor(1) as pool:
        running = pool.submit(drain)
        assert has_read.wait(30)
        services.withdraw(dossier, actor, "Công dân xin rút")  # commits while the batch is open
        # Committed after the batch took its rows: still pending, not taken by it.
        assert pending_of(dossier) >= 1
        go_on.set()
        # The batch wrote what it had read; the withdrawal, written after the drain started, is left to the next.
        assert running.result(timeout=30) == 1
    assert pending_of(dossier) >= 1
    assert facts.drain() == 1
    assert written == [[""], ["withdrawn"]]
    assert DossierFact.objects.get(pk=dossier.pk).ending == "withdrawn"
    assert pending_of(dossier) == 0


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
@override_settings(TASKS=DATABASE_TASKS)
@pytest.mark.parametrize("batch", [4, 60])
def test_drains_running_at_once_share_the_work_without_deadlock_or_loss(places, batch):  # noqa: F811
    _require_postgresql()
    rng = random.Random(13)
    import_history(places, rng, 150)
    rollup.roll_up(FIRST + datetime.timedelta(days=45))
    received = list(Dossier.objects.exclude(received_at=None))
    # New dossiers, without facts yet: two drains must not both create a dossier's fact.
    procedure, actor = places["procedures"][0], places["actor"]
    new = [services.intake(procedure=procedure, applicant=ApplicantFactory(), actor=actor) for _ in range(15)]
    assert PendingFact.objects.count() == len(new)  # one row each (its event)
    # The drains' first batches each hold the new dossiers and otherwise different ones (nothing else makes them
    # wait for each other) ...
    fill = max(batch - len(new), 1)
    others = iter(rng.sample(received, 3 * fill))
    for turn in range(3):
        if turn:
            facts.mark_pending(d.pk for d in new)
        facts.mark_pending(next(others).pk for _ in range(fill))
    # ... then several pending rows per dossier, spread over the queue.
    for _ in range(4):
        digitise_randomly(rng, rng.sample(received, 80))
        facts.mark_pending(d.pk for d in rng.sample(received, 40))
    assert PendingFact.objects.count() > 4 * batch
    barrier = threading.Barrier(3)

    def drain():
        try:
            barrier.wait()
            return facts.drain(batch=batch)
        finally:
            connection.close()

    with ThreadPoolExecutor(3) as pool:
        done = [f.result(timeout=120) for f in [pool.submit(drain) for _ in range(3)]]

    assert all(done)  # each drain took a share
    assert not PendingFact.objects.exists()
    drained = snapshot()
    facts.rebuild_all()
    assert snapshot() == drained


def test_a_drain_leaves_changes_written_after_it_started_to_the_next_one(monkeypatch):
    actor = SuperuserFactory()
    procedure = ProcedureWithProcessFactory()
    first = services.intake(procedure=procedure, applicant=ApplicantFactory(), actor=actor)
    late = []
    rebuild = facts.rebuild

    def rebuild_while_intakes_go_on(ids, **kwargs):
        if not late:  # another intake commits while the first batch is being rebuilt
            late.append(services.intake(procedure=procedure, applicant=ApplicantFactory(), actor=actor))
        return rebuild(ids, **kwargs)

    PendingFact.objects.exclude(dossier_id=first.pk).delete()
    DossierFact.objects.all().delete()
    monkeypatch.setattr(facts, "rebuild", rebuild_while_intakes_go_on)
    with override_settings(TASKS=DATABASE_TASKS):  # the late intake queues a run instead of draining at once
        assert facts.drain() == 1
    assert DossierFact.objects.filter(pk=first.pk).exists()
    assert pending_of(late[0]) == 1 and not DossierFact.objects.filter(pk=late[0].pk).exists()
    monkeypatch.undo()
    assert facts.drain() == 1
    assert DossierFact.objects.filter(pk=late[0].pk).exists()
