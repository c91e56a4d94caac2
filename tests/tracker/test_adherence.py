"""tracker.adherence: the one way every page counts exercises done against the plan."""

from datetime import date, datetime, timedelta

import pytest
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from routines.models import Assignment, AssignmentStatus
from tests.factories import (
    AssignmentFactory,
    CheckInFactory,
    ClearanceFactory,
    ExerciseFactory,
    SessionEntryFactory,
)
from tests.tracker.daily_helpers import freeze_now
from tracker.adherence import PlannedExercise, adherence_counts
from tracker.models import SessionLog
from tracker.progress import adherence_weeks
from tracker.services.summaries import summary_refresh

MONDAY = date(2025, 3, 3)
SUNDAY = MONDAY + timedelta(days=6)
LONG_AGO = MONDAY - timedelta(days=60)


def day(name: str) -> date:
    return MONDAY + timedelta(days=["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"].index(name))


def days(*names: str) -> set[date]:
    return {day(name) for name in names}


# A hand-counted week, Monday 3 to Sunday 9 March 2025.
HAND_COUNTED_PROGRAM = [
    # Chin tuck, daily: done 5 of the 7 days.
    PlannedExercise(assignment_id=1, times_per_week=7, added_on=LONG_AGO),
    # Walking, 3 times a week, done every day: 4 extra sessions that do not count.
    PlannedExercise(assignment_id=2, times_per_week=3, added_on=LONG_AGO),
    # Shoulder roll, daily, paused on Wednesday: planned Monday to Wednesday (3), done Monday and Tuesday.
    PlannedExercise(assignment_id=3, times_per_week=7, added_on=LONG_AGO, ended_on=day("Wed")),
    # Bridge, 3 a week, added on Thursday (the program changed mid-week): 4 days, 12/7 rounded up to 2;
    # done all 4 days, 2 count.
    PlannedExercise(assignment_id=4, times_per_week=3, added_on=day("Thu")),
    # Side-lying stretch, daily, removed on Tuesday: planned 2, done on Monday.
    PlannedExercise(assignment_id=5, times_per_week=7, added_on=LONG_AGO, ended_on=day("Tue")),
]
HAND_COUNTED_DONE = {
    1: days("Mon", "Tue", "Wed", "Fri", "Sat"),
    2: days("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"),
    3: days("Mon", "Tue"),
    4: days("Thu", "Fri", "Sat", "Sun"),
    5: days("Mon"),
    # An exercise not in the program (never planned): counts on neither side.
    99: days("Mon", "Tue"),
}


def test_a_hand_counted_week_with_extra_sessions_a_pause_and_a_mid_week_change():
    counts = adherence_counts(
        exercises=HAND_COUNTED_PROGRAM, done_days=HAND_COUNTED_DONE, first_day=MONDAY, last_day=SUNDAY
    )

    # Planned 7 + 3 + 3 + 2 + 2 = 17; done 5 + 3 (of 7) + 2 + 2 (of 4) + 1 = 13.
    assert (counts.done, counts.planned) == (13, 17)
    assert counts.percent == 76


def test_extra_sessions_of_one_exercise_never_make_up_for_another():
    program = [
        PlannedExercise(assignment_id=1, times_per_week=2, added_on=LONG_AGO),
        PlannedExercise(assignment_id=2, times_per_week=2, added_on=LONG_AGO),
    ]
    counts = adherence_counts(
        exercises=program, done_days={1: days("Mon", "Tue", "Wed", "Thu")}, first_day=MONDAY, last_day=SUNDAY
    )

    assert (counts.done, counts.planned) == (2, 4)


def test_a_paused_exercise_counts_only_up_to_its_pause_and_twice_a_day_is_planned_daily():
    paused_before = PlannedExercise(
        assignment_id=1, times_per_week=7, added_on=LONG_AGO, ended_on=day("Mon") - timedelta(1)
    )
    twice_a_day = PlannedExercise(assignment_id=2, times_per_week=14, added_on=LONG_AGO)
    counts = adherence_counts(
        exercises=[paused_before, twice_a_day],
        done_days={1: days("Mon"), 2: days("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")},
        first_day=MONDAY,
        last_day=SUNDAY,
    )

    assert (counts.done, counts.planned) == (7, 7)
    assert counts.percent == 100


def test_nothing_planned_has_no_share():
    counts = adherence_counts(exercises=[], done_days={1: days("Mon")}, first_day=MONDAY, last_day=SUNDAY)

    assert (counts.done, counts.planned, counts.share, counts.percent) == (0, 0, None, None)


def test_the_progress_weeks_count_the_hand_counted_week_the_same_way():
    weeks = adherence_weeks(MONDAY, SUNDAY + timedelta(days=3), HAND_COUNTED_DONE, HAND_COUNTED_PROGRAM)

    # The next week is cut to Monday to Wednesday: chin tuck 3, walking 3*3/7 up to 2, bridge 2, nothing done.
    assert [(week.start, week.done, week.prescribed) for week in weeks] == [
        (MONDAY, 13, 17),
        (MONDAY + timedelta(days=7), 0, 7),
    ]


