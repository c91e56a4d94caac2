"""Every write to clearances and programs, with the rules that guard it.

The rules live here, not in the views: a view, the admin, a script or a test
that calls these functions cannot get around them. Each function raises
django.core.exceptions.ValidationError with a message a clinician can act on
and changes nothing when it does.
"""

import uuid
from collections.abc import Collection
from datetime import date

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from tracker.idempotency import existing_submission
from tracker.models import User
from tracker.selectors import is_on_care_team

from .models import (
    HOLD_SECONDS_RANGE,
    MINUTES_RANGE,
    REPS_RANGE,
    SETS_RANGE,
    TIMES_PER_WEEK_RANGE,
    Assignment,
    AssignmentStatus,
    Clearance,
    Decision,
    Exercise,
    Region,
)
from .selectors import clearance_in_force, current_clearance

PAUSE_REASON_MAX = Assignment._meta.get_field("pause_reason").max_length
REVOKE_REASON_MAX = Clearance._meta.get_field("revoke_reason").max_length
STALE_MESSAGE = (
    "This exercise was changed by someone else after you opened the page, so your change was not saved. "
    "Please reload the page and try again."
)
REMOVED_MESSAGE = (
    "This exercise was removed from the program by someone else after you opened the page, "
    "so your change was not saved. Please reload the page."
)


# Clearances ---------------------------------------------------------------


def _require_linked(*, user: User, patient: User, role_check: bool, message: str) -> None:
    if not role_check or not patient.is_patient or not is_on_care_team(clinician=user, patient=patient):
        raise ValidationError(message)


def _clearance_fields(
    *, patient: User, decision: str, regions: Collection[str], restrictions: str, decided_on: date, valid_until
) -> dict:
    """Check a decision's content and return the model fields it sets."""
    if decision not in Decision.values:
        raise ValidationError({"decision": "Choose one of the decisions."})
    restrictions = restrictions.strip()
    unknown = set(regions) - set(Region.values)
    if unknown:
        raise ValidationError({"regions": "Choose body regions from the list."})
    if decision == Decision.CLEARED:
        covered = set(Region.values)
    elif decision == Decision.RESTRICTED:
        covered = set(regions)
        errors = {}
        if not covered:
            errors["regions"] = "Tick at least one body region the patient may exercise."
        if not restrictions:
            errors["restrictions"] = (
                "Say what the restrictions are, so the physiotherapist and patient can follow them."
            )
        if errors:
            raise ValidationError(errors)
    else:
        covered = set()
    if valid_until is not None:
        if valid_until < decided_on:
            raise ValidationError({"valid_until": "The last valid day cannot be before the day of the decision."})
        if decision != Decision.NOT_CLEARED and valid_until < patient.local_today():
            raise ValidationError({"valid_until": "The last valid day is already past."})
    return {
        "decision": decision,
        "covers_neck": Region.NECK in covered,
        "covers_lower_back": Region.LOWER_BACK in covered,
        "covers_general": Region.GENERAL in covered,
        "restrictions": restrictions,
        "decided_on": decided_on,
        "valid_until": valid_until,
    }


def _save_new_clearance(clearance: Clearance, *, by: User) -> Clearance:
    """Save a new decision once: the same form posted again returns the decision it already recorded."""
    owner = {"patient_id": clearance.patient_id, "recorded_by": by}
    earlier = existing_submission(Clearance, clearance.submission_token, **owner)
    if earlier is not None:
        return earlier
    clearance._history_user = by
    try:
        with transaction.atomic():
            clearance.full_clean(exclude=["patient", "doctor", "recorded_by", "revoked_by", "submission_token"])
            clearance.save()
    except IntegrityError as error:
        earlier = existing_submission(Clearance, clearance.submission_token, **owner)
        if earlier is not None:
            return earlier  # the same form, saved a moment ago by a request that raced this one
        # The checks above mirror every constraint; this is the database's
        # last word if they ever drift apart.
        raise ValidationError("This decision could not be saved. Please check the form and try again.") from error
    return clearance


