from django.db import models


class WorkerHeartbeat(models.Model):
    """One row per background worker process, refreshed every few seconds while it lives.

    The sweep (tracker.jobs.sweep) reads these rows to tell a task that is
    still being worked on from one whose worker died, and /healthz reports the
    newest heartbeat. A worker that stops cleanly deletes its row.
    """

    worker_id = models.CharField(max_length=64, primary_key=True)
    hostname = models.CharField(max_length=255)
    pid = models.PositiveIntegerField()
    started_at = models.DateTimeField()
    last_seen_at = models.DateTimeField()
    # The task this worker is running (a DBTaskResult id), so the sweep never
    # takes back a task from a worker that is alive and busy with it.
    current_task_id = models.CharField(max_length=64, blank=True)

    class Meta:
        indexes = [models.Index(fields=["last_seen_at"], name="worker_heartbeat_seen_idx")]

    def __str__(self) -> str:
        return f"Worker {self.worker_id} on {self.hostname} (pid {self.pid})"
