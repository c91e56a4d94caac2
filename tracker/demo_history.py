"""Daily history for the demo clinic: check-ins and exercise sessions (see seed_demo).

- demo-patient-active: three weeks ending yesterday, slowly getting better.
- demo-patient-flagged: two calm weeks, then pain rising through the last
  week, enough for the "contact provider" rule in DESIGN.md (7-day mean 2+
  points, or 30%, above the first week's mean, for at least 3 days); one
  exercise (the ear-to-shoulder stretch) makes it worse each time.
- seed_bulk_history: years of plausible history for many patients at once,
  with bulk inserts, for measuring pages at scale.

Today is left empty for every patient, so a demo patient can check in and log
today's session themselves. Days are counted in each patient's time zone.
Idempotent: a patient who already has any check-in is left alone.
Rows are created directly, not through the services, because the services
rightly refuse days older than yesterday.
"""

import random
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db import connection, transaction
from django.utils import timezone

from routines.models import Assignment, AssignmentStatus
from tracker.models import RED_FLAG_FIELDS, Change, CheckIn, EntryStatus, Extent, SessionEntry, SessionLog, User

DEMO_DAYS = 21
# One exercise in the flagged patient's neck program that aggravates symptoms.
AGGRAVATING_SLUG = "ear-to-shoulder-stretch"
# Patients per transaction in the bulk seed: big enough for few round trips,
# small enough to keep memory flat.
BULK_CHUNK = 100


@dataclass(frozen=True)
class Day:
    back: int
    limb: int
    numbness: str = Change.SAME
    weakness: str = Change.NONE
    extent: str = Extent.SAME
    note: str = ""
    exercised: bool = True


def _clamp(value: float) -> int:
    return max(0, min(10, round(value)))


def active_days() -> list[Day]:
    """Three weeks of slow improvement: back pain from about 6 to 3, leg pain from 5 to 2."""
    wobble = [0, 1, 0, -1, 0, 0, 1, 0, -1, 0, 1, 0, 0, -1, 0, 1, 0, 0, -1, 0, 0]
    days = []
    for index in range(DEMO_DAYS):
        progress = index / (DEMO_DAYS - 1)
        days.append(
            Day(
                back=_clamp(6 - 3 * progress + wobble[index]),
                limb=_clamp(5 - 3 * progress + wobble[-index - 1]),
                numbness=Change.BETTER if index % 4 == 3 else Change.SAME,
                extent=Extent.RETREATING if index >= 12 and index % 3 == 0 else Extent.SAME,
                note={2: "Sat at my desk too long.", 10: "Walked to the shops and back.", 17: "Slept well."}.get(
                    index, ""
                ),
                exercised=index % 7 != 5,  # a rest day most weeks
            )
        )
    return days


def flagged_days() -> list[Day]:
    """Two calm weeks (neck pain about 3), then a steady rise to 7 in the last week."""
    calm_back = [3, 3, 2, 3, 4, 3, 3, 3, 2, 3, 3, 4, 3, 3]
    calm_limb = [2, 2, 2, 3, 2, 2, 2, 2, 2, 2, 3, 2, 2, 2]
    rising_back = [5, 6, 6, 7, 7, 7, 7]
    rising_limb = [3, 4, 4, 5, 5, 6, 6]
    days = [Day(back=back, limb=limb) for back, limb in zip(calm_back, calm_limb, strict=True)]
    days += [
        Day(
            back=back,
            limb=limb,
            numbness=Change.WORSE if index >= 3 else Change.SAME,
            note="Neck stiffer and the ache goes into my arm." if index == 3 else "",
        )
        for index, (back, limb) in enumerate(zip(rising_back, rising_limb, strict=True))
    ]
    return days


def _ensure_program_covers(patient: User, first_day: date) -> list[Assignment]:
    """The patient's current program, dated back to the first day of the history.

    Adherence counts an exercise only from the day it was added, so a demo
    history that predates its program would show nothing prescribed.
    """
    program = list(
        Assignment.objects.filter(patient=patient, status=AssignmentStatus.ACTIVE)
        .select_related("exercise")
        .order_by("position", "id")
    )
    start = datetime.combine(first_day, time(9), tzinfo=patient.zone)
    Assignment.objects.filter(pk__in=[assignment.pk for assignment in program], created_at__gt=start).update(
        created_at=start
    )
    return program