@transaction.atomic
def clearance_record(
    *,
    doctor: User,
    patient: User,
    decision: str,
    regions: Collection[str] = (),
    restrictions: str = "",
    valid_until: date | None = None,
    submission_token: uuid.UUID | None = None,
) -> Clearance:
    """A doctor on the patient's care team records their decision in the app, dated today.

    Cleared covers every body region; cleared with restrictions needs the
    restrictions in words and at least one region; not cleared covers none.
    The last valid day (optional) cannot be in the past. The new decision
    replaces any earlier one at once.
    """
    _require_linked(
        user=doctor,
        patient=patient,
        role_check=doctor.is_doctor,
        message="Only a doctor on this patient's care team can record a decision in the app.",
    )
    fields = _clearance_fields(
        patient=patient,
        decision=decision,
        regions=regions,
        restrictions=restrictions,
        decided_on=doctor.local_today(),
        valid_until=valid_until,
    )
    return _save_new_clearance(
        Clearance(patient=patient, doctor=doctor, recorded_by=doctor, submission_token=submission_token, **fields),
        by=doctor,
    )


@transaction.atomic
def clearance_record_external(
    *,
    physio: User,
    patient: User,
    doctor_name: str,
    decided_on: date,
    decision: str,
    regions: Collection[str] = (),
    restrictions: str = "",
    valid_until: date | None = None,
    submission_token: uuid.UUID | None = None,
) -> Clearance:
    """A physiotherapist on the care team records a decision a doctor gave outside the app.

    The doctor's name and the day of their decision are required; the day
    cannot be in the future. The record shows who entered it ("recorded by").
    The same rules as clearance_record apply to what the decision covers.
    """
    _require_linked(
        user=physio,
        patient=patient,
        role_check=physio.is_physiotherapist,
        message="Only a physiotherapist on this patient's care team can record a doctor's decision given elsewhere.",
    )
    doctor_name = doctor_name.strip()
    if not doctor_name:
        raise ValidationError({"doctor_name": "Give the name of the doctor who made the decision."})
    if decided_on > max(physio.local_today(), patient.local_today()):
        raise ValidationError({"decided_on": "The day of the decision cannot be in the future."})
    fields = _clearance_fields(
        patient=patient,
        decision=decision,
        regions=regions,
        restrictions=restrictions,
        decided_on=decided_on,
        valid_until=valid_until,
    )
    return _save_new_clearance(
        Clearance(
            patient=patient,
            external_doctor_name=doctor_name,
            recorded_by=physio,
            submission_token=submission_token,
            **fields,
        ),
        by=physio,
    )


def can_revoke(*, user: User, clearance: Clearance) -> bool:
    """Who may revoke: a doctor on the care team, or the physiotherapist who recorded an outside approval.

    Only the newest decision can be revoked (older ones are already replaced),
    and only if it allowed exercise and is not revoked yet. The caller checks
    the care-team link (the views do it through patient_for_clinician).
    """
    if clearance.revoked_at is not None or clearance.decision == Decision.NOT_CLEARED:
        return False
    if user.is_doctor:
        return True
    return user.is_physiotherapist and clearance.is_external and clearance.recorded_by_id == user.pk


@transaction.atomic
def clearance_revoke(*, by: User, clearance: Clearance, reason: str) -> Clearance:
    """Withdraw the newest decision, with a reason. Every exercise is on hold from that moment.

    Allowed for a doctor on the patient's care team, and for the
    physiotherapist who recorded an approval given outside the app.
    """
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "Say why the approval is withdrawn; the patient and care team will see it."})
    if len(reason) > REVOKE_REASON_MAX:
        raise ValidationError({"reason": f"Keep the reason under {REVOKE_REASON_MAX} characters."})
    clearance = Clearance.objects.select_for_update().get(pk=clearance.pk)
    if not is_on_care_team(clinician=by, patient=clearance.patient) or not can_revoke(user=by, clearance=clearance):
        if clearance.revoked_at is not None:
            raise ValidationError("This decision has already been withdrawn.")
        raise ValidationError("You cannot withdraw this decision.")
    newest = current_clearance(patient=clearance.patient)
    if newest is None or newest.pk != clearance.pk:
        raise ValidationError("A newer decision has been recorded since; only the newest one can be withdrawn.")
    clearance.revoked_at = timezone.now()
    clearance.revoked_by = by
    clearance.revoke_reason = reason
    clearance._history_user = by
    clearance.save(update_fields=["revoked_at", "revoked_by", "revoke_reason"])
    return clearance


