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

import queue
import random
import threading
import time as time_module
from collections.abc import Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.core.management.color import no_style
from django.db import connection, transaction
from django.db.models import Max
from django.utils import timezone

from routines.models import Assignment, AssignmentStatus
from tracker.flags import thresholds as limits
from tracker.flags.engine import run_rules
from tracker.flags.rules import CheckInPoint, PatientSnapshot, SessionEntryPoint, make_snapshot
from tracker.models import (
    RED_FLAG_FIELDS,
    Change,
    CheckIn,
    EntryStatus,
    Extent,
    Flag,
    PatientSummary,
    SessionEntry,
    SessionLog,
    User,
)
from tracker.pagecache.versions import everyone_changed
from tracker.services.flags import flags_evaluate
from tracker.services.summaries import summary_values

DEMO_DAYS = 21
# One exercise in the flagged patient's neck program that aggravates symptoms.
AGGRAVATING_SLUG = "ear-to-shoulder-stretch"
# Patients whose rows are built and sent together in the bulk seed: big enough for few
# round trips, small enough to keep memory flat (about 1,800 rows per patient-year).
BULK_CHUNK = 250


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


def seed_bulk_history(*, patients: Sequence[User], days: int, timings: dict[str, float] | None = None) -> int:
    """`days` days of check-ins and sessions, ending yesterday, for each patient; returns rows written.

    Each patient gets a steady course of their own (seeded by their id, so a
    rerun on a fresh database gives the same data): pain starting between 4
    and 8 and easing, with better and worse spells, a check-in on about 6 days
    in 7, and exercise on about 5 days in 7 with an occasional skip; exercise
    seldom makes the pain worse, so only a few patients are flagged, as in a
    real clinic. A patient who already has a check-in
    is skipped. No history rows are written for these bulk rows.

    The patients seeded here also get what the app keeps after each check-in:
    their dashboard summary and their flags. Both are worked out from the rows
    as they are generated (the same snapshot tracker.flags.engine.load_snapshot
    would read back), so nothing is read back per patient; a patient whose
    rules find something, or who already has an open flag, goes through the
    ordinary flags_evaluate. `timings`, if given, collects seconds per step.
    """
    if days <= 0 or not patients:
        return 0
    timings = timings if timings is not None else {}
    started = time_module.perf_counter()
    with_history = set(CheckIn.objects.filter(patient__in=patients).values_list("patient_id", flat=True).distinct())
    todo = [patient for patient in patients if patient.pk not in with_history]
    if not todo:
        return 0
    now = timezone.now()
    written = 0
    with transaction.atomic(), _foreign_keys_checked_once((CheckIn, SessionLog, SessionEntry), timings):
        with_open_flags = set(
            Flag.objects.unresolved().filter(patient__in=todo).values_list("patient_id", flat=True).distinct()
        )
        programs: dict[int, list[Assignment]] = {}
        for assignment in (
            Assignment.objects.filter(patient__in=todo, status=AssignmentStatus.ACTIVE)
            .select_related("exercise")
            .order_by("position", "id")
        ):
            programs.setdefault(assignment.patient_id, []).append(assignment)
        program_start = now - timedelta(days=days + 1)
        Assignment.objects.filter(patient__in=todo, created_at__gt=program_start).update(created_at=program_start)
        builder = _Builder(days=days, now=now, programs=programs, first_session_id=_next_session_id())
        started = _add_time(timings, "history: read programs", started)
        summaries: list[PatientSummary] = []
        to_evaluate: list[tuple[User, date, PatientSnapshot]] = []
        with _Writer(timings) as writer:
            for chunk_start in range(0, len(todo), BULK_CHUNK):
                for patient in todo[chunk_start : chunk_start + BULK_CHUNK]:
                    builder.add(patient)
                started = _add_time(timings, "history: build rows", started)
                written += writer.send(builder)
                started = time_module.perf_counter()
                # While the database takes the rows: each patient's summary, and whether their flags need storing.
                for patient, today, snapshot in builder.take_snapshots():
                    values = summary_values(snapshot=snapshot, today=today)
                    summaries.append(PatientSummary(patient=patient, refreshed_at=now, **values))
                    # Rules that find nothing for a patient with no open flag leave nothing to store:
                    # only the others need the ordinary evaluation (which reads and locks their flags).
                    findings, failures = run_rules(snapshot)
                    if findings or failures or patient.pk in with_open_flags:
                        to_evaluate.append((patient, today, snapshot))
                started = _add_time(timings, "summaries and flag rules", started)
        _reset_session_ids()
        _store_summaries_and_flags(summaries, to_evaluate, timings=timings)
        # The rows went in without the ORM's signals: every cached piece starts afresh.
        everyone_changed()
    return written


