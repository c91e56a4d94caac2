"""Writing a patient's exercise session log: one entry per prescribed exercise per day."""

from collections.abc import Mapping
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from routines.models import Assignment
from routines.selectors import program_for
from tracker.daily.edit_window import check_editable
from tracker.daily.upsert import upsert
from tracker.models import EntryStatus, SessionEntry, SessionLog, User
from tracker.safety.step import safety_step

# Upper bounds for what a patient reports having done; the same limits are
# check constraints on SessionEntry. Anything above them is a typing slip.
DOSE_LIMITS = {
    "sets_done": 20,
    "reps_done": 100,
    "hold_seconds_done": 600,
    "minutes_done": 240,
}
DOSE_LABELS = {
    "sets_done": "sets",
    "reps_done": "repetitions",
    "hold_seconds_done": "seconds held",
    "minutes_done": "minutes",
}
PAIN_FIELDS = ("pain_before", "pain_after")
PAIN_MESSAGE = "Choose a whole number from 0 (no pain) to 10 (worst pain you can imagine), or leave it empty."
NOT_IN_PROGRAM_MESSAGE = "This exercise is not in your program, so it cannot be logged."
NOTE_MAX_LENGTH = 2000


def _whole_number(value: Any, *, maximum: int) -> bool:
    return not isinstance(value, bool) and isinstance(value, int) and 0 <= value <= maximum


def session_entry_values(*, data: Mapping[str, Any]) -> dict[str, Any]:
    """The entry's field values from `data`, validated; raises ValidationError naming each bad field.

    A skipped exercise keeps no dose. Doses and pain scores are optional whole
    numbers within their limits.
    """
    errors: dict[str, str] = {}
    status = data.get("status")
    if status not in EntryStatus.values:
        errors["status"] = "Say whether you did this exercise or skipped it."
    values: dict[str, Any] = {"status": status}
    for field, maximum in DOSE_LIMITS.items():
        value = data.get(field)
        if value is not None and not _whole_number(value, maximum=maximum):
            errors[field] = f"Enter a whole number of {DOSE_LABELS[field]} from 0 to {maximum}."
        values[field] = None if status == EntryStatus.SKIPPED else value
    for field in PAIN_FIELDS:
        value = data.get(field)
        if value is not None and not _whole_number(value, maximum=10):
            errors[field] = PAIN_MESSAGE
        values[field] = value
    values["symptoms_worse"] = bool(data.get("symptoms_worse"))
    note = data.get("note") or ""
    if not isinstance(note, str) or len(note) > NOTE_MAX_LENGTH:
        errors["note"] = f"Keep the note under {NOTE_MAX_LENGTH} characters."
    values["note"] = note.strip() if isinstance(note, str) else ""
    if errors:
        raise ValidationError(errors)
    return values


def prescribed_dose(assignment: Assignment) -> dict[str, int | None]:
    """What the physiotherapist prescribed, as the values of a "done" entry."""
    return {
        "sets_done": assignment.sets,
        "reps_done": assignment.reps,
        "hold_seconds_done": assignment.hold_seconds or None,
        "minutes_done": assignment.minutes,
    }


def check_loggable(*, patient: User, assignment: Assignment, local_date: date) -> None:
    """Raise ValidationError unless the patient may log this assignment for `local_date`.

    The day must be in the edit window, the assignment must be the patient's
    own and available that day (not suspended for want of a clearance, not
    paused by the physiotherapist or by a flag).
    """
    if not patient.is_patient:
        raise ValidationError("Only patients can log exercise.")
    check_editable(patient=patient, local_date=local_date)
    if assignment.patient_id != patient.pk:
        raise ValidationError(NOT_IN_PROGRAM_MESSAGE)
    item = next(
        (item for item in program_for(patient=patient, on=local_date) if item.assignment.pk == assignment.pk), None
    )
    if item is None:
        raise ValidationError(NOT_IN_PROGRAM_MESSAGE)
    if not item.available:
        raise ValidationError(f"This exercise cannot be logged right now. {item.reason}")


@transaction.atomic
def session_entry_save(
    *, patient: User, assignment: Assignment, local_date: date, data: Mapping[str, Any]
) -> SessionEntry:
    """Record how one prescribed exercise went on `local_date` (done or skipped, dose, pain, note).

    There is one session per patient per day and one entry per exercise in it:
    saving again changes the entry (history is kept), and saving the same
    answers again changes nothing. Raises ValidationError, saving nothing, if
    the exercise may not be logged that day or a value is out of range. The
    safety step (tracker.safety.step) runs in the same transaction.
    """
    check_loggable(patient=patient, assignment=assignment, local_date=local_date)
    values = session_entry_values(data=data)
    session, _ = SessionLog.objects.get_or_create(patient=patient, local_date=local_date)
    entry, _ = upsert(SessionEntry, lookup={"session": session, "assignment": assignment}, values=values)
    safety_step(patient=patient)
    return entry


@transaction.atomic
def session_mark_done(*, patient: User, assignment: Assignment, local_date: date) -> SessionEntry:
    """One tap: the exercise was done as prescribed on `local_date`.

    An entry already marked done is left exactly as it is (a double tap adds
    nothing, and details the patient added stay). A skipped entry becomes done
    with the prescribed dose, keeping its pain scores and note. The safety
    step (tracker.safety.step) runs in the same transaction.
    """
    check_loggable(patient=patient, assignment=assignment, local_date=local_date)
    session, _ = SessionLog.objects.get_or_create(patient=patient, local_date=local_date)
    existing = SessionEntry.objects.select_for_update().filter(session=session, assignment=assignment).first()
    if existing is not None and existing.status == EntryStatus.DONE:
        entry = existing
    else:
        entry, _ = upsert(
            SessionEntry,
            lookup={"session": session, "assignment": assignment},
            values={"status": EntryStatus.DONE, **prescribed_dose(assignment)},
        )
    safety_step(patient=patient)
    return entry
