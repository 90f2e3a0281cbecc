"""`motcua.background.enqueue_soon`: a burst of changes queues one run; a run is queued again once the previous
one's window has begun; the immediate backend runs the task every time."""

import pytest
from django.test import override_settings
from django_tasks import task
from django_tasks_db.models import DBTaskResult

from motcua import background

pytestmark = pytest.mark.django_db

DATABASE_TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
RUNS = []


@task()
def note_a_run() -> None:
    RUNS.append(1)


@pytest.fixture(autouse=True)
def fresh_notes():
    background.forget()
    RUNS.clear()
    yield
    background.forget()


@override_settings(TASKS=DATABASE_TASKS)
def test_a_burst_of_changes_queues_one_deferred_run():
    queued = [background.enqueue_soon(note_a_run, delay=30) for _ in range(50)]

    assert queued.count(True) == 1
    rows = list(DBTaskResult.objects.filter(task_path=note_a_run.module_path))
    assert len(rows) == 1
    assert rows[0].run_after is not None and rows[0].run_after > rows[0].enqueued_at


@override_settings(TASKS=DATABASE_TASKS)
def test_a_new_run_is_queued_once_the_previous_window_has_begun(monkeypatch):
    clock = [1000.0]
    monkeypatch.setattr(background.time, "monotonic", lambda: clock[0])

    assert background.enqueue_soon(note_a_run, delay=1.0) is True
    clock[0] += 0.5
    assert background.enqueue_soon(note_a_run, delay=1.0) is False
    clock[0] += 0.4  # within the margin of the queued run's start: not relied on
    assert background.enqueue_soon(note_a_run, delay=1.0) is True

    assert DBTaskResult.objects.filter(task_path=note_a_run.module_path).count() == 2


def test_the_immediate_backend_runs_the_task_every_time():
    for _ in range(3):
        assert background.enqueue_soon(note_a_run) is True

    assert RUNS == [1, 1, 1]


@override_settings(TASKS=DATABASE_TASKS)
def test_a_queue_that_refuses_leaves_no_note_behind(monkeypatch):
    def refuse(*args, **kwargs):
        raise RuntimeError("queue down")

    monkeypatch.setattr(type(note_a_run), "enqueue", refuse)

    assert background.enqueue_soon(note_a_run) is False
    monkeypatch.undo()
    assert background.enqueue_soon(note_a_run) is True
