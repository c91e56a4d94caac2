"""A patient's check-ins and exercise sessions as one CSV file, streamed row by row.

One row per entry: each daily check-in is a row, and each exercise within a
session is a row. Rows come in date order; on the same day the check-in comes
first, then the session's exercises in program order. Dates are ISO 8601
(YYYY-MM-DD, the patient's own calendar day); `recorded_at` is an ISO 8601
timestamp in UTC. Empty cells mean "does not apply to this kind of row" or
"not given". A patient with no history gets a file with the header row only.

The columns, in order, are EXPORT_COLUMNS below (name and meaning); the same
list is shown on the pages that offer the download.

The file is safe to open in a spreadsheet: any text cell that starts with a
character a spreadsheet would read as a formula (= + - @ or their full-width
forms, tab or carriage return) is prefixed with a single quote, so it shows as
plain text.

Both database queries use `.iterator()`, so a year of history is never held in
memory: rows are read in chunks and written to the response as they come.
"""

import csv
import heapq
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import date

from ..models import RED_FLAG_FIELDS, CheckIn, SessionEntry, User

CHUNK_SIZE = 500


@dataclass(frozen=True)
class Column:
    name: str
    meaning: str


EXPORT_COLUMNS = (
    Column("date", "The day the entry is for, YYYY-MM-DD, in the patient's own time zone."),
    Column("record_type", "check_in for a daily check-in; exercise for one exercise in a session."),
    Column("recorded_at", "When the entry was first saved, ISO 8601 in UTC."),
    Column("neck_back_pain", "Check-ins: neck or lower back pain, 0 (none) to 10 (worst imaginable)."),
    Column("limb_pain", "Check-ins: arm or leg pain, 0 to 10."),
    Column("numbness", "Check-ins: numbness or tingling compared with before: none, better, same, worse, new."),
    Column("weakness", "Check-ins: weakness compared with before: none, better, same, worse, new."),
    Column("symptom_extent", "Check-ins: retreating (toward the spine), same, or spreading (down the limb)."),
    Column("warning_signs", "Check-ins: warning signs ticked on the safety checklist, separated by semicolons."),
    Column("exercise", "Exercises: the exercise's name."),
    Column("exercise_status", "Exercises: done or skipped."),
    Column("sets_done", "Exercises: sets done."),
    Column("reps_done", "Exercises: repetitions done in each set."),
    Column("hold_seconds_done", "Exercises: seconds each position was held."),
    Column("minutes_done", "Exercises: minutes done (walking and other timed activities)."),
    Column("pain_before", "Exercises: pain just before the exercise, 0 to 10."),
    Column("pain_after", "Exercises: pain just after the exercise, 0 to 10."),
    Column("symptoms_worse", "Exercises: yes if symptoms spread or got worse during or after it, else no."),
    Column("note", "The patient's own note, as typed."),
)
HEADER = [column.name for column in EXPORT_COLUMNS]

# Characters that make a spreadsheet treat a cell as a formula (OWASP "CSV injection").
# Spreadsheets also read the full-width forms of = + - @ (U+FF1D, U+FF0B, U+FF0D, U+FF20) as those.
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")


def spreadsheet_safe(value: object) -> object:
    """Text that a spreadsheet would run as a formula gets a leading quote; anything else is unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def _yes_no(value: bool) -> str:
    return "yes" if value else "no"


def _blank(value: object) -> object:
    return "" if value is None else value


def _check_in_row(check_in: CheckIn) -> list:
    row = dict.fromkeys(HEADER, "")
    row.update(
        date=check_in.local_date.isoformat(),
        record_type="check_in",
        recorded_at=check_in.created_at.isoformat(),
        neck_back_pain=check_in.neck_back_pain,
        limb_pain=check_in.limb_pain,
        numbness=check_in.numbness,
        weakness=check_in.weakness,
        symptom_extent=check_in.extent,
        warning_signs=";".join(name for name in RED_FLAG_FIELDS if getattr(check_in, name)),
        note=check_in.note,
    )
    return list(row.values())


def _entry_row(entry: SessionEntry) -> list:
    row = dict.fromkeys(HEADER, "")
    row.update(
        date=entry.session.local_date.isoformat(),
        record_type="exercise",
        recorded_at=entry.created_at.isoformat(),
        exercise=entry.assignment.exercise.name,
        exercise_status=entry.status,
        sets_done=_blank(entry.sets_done),
        reps_done=_blank(entry.reps_done),
        hold_seconds_done=_blank(entry.hold_seconds_done),
        minutes_done=_blank(entry.minutes_done),
        pain_before=_blank(entry.pain_before),
        pain_after=_blank(entry.pain_after),
        symptoms_worse=_yes_no(entry.symptoms_worse),
        note=entry.note,
    )
    return list(row.values())


def _keyed(rows: Iterable, key_date, kind: int, make_row) -> Iterator[tuple[date, int, int, list]]:
    for position, record in enumerate(rows):
        yield key_date(record), kind, position, make_row(record)


def export_rows(*, patient: User) -> Iterator[list]:
    """The header, then one list of cell values per entry, in date order. Two streamed queries."""
    check_ins = CheckIn.objects.filter(patient=patient).order_by("local_date", "id").iterator(chunk_size=CHUNK_SIZE)
    entries = (
        SessionEntry.objects.filter(session__patient=patient)
        .select_related("session", "assignment__exercise")
        .order_by("session__local_date", "assignment__position", "assignment_id", "id")
        .iterator(chunk_size=CHUNK_SIZE)
    )
    yield HEADER
    merged = heapq.merge(
        _keyed(check_ins, lambda check_in: check_in.local_date, 0, _check_in_row),
        _keyed(entries, lambda entry: entry.session.local_date, 1, _entry_row),
        key=lambda item: item[:3],
    )
    for *_, row in merged:
        yield [spreadsheet_safe(value) for value in row]


class _Echo:
    """A file-like object whose write() hands the line back, for csv.writer in a streaming response."""

    def write(self, value: str) -> str:
        return value


def export_lines(*, patient: User) -> Iterator[str]:
    """The CSV file as text lines (with a byte-order mark first so spreadsheets read it as UTF-8)."""
    writer = csv.writer(_Echo())
    yield "\ufeff"
    for row in export_rows(patient=patient):
        yield writer.writerow(row)


def export_filename(*, patient: User, today: date) -> str:
    return f"recovery-{patient.username}-{today.isoformat()}.csv"
