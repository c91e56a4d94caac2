"""Writing a patient's daily check-in."""

import uuid
from collections.abc import Mapping
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from tracker.daily.edit_window import check_editable
from tracker.daily.upsert import upsert
from tracker.models import RED_FLAG_FIELDS, Change, CheckIn, Condition, Extent, User
from tracker.safety.step import safety_step

PAIN_MIN, PAIN_MAX = 0, 10
PAIN_MESSAGE = "Choose a whole number from 0 (no pain) to 10 (worst pain you can imagine)."
NOTE_MAX_LENGTH = 2000
# Asked only of people whose pinched nerve is in the neck.
NECK_ONLY_FIELDS = ("hand_clumsiness_or_falls",)


def checkin_red_flag_fields(*, patient: User) -> list[str]:
    """The safety questions this patient is asked, in the order they are shown."""
    return [name for name in RED_FLAG_FIELDS if name not in NECK_ONLY_FIELDS or patient.condition == Condition.NECK]


def _pain(value: Any, field: str, errors: dict[str, str]) -> int | None:
    # bool is an int in Python; a tick box is not a pain score.
    if isinstance(value, bool) or not isinstance(value, int) or not PAIN_MIN <= value <= PAIN_MAX:
        errors[field] = PAIN_MESSAGE
        return None
    return value


def _choice(value: Any, field: str, choices, errors: dict[str, str]) -> str | None:
    if value not in choices.values:
        errors[field] = "Choose one of the answers."
        return None
    return value


def checkin_values(*, patient: User, data: Mapping[str, Any]) -> dict[str, Any]:
    """The check-in's field values from `data`, validated; raises ValidationError naming each bad field.

    Both pain scores are required whole numbers from 0 to 10. Safety questions
    the patient is not asked are stored as "no". Unknown keys are ignored.
    """
    errors: dict[str, str] = {}
    values = {
        "neck_back_pain": _pain(data.get("neck_back_pain"), "neck_back_pain", errors),
        "limb_pain": _pain(data.get("limb_pain"), "limb_pain", errors),
        "numbness": _choice(data.get("numbness", Change.NONE), "numbness", Change, errors),
        "weakness": _choice(data.get("weakness", Change.NONE), "weakness", Change, errors),
        "extent": _choice(data.get("extent", Extent.SAME), "extent", Extent, errors),
    }
    asked = set(checkin_red_flag_fields(patient=patient))
    for name in RED_FLAG_FIELDS:
        values[name] = bool(data.get(name)) if name in asked else False
    note = data.get("note") or ""
    if not isinstance(note, str) or len(note) > NOTE_MAX_LENGTH:
        errors["note"] = f"Keep the note under {NOTE_MAX_LENGTH} characters."
    values["note"] = note.strip() if isinstance(note, str) else ""
    if errors:
        raise ValidationError(errors)
    return values


@transaction.atomic
def checkin_save(
    *,
    patient: User,
    local_date: date,
    data: Mapping[str, Any],
    submission_token: uuid.UUID | None = None,
) -> CheckIn:
    """Create or change the patient's check-in for `local_date` and return it.

    Rules:
    - only patients check in, and only for today or yesterday in their own
      time zone (see tracker.daily.edit_window);
    - there is one check-in per patient per local day: saving again for the
      same day changes that check-in (every change is kept in its history);
    - saving the same answers again (a double tap, a retry, the back button)
      changes nothing and adds no history;
    - `submission_token` is the form's one-time token; a new check-in keeps it
      so a repeated POST finds the same row;
    - the safety step (flag rules and caseload summary, tracker.safety.step)
      runs in the same transaction: the check-in is never stored without it.
    Raises ValidationError with a message per field; nothing is saved then. A
    DatabaseError means nothing was saved either (the transaction rolled back).
    """
    if not patient.is_patient:
        raise ValidationError("Only patients can check in.")
    check_editable(patient=patient, local_date=local_date)
    values = checkin_values(patient=patient, data=data)
    check_in, _ = upsert(
        CheckIn,
        lookup={"patient": patient, "local_date": local_date},
        values=values,
        create_only={"submission_token": submission_token} if submission_token else None,
    )
    safety_step(patient=patient)
    return check_in
