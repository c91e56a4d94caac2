"""GET /healthz: for the load balancer and the clinic's monitoring.

200 while this app server can reach its database and its cache and the database
has every migration its code expects; 503 when not (take it out of rotation:
with Redis, sessions need the cache; with a migration pending, pages may fail).
"status" says "degraded" when the app can serve but the background work is not
keeping up: no live worker, or an emergency whose care
team has not been reached. Public, like any health check: it names no one.
"""

from django.db import DatabaseError
from django.http import JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from . import checks


@require_GET
@never_cache
def healthz(request):
    now = timezone.now()
    report = {"database": checks.database(), "cache": checks.cache()}
    if report["database"]["ok"]:
        try:
            report["migrations"] = checks.migrations()
            report["worker"] = checks.worker(now=now)
            report["flags"] = checks.care_team_reached(now=now)
        except DatabaseError:
            report["database"] = {"ok": False, "error": "lost during the checks"}
    if not all(report[part]["ok"] for part in ("database", "cache", "migrations") if part in report):
        return JsonResponse({"status": "down", **report}, status=503)
    healthy = all(part["ok"] for part in report.values())
    return JsonResponse({"status": "ok" if healthy else "degraded", **report})
