"""Running the background queue in tests, with the real worker (tracker.jobs.worker) in batch mode."""

from tracker.jobs.worker import ResilientWorker


def run_queued_tasks() -> int:
    """Run every task waiting on the database queue, as `manage.py worker` would; returns how many ran."""
    worker = ResilientWorker(
        queue_names=["default"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test-worker",
        excluded_queue_names=[],
        sweep_every=3600,
        heartbeat_every=3600,
        # Inside the test's transaction, a heartbeat thread's own connection would wait on its rows.
        background_heartbeat=False,
    )
    worker.run()
    return worker._run_tasks