def _seed_patient(patient: User, days: list[Day], *, aggravating: str = "") -> None:
    if CheckIn.objects.filter(patient=patient).exists():
        return
    today = patient.local_today()
    first_day = today - timedelta(days=len(days))
    program = _ensure_program_covers(patient, first_day)
    for index, day in enumerate(days):
        local_date = first_day + timedelta(days=index)
        CheckIn.objects.create(
            patient=patient,
            local_date=local_date,
            neck_back_pain=day.back,
            limb_pain=day.limb,
            numbness=day.numbness,
            weakness=day.weakness,
            extent=day.extent,
            note=day.note,
        )
        if not day.exercised or not program:
            continue
        session = SessionLog.objects.create(patient=patient, local_date=local_date)
        for assignment in program:
            walking_rest = assignment.times_per_week < 7 and index % 7 in (2, 6)
            worse = assignment.exercise.slug == aggravating and day.back >= 5
            SessionEntry.objects.create(
                session=session,
                assignment=assignment,
                status=EntryStatus.SKIPPED if walking_rest else EntryStatus.DONE,
                sets_done=None if walking_rest else assignment.sets,
                reps_done=None if walking_rest else assignment.reps,
                hold_seconds_done=None if walking_rest or not assignment.hold_seconds else assignment.hold_seconds,
                minutes_done=None if walking_rest else assignment.minutes,
                pain_before=None if walking_rest else day.back,
                pain_after=None if walking_rest else _clamp(day.back + (2 if worse else -1 if index > 10 else 0)),
                symptoms_worse=worse,
                note="It sent a tingle down my arm." if worse and index % 2 else "",
            )


@transaction.atomic
def seed_history(*, clinic) -> None:
    """Three weeks of history for demo-patient-active and demo-patient-flagged (not demo-patient-new)."""
    _seed_patient(clinic.patient_active, active_days())
    _seed_patient(clinic.patient_flagged, flagged_days(), aggravating=AGGRAVATING_SLUG)


def seed_bulk_history(*, patients: Sequence[User], days: int) -> int:
    """`days` days of check-ins and sessions, ending yesterday, for each patient; returns rows written.

    Each patient gets a steady course of their own (seeded by their id, so a
    rerun on a fresh database gives the same data): pain starting between 4
    and 8 and easing, a check-in on about 6 days in 7, and exercise on about
    5 days in 7 with an occasional skip. A patient who already has a check-in
    is skipped.

    Rows go in with one COPY per table and chunk on PostgreSQL, one multi-row
    INSERT (executemany on plain tuples) elsewhere: Django's bulk_create spends most of its time preparing each
    field of each object, which made 1,000 patients x 365 days take over five
    minutes. No history rows are written for these bulk rows.
    """
    if days <= 0 or not patients:
        return 0
    with_history = set(CheckIn.objects.filter(patient__in=patients).values_list("patient_id", flat=True).distinct())
    todo = [patient for patient in patients if patient.pk not in with_history]
    written = 0
    for chunk_start in range(0, len(todo), BULK_CHUNK):
        written += _bulk_chunk(todo[chunk_start : chunk_start + BULK_CHUNK], days)
    return written


CHECK_IN_FIELDS = (
    "patient",
    "local_date",
    "neck_back_pain",
    "limb_pain",
    "numbness",
    "weakness",
    "extent",
    *RED_FLAG_FIELDS,
    "note",
    "submission_token",
    "created_at",
    "updated_at",
)
SESSION_FIELDS = ("patient", "local_date", "submission_token", "created_at", "updated_at")
ENTRY_FIELDS = (
    "session",
    "assignment",
    "status",
    "sets_done",
    "reps_done",
    "hold_seconds_done",
    "minutes_done",
    "pain_before",
    "pain_after",
    "symptoms_worse",
    "note",
    "created_at",
    "updated_at",
)


# Plain strings: the database driver sees values, not enum members.
NUMBNESS_ANSWERS = (Change.SAME.value, Change.SAME.value, Change.BETTER.value, Change.NONE.value)
NO_CHANGE, SAME_EXTENT = Change.NONE.value, Extent.SAME.value
DONE, SKIPPED = EntryStatus.DONE.value, EntryStatus.SKIPPED.value


