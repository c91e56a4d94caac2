"""Runs the flag rules for one patient and keeps their Flag rows in step.

Three steps, each a plain function:
1. load_snapshot: read the patient's history into a PatientSnapshot (a fixed
   number of queries, whatever the history's length);
2. run_rules: run every rule; a rule that raises is logged and reported as a
   RuleFailure, and the other rules still run;
3. persist: store what was found. One unresolved flag per patient per dedupe
   key: new evidence updates the open flag (its explanation and evidence, and
   its severity if higher), never a second one. A flag whose rule no longer
   finds the problem stays open, marked still_applies=False, until a
   clinician resolves it. A rule that could not run opens a flag of its own
   ("system.rule_failed:<rule id>") so the care team knows a safety check is
   missing; patients do not see those.
When a flag opens or rises in severity, every active care-team clinician with
an e-mail address gets a FlagNotification (an outbox row) and its send task,
both in the flag's own transaction (tracker.jobs.queue): the flag is never
stored without its e-mails.
"""

import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from routines.models import AssignmentStatus
from tracker.models import (
    RED_FLAG_FIELDS,
    CheckIn,
    EntryStatus,
    Flag,
    FlagNotification,
    FlagStatus,
    SessionEntry,
    Severity,
    User,
)
from tracker.pagecache.versions import changed
from tracker.selectors import care_team_of

from . import thresholds as limits
from .rules import (
    RULES,
    CheckInPoint,
    Finding,
    PatientSnapshot,
    Review,
    Rule,
    SessionEntryPoint,
    make_snapshot,
)
from .titles import SYSTEM_RULE_FAILED, SYSTEM_RULE_FAILED_TITLE, title_for  # noqa: F401 - title_for: an old home

logger = logging.getLogger(__name__)

SNAPSHOT_STEP = "snapshot"
CHECK_IN_FIELDS = (
    "local_date",
    "neck_back_pain",
    "limb_pain",
    "numbness",
    "weakness",
    "extent",
    *RED_FLAG_FIELDS,
)


@dataclass(frozen=True)
class RuleFailure:
    """A rule (or the snapshot step) that could not run: reported, never swallowed."""

    rule_id: str
    error: str


@dataclass
class EvaluationResult:
    """What one evaluation did. `failures` is empty when every rule ran."""

    patient_id: int
    findings: list[Finding] = field(default_factory=list)
    opened: list[Flag] = field(default_factory=list)
    updated: list[Flag] = field(default_factory=list)
    raised: list[Flag] = field(default_factory=list)
    no_longer_applies: list[Flag] = field(default_factory=list)
    failures: list[RuleFailure] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.failures


# --- 1. Snapshot -------------------------------------------------------------


def load_snapshot(*, patient: User, today: date) -> PatientSnapshot:
    """The patient's history as plain data. Three queries.

    All check-ins are read (the baseline comes from the first weeks), as
    values rather than model instances; session entries only from the last
    RECENT_DAYS days, with their exercise's name (only exercises still in the
    program count); reviews are the latest resolution per dedupe key.
    """
    zone = patient.zone
    reviews = {
        row["dedupe_key"]: Review(at=row["at"], local_date=row["at"].astimezone(zone).date())
        for row in Flag.objects.filter(patient=patient, status=FlagStatus.RESOLVED)
        .values("dedupe_key")
        .annotate(at=Max("resolved_at"))
    }
    check_ins = [
        CheckInPoint(**{name: row[name] for name in CHECK_IN_FIELDS}, recorded_at=row["updated_at"])
        for row in CheckIn.objects.filter(patient=patient).values(*CHECK_IN_FIELDS, "updated_at")
    ]
    rows = SessionEntry.objects.filter(
        session__patient=patient,
        session__local_date__gte=today - timedelta(days=limits.RECENT_DAYS),
    ).values(
        "assignment_id",
        "session__local_date",
        "status",
        "pain_before",
        "pain_after",
        "symptoms_worse",
        "updated_at",
        "assignment__status",
        "assignment__exercise__name",
    )
    entries = []
    exercises = {}
    for row in rows:
        entries.append(
            SessionEntryPoint(
                assignment_id=row["assignment_id"],
                local_date=row["session__local_date"],
                done=row["status"] == EntryStatus.DONE,
                pain_before=row["pain_before"],
                pain_after=row["pain_after"],
                symptoms_worse=row["symptoms_worse"],
                recorded_at=row["updated_at"],
            )
        )
        if row["assignment__status"] != AssignmentStatus.REMOVED:
            exercises[row["assignment_id"]] = row["assignment__exercise__name"]
    return make_snapshot(
        today=today,
        condition=patient.condition,
        check_ins=check_ins,
        entries=entries,
        exercises=exercises,
        reviews=reviews,
    )