def _add_time(timings: dict[str, float], step: str, started: float) -> float:
    now = time_module.perf_counter()
    timings[step] = timings.get(step, 0.0) + now - started
    return now


@contextmanager
def _foreign_keys_checked_once(models, timings: dict[str, float]):
    """On PostgreSQL, check the models' foreign keys once for the whole load instead of once per row.

    A deferred foreign key queues a check per inserted row and runs them all
    at commit, which was most of the time of a big load. The PostgreSQL manual
    ("Populating a Database") advises dropping them and adding them back:
    adding one checks every row in a single join. Run inside a transaction, so
    the keys are never missing for anyone else, and a row that breaks one
    rolls back the whole load.
    """
    if connection.vendor != "postgresql":
        yield
        return
    tables = [model._meta.db_table for model in models]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE contype = 'f' AND conrelid = ANY(%s::regclass[]) ORDER BY conname",
            [tables],
        )
        foreign_keys = cursor.fetchall()
        # A table with checks still queued in this transaction cannot be altered: run them now.
        connection.check_constraints()
        for table, name, _definition in foreign_keys:
            cursor.execute(f"ALTER TABLE {table} DROP CONSTRAINT {connection.ops.quote_name(name)}")
    yield
    started = time_module.perf_counter()
    connection.check_constraints()  # the flags stored meanwhile
    with connection.cursor() as cursor:
        for table, name, definition in foreign_keys:
            cursor.execute(f"ALTER TABLE {table} ADD CONSTRAINT {connection.ops.quote_name(name)} {definition}")
    _add_time(timings, "foreign key checks", started)


class _Tokens:
    """Submission tokens for bulk rows: version-4 UUIDs, one random prefix per load and then counting up.

    Random ones land all over the unique index, which then no longer fits in
    memory at millions of rows; counting up appends to it. The random prefix
    keeps them apart from any other load's and from the app's own tokens.
    """

    def __init__(self) -> None:
        self.prefix = f"{random.getrandbits(48):012x}4{random.getrandbits(12):03x}"
        self.count = 0

    def next(self) -> str:
        self.count += 1
        return f"{self.prefix}{0x8000000000000000 | self.count:016x}"


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
SESSION_FIELDS = ("id", "patient", "local_date", "submission_token", "created_at", "updated_at")
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


def _next_session_id() -> int:
    """The first free session id: the bulk rows carry their own ids, so entries need no read-back to find them."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            # Nobody else adds a session until this load commits (seed_demo is for a demo database, never a live one).
            cursor.execute(f"LOCK TABLE {connection.ops.quote_name(SessionLog._meta.db_table)} IN EXCLUSIVE MODE")
    return (SessionLog.objects.aggregate(top=Max("id"))["top"] or 0) + 1


def _reset_session_ids() -> None:
    """Let the database's own id counter carry on after the ids the bulk rows took."""
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), [SessionLog]):
            cursor.execute(statement)


