"""The workers' own clean-up: nothing queued stays parked because a worker died.

Every worker runs `sweep()` when it starts and then every WORKER_SWEEP_SECONDS.
It does two things:
1. A task marked RUNNING whose worker is gone (no heartbeat for
   WORKER_DEAD_AFTER_SECONDS, or a live worker that is busy with something
   else) is put back in the queue. Tasks are idempotent, so running one again
   is safe. A task abandoned MAX_TASK_ATTEMPTS times is marked failed for good
   and logged as an error, so one poisonous task cannot kill workers forever.
2. Each hook in settings.WORKER_SWEEP_HOOKS re-queues the work its feature
   keeps in an outbox table (a care-team e-mail whose send was claimed by a
   worker that died, say). A hook is a dotted path to a function taking `now`
   and returning how many tasks it queued.
Two workers sweeping at once is harmless: rows are locked and re-checked.
"""

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.module_loading import import_string
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from .models import WorkerHeartbeat

logger = logging.getLogger(__name__)

# A task claimed this recently may not have its worker's heartbeat updated yet.
CLAIM_GRACE = timedelta(seconds=5)
MAX_TASK_ATTEMPTS = 5


@dataclass
class SweepReport:
    requeued_tasks: list[str] = field(default_factory=list)
    given_up_tasks: list[str] = field(default_factory=list)
    queued_by_hooks: dict[str, int] = field(default_factory=dict)


def dead_after() -> timedelta:
    return timedelta(seconds=settings.WORKER_DEAD_AFTER_SECONDS)


def live_workers(*, now: datetime) -> QuerySet[WorkerHeartbeat]:
    return WorkerHeartbeat.objects.filter(last_seen_at__gte=now - dead_after())


def requeue_abandoned_tasks(*, now: datetime, report: SweepReport) -> None:
    busy = set(live_workers(now=now).exclude(current_task_id="").values_list("current_task_id", flat=True))
    candidates = DBTaskResult.objects.filter(status=TaskResultStatus.RUNNING, started_at__lt=now - CLAIM_GRACE)
    for task_id in candidates.values_list("id", flat=True):
        if str(task_id) in busy:
            continue
        with transaction.atomic():
            task = (
                DBTaskResult.objects.select_for_update(skip_locked=True)
                .filter(pk=task_id, status=TaskResultStatus.RUNNING)
                .first()
            )
            if task is None:
                continue  # another worker's sweep got there first, or it finished
            if len(task.worker_ids) >= MAX_TASK_ATTEMPTS:
                task.status = TaskResultStatus.FAILED
                task.finished_at = now
                task.exception_class_path = "tracker.jobs.sweep.Abandoned"
                task.traceback = f"Abandoned by {len(task.worker_ids)} workers in a row; not retried again."
                task.save(update_fields=["status", "finished_at", "exception_class_path", "traceback"])
                logger.error("Task %s (%s) was abandoned %s times; gave up", task.pk, task.task_path, MAX_TASK_ATTEMPTS)
                report.given_up_tasks.append(str(task.pk))
                continue
            # Back to the queue as the same row: its worker_ids keep counting the attempts.
            task.status = TaskResultStatus.READY
            task.started_at = None
            task.run_after = now
            task.save(update_fields=["status", "started_at", "run_after"])
            logger.warning(
                "Task %s (%s) was abandoned by worker %s; queued again",
                task.pk,
                task.task_path,
                task.worker_ids[-1] if task.worker_ids else "?",
            )
            report.requeued_tasks.append(str(task.pk))


def run_hooks(*, now: datetime, report: SweepReport) -> None:
    for path in settings.WORKER_SWEEP_HOOKS:
        try:
            report.queued_by_hooks[path] = import_string(path)(now=now)
        except Exception:
            # One feature's hook failing must not stop the others'.
            logger.exception("Sweep hook %s failed", path)


def sweep(*, now: datetime | None = None) -> SweepReport:
    now = now or timezone.now()
    report = SweepReport()
    requeue_abandoned_tasks(now=now, report=report)
    run_hooks(now=now, report=report)
    return report
