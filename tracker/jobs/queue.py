"""Queueing background tasks so they cannot be lost between a write and its follow-up.

With the database task backend (the default), a queued task is a row in the
same database: `enqueue_durably` writes it inside the caller's transaction, so
the task exists exactly when the write it follows exists. A crash, a killed
process or a dropped connection after the commit cannot leave the write
without its task, and a rollback takes the task away with the write.

Any other backend (a broker outside the database, or the immediate backend in
tests) cannot take part in the transaction; the task is then queued once the
transaction commits, and whatever it was for must also be findable by the
worker's sweep (tracker.jobs.sweep), which re-queues work left waiting.

Every task queued here must be idempotent: the sweep may run it again after a
worker dies half-way.
"""

import logging
from datetime import datetime
from functools import partial

from django.db import DEFAULT_DB_ALIAS, transaction
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.compat import Task

logger = logging.getLogger(__name__)


def _writes_to_this_database(task: Task) -> bool:
    backend = task.get_backend()
    return isinstance(backend, DatabaseBackend) and backend.options.get("database", DEFAULT_DB_ALIAS) in (
        DEFAULT_DB_ALIAS,
        None,
    )


def _enqueue(task: Task, args: tuple, run_after: datetime | None) -> None:
    if run_after is not None:
        task = task.using(run_after=run_after)
    task.enqueue(*args)


def _enqueue_after_commit(task: Task, args: tuple, run_after: datetime | None) -> None:
    try:
        _enqueue(task, args, run_after)
    except Exception:
        # The write is already committed; the sweep finds what this task was for.
        logger.exception("Could not queue %s%s; the worker's sweep will pick it up", task.name, args)


def enqueue_durably(task: Task, *args, run_after: datetime | None = None) -> None:
    """Queue `task(*args)` as part of the current transaction (see the module docstring).

    Inside a transaction with the database backend, a failure to queue raises,
    so the caller's write fails with it rather than being kept without its
    follow-up. Outside a transaction it simply queues now.
    """
    connection = transaction.get_connection()
    if _writes_to_this_database(task) or not connection.in_atomic_block:
        _enqueue(task, args, run_after)
        return
    transaction.on_commit(partial(_enqueue_after_commit, task, args, run_after))