class _Builder:
    """Builds the rows of a bulk load, patient by patient, in the form the database takes fastest.

    COPY text lines on PostgreSQL, tuples for executemany elsewhere. Values
    are given as text (numbers, dates and times alike), which both read the
    same way; only NULL and the booleans are spelled differently. Sessions
    carry their own ids, so their entries need no read-back. Alongside the
    rows it keeps each patient's snapshot, as tracker.flags.engine.load_snapshot
    would read it back: all check-ins, and entries of the last RECENT_DAYS days.
    """

    def __init__(self, *, days: int, now: datetime, programs: dict[int, list[Assignment]], first_session_id: int):
        self.copy = connection.vendor == "postgresql"
        self.null, self.false = (r"\N", "f") if self.copy else (None, 0)
        self.numbers = [str(number) for number in range(1000)]
        self.days, self.now, self.programs = days, now, programs
        self.stamp = str(connection.ops.adapt_datetimefield_value(now))
        self.session_id = first_session_id
        self.tokens = _Tokens()
        self.check_ins: list = []
        self.sessions: list = []
        self.entries: list = []
        self.snapshots: list[tuple[User, date, PatientSnapshot]] = []

    def text(self, value: int | None):
        if value is None:
            return self.null
        return self.numbers[value] if 0 <= value < 1000 else str(value)

    def row(self, values: tuple):
        return "\t".join(values) if self.copy else values

    def take_snapshots(self) -> list[tuple[User, date, PatientSnapshot]]:
        taken, self.snapshots = self.snapshots, []
        return taken

    def take(self) -> tuple[list, list, list]:
        taken = self.check_ins, self.sessions, self.entries
        self.check_ins, self.sessions, self.entries = [], [], []
        return taken

    def add(self, patient: User) -> None:
        days, now, stamp, numbers, null, false, row = (
            self.days,
            self.now,
            self.stamp,
            self.numbers,
            self.null,
            self.false,
            self.row,
        )
        no_flags = (false,) * len(RED_FLAG_FIELDS)
        rng = random.Random(patient.pk)
        today = patient.local_today()
        first_day = today - timedelta(days=days)
        window_start = today - timedelta(days=limits.RECENT_DAYS)
        start_back, start_limb = rng.randint(4, 8), rng.randint(3, 7)
        recovery = rng.uniform(0.3, 0.8)  # how much of the pain fades over the period
        back_spell = limb_spell = 0
        program = self.programs.get(patient.pk, [])
        doses = [
            (
                assignment,
                str(assignment.pk),
                (
                    DONE,
                    self.text(assignment.sets),
                    self.text(assignment.reps),
                    self.text(assignment.hold_seconds or None),
                    self.text(assignment.minutes),
                ),
            )
            for assignment in program
        ]
        patient_id = str(patient.pk)
        points: list[CheckInPoint] = []
        recent: list[SessionEntryPoint] = []
        exercises: dict[int, str] = {}
        for index in range(days):
            local_date = first_day + timedelta(days=index)
            day = local_date.isoformat()
            fade = 1 - recovery * index / days
            # Good spells of a few days to weeks rather than daily jitter: pain that jumps from one
            # day to the next is what the flag rules look for, and would flag nearly everyone.
            if rng.random() < 0.1:
                back_spell = rng.choice((-1, 0, 0))
            if rng.random() < 0.1:
                limb_spell = rng.choice((-1, 0, 0))
            back = _clamp(start_back * fade + back_spell)
            limb = _clamp(start_limb * fade + limb_spell)
            if rng.random() < 0.85:
                numbness = rng.choice(NUMBNESS_ANSWERS)
                self.check_ins.append(
                    row(
                        (
                            patient_id,
                            day,
                            numbers[back],
                            numbers[limb],
                            numbness,
                            NO_CHANGE,
                            SAME_EXTENT,
                            *no_flags,
                            "",
                            self.tokens.next(),
                            stamp,
                            stamp,
                        )
                    )
                )
                points.append(
                    CheckInPoint(
                        local_date=local_date,
                        neck_back_pain=back,
                        limb_pain=limb,
                        numbness=numbness,
                        weakness=NO_CHANGE,
                        extent=SAME_EXTENT,
                        recorded_at=now,
                    )
                )
            if program and rng.random() < 0.72:
                session = str(self.session_id)
                self.session_id += 1
                self.sessions.append(row((session, patient_id, day, self.tokens.next(), stamp, stamp)))
                in_window = local_date >= window_start
                before = max(back, limb)
                for assignment, assignment_id, dose in doses:
                    done = rng.random() < 0.88
                    if done:
                        # The program suits them: an exercise mostly eases the pain or leaves it, rarely raises it.
                        roll = rng.random()
                        after = _clamp(before + 1 if roll < 0.03 else before - (roll < 0.35))
                        self.entries.append(
                            row(
                                (
                                    session,
                                    assignment_id,
                                    *dose,
                                    numbers[before],
                                    numbers[after],
                                    false,
                                    "",
                                    stamp,
                                    stamp,
                                )
                            )
                        )
                    else:
                        self.entries.append(
                            row((session, assignment_id, SKIPPED, *(null,) * 6, false, "", stamp, stamp))
                        )
                    if in_window:
                        recent.append(
                            SessionEntryPoint(
                                assignment_id=assignment.pk,
                                local_date=local_date,
                                done=done,
                                pain_before=before if done else None,
                                pain_after=after if done else None,
                                recorded_at=now,
                            )
                        )
                        exercises[assignment.pk] = assignment.exercise.name
        snapshot = make_snapshot(
            today=today, condition=patient.condition, check_ins=points, entries=recent, exercises=exercises
        )
        self.snapshots.append((patient, today, snapshot))