# Programs -------------------------------------------------------------------


def _require_program_physio(*, physio: User, patient: User) -> None:
    if patient.discharged_at is not None:
        raise ValidationError("This patient is discharged. Re-admit them before changing their program.")
    _require_linked(
        user=physio,
        patient=patient,
        role_check=physio.is_physiotherapist,
        message="Only a physiotherapist on this patient's care team can change their program.",
    )


def is_timed(exercise: Exercise) -> bool:
    """A timed exercise (walking and the like) is prescribed in minutes; the rest in repetitions."""
    return exercise.default_reps is None and exercise.default_minutes is not None


def _in_range(value, bounds: tuple[int, int]) -> bool:
    return value is not None and bounds[0] <= value <= bounds[1]


def validate_dose(
    *,
    exercise: Exercise,
    sets: int | None,
    reps: int | None,
    hold_seconds: int | None,
    minutes: int | None,
    times_per_week: int | None,
) -> dict:
    """Check a dose against the clinic's ranges and the exercise's kind; return the cleaned fields.

    Timed exercises take minutes and no repetitions; the others take
    repetitions and no minutes. Every number must be within the ranges in
    routines.models (the same ranges the database enforces).
    """
    errors = {}
    if not _in_range(sets, SETS_RANGE):
        errors["sets"] = f"Sets must be between {SETS_RANGE[0]} and {SETS_RANGE[1]}."
    hold_seconds = 0 if hold_seconds is None else hold_seconds
    if not _in_range(hold_seconds, HOLD_SECONDS_RANGE):
        errors["hold_seconds"] = (
            f"The hold must be between {HOLD_SECONDS_RANGE[0]} and {HOLD_SECONDS_RANGE[1]} seconds."
        )
    if is_timed(exercise):
        if not _in_range(minutes, MINUTES_RANGE):
            errors["minutes"] = f"{exercise.name} is timed: give {MINUTES_RANGE[0]} to {MINUTES_RANGE[1]} minutes."
        if reps is not None:
            errors["reps"] = f"{exercise.name} is timed, so it has no repetitions. Leave repetitions empty."
    else:
        if not _in_range(reps, REPS_RANGE):
            errors["reps"] = f"Repetitions must be between {REPS_RANGE[0]} and {REPS_RANGE[1]}."
        if minutes is not None:
            errors["minutes"] = f"{exercise.name} is counted in repetitions, not minutes. Leave minutes empty."
    if not _in_range(times_per_week, TIMES_PER_WEEK_RANGE):
        errors["times_per_week"] = (
            f"Times a week must be between {TIMES_PER_WEEK_RANGE[0]} and {TIMES_PER_WEEK_RANGE[1]}."
        )
    if errors:
        raise ValidationError(errors)
    return {
        "sets": sets,
        "reps": reps,
        "hold_seconds": hold_seconds,
        "minutes": minutes,
        "times_per_week": times_per_week,
    }


def _already_in_program(*, patient: User, exercise: Exercise) -> bool:
    return (
        Assignment.objects.filter(patient=patient, exercise=exercise).exclude(status=AssignmentStatus.REMOVED).exists()
    )


@transaction.atomic
def assignment_add(
    *,
    physio: User,
    patient: User,
    exercise: Exercise,
    sets: int,
    reps: int | None = None,
    hold_seconds: int = 0,
    minutes: int | None = None,
    times_per_week: int = 7,
) -> Assignment:
    """Add an exercise to a patient's program, at the end.

    Refused unless: the physiotherapist is on the patient's care team; a
    clearance is in force today (the patient's today) and covers the
    exercise's body region; the exercise is not retired; the dose is within
    range; and the exercise is not already in the program.
    """
    _require_program_physio(physio=physio, patient=patient)
    clearance = clearance_in_force(patient=patient)
    if clearance is None:
        raise ValidationError(
            "This patient has no doctor's approval for exercise in force, so no exercise can be added."
        )
    if not clearance.covers(exercise.region):
        raise ValidationError(
            {
                "exercise": f"The doctor's approval does not cover {exercise.get_region_display().lower()} "
                f"exercises, so {exercise.name} cannot be added."
            }
        )
    if not exercise.active:
        raise ValidationError({"exercise": f"{exercise.name} has been retired from the library and cannot be added."})
    dose = validate_dose(
        exercise=exercise,
        sets=sets,
        reps=reps,
        hold_seconds=hold_seconds,
        minutes=minutes,
        times_per_week=times_per_week,
    )
    duplicate = ValidationError({"exercise": f"{exercise.name} is already in this patient's program."})
    if _already_in_program(patient=patient, exercise=exercise):
        raise duplicate
    last = Assignment.objects.filter(patient=patient).aggregate(last=Max("position"))["last"]
    assignment = Assignment(
        patient=patient,
        exercise=exercise,
        prescribed_by=physio,
        position=0 if last is None else last + 1,
        **dose,
    )
    assignment._history_user = physio
    try:
        # A savepoint, so a clash with a colleague adding the same exercise at
        # the same moment leaves the outer transaction usable.
        with transaction.atomic():
            assignment.save()
    except IntegrityError as error:
        raise duplicate from error
    return assignment


