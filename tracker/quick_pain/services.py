from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction

from routines.models import Assignment
from tracker.models import EntryStatus, SessionEntry, User
from tracker.safety.step import safety_step
from tracker.services.sessions import check_loggable

NOT_DONE_MESSAGE = "Tap Done first, then how your pain is now."
OUT_OF_RANGE_MESSAGE = "Choose a number from 0 to 10."


@transaction.atomic
def session_pain_after_save(*, patient: User, assignment: Assignment, local_date: date, pain_after) -> SessionEntry:
    """Set "pain after" on the exercise's done entry for that day; the safety step runs in the same transaction.

    Raises ValidationError, saving nothing, if the day cannot be logged, the
    exercise is not marked done that day, or the score is not 0 to 10. The
    same score twice changes nothing.
    """
    check_loggable(patient=patient, assignment=assignment, local_date=local_date)
    try:
        score = int(str(pain_after))
    except (TypeError, ValueError):
        raise ValidationError(OUT_OF_RANGE_MESSAGE) from None
    if not 0 <= score <= 10 or str(score) != str(pain_after).strip():
        raise ValidationError(OUT_OF_RANGE_MESSAGE)
    entry = (
        SessionEntry.objects.select_for_update()
        .filter(session__patient=patient, session__local_date=local_date, assignment=assignment)
        .first()
    )
    if entry is None or entry.status != EntryStatus.DONE:
        raise ValidationError(NOT_DONE_MESSAGE)
    if entry.pain_after != score:
        entry.pain_after = score
        entry._history_user = patient
        entry.save(update_fields=["pain_after", "updated_at"])
        safety_step(patient=patient)
    return entry