# --- 2. Rules ----------------------------------------------------------------


def describe_error(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}"[:500]


def run_rules(snapshot: PatientSnapshot, rules: Iterable[Rule] = RULES) -> tuple[list[Finding], list[RuleFailure]]:
    """Every rule's findings, and the rules that raised (logged with their traceback)."""
    findings: list[Finding] = []
    failures: list[RuleFailure] = []
    for rule in rules:
        try:
            findings.extend(rule.evaluate(snapshot))
        except Exception as error:
            logger.exception("Flag rule %s failed", rule.id)
            failures.append(RuleFailure(rule_id=rule.id, error=describe_error(error)))
    return findings, failures


def failure_finding(failure: RuleFailure, *, titles: dict[str, str]) -> Finding:
    """The flag that tells the care team a safety check could not run for this patient."""
    title = titles.get(failure.rule_id, "reading the patient's history")
    return Finding(
        rule_id=SYSTEM_RULE_FAILED,
        severity=Severity.CONTACT_PROVIDER,
        title=SYSTEM_RULE_FAILED_TITLE,
        dedupe_key=f"{SYSTEM_RULE_FAILED}:{failure.rule_id}",
        explanation=(
            f'The automatic check "{title}" could not run for this patient, so it may have missed a warning '
            "sign. Please look over their recent check-ins. The technical details are in the server log."
        ),
        clinician_summary=(
            f'Automatic check "{title}" could not run; a warning sign may have been missed. '
            "Review recent check-ins manually (details in the server log)."
        ),
        evidence={"rule_id": failure.rule_id, "error": failure.error},
    )


# --- 3. Persist --------------------------------------------------------------


def _notify(flag: Flag, *, recipients: list[User], new_flag: bool = False) -> None:
    """Outbox rows for every recipient, each with its send task, in the flag's transaction.

    A flag made in this transaction can have no outbox row yet, so its rows go
    in with one INSERT; a raised flag's rows are looked up first, as a row for
    that severity is never made twice.
    """
    from .notify import enqueue_notification

    if new_flag:
        notifications = FlagNotification.objects.bulk_create(
            FlagNotification(flag=flag, recipient=recipient, severity=flag.severity) for recipient in recipients
        )
    else:
        notifications = []
        for recipient in recipients:
            notification, created = FlagNotification.objects.get_or_create(
                flag=flag, recipient=recipient, severity=flag.severity
            )
            if created:
                notifications.append(notification)
    for notification in notifications:
        enqueue_notification(notification.pk)


# Every field a re-evaluation may change on an open flag, written for all changed flags at once.
CHANGING_FIELDS = ["explanation", "clinician_summary", "evidence", "still_applies", "severity", "updated_at"]


def _save_changed(flags: list[Flag], *, patient: User) -> None:
    """One UPDATE and one history INSERT for every flag this evaluation changed, however many."""
    if not flags:
        return
    now = timezone.now()
    for flag in flags:
        flag.updated_at = now  # bulk_update leaves auto_now fields alone
    bulk_update_with_history(flags, Flag, CHANGING_FIELDS)
    # A bulk UPDATE sends no post_save: the patient's cached pages need their new version (tracker.pagecache).
    changed(patient.pk)


