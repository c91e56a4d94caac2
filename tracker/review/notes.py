"""Clinical notes as the care team reads them: newest first, each with its earlier wordings."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

from ..models import ClinicalNote, User


@dataclass(frozen=True)
class NoteVersion:
    body: str
    saved_at: datetime
    saved_by: User | None


@dataclass
class NoteWithHistory:
    note: ClinicalNote
    # Earlier wordings, newest first; empty when the note was never edited.
    previous_versions: list[NoteVersion] = field(default_factory=list)

    @property
    def was_edited(self) -> bool:
        return bool(self.previous_versions)


def notes_with_history(*, patient: User, limit: int | None = None) -> list[NoteWithHistory]:
    """The patient's notes, newest first, with what each said before every edit.

    Two queries whatever the number of notes or edits. Callers must already
    have checked that the viewer may see this patient.
    """
    notes = ClinicalNote.objects.filter(patient=patient).select_related("author").order_by("-created_at", "-id")
    if limit is not None:
        notes = notes[:limit]
    notes = list(notes)
    versions: dict[int, list[NoteVersion]] = defaultdict(list)
    history = (
        ClinicalNote.history.filter(id__in=[note.pk for note in notes])
        .select_related("history_user")
        .order_by("id", "-history_date", "-history_id")
    )
    for row in history:
        earlier = versions[row.id]
        # A save that did not change the wording (the admin's "save" button) is not an edit.
        if earlier and earlier[-1].body == row.body:
            earlier[-1] = NoteVersion(body=row.body, saved_at=row.history_date, saved_by=row.history_user)
            continue
        earlier.append(NoteVersion(body=row.body, saved_at=row.history_date, saved_by=row.history_user))
    # The newest history row is the wording shown now; the rest are earlier ones.
    return [NoteWithHistory(note=note, previous_versions=versions[note.pk][1:]) for note in notes]
