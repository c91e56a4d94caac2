"""The workers' sweep: work left behind by a worker that died is picked up again, and only that."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from tests.factories import CareTeamMembershipFactory
from tests.tracker.flags.records import log_check_in
from tracker.flags import notify
from tracker.jobs.models import WorkerHeartbeat
from tracker.jobs.sweep import MAX_TASK_ATTEMPTS, sweep
from tracker.models import FlagNotification
from tracker.services.flags import evaluate_patient_flags, flags_evaluate

pytestmark = pytest.mark.django_db


def heartbeat(worker_id: str, *, seconds_ago: int, current_task_id: str = "") -> WorkerHeartbeat:
    now = timezone.now()
    return WorkerHeartbeat.objects.create(
        worker_id=worker_id,
        hostname="app-1",
        pid=100,
        started_at=now - timedelta(hours=1),
        last_seen_at=now - timedelta(seconds=seconds_ago),
        current_task_id=current_task_id,
    )


def running_task(*, worker_ids: list[str], started_seconds_ago: int = 120) -> DBTaskResult:
    result = evaluate_patient_flags.enqueue(1)
    task = DBTaskResult.objects.get(pk=result.id)
    task.status = TaskResultStatus.RUNNING
    task.worker_ids = worker_ids
    task.started_at = timezone.now() - timedelta(seconds=started_seconds_ago)
    task.save()
    return task


def test_a_task_whose_worker_stopped_beating_goes_back_in_the_queue():
    heartbeat("dead", seconds_ago=600)
    task = running_task(worker_ids=["dead"])
    report = sweep()
    task.refresh_from_db()
    assert task.status == TaskResultStatus.READY
    assert report.requeued_tasks == [str(task.pk)]
    assert DBTaskResult.objects.ready().filter(pk=task.pk).exists()


def test_a_task_a_live_worker_is_busy_with_is_left_alone():
    task = running_task(worker_ids=["alive"])
    heartbeat("alive", seconds_ago=1, current_task_id=str(task.pk))
    sweep()
    task.refresh_from_db()
    assert task.status == TaskResultStatus.RUNNING


def test_a_task_claimed_a_moment_ago_is_left_alone():
    task = running_task(worker_ids=["new"], started_seconds_ago=1)
    sweep()
    task.refresh_from_db()
    assert task.status == TaskResultStatus.RUNNING


def test_a_task_that_has_killed_its_worker_too_often_is_given_up():
    task = running_task(worker_ids=[f"worker-{number}" for number in range(MAX_TASK_ATTEMPTS)])
    report = sweep()
    task.refresh_from_db()
    assert task.status == TaskResultStatus.FAILED
    assert report.given_up_tasks == [str(task.pk)]


def test_an_email_whose_send_was_claimed_by_a_dead_worker_is_queued_again_once_the_claim_expires(settings):
    link = CareTeamMembershipFactory()
    log_check_in(link.patient, 0, bladder_bowel_change=True)
    flags_evaluate(patient=link.patient)
    notification = FlagNotification.objects.get()
    now = timezone.now()
    assert notify.claim(notification.pk, now=now)
    DBTaskResult.objects.all().delete()  # the worker that claimed it took its task with it

    assert sweep(now=now).queued_by_hooks["tracker.flags.notify.requeue_due"] == 0  # the claim still holds
    later = now + timedelta(seconds=settings.NOTIFY_CLAIM_LEASE_SECONDS + 1)
    assert sweep(now=later).queued_by_hooks["tracker.flags.notify.requeue_due"] == 1
    assert DBTaskResult.objects.filter(task_path=notify.SEND_TASK_PATH).count() == 1


def test_an_email_that_already_has_a_send_waiting_is_not_queued_twice():
    link = CareTeamMembershipFactory()
    log_check_in(link.patient, 0, bladder_bowel_change=True)
    flags_evaluate(patient=link.patient)  # queues the send in the flag's transaction
    sweep()
    assert DBTaskResult.objects.filter(task_path=notify.SEND_TASK_PATH).count() == 1


def test_a_hook_that_fails_does_not_stop_the_sweep(settings, caplog):
    settings.WORKER_SWEEP_HOOKS = ["tests.tracker.jobs.test_sweep.no_such_hook", "tracker.flags.notify.requeue_due"]
    report = sweep()
    assert "tracker.flags.notify.requeue_due" in report.queued_by_hooks
    assert "Sweep hook tests.tracker.jobs.test_sweep.no_such_hook failed" in caplog.text


def test_tasks_queued_under_their_old_names_still_run():
    from tracker import tasks

    for name in ("send_flag_notification", "evaluate_patient_flags", "refresh_patient_summary", "evaluate_flags_daily"):
        assert callable(getattr(tasks, name).call)