FIRST_DAY = date(2026, 1, 1)
span_day = st.integers(-30, 60).map(lambda offset: FIRST_DAY + timedelta(days=offset))


@st.composite
def programs(draw):
    """A program of 0-6 exercises added and ended on any days, and any days done for them (and for others)."""
    exercises = []
    for assignment_id in range(draw(st.integers(0, 6))):
        added_on = draw(span_day)
        ended_on = draw(st.none() | span_day)
        exercises.append(PlannedExercise(assignment_id, draw(st.integers(1, 14)), added_on, ended_on))
    done_days = draw(st.dictionaries(st.integers(0, 8), st.sets(span_day, max_size=40), max_size=9))
    return exercises, done_days


@settings(max_examples=200, deadline=None)
@given(program=programs(), first_day=span_day, length=st.integers(1, 60))
def test_done_never_passes_planned_over_any_span(program, first_day, length):
    exercises, done_days = program
    last_day = first_day + timedelta(days=length - 1)

    counts = adherence_counts(exercises=exercises, done_days=done_days, first_day=first_day, last_day=last_day)

    assert 0 <= counts.done <= counts.planned <= len(exercises) * length
    assert counts.percent is None or 0 <= counts.percent <= 100


@settings(max_examples=100, deadline=None)
@given(program=programs(), first_day=span_day, length=st.integers(1, 60))
def test_done_never_passes_prescribed_in_any_progress_week(program, first_day, length):
    exercises, done_days = program

    weeks = adherence_weeks(first_day, first_day + timedelta(days=length - 1), done_days, exercises)

    assert all(0 <= week.done <= week.prescribed for week in weeks)
    assert all(week.percent is None or week.percent <= 100 for week in weeks)


# The same hand-counted week in the database, read on every page that shows adherence.

EXERCISE_NAMES = {
    1: "Hand count tuck",
    2: "Hand count walk",
    3: "Hand count roll",
    4: "Hand count bridge",
    5: "Hand count side",
}


@pytest.fixture
def hand_counted_patient(clinic, monkeypatch):
    """Patient A's hand-counted week in the database, seen on the Sunday evening."""
    patient = clinic.patient_a
    zone = patient.zone

    def at(moment_day: date, hour: int = 9) -> datetime:
        return datetime(moment_day.year, moment_day.month, moment_day.day, hour, tzinfo=zone)

    freeze_now(monkeypatch, at(SUNDAY, 20))
    ClearanceFactory(patient=patient)
    assignments = {}
    for planned in HAND_COUNTED_PROGRAM:
        assignment = AssignmentFactory(
            patient=patient,
            exercise=ExerciseFactory(name=EXERCISE_NAMES[planned.assignment_id]),
            times_per_week=planned.times_per_week,
        )
        # Added on the Monday (or on the day the hand count says), ended as the hand count says.
        changes = {"created_at": at(max(planned.added_on, MONDAY), 8)}
        if planned.assignment_id == 3:
            changes.update(status=AssignmentStatus.PAUSED, pause_reason="Sore arm", updated_at=at(planned.ended_on, 18))
        if planned.assignment_id == 5:
            changes.update(status=AssignmentStatus.REMOVED, removed_at=at(planned.ended_on, 18))
        Assignment.objects.filter(pk=assignment.pk).update(**changes)
        assignments[planned.assignment_id] = assignment
    for assignment_id, done in HAND_COUNTED_DONE.items():
        if assignment_id not in assignments:
            continue
        for local_date in done:
            session, _ = SessionLog.objects.get_or_create(patient=patient, local_date=local_date)
            SessionEntryFactory(session=session, assignment=assignments[assignment_id])
    CheckInFactory(patient=patient, local_date=MONDAY)
    summary_refresh(patient=patient)
    return patient


WEEK_ROW = '<td class="num">13</td><td class="num">17</td><td class="num">76%</td>'


def test_every_page_counts_the_hand_counted_week_the_same_way(client, clinic, hand_counted_patient):
    patient = hand_counted_patient
    client.force_login(clinic.linked_physio)

    caseload = client.get(reverse("caseload")).content.decode()
    patient_page = client.get(reverse("patient_detail", args=[patient.pk])).content.decode()
    report = client.get(
        reverse("patient_report", args=[patient.pk]), {"start": MONDAY.isoformat(), "end": SUNDAY.isoformat()}
    ).content.decode()
    client.force_login(patient)
    own_progress = client.get(reverse("my_progress")).content.decode()

    # The caseload's 14 days reach back before the Monday, when nothing was in the program yet.
    [row] = [row for row in caseload.split("<tr") if patient.display_name in row]
    assert "13 of 17" in row
    assert WEEK_ROW in patient_page
    assert WEEK_ROW in own_progress
    assert "13 of 17 prescribed (76%)" in report