def _lock_for_change(*, physio: User, assignment: Assignment, expected_version: int) -> Assignment:
    """The assignment's row, locked, if nobody changed it since the form was built."""
    locked = Assignment.objects.select_for_update().select_related("exercise", "patient").get(pk=assignment.pk)
    _require_program_physio(physio=physio, patient=locked.patient)
    if locked.status == AssignmentStatus.REMOVED:
        raise ValidationError(REMOVED_MESSAGE)
    if locked.version != expected_version:
        raise ValidationError(STALE_MESSAGE)
    locked._history_user = physio
    return locked


def _save_change(assignment: Assignment, fields: list[str]) -> Assignment:
    assignment.version += 1
    assignment.save(update_fields=[*fields, "version", "updated_at"])
    return assignment


@transaction.atomic
def assignment_change(
    *,
    physio: User,
    assignment: Assignment,
    expected_version: int,
    sets: int,
    reps: int | None = None,
    hold_seconds: int = 0,
    minutes: int | None = None,
    times_per_week: int = 7,
) -> Assignment:
    """Change the dose and how often a week. Refused if someone changed or removed it meanwhile."""
    locked = _lock_for_change(physio=physio, assignment=assignment, expected_version=expected_version)
    dose = validate_dose(
        exercise=locked.exercise,
        sets=sets,
        reps=reps,
        hold_seconds=hold_seconds,
        minutes=minutes,
        times_per_week=times_per_week,
    )
    for name, value in dose.items():
        setattr(locked, name, value)
    return _save_change(locked, list(dose))


@transaction.atomic
def assignment_pause(*, physio: User, assignment: Assignment, expected_version: int, reason: str) -> Assignment:
    """Pause one exercise with a reason the patient will read. It stays in the program."""
    reason = reason.strip()
    if not reason:
        raise ValidationError({"reason": "Say why the exercise is paused; the patient will see this."})
    if len(reason) > PAUSE_REASON_MAX:
        raise ValidationError({"reason": f"Keep the reason under {PAUSE_REASON_MAX} characters."})
    locked = _lock_for_change(physio=physio, assignment=assignment, expected_version=expected_version)
    if locked.status == AssignmentStatus.PAUSED:
        raise ValidationError("This exercise is already paused.")
    locked.status = AssignmentStatus.PAUSED
    locked.pause_reason = reason
    return _save_change(locked, ["status", "pause_reason"])


@transaction.atomic
def assignment_resume(*, physio: User, assignment: Assignment, expected_version: int) -> Assignment:
    """Lift the physiotherapist's pause. Other holds (clearance, flags) still apply until they end."""
    locked = _lock_for_change(physio=physio, assignment=assignment, expected_version=expected_version)
    if locked.status != AssignmentStatus.PAUSED:
        raise ValidationError("This exercise is not paused.")
    locked.status = AssignmentStatus.ACTIVE
    locked.pause_reason = ""
    return _save_change(locked, ["status", "pause_reason"])


@transaction.atomic
def assignment_remove(*, physio: User, assignment: Assignment, expected_version: int) -> Assignment:
    """Take an exercise out of the program. The row stays, so old session logs still show it."""
    locked = _lock_for_change(physio=physio, assignment=assignment, expected_version=expected_version)
    locked.status = AssignmentStatus.REMOVED
    locked.removed_at = timezone.now()
    return _save_change(locked, ["status", "removed_at"])
