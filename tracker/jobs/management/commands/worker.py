"""`manage.py worker`: the background worker to run in production (see tracker.jobs.worker).

Takes the same options as django-tasks' `db_worker`, on which it is built.
"""

import os

from django.conf import settings
from django.utils.autoreload import DJANGO_AUTORELOAD_ENV, run_with_reloader
from django_tasks_db.management.commands import db_worker

from tracker.jobs.worker import ResilientWorker


class Command(db_worker.Command):
    help = (
        "Run a background worker that survives database outages, writes a heartbeat and re-queues work "
        "left behind by workers that died. Run one or more under a supervisor (see README)."
    )

    def handle(
        self,
        *,
        verbosity,
        queue_name,
        interval,
        batch,
        backend_name,
        startup_delay,
        reload,
        max_tasks,
        worker_id,
        exclude_queues,
        **options,
    ):
        self.configure_logging(verbosity)
        worker = ResilientWorker(
            queue_names=queue_name.split(","),
            interval=interval,
            batch=batch,
            backend_name=backend_name,
            startup_delay=startup_delay,
            max_tasks=max_tasks,
            worker_id=worker_id,
            excluded_queue_names=exclude_queues.split(",") if exclude_queues else [],
            sweep_every=settings.WORKER_SWEEP_SECONDS,
            heartbeat_every=settings.WORKER_HEARTBEAT_SECONDS,
        )
        if reload and not batch:
            if os.environ.get(DJANGO_AUTORELOAD_ENV) == "true":
                worker.configure_signals()
            run_with_reloader(worker.run)
        else:
            worker.configure_signals()
            worker.run()
