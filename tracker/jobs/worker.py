"""The background worker: django-tasks' database worker, made to outlive faults.

Differences from `db_worker`:
- A database outage never ends the process: the worker closes its
  connections, waits (1, 2, 4 ... up to WORKER_MAX_BACKOFF_SECONDS, with a
  little jitter so several workers do not stampede) and tries again.
- A task that fails because the database went away is not recorded as failed
  (that write would fail too): it stays claimed, and once this worker has
  moved on the sweep puts it back in the queue.
- It writes a heartbeat (tracker.jobs.models.WorkerHeartbeat) every
  WORKER_HEARTBEAT_SECONDS from a thread of its own, so a worker that is busy
  sending a slow e-mail still counts as alive, and it runs the sweep
  (tracker.jobs.sweep) at start-up and every WORKER_SWEEP_SECONDS.
Run it under a supervisor that restarts it if it is killed (see deploy/).
"""

import contextlib
import logging
import os
import random
import socket
import threading
import time

from django.conf import settings
from django.db import DatabaseError, close_old_connections, connection, connections, transaction
from django.utils import timezone
from django_tasks_db.compat import TaskContext, task_finished, task_started
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult
from django_tasks_db.utils import exclusive_transaction, is_locked_database_exception

from .models import WorkerHeartbeat
from .sweep import sweep

logger = logging.getLogger(__name__)


class Backoff:
    """Waits that double after each failure, up to a ceiling; reset after a success."""

    def __init__(self, *, first: float = 1.0, ceiling: float = 30.0):
        self.first = first
        self.ceiling = ceiling
        self.failures = 0

    def next_delay(self) -> float:
        delay = min(self.ceiling, self.first * 2 ** min(self.failures, 32))
        self.failures += 1
        return delay * random.uniform(0.8, 1.0)  # jitter, not a secret

    def reset(self) -> None:
        self.failures = 0


def _inside_a_transaction() -> bool:
    # A worker runs outside any transaction; only the tests drive one inside theirs, and
    # closing or recycling the connection there would end the test's own transaction.
    return transaction.get_connection().in_atomic_block


def _close_connections() -> None:
    if _inside_a_transaction():
        return
    # A connection that is already gone cannot be closed more.
    with contextlib.suppress(DatabaseError):
        connections.close_all()