def persist(
    *,
    patient: User,
    findings: list[Finding],
    rules_that_ran: set[str],
    result: EvaluationResult,
) -> None:
    """Store the findings as flags (see the module docstring for the rules). Run inside a transaction."""
    # One evaluation per patient at a time: two saves at once must not both
    # open the same flag.
    list(User.objects.select_for_update().filter(pk=patient.pk).values_list("pk", flat=True))
    open_flags = {
        flag.dedupe_key: flag for flag in Flag.objects.unresolved().filter(patient=patient).select_for_update()
    }
    recipients: list[User] | None = None

    def care_team() -> list[User]:
        nonlocal recipients
        if recipients is None:
            recipients = [clinician for clinician in care_team_of(patient=patient) if clinician.email]
        return recipients

    found_keys = set()
    for finding in findings:
        found_keys.add(finding.dedupe_key)
        flag = open_flags.get(finding.dedupe_key)
        if flag is None:
            flag = Flag.objects.create(
                patient=patient,
                rule_id=finding.rule_id,
                severity=finding.severity,
                assignment_id=finding.assignment_id,
                dedupe_key=finding.dedupe_key,
                explanation=finding.explanation,
                clinician_summary=finding.clinician_summary,
                evidence=finding.evidence,
            )
            open_flags[finding.dedupe_key] = flag
            result.opened.append(flag)
            _notify(flag, recipients=care_team(), new_flag=True)
            continue
        rises = finding.severity > flag.severity
        differs = rises or (
            flag.explanation != finding.explanation
            or flag.clinician_summary != finding.clinician_summary
            or flag.evidence != finding.evidence
            or not flag.still_applies
        )
        if not differs:
            continue
        flag.explanation = finding.explanation
        flag.clinician_summary = finding.clinician_summary
        flag.evidence = finding.evidence
        flag.still_applies = True
        if rises:
            flag.severity = finding.severity
        result.updated.append(flag)
        if rises:
            result.raised.append(flag)
            _notify(flag, recipients=care_team())

    for key, flag in open_flags.items():
        if key in found_keys or not flag.still_applies:
            continue
        # Only a rule that ran can say its problem is gone; a failure flag is
        # gone once its rule runs again.
        source = flag.evidence.get("rule_id") if flag.rule_id == SYSTEM_RULE_FAILED else flag.rule_id
        if source in rules_that_ran:
            flag.still_applies = False
            result.no_longer_applies.append(flag)
    _save_changed([*result.updated, *result.no_longer_applies], patient=patient)


def evaluate(
    *,
    patient: User,
    today: date | None = None,
    rules: Iterable[Rule] | None = None,
    snapshot: PatientSnapshot | None = None,
) -> EvaluationResult:
    """Load (unless `snapshot` is given), run and persist for one patient, in a savepoint of the caller's transaction.

    Never raises: every error is logged and listed in the result. If the
    history cannot be read, a "could not run" flag is still stored if the
    database allows; if storing fails, nothing of this evaluation is kept and
    the caller's own transaction (the saved check-in) carries on untouched.
    """
    rules = list(RULES if rules is None else rules)
    result = EvaluationResult(patient_id=patient.pk)
    if patient.discharged_at is not None:
        # A discharged patient is in no one's care: no flag is raised or updated (tracker.clinics).
        return result
    titles = {rule.id: rule.title for rule in rules}
    stage = SNAPSHOT_STEP
    try:
        today = today or patient.local_today()
        with transaction.atomic():
            if snapshot is None:
                snapshot = load_snapshot(patient=patient, today=today)
            stage = "persist"
            result.findings, result.failures = run_rules(snapshot, rules)
            failed = {failure.rule_id for failure in result.failures}
            persist(
                patient=patient,
                findings=[*result.findings, *(failure_finding(failure, titles=titles) for failure in result.failures)],
                rules_that_ran={rule.id for rule in rules if rule.id not in failed},
                result=result,
            )
        return result
    except Exception as error:
        if stage == SNAPSHOT_STEP:
            logger.exception("Could not read the history of patient %s for the flag rules", patient.pk)
        else:
            logger.exception("Could not store the flags of patient %s", patient.pk)
        failure = RuleFailure(rule_id=stage, error=describe_error(error))
        result.opened, result.updated, result.raised, result.no_longer_applies = [], [], [], []
        result.failures.append(failure)
    if stage == SNAPSHOT_STEP:
        try:
            with transaction.atomic():
                persist(
                    patient=patient,
                    findings=[failure_finding(failure, titles=titles)],
                    rules_that_ran=set(),
                    result=result,
                )
        except Exception:
            logger.exception("Could not store the flags of patient %s", patient.pk)
    return result