def _insert_many(model, field_names: Sequence[str], rows: list[tuple]) -> None:
    """INSERT rows (values already in database form) into the model's table, in order of `field_names`."""
    if not rows:
        return
    table = connection.ops.quote_name(model._meta.db_table)
    columns = ", ".join(connection.ops.quote_name(model._meta.get_field(name).column) for name in field_names)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # COPY streams the rows in one statement: several times faster than INSERTs for millions of rows.
            with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
            return
        placeholders = ", ".join(["%s"] * len(field_names))
        cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({placeholders})", rows)  # noqa: S608


@transaction.atomic
def _bulk_chunk(patients: Sequence[User], days: int) -> int:
    now = timezone.now()
    ops = connection.ops
    stamp = ops.adapt_datetimefield_value(now)
    token_field = CheckIn._meta.get_field("submission_token")
    dates: dict[date, object] = {}

    def db_date(day: date):
        if day not in dates:
            dates[day] = ops.adapt_datefield_value(day)
        return dates[day]

    def token():
        return token_field.get_db_prep_value(uuid.uuid4(), connection)

    programs: dict[int, list[Assignment]] = {}
    for assignment in Assignment.objects.filter(patient__in=patients, status=AssignmentStatus.ACTIVE).order_by(
        "position", "id"
    ):
        programs.setdefault(assignment.patient_id, []).append(assignment)
    program_start = now - timedelta(days=days + 1)
    Assignment.objects.filter(patient__in=patients, created_at__gt=program_start).update(created_at=program_start)

    no_flags = (False,) * len(RED_FLAG_FIELDS)
    check_ins: list[tuple] = []
    sessions: list[tuple] = []
    planned_entries: dict[tuple[int, date], list[tuple]] = {}
    for patient in patients:
        rng = random.Random(patient.pk)
        first_day = patient.local_today() - timedelta(days=days)
        start_back, start_limb = rng.randint(4, 8), rng.randint(3, 7)
        recovery = rng.uniform(0.3, 0.8)  # how much of the pain fades over the period
        program = programs.get(patient.pk, [])
        for index in range(days):
            local_date = first_day + timedelta(days=index)
            fade = 1 - recovery * index / days
            back = _clamp(start_back * fade + rng.choice((-1, 0, 0, 0, 1)))
            limb = _clamp(start_limb * fade + rng.choice((-1, 0, 0, 0, 1)))
            if rng.random() < 0.85:
                numbness = rng.choice(NUMBNESS_ANSWERS)
                check_ins.append(
                    (
                        patient.pk,
                        db_date(local_date),
                        back,
                        limb,
                        numbness,
                        NO_CHANGE,
                        SAME_EXTENT,
                        *no_flags,
                        "",
                        token(),
                        stamp,
                        stamp,
                    )
                )
            if program and rng.random() < 0.72:
                sessions.append((patient.pk, db_date(local_date), token(), stamp, stamp))
                entries = planned_entries[patient.pk, local_date] = []
                for assignment in program:
                    if rng.random() < 0.88:
                        entries.append(
                            (
                                assignment.pk,
                                DONE,
                                assignment.sets,
                                assignment.reps,
                                assignment.hold_seconds or None,
                                assignment.minutes,
                                back,
                                _clamp(back + rng.choice((-1, 0, 0, 1))),
                            )
                        )
                    else:
                        entries.append((assignment.pk, SKIPPED, *(None,) * 6))
    _insert_many(CheckIn, CHECK_IN_FIELDS, check_ins)
    _insert_many(SessionLog, SESSION_FIELDS, sessions)
    session_ids = {
        (patient_id, local_date): session_id
        for session_id, patient_id, local_date in SessionLog.objects.filter(patient__in=patients).values_list(
            "id", "patient_id", "local_date"
        )
    }
    entry_rows = [
        (session_ids[key], *entry, False, "", stamp, stamp)
        for key, entries in planned_entries.items()
        for entry in entries
    ]
    _insert_many(SessionEntry, ENTRY_FIELDS, entry_rows)
    return len(check_ins) + len(sessions) + len(entry_rows)
