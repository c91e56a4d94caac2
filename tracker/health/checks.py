"""What /healthz reports: can this app server work, and is the background work keeping up.

Each check is a plain function returning a dict; none raises. No check reveals
who a patient is: only counts and times.
"""

import time
import uuid
from datetime import datetime

from django.conf import settings
from django.core.cache import cache as default_cache
from django.db import DatabaseError, connection
from django.db.migrations.executor import MigrationExecutor
from django.db.models import Max

from tracker.flags.selectors import unreached_emergency_flags
from tracker.jobs.models import WorkerHeartbeat


def database() -> dict:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError as error:
        return {"ok": False, "error": type(error).__name__}
    return {"ok": True, "vendor": connection.vendor}


def worker(*, now: datetime) -> dict:
    """The newest worker heartbeat; ok while some worker beat within WORKER_DEAD_AFTER_SECONDS."""
    newest = WorkerHeartbeat.objects.aggregate(newest=Max("last_seen_at"))["newest"]
    if newest is None:
        return {"ok": False, "last_heartbeat": None, "seconds_ago": None}
    seconds_ago = max(0, round((now - newest).total_seconds()))
    return {
        "ok": seconds_ago <= settings.WORKER_DEAD_AFTER_SECONDS,
        "last_heartbeat": newest.isoformat(),
        "seconds_ago": seconds_ago,
    }


def care_team_reached(*, now: datetime) -> dict:
    """Emergency flags whose care team no e-mail has reached in NOTIFY_ESCALATE_AFTER_MINUTES (a count only)."""
    count = unreached_emergency_flags(now=now).count()
    return {"ok": count == 0, "care_team_not_yet_reached": count}


def cache() -> dict:
    """Write, read back and delete a key: with Redis, sessions and cached pages depend on it."""
    key = f"healthz:{uuid.uuid4().hex}"
    started = time.perf_counter()
    try:
        default_cache.set(key, "ok", timeout=10)
        read_back = default_cache.get(key)
        default_cache.delete(key)
    except Exception as error:  # any client error (refused, timed out, auth) means: no cache
        return {"ok": False, "backend": _cache_backend(), "error": type(error).__name__}
    if read_back != "ok":
        return {"ok": False, "backend": _cache_backend(), "error": "the value written was not read back"}
    return {"ok": True, "backend": _cache_backend(), "ms": round((time.perf_counter() - started) * 1000, 1)}


def _cache_backend() -> str:
    return settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]


# Once this process has seen every one of its migrations applied, that stays true (its code does not
# change while it runs), so the migration graph is not read again on every check.
_migrations_applied = False


def migrations() -> dict:
    """Migrations this server's code has that the database has not: the code may need a column that is not there."""
    global _migrations_applied
    if _migrations_applied:
        return {"ok": True, "pending": 0}
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if not plan:
        _migrations_applied = True
        return {"ok": True, "pending": 0}
    names = [f"{migration.app_label}.{migration.name}" for migration, _ in plan]
    return {"ok": False, "pending": len(plan), "names": names}
