"""Everything the clinician's patient page shows, gathered in a fixed number of queries."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, timedelta

from routines.models import Clearance, Exercise
from routines.selectors import clearance_allows, program_for

from ..models import Flag, SessionEntry, User
from ..outcomes.selectors import due_for, outcomes_for, psfs_activities
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
        .select_related("patient", "assignment__exercise", "acknowledged_by", "resolved_by")
        .order_by("-opened_at", "-id")
    )
    open_flags = sorted(
        (flag for flag in flags if flag.is_unresolved), key=lambda flag: (-flag.severity, flag.opened_at)
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
        "outcomes": outcomes_for(patient=patient),
        "questionnaire_due": due_for(patient=patient, today=today),
        "psfs_activities": psfs_activities(patient=patient),
        "weeks": weeks,
        "open_flags": open_flags,
        "flagged_exercises": list(
            {flag.assignment_id: flag.assignment for flag in open_flags if flag.assignment}.values()
        ),
        "flags": flags,
        "sessions": session_table(patient=patient, start=today - timedelta(days=SESSION_TABLE_DAYS - 1), end=today),
        "session_days": SESSION_TABLE_DAYS,
        "notes": notes_with_history(patient=patient),
        "export_columns": EXPORT_COLUMNS,
    }


@dataclass(frozen=True)
class SessionCell:
    entry: SessionEntry | None

    @property
    def pain_change(self) -> int | None:
        entry = self.entry
        if entry is None or entry.pain_before is None or entry.pain_after is None:
            return None
        return entry.pain_after - entry.pain_before


@dataclass(frozen=True)
class SessionTable:
    """Pain before and after each exercise, one row per session day (newest first), one column per exercise."""

    exercises: list[Exercise]
    rows: list[tuple[date, list[SessionCell]]]


def session_table(*, patient: User, start: date, end: date) -> SessionTable:
    """One query. Exercises appear in program order (any no longer in the program after them)."""
    entries = list(
        SessionEntry.objects.filter(session__patient=patient, session__local_date__range=(start, end))
        .select_related("session", "assignment__exercise")
        .order_by("assignment__position", "assignment_id", "session__local_date")
    )
    columns: dict[int, Exercise] = {}
    by_day: dict[date, dict[int, SessionEntry]] = defaultdict(dict)
    for entry in entries:
        columns.setdefault(entry.assignment_id, entry.assignment.exercise)
        by_day[entry.session.local_date][entry.assignment_id] = entry
    rows = [
        (day, [SessionCell(by_day[day].get(assignment_id)) for assignment_id in columns])
        for day in sorted(by_day, reverse=True)
    ]
    return SessionTable(exercises=list(columns.values()), rows=rows)