class _Writer:
    """Sends the builder's rows: one COPY per table on PostgreSQL, from a thread, executemany elsewhere.

    On PostgreSQL the thread writes one batch while the next is being built,
    so the database and Python each keep a core busy. Nothing else may use the
    connection until the writer is closed.
    """

    def __init__(self, timings: dict[str, float]):
        self.timings = timings
        self.copy = connection.vendor == "postgresql"
        self.error: BaseException | None = None
        self.jobs: queue.Queue = queue.Queue(maxsize=1)
        self.thread = threading.Thread(target=self._copy_jobs, daemon=True) if self.copy else None

    def __enter__(self) -> "_Writer":
        if self.thread:
            connection.ensure_connection()
            # The psycopg connection itself: Django's `connection` is a different one in every thread.
            self.raw = connection.connection
            self.thread.start()
        return self

    def __exit__(self, *exc_info) -> None:
        if self.thread:
            self.jobs.put(None)
            self.thread.join()
            if self.error is not None and exc_info[1] is None:
                raise self.error

    def send(self, builder: _Builder) -> int:
        check_ins, sessions, entries = builder.take()
        batches = [(CheckIn, CHECK_IN_FIELDS, check_ins), (SessionLog, SESSION_FIELDS, sessions)]
        batches.append((SessionEntry, ENTRY_FIELDS, entries))
        if self.copy:
            if self.error is not None:
                raise self.error
            started = time_module.perf_counter()
            # Waits while the previous batch is still being written.
            self.jobs.put([(model._meta.db_table, *self._sql(model, names), rows) for model, names, rows in batches])
            _add_time(self.timings, "history: waiting for the database", started)
        else:
            for model, field_names, rows in batches:
                started = time_module.perf_counter()
                self._insert(model, field_names, rows)
                _add_time(self.timings, f"history: insert {model._meta.db_table}", started)
        return len(check_ins) + len(sessions) + len(entries)

    @staticmethod
    def _sql(model, field_names: Sequence[str]) -> tuple[str, str]:
        table = connection.ops.quote_name(model._meta.db_table)
        columns = ", ".join(connection.ops.quote_name(model._meta.get_field(name).column) for name in field_names)
        return table, columns

    def _insert(self, model, field_names: Sequence[str], rows: list) -> None:
        if not rows:
            return
        table, columns = self._sql(model, field_names)
        placeholders = ", ".join(["%s"] * len(field_names))
        with connection.cursor() as cursor:
            cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({placeholders})", rows)  # noqa: S608

    def _copy_jobs(self) -> None:
        while (batches := self.jobs.get()) is not None:
            if self.error is not None:
                continue
            try:
                with self.raw.cursor() as cursor:
                    for name, table, columns, rows in batches:
                        if not rows:
                            continue
                        started = time_module.perf_counter()
                        # COPY streams the rows in one statement: several times faster than INSERTs.
                        with cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                            for start in range(0, len(rows), 50_000):
                                copy.write("\n".join(rows[start : start + 50_000]) + "\n")
                        _add_time(self.timings, f"history: copy {name} (alongside)", started)
            except BaseException as error:  # handed to the main thread, which raises it
                self.error = error


def _store_summaries_and_flags(
    summaries: list[PatientSummary], to_evaluate: list[tuple[User, date, PatientSnapshot]], *, timings: dict
) -> None:
    started = time_module.perf_counter()
    PatientSummary.objects.bulk_create(
        summaries,
        update_conflicts=True,
        unique_fields=["patient"],
        update_fields=[
            "last_check_in_on",
            "baseline_pain",
            "baseline_from",
            "recent_days",
            "recent_until",
            "refreshed_at",
        ],
        batch_size=1000,
    )
    started = _add_time(timings, "summaries", started)
    for patient, today, snapshot in to_evaluate:
        flags_evaluate(patient=patient, today=today, snapshot=snapshot)
    _add_time(timings, "flags stored", started)
