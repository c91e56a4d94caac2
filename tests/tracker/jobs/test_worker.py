"""The worker keeps going through database outages and writes its heartbeat."""

import pytest
from django.db import OperationalError
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from tests.factories import PatientFactory
from tracker.jobs.models import WorkerHeartbeat
from tracker.jobs.worker import Backoff, ResilientWorker
from tracker.services.flags import evaluate_patient_flags

# The worker runs outside any transaction in production, and its heartbeat thread has a
# connection of its own: these tests commit for real, as it does.
pytestmark = pytest.mark.django_db(transaction=True)


def make_worker(**options) -> ResilientWorker:
    return ResilientWorker(
        queue_names=["default"],
        interval=0,
        batch=options.pop("batch", True),
        backend_name="default",
        startup_delay=False,
        max_tasks=options.pop("max_tasks", None),
        worker_id="test-worker",
        excluded_queue_names=[],
        sweep_every=60,
        heartbeat_every=60,
        **options,
    )


def test_the_wait_doubles_up_to_a_ceiling_and_starts_again_after_a_success():
    backoff = Backoff(first=1, ceiling=30)
    delays = [backoff.next_delay() for _ in range(7)]
    # A little jitter (up to 20% shorter) so several workers do not retry in step.
    for delay, expected in zip(delays, [1, 2, 4, 8, 16, 30, 30], strict=True):
        assert expected * 0.8 <= delay <= expected
    backoff.reset()
    assert backoff.next_delay() <= 1


def test_a_database_outage_makes_the_worker_wait_and_try_again_instead_of_exiting(monkeypatch):
    worker = make_worker()
    outcomes = iter([OperationalError("down"), OperationalError("down"), None])
    sleeps = []

    def claim_next():
        outcome = next(outcomes)
        if outcome is not None:
            raise outcome
        return None

    monkeypatch.setattr(worker, "claim_next", claim_next)
    monkeypatch.setattr("tracker.jobs.worker.time.sleep", sleeps.append)
    worker.run()  # batch mode: returns once the queue is empty
    assert len(sleeps) == 2
    assert sleeps[1] > sleeps[0]


def test_the_worker_runs_queued_tasks_and_leaves_no_heartbeat_behind_when_it_stops():
    evaluate_patient_flags.enqueue(0)
    make_worker().run()
    assert DBTaskResult.objects.get().status == TaskResultStatus.SUCCESSFUL
    assert not WorkerHeartbeat.objects.exists()


def test_a_task_cut_off_by_a_database_error_is_left_for_the_sweep_not_marked_failed(monkeypatch):
    evaluate_patient_flags.enqueue(PatientFactory().pk)

    def down(**kwargs):
        raise OperationalError("server closed the connection unexpectedly")

    monkeypatch.setattr("tracker.services.flags.flags_evaluate", down)
    worker = make_worker()
    task = worker.claim_next()
    with pytest.raises(OperationalError):
        worker.run_task(task)
    task.refresh_from_db()
    assert task.status == TaskResultStatus.RUNNING
    assert worker.current_task_id == ""


def test_the_heartbeat_names_the_task_in_hand():
    evaluate_patient_flags.enqueue(0)
    worker = make_worker()
    task = worker.claim_next()
    assert WorkerHeartbeat.objects.get(pk="test-worker").current_task_id == str(task.pk)
