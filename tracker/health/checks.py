"""What /healthz reports: can this app server work, and is the background work keeping up.

Each check is a plain function returning a dict; none raises. No check reveals
who a patient is: only counts and times.
"""

from datetime import datetime

from django.conf import settings
from django.db import DatabaseError, connection
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
