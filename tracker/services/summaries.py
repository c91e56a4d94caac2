"""Keeping each patient's dashboard summary (PatientSummary) in step with their records.

`summary_refresh` recomputes a patient's summary from their rows; it is
idempotent, so calling it after any write is always safe. It runs in the
transaction of the write that changes it (`summary_refresh_or_queue`):
- a check-in or session entry, through the safety step (tracker.safety.step);
- a clinician resolving a pain flag, which restarts the baseline
  (tracker.services.flags.flag_resolve);
- for every patient by `manage.py refresh_summaries`, after data is loaded in
  bulk (seed_demo does this itself);
- lazily, when the caseload reads a summary written by an older version of
  this code (`summary_is_current`, `summaries_refresh_stale`): an upgrade that
  changes what the summary holds needs no step after deploying.
Flags and clearances are not summarised: the dashboard reads them live, since
they are few rows and change for reasons other than the patient's logging.
"""

import logging
from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db import DatabaseError, IntegrityError, transaction
from django.utils import timezone
from django_tasks import task

from tracker.jobs.queue import enqueue_durably
from tracker.pagecache.versions import changed

from ..flags.engine import load_snapshot
from ..flags.rules import PatientSnapshot, find_baseline
from ..models import PatientSummary, User

logger = logging.getLogger(__name__)

# The dashboard's longest look-back (adherence over 14 days; pain over 7).
RECENT_DAYS = 14
# What `recent_days` holds and how it is worked out. Raise it whenever that changes: the caseload then
# refreshes each older summary the first time it reads it (summaries_refresh_stale).
#
# Why a version read lazily rather than a data migration that recomputes the rows:
# - the summary is worked out by the flag rules' snapshot and this module, which keep changing; a
#   migration would need a frozen copy of both (historical models cannot call them), a second
#   definition that drifts from this one;
# - during a rolling deploy the old code keeps writing old-shape summaries after the migration has
#   run; the version travels inside the value it describes, so those writes are caught too (the old
#   code writes no version);
# - a migration over every patient would hold the deploy for minutes on a big clinic; refreshing on
#   read costs one patient's snapshot, once, for the patients a clinician actually opens.
SUMMARY_VERSION = 2


def summary_is_current(recent_days) -> bool:
    """Whether a stored `recent_days` has this version's shape: pains, dones, days per exercise, version."""
    return (
        isinstance(recent_days, list)
        and len(recent_days) == 4
        and recent_days[3] == SUMMARY_VERSION
        and all(isinstance(part, list) and len(part) == RECENT_DAYS for part in recent_days[:2])
        and isinstance(recent_days[2], dict)
    )


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


def summary_values(*, snapshot: PatientSnapshot, today: date) -> dict:
    """The summary's fields worked out from the patient's history (the flag rules' snapshot). No queries."""
    # A check-in dated after `today` (a clock or time-zone difference in bulk-loaded data) still counts.
    until = max(today, snapshot.check_ins[-1].local_date) if snapshot.check_ins else today
    since = until - timedelta(days=RECENT_DAYS - 1)
    pain_by_day = {
        point.local_date: point.worst_pain for point in snapshot.check_ins if since <= point.local_date <= until
    }
    done_by_day: dict[date, int] = {}
    # Per exercise (assignment id, as text: JSON keys), 1 on each day it was done: the caseload counts
    # adherence exercise by exercise, against each one's own plan (tracker.review.caseload).
    done_by_assignment: dict[str, list[int]] = {}
    for entry in snapshot.entries:
        if entry.done and since <= entry.local_date <= until:
            done_by_day[entry.local_date] = done_by_day.get(entry.local_date, 0) + 1
            marks = done_by_assignment.setdefault(str(entry.assignment_id), [0] * RECENT_DAYS)
            marks[(entry.local_date - since).days] = 1
    days = [since + timedelta(days=offset) for offset in range(RECENT_DAYS)]
    baseline_pain, baseline_from = _baseline(snapshot)
    return {
        "last_check_in_on": snapshot.check_ins[-1].local_date if snapshot.check_ins else None,
        "baseline_pain": baseline_pain,
        "baseline_from": baseline_from,
        "recent_days": [
            [pain_by_day.get(day) for day in days],
            [done_by_day.get(day, 0) for day in days],
            done_by_assignment,
            SUMMARY_VERSION,
        ],
        "recent_until": until,
    }


def summary_write(*, patient: User, values: dict) -> None:
    """Store the values: one UPDATE for a patient who has a summary, an INSERT the first time."""
    changed(patient.pk)  # an UPDATE sends no signal: the caseload row's cached copy needs the new version
    if PatientSummary.objects.filter(patient=patient).update(refreshed_at=timezone.now(), **values):
        return
    try:
        with transaction.atomic():
            PatientSummary.objects.create(patient=patient, **values)
    except IntegrityError:  # another write made the first summary a moment ago
        PatientSummary.objects.filter(patient=patient).update(refreshed_at=timezone.now(), **values)


def summary_refresh(
    *, patient: User, today: date | None = None, snapshot: PatientSnapshot | None = None
) -> PatientSummary:
    """Recompute the patient's summary from their check-ins, sessions and pain reviews, and return it.

    Reads the same snapshot the flag rules read (tracker.flags.engine.load_snapshot),
    or uses the one given. For the daily commands and tasks; the write path
    uses summary_refresh_or_queue.
    """
    today = today or patient.local_today()
    snapshot = snapshot or load_snapshot(patient=patient, today=today)
    summary_write(patient=patient, values=summary_values(snapshot=snapshot, today=today))
    return PatientSummary.objects.get(patient=patient)


def summary_refresh_or_queue(*, patient: User, snapshot: PatientSnapshot | None = None) -> bool:
    """summary_refresh inside the caller's transaction; if it cannot be worked out, queue it there. True if done.

    The summary is a cache for the caseload page: a fault in working it out
    (a bug, bad data) must not undo the patient's own write, so a background
    task to refresh it is queued in the same transaction (tracker.jobs.queue)
    and the summary is right again within seconds. Writing it is one plain
    statement: if that fails, the database itself is in trouble and the
    caller's write fails with it.
    """
    today = patient.local_today()
    try:
        snapshot = snapshot or load_snapshot(patient=patient, today=today)
        values = summary_values(snapshot=snapshot, today=today)
    except DatabaseError:
        raise
    except Exception:
        logger.exception("Could not work out the dashboard summary of patient %s; queued to run again", patient.pk)
        enqueue_durably(refresh_patient_summary, patient.pk)
        return False
    summary_write(patient=patient, values=values)
    return True


def summaries_refresh_stale(*, patient_ids: list[int]) -> dict[int, PatientSummary]:
    """Recompute the summaries of these patients (written by an older version), and return them by patient id.

    For the caseload, which calls it with the few patients whose stored summary
    is not current: after an upgrade, each is refreshed the first time a
    clinician's caseload reads it, and never again until the next upgrade.
    """
    return {
        patient.pk: summary_refresh(patient=patient)
        for patient in User.objects.filter(pk__in=patient_ids).order_by("pk")
    }


@task()
def refresh_patient_summary(patient_id: int) -> bool:
    """The background task: recompute one patient's summary (queued when it could not be done with the write)."""
    patient = User.objects.filter(pk=patient_id).first()
    if patient is None:
        return False
    summary_refresh(patient=patient)
    return True
