"""Flags: evaluating the rules for a patient, and a clinician acknowledging or resolving a flag.

The lifecycle: a rule opens a flag (OPEN); a linked clinician may acknowledge
it (ACKNOWLEDGED: "seen", with who and when); a linked clinician resolves it
with a note (RESOLVED). Only clinicians on the patient's active care team act
on a flag, so an emergency can only ever be resolved by a clinician. Resolving
is the "review" the rules count from (see tracker.flags.rules). Every change
is kept in the flag's history.
"""

import logging
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django_tasks import task

from tracker.flags import notify
from tracker.flags.engine import EvaluationResult, RuleFailure, describe_error, evaluate
from tracker.flags.rules import PatientSnapshot
from tracker.flags.thresholds import RECENT_DAYS
from tracker.models import Flag, FlagStatus, Role, User
from tracker.selectors import is_on_care_team
from tracker.services.summaries import summary_refresh_or_queue

logger = logging.getLogger(__name__)

RESOLUTION_NOTE_MAX_LENGTH = 2000
NOT_ON_CARE_TEAM_MESSAGE = "Only a clinician on this patient's care team can act on this flag."


def flags_evaluate(
    *, patient: User, today: date | None = None, snapshot: PatientSnapshot | None = None
) -> EvaluationResult:
    """Run every flag rule for the patient and update their flags. Never raises.

    Call it right after saving a check-in or a session entry (the patient then
    sees the result at once) and from the daily job. A rule that fails is
    logged, listed in the result's `failures` and shown to the care team as a
    "safety check could not run" flag; the caller's own save is never undone.
    """
    try:
        return evaluate(patient=patient, today=today, snapshot=snapshot)
    except Exception as error:  # evaluate() already guards every step; this is the last net.
        logger.exception("Flag evaluation failed for patient %s", getattr(patient, "pk", None))
        result = EvaluationResult(patient_id=getattr(patient, "pk", 0))
        result.failures.append(RuleFailure(rule_id="engine", error=describe_error(error)))
        return result


def _check_may_act(*, flag: Flag, by: User) -> None:
    if not by.is_clinician or not is_on_care_team(clinician=by, patient=flag.patient):
        raise ValidationError(NOT_ON_CARE_TEAM_MESSAGE)


@transaction.atomic
def flag_acknowledge(*, flag: Flag, by: User) -> Flag:
    """A linked clinician says they have seen the flag. Doing it twice changes nothing.

    Raises ValidationError if `by` is not on the patient's care team or the
    flag is already resolved.
    """
    flag = Flag.objects.select_for_update().select_related("patient").get(pk=flag.pk)
    _check_may_act(flag=flag, by=by)
    if flag.status == FlagStatus.RESOLVED:
        raise ValidationError("This flag is already resolved.")
    if flag.status == FlagStatus.ACKNOWLEDGED:
        return flag
    flag.status = FlagStatus.ACKNOWLEDGED
    flag.acknowledged_at = timezone.now()
    flag.acknowledged_by = by
    flag._history_user = by
    flag.save(update_fields=["status", "acknowledged_at", "acknowledged_by", "updated_at"])
    return flag


@transaction.atomic
def flag_resolve(*, flag: Flag, by: User, note: str) -> Flag:
    """A linked clinician closes the flag, saying what was done. The note is required.

    Emergencies, like every flag, can only be resolved by a clinician on the
    patient's care team. Resolving lifts any pause the flag put on the
    program (that is derived, see routines.selectors) and counts as a review
    for the rules. Raises ValidationError (on "note" for a note problem).
    """
    flag = Flag.objects.select_for_update().select_related("patient").get(pk=flag.pk)
    _check_may_act(flag=flag, by=by)
    if by.role not in (Role.PHYSIOTHERAPIST, Role.DOCTOR):  # spelled out: never a patient
        raise ValidationError(NOT_ON_CARE_TEAM_MESSAGE)
    if flag.status == FlagStatus.RESOLVED:
        raise ValidationError("This flag is already resolved.")
    note = (note or "").strip()
    if not note:
        raise ValidationError({"note": "Write a short note on what you did or decided."})
    if len(note) > RESOLUTION_NOTE_MAX_LENGTH:
        raise ValidationError({"note": f"Keep the note under {RESOLUTION_NOTE_MAX_LENGTH} characters."})
    flag.status = FlagStatus.RESOLVED
    flag.resolved_at = timezone.now()
    flag.resolved_by = by
    flag.resolution_note = note
    flag._history_user = by
    flag.save(update_fields=["status", "resolved_at", "resolved_by", "resolution_note", "updated_at"])
    # Resolving a pain flag restarts the baseline the dashboard's trend compares against.
    summary_refresh_or_queue(patient=flag.patient)
    return flag


@dataclass
class DailyRunReport:
    patients: int = 0
    opened: int = 0
    updated: int = 0
    no_longer_applies: int = 0
    emails_queued: int = 0
    failures: list[tuple[int, str, str]] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "patients": self.patients,
            "opened": self.opened,
            "updated": self.updated,
            "no_longer_applies": self.no_longer_applies,
            "emails_queued": self.emails_queued,
            "failures": [list(failure) for failure in self.failures],
        }


def patients_to_evaluate() -> list[User]:
    """Active patients with a check-in or session in the last RECENT_DAYS days, or an unresolved flag.

    Counted from the server's date with a day's margin either side, so every
    time zone is covered.
    """
    since = timezone.now().date() - timedelta(days=RECENT_DAYS + 1)
    return list(
        User.objects.filter(role=Role.PATIENT, is_active=True, discharged_at__isnull=True)
        .filter(
            Q(check_ins__local_date__gte=since)
            | Q(session_logs__local_date__gte=since)
            | Q(flags__status__in=[FlagStatus.OPEN, FlagStatus.ACKNOWLEDGED])
        )
        .distinct()
        .order_by("pk")
    )


def flags_evaluate_recent() -> DailyRunReport:
    """The daily job: evaluate every recently active patient (this is what raises "we have not heard from you"),
    then queue every care-team e-mail that is due (new, retry time reached, or a claim that expired)."""
    report = DailyRunReport()
    for patient in patients_to_evaluate():
        result = flags_evaluate(patient=patient)
        report.patients += 1
        report.opened += len(result.opened)
        report.updated += len(result.updated)
        report.no_longer_applies += len(result.no_longer_applies)
        report.failures.extend((patient.pk, failure.rule_id, failure.error) for failure in result.failures)
    for notification_id in notify.due_notification_ids():
        notify.enqueue_notification(notification_id)
        report.emails_queued += 1
    return report


@task()
def evaluate_patient_flags(patient_id: int) -> dict:
    """The background task: run the flag rules for one patient again (queued when they could not run). Idempotent."""
    patient = User.objects.filter(pk=patient_id).first()
    if patient is None:
        return {"patient_id": patient_id, "skipped": "no such patient"}
    result = flags_evaluate(patient=patient)
    return {
        "patient_id": patient_id,
        "opened": len(result.opened),
        "failures": [f"{failure.rule_id}: {failure.error}" for failure in result.failures],
    }


@task()
def evaluate_flags_daily() -> dict:
    """The daily job as a background task: see flags_evaluate_recent."""
    return flags_evaluate_recent().as_dict()
