"""A day's exercise program and what was logged for it, cached per patient, data version and day."""

from datetime import date

from django.core.cache import cache

from routines.selectors import ProgramItem, program_for
from tracker.models import SessionEntry, User

from .versions import PIECE_TIMEOUT, version


def session_day(*, patient: User, local_date: date) -> tuple[list[ProgramItem], dict[int, SessionEntry]]:
    """The program as it stands on `local_date` (with pictures) and that day's entries by assignment.

    Five queries the first time after a write about the patient (logging an
    exercise is one), none after that.
    """
    key = f"session-day:{patient.pk}:{version(patient.pk)}:{local_date.isoformat()}"
    piece = cache.get(key)
    if piece is None:
        items = program_for(patient=patient, on=local_date, with_pictures=True)
        entries = {
            entry.assignment_id: entry
            for entry in SessionEntry.objects.filter(session__patient=patient, session__local_date=local_date)
            .select_related("assignment__exercise")
            .order_by("assignment__position", "id")
        }
        piece = (items, entries)
        cache.set(key, piece, PIECE_TIMEOUT)
    return piece


def session_page_key(*, patient: User, local_date: date, today: date) -> str:
    """The cache key of a day's session page as the patient sees it today (what may still be changed depends on it)."""
    return f"session-page:{patient.pk}:{version(patient.pk)}:{local_date.isoformat()}:{today.isoformat()}"