class ResilientWorker(Worker):
    def __init__(self, *, sweep_every: float, heartbeat_every: float, background_heartbeat: bool = True, **kwargs):
        super().__init__(**kwargs)
        # Off only where the worker runs inside someone else's transaction (the tests' run_queued_tasks):
        # a second connection there would wait on rows that transaction holds.
        self.background_heartbeat = background_heartbeat
        self.sweep_every = sweep_every
        self.heartbeat_every = heartbeat_every
        self.hostname = socket.gethostname()[:255]
        self.pid = os.getpid()
        self.started_at = timezone.now()
        self.current_task_id = ""
        self.next_sweep_at = 0.0  # monotonic seconds; 0 sweeps at start-up
        self.backoff = Backoff(ceiling=settings.WORKER_MAX_BACKOFF_SECONDS)
        self.stop_beating = threading.Event()

    # Heartbeat ---------------------------------------------------------------

    def beat(self) -> None:
        """Record that this worker is alive and what it is running. Raises DatabaseError if it cannot.

        It never waits long for a lock: a heartbeat that cannot be written in
        a couple of seconds is skipped (the next one comes soon), so the
        heartbeat thread never hangs behind a long transaction.
        """
        now = timezone.now()
        with transaction.atomic():
            if connection.vendor == "postgresql":
                with connection.cursor() as cursor:
                    cursor.execute("SET LOCAL lock_timeout = '2s'")
            WorkerHeartbeat.objects.update_or_create(
                worker_id=self.worker_id,
                defaults={"last_seen_at": now, "current_task_id": self.current_task_id},
                create_defaults={
                    "hostname": self.hostname,
                    "pid": self.pid,
                    "started_at": self.started_at,
                    "last_seen_at": now,
                    "current_task_id": self.current_task_id,
                },
            )

    def _heartbeat_loop(self) -> None:
        while not self.stop_beating.is_set():
            try:
                self.beat()
            except DatabaseError as error:
                logger.warning("Worker %s could not write its heartbeat: %s", self.worker_id, error)
                _close_connections()
            self.stop_beating.wait(self.heartbeat_every)
        _close_connections()

    # The loop ----------------------------------------------------------------

    def claim_next(self) -> DBTaskResult | None:
        tasks = DBTaskResult.objects.ready().filter(backend_name=self.backend_name)
        if not self.process_all_queues:
            tasks = tasks.filter(queue_name__in=self.queue_names)
        if self.excluded_queue_names:
            tasks = tasks.exclude(queue_name__in=self.excluded_queue_names)
        try:
            with exclusive_transaction(tasks.db):
                task_result = tasks.get_locked()
                if task_result is not None:
                    task_result.claim(self.worker_id)
                    # In the claim's transaction: the sweep never sees this
                    # task running without a live worker that owns it.
                    self.current_task_id = str(task_result.pk)
                    self.beat()
                return task_result
        except DatabaseError as error:
            self.current_task_id = ""
            if is_locked_database_exception(error):
                return None  # SQLite is busy; try again after the interval
            raise

    def run_task(self, db_task_result: DBTaskResult) -> None:
        try:
            self.running_task = True
            self.current_task_id = str(db_task_result.pk)
            task = db_task_result.task
            task_result = db_task_result.task_result
            backend_type = task.get_backend()
            task_started.send(sender=backend_type, task_result=task_result)
            if task.takes_context:
                value = task.call(TaskContext(task_result=task_result), *task_result.args, **task_result.kwargs)
            else:
                value = task.call(*task_result.args, **task_result.kwargs)
            db_task_result.set_successful(value)
            task_finished.send(sender=backend_type, task_result=db_task_result.task_result)
        except DatabaseError:
            # Left claimed: once the database is back, the sweep queues it again.
            raise
        except Exception as error:
            db_task_result.set_failed(error)
            logger.exception("Task %s (%s) failed", db_task_result.pk, db_task_result.task_path)
        finally:
            self.running_task = False
            self.current_task_id = ""
            self._run_tasks += 1

    def step(self) -> bool:
        """One turn of the loop: sweep if due, then run one task. True if a task ran."""
        if not _inside_a_transaction():
            close_old_connections()  # drop a connection the database closed while we slept
        if time.monotonic() >= self.next_sweep_at:
            report = sweep()
            self.next_sweep_at = time.monotonic() + self.sweep_every
            if report.requeued_tasks or report.given_up_tasks:
                logger.info("Sweep: %s", report)
        task_result = self.claim_next()
        if task_result is None:
            return False
        self.run_task(task_result)
        return True

    def run(self) -> None:
        logger.info("Starting worker %s (pid %s) queues=%s", self.worker_id, self.pid, ",".join(self.queue_names))
        if self.startup_delay and self.interval:
            time.sleep(random.random())  # avoid a thundering herd
        beating = threading.Thread(target=self._heartbeat_loop, name="heartbeat", daemon=True)
        if self.background_heartbeat:
            beating.start()
        try:
            while self.running:
                try:
                    ran = self.step()
                except DatabaseError as error:
                    delay = self.backoff.next_delay()
                    logger.warning(
                        "Database unavailable (%s); worker %s retries in %.1f s", error, self.worker_id, delay
                    )
                    _close_connections()
                    time.sleep(delay)
                    continue
                self.backoff.reset()
                if self.batch and not ran:
                    logger.info("No more tasks for worker %s; exiting", self.worker_id)
                    return
                if self.max_tasks is not None and self._run_tasks >= self.max_tasks:
                    logger.info("Ran %s tasks; worker %s exiting", self._run_tasks, self.worker_id)
                    return
                if self.running and not ran:
                    time.sleep(self.interval)
        finally:
            self.stop_beating.set()
            if beating.is_alive():
                beating.join(timeout=5)  # a daemon thread: it ends with the process in any case
            # If this fails, the row goes stale and the sweep treats the worker as gone.
            with contextlib.suppress(DatabaseError):
                WorkerHeartbeat.objects.filter(pk=self.worker_id).delete()
