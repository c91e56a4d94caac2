"""Keeping each patient's dashboard summary (PatientSummary) in step with their records.

`summary_refresh` recomputes a patient's summary from their rows; it is
idempotent, so calling it after any write is always safe. It runs in the
transaction of the write that changes it (`summary_refresh_or_queue`):
- a check-in or session entry, through the safety step (tracker.safety.step);
- a clinician resolving a pain flag, which restarts the baseline
  (tracker.services.flags.flag_resolve);
- for every patient by `manage.py refresh_summaries`, after data is loaded in
  bulk (seed_demo does this itself).
Flags and clearances are not summarised: the dashboard reads them live, since
they are few rows and change for reasons other than the patient's logging.
"""

import logging
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django_tasks import task

from tracker.jobs.queue import enqueue_durably

from ..flags.engine import load_snapshot
from ..flags.rules import PatientSnapshot, find_baseline
from ..models import PatientSummary, User

logger = logging.getLogger(__name__)

# The dashboard's longest look-back (adherence over 14 days; pain over 7).
RECENT_DAYS = 14


def _baseline(snapshot: PatientSnapshot) -> tuple[Decimal | None, date | None]:
    """The mean of the worse pain score over the flag rules' baseline week, and the week's first day.

    The week is the one tracker.flags.rules.find_baseline picks (restarted after
    a clinician reviews a pain flag), so the dashboard's trend and the
    rising-pain flag compare against the same days.
    """
    baseline = find_baseline(snapshot)
    if baseline is None:
        return None, None
    # Every check-in in the chosen week counts (after a review, the week starts after it).
    window = [point.worst_pain for point in snapshot.check_ins if baseline.start <= point.local_date <= baseline.end]
    mean = Decimal(sum(window)) / Decimal(len(window))
    return mean.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP), baseline.start


@transaction.atomic
def summary_refresh(*, patient: User, today: date | None = None) -> PatientSummary:
    """Recompute the patient's summary from their check-ins, sessions and pain reviews.

    Reads the same snapshot the flag rules read (tracker.flags.engine.load_snapshot).
    """
    today = today or patient.local_today()
    snapshot = load_snapshot(patient=patient, today=today)
    # A check-in dated after `today` (a clock or time-zone difference in bulk-loaded data) still counts.
    until = max(today, snapshot.check_ins[-1].local_date) if snapshot.check_ins else today
    since = until - timedelta(days=RECENT_DAYS - 1)
    pain_by_day = {
        point.local_date: point.worst_pain for point in snapshot.check_ins if since <= point.local_date <= until
    }
    done_by_day: dict[date, int] = {}
    for entry in snapshot.entries:
        if entry.done and since <= entry.local_date <= until:
            done_by_day[entry.local_date] = done_by_day.get(entry.local_date, 0) + 1
    days = [since + timedelta(days=offset) for offset in range(RECENT_DAYS)]
    baseline_pain, baseline_from = _baseline(snapshot)
    summary, _ = PatientSummary.objects.update_or_create(
        patient=patient,
        defaults={
            "last_check_in_on": snapshot.check_ins[-1].local_date if snapshot.check_ins else None,
            "baseline_pain": baseline_pain,
            "baseline_from": baseline_from,
            "recent_days": [[pain_by_day.get(day) for day in days], [done_by_day.get(day, 0) for day in days]],
            "recent_until": until,
        },
    )
    return summary


def summary_refresh_or_queue(*, patient: User) -> bool:
    """summary_refresh inside the caller's transaction; if it fails, queue it there instead. True if refreshed.

    The summary is a cache for the caseload page: a fault in it must not undo
    the patient's own write. It is refreshed in a savepoint; if that raises,
    a background task to refresh it is queued in the same transaction
    (tracker.jobs.queue), so the summary is right again within seconds. If the
    database itself is gone, queueing raises too and the caller's write fails.
    """
    try:
        with transaction.atomic():
            summary_refresh(patient=patient)
        return True
    except Exception:
        logger.exception("Could not refresh the dashboard summary of patient %s; queued to run again", patient.pk)
    enqueue_durably(refresh_patient_summary, patient.pk)
    return False


@task()
def refresh_patient_summary(patient_id: int) -> bool:
    """The background task: recompute one patient's summary (queued when it could not be done with the write)."""
    patient = User.objects.filter(pk=patient_id).first()
    if patient is None:
        return False
    summary_refresh(patient=patient)
    return True
