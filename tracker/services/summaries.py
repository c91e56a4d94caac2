"""Keeping each patient's dashboard summary (PatientSummary) in step with their records.

`summary_refresh` recomputes a patient's summary from their rows; it is
idempotent, so calling it after any write is always safe. It is called:
- after a check-in is saved (tracker.services.checkins.checkin_save);
- after a session entry is saved or marked done (tracker.services.sessions);
- after a clinician resolves a pain flag, which restarts the baseline
  (tracker.services.flags.flag_resolve);
- for every patient by `manage.py refresh_summaries`, after data is loaded in
  bulk (seed_demo does this itself).
Flags and clearances are not summarised: the dashboard reads them live, since
they are few rows and change for reasons other than the patient's logging.
"""

from datetime import date, timedelta
from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.db.models import Count

from ..flags.rules import PAIN_RULE_IDS, CheckInPoint, Review, find_baseline, make_snapshot
from ..models import CheckIn, EntryStatus, Flag, FlagStatus, PatientSummary, SessionEntry, User

# The dashboard's longest look-back (adherence over 14 days; pain over 7).
RECENT_DAYS = 14


def _baseline(
    *, patient: User, today: date, check_ins: list[tuple[date, int, int]]
) -> tuple[Decimal | None, date | None]:
    """The mean of the worse pain score over the flag rules' baseline week, and the week's first day.

    The week is the one tracker.flags.rules.find_baseline picks, so the
    dashboard's trend and the rising-pain flag compare against the same days.
    """
    reviews = {}
    for flag in (
        Flag.objects.filter(patient=patient, rule_id__in=PAIN_RULE_IDS, status=FlagStatus.RESOLVED)
        .order_by("resolved_at")
        .only("dedupe_key", "resolved_at")
    ):
        reviews[flag.dedupe_key] = Review(
            at=flag.resolved_at, local_date=flag.resolved_at.astimezone(patient.zone).date()
        )
    snapshot = make_snapshot(
        today=today,
        condition=patient.condition,
        check_ins=[CheckInPoint(local_date=day, neck_back_pain=back, limb_pain=limb) for day, back, limb in check_ins],
        reviews=reviews,
    )
    baseline = find_baseline(snapshot)
    if baseline is None:
        return None, None
    # Every check-in in the chosen week counts (after a review, the week starts after it).
    window = [max(back, limb) for day, back, limb in check_ins if baseline.start <= day <= baseline.end]
    mean = Decimal(sum(window)) / Decimal(len(window))
    return mean.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP), baseline.start


@transaction.atomic
def summary_refresh(*, patient: User, today: date | None = None) -> PatientSummary:
    """Recompute the patient's summary from their check-ins, sessions and pain reviews. Four queries."""
    today = today or patient.local_today()
    check_ins = list(
        CheckIn.objects.filter(patient=patient)
        .order_by("local_date")
        .values_list("local_date", "neck_back_pain", "limb_pain")
    )
    last_check_in_on = check_ins[-1][0] if check_ins else None
    # Data dated after the patient's today (only bulk-loaded data can be) still counts.
    until = max(today, last_check_in_on or today)
    since = until - timedelta(days=RECENT_DAYS - 1)
    pain_by_day = {day: max(back, limb) for day, back, limb in check_ins if since <= day <= until}
    done_by_day = dict(
        SessionEntry.objects.filter(
            session__patient=patient, session__local_date__range=(since, until), status=EntryStatus.DONE
        )
        .order_by()
        .values("session__local_date")
        .annotate(done=Count("id"))
        .values_list("session__local_date", "done")
    )
    days = sorted(set(pain_by_day) | set(done_by_day))
    baseline_pain, baseline_from = _baseline(patient=patient, today=until, check_ins=check_ins)
    summary, _ = PatientSummary.objects.update_or_create(
        patient=patient,
        defaults={
            "last_check_in_on": last_check_in_on,
            "baseline_pain": baseline_pain,
            "baseline_from": baseline_from,
            "recent_days": [[day.isoformat(), pain_by_day.get(day), done_by_day.get(day, 0)] for day in days],
            "recent_until": until,
        },
    )
    return summary
