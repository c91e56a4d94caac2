"""Clinical notes: written by a patient's care team, never changed silently.

A note can be corrected by the clinician who wrote it, but every edit keeps the
earlier wording in the note's history (django-simple-history), and the patient
page shows that the note was edited and what it said before.
"""

import uuid

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from ..idempotency import existing_submission
from ..models import ClinicalNote, User
from ..selectors import is_on_care_team

NOTE_MAX_LENGTH = ClinicalNote._meta.get_field("body").max_length


def _clean_body(body: str) -> str:
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": "Write something in the note before saving it."})
    if len(body) > NOTE_MAX_LENGTH:
        raise ValidationError(
            {"body": f"A note can be at most {NOTE_MAX_LENGTH} characters; this one has {len(body)}."}
        )
    return body


@transaction.atomic
def note_add(*, patient: User, author: User, body: str, submission_token: uuid.UUID | None = None) -> ClinicalNote:
    """Add a note about a patient. Only a clinician on the patient's active care team may write one.

    `submission_token` is the form's one-time token: posting the same form
    again (a double click, a retry, requests racing) returns the note it
    already made instead of adding another.
    """
    if not (author.is_clinician and is_on_care_team(clinician=author, patient=patient)):
        raise ValidationError("Only a clinician on this patient's care team can add a note.")
    body = _clean_body(body)
    owner = {"patient": patient, "author": author}
    earlier = existing_submission(ClinicalNote, submission_token, **owner)
    if earlier is not None:
        return earlier
    note = ClinicalNote(patient=patient, author=author, body=body, submission_token=submission_token)
    # Recorded as the history row's author even outside a web request.
    note._history_user = author
    try:
        with transaction.atomic():
            note.save()
    except IntegrityError:
        earlier = existing_submission(ClinicalNote, submission_token, **owner)
        if earlier is None:
            raise
        return earlier  # the same form, saved a moment ago by a request that raced this one
    return note


@transaction.atomic
def note_edit(*, note: ClinicalNote, editor: User, body: str) -> ClinicalNote:
    """Change a note's wording. Only its author, while still on the care team, may edit it.

    The previous wording stays in the note's history. Saving the same text
    again changes nothing and adds no history row.
    """
    note = ClinicalNote.objects.select_for_update().get(pk=note.pk)
    if note.author_id != editor.pk:
        raise ValidationError("Only the clinician who wrote a note can edit it.")
    if not is_on_care_team(clinician=editor, patient=note.patient):
        raise ValidationError("You are no longer on this patient's care team, so you cannot edit the note.")
    body = _clean_body(body)
    if body == note.body:
        return note
    note.body = body
    note._history_user = editor
    note.save()
    return note
