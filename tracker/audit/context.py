"""What the request being served concerns, noted by whoever finds out (no database, no imports of models).

The audit middleware opens a note for each request; the shared access
selectors (tracker.selectors.patient_for_clinician) and the admin
(tracker.audit.admin.AuditedAdminMixin) write on it the patient and the object
they looked up, before deciding whether the visitor may see them, so a refused
attempt is recorded against the patient it aimed at. Outside a request the
notes go nowhere.
"""

from contextvars import ContextVar
from dataclasses import dataclass


@dataclass
class Subject:
    patient_id: int | None = None
    object_type: str = ""
    object_id: str = ""
    touched: bool = False


_current: ContextVar[Subject | None] = ContextVar("audit_subject", default=None)


BIGGEST_ID = 2**63 - 1


def as_id(value) -> int | None:
    """A record id as the database can store it, or None (an id too big for any table names nothing)."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return None
    return number if 0 < number <= BIGGEST_ID else None


def open_subject() -> tuple[Subject, object]:
    subject = Subject()
    return subject, _current.set(subject)


def close_subject(token) -> None:
    _current.reset(token)


def note_patient(patient_id, *, object_type: str = "", object_id: object = "") -> None:
    """The request concerns this patient (an id as given, even one that turns out not to exist)."""
    subject = _current.get()
    if subject is None:
        return
    subject.touched = True
    if subject.patient_id is None:
        subject.patient_id = as_id(patient_id)
    if object_type and (not subject.object_type or (subject.object_type == object_type and not subject.object_id)):
        subject.object_type = object_type
        subject.object_id = str(object_id or "")[:64]


def note_object(*, object_type: str, object_id: object = "") -> None:
    """The request concerns this kind of record (a list of them when there is no id)."""
    note_patient(None, object_type=object_type, object_id=object_id)
