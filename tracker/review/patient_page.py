"""Everything the clinician's patient page shows, gathered in a fixed number of queries."""

from datetime import date, timedelta

from routines.models import Clearance
from routines.selectors import clearance_allows, program_for

from ..models import Flag, SessionEntry, User
from ..progress import progress_for
from ..selectors import care_team_of
from .export import EXPORT_COLUMNS
from .notes import notes_with_history

# The page shows the last four weeks of sessions; the report covers any range.
SESSION_TABLE_DAYS = 28


def patient_page_context(*, patient: User, viewer: User, weeks: int = 4, today: date | None = None) -> dict:
    """The page's data. A fixed number of queries whatever the length of the history."""
    today = today or patient.local_today()
    # The same range as the patient's own progress page: whole weeks ending today.
    progress_start = today - timedelta(days=today.weekday()) - timedelta(weeks=weeks - 1)
    clearances = list(
        Clearance.objects.filter(patient=patient)
        .select_related("doctor", "recorded_by", "revoked_by")
        .order_by("-recorded_at", "-id")
    )
    current = clearances[0] if clearances else None
    flags = list(
        Flag.objects.filter(patient=patient)
        .select_related("assignment__exercise", "acknowledged_by", "resolved_by")
        .order_by("-opened_at", "-id")
    )
    return {
        "patient": patient,
        "viewer": viewer,
        "today": today,
        "care_team": list(care_team_of(patient=patient)),
        "clearances": clearances,
        "current_clearance": current,
        "clearance_in_force": clearance_allows(current, on=today),
        "program": program_for(patient=patient, on=today),
        "progress": progress_for(patient=patient, start=progress_start, end=today),
        "weeks": weeks,
        "open_flags": sorted(
            (flag for flag in flags if flag.is_unresolved), key=lambda flag: (-flag.severity, flag.opened_at)
        ),
        "flags": flags,
        "sessions_by_exercise": sessions_by_exercise(
            patient=patient, start=today - timedelta(days=SESSION_TABLE_DAYS - 1), end=today
        ),
        "session_days": SESSION_TABLE_DAYS,
        "notes": notes_with_history(patient=patient),
        "export_columns": EXPORT_COLUMNS,
    }


def sessions_by_exercise(*, patient: User, start: date, end: date) -> list[dict]:
    """Each exercise's logged sessions in the range, oldest first, with pain before and after.

    One query. Exercises appear in program order, then any no longer in the program.
    """
    entries = (
        SessionEntry.objects.filter(session__patient=patient, session__local_date__range=(start, end))
        .select_related("session", "assignment__exercise")
        .order_by("assignment__position", "assignment_id", "session__local_date")
    )
    groups: dict[int, dict] = {}
    for entry in entries:
        group = groups.setdefault(
            entry.assignment_id, {"exercise": entry.assignment.exercise, "assignment": entry.assignment, "entries": []}
        )
        both = entry.pain_before is not None and entry.pain_after is not None
        entry.pain_change = entry.pain_after - entry.pain_before if both else None
        group["entries"].append(entry)
    return list(groups.values())
