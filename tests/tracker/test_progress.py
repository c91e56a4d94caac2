"""progress_for: pain series with 7-day averages, weekly adherence, calendar; fixed query count."""

from datetime import date, datetime, timedelta

import pytest
from django.utils import timezone

from routines.models import Assignment, AssignmentStatus
from tests.factories import CheckInFactory, PatientFactory, SessionEntryFactory, SessionLogFactory
from tests.tracker.daily_helpers import program
from tracker.models import Condition, EntryStatus
from tracker.progress import progress_for

pytestmark = pytest.mark.django_db

MONDAY = date(2025, 3, 3)


def at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 12, tzinfo=timezone.get_current_timezone())


def set_program_start(assignments, day: date) -> None:
    Assignment.objects.filter(pk__in=[assignment.pk for assignment in assignments]).update(created_at=at(day))


def test_each_day_has_its_scores_and_the_mean_of_the_check_ins_in_the_7_days_ending_that_day():
    patient = PatientFactory()
    for offset, pain in enumerate([2, 4, 6]):
        CheckInFactory(patient=patient, local_date=MONDAY + timedelta(days=offset), neck_back_pain=pain, limb_pain=1)
    progress = progress_for(patient=patient, start=MONDAY, end=MONDAY + timedelta(days=3))
    assert [(day.neck_back, day.neck_back_average) for day in progress.pain] == [
        (2, 2.0),
        (4, 3.0),
        (6, 4.0),
        (None, 4.0),  # no check-in: the day has no score, the average still covers the week
    ]


def test_the_average_reaches_back_before_the_start_of_the_range():
    patient = PatientFactory()
    CheckInFactory(patient=patient, local_date=MONDAY - timedelta(days=6), neck_back_pain=8)
    CheckInFactory(patient=patient, local_date=MONDAY - timedelta(days=7), neck_back_pain=0)
    CheckInFactory(patient=patient, local_date=MONDAY, neck_back_pain=2)
    day = progress_for(patient=patient, start=MONDAY, end=MONDAY).pain[0]
    assert day.neck_back_average == 5.0  # 8 and 2; the day 7 days back is outside the window


def test_days_without_any_check_in_in_the_window_have_no_average():
    progress = progress_for(patient=PatientFactory(), start=MONDAY, end=MONDAY + timedelta(days=1))
    assert [day.neck_back_average for day in progress.pain] == [None, None]
    assert progress.has_pain is False


def test_another_patients_check_ins_are_not_counted():
    patient = PatientFactory()
    CheckInFactory(local_date=MONDAY, neck_back_pain=9)
    assert progress_for(patient=patient, start=MONDAY, end=MONDAY).pain[0].neck_back is None


def test_adherence_counts_done_exercises_against_times_per_week_for_each_calendar_week():
    patient = PatientFactory()
    daily, three_a_week = program(patient, size=1)[0], program(patient, size=1, times_per_week=3)[0]
    set_program_start([daily, three_a_week], MONDAY - timedelta(days=30))
    for offset in range(5):
        session = SessionLogFactory(patient=patient, local_date=MONDAY + timedelta(days=offset))
        SessionEntryFactory(session=session, assignment=daily)
    skipped = SessionLogFactory(patient=patient, local_date=MONDAY + timedelta(days=7))
    SessionEntryFactory(session=skipped, assignment=daily, status=EntryStatus.SKIPPED)
    progress = progress_for(patient=patient, start=MONDAY, end=MONDAY + timedelta(days=13))
    assert [(week.start, week.done, week.prescribed, week.percent) for week in progress.weeks] == [
        (MONDAY, 5, 10, 50),
        (MONDAY + timedelta(days=7), 0, 10, 0),
    ]


def test_a_partial_week_and_an_exercise_added_midweek_count_only_their_days():
    patient = PatientFactory()
    daily = program(patient, size=1)[0]
    set_program_start([daily], MONDAY + timedelta(days=3))  # added on Thursday
    progress = progress_for(patient=patient, start=MONDAY, end=MONDAY + timedelta(days=4))  # to Friday
    assert [(week.done, week.prescribed) for week in progress.weeks] == [(0, 2)]


def test_a_removed_exercise_stops_counting_after_the_day_it_was_removed():
    patient = PatientFactory()
    daily = program(patient, size=1)[0]
    set_program_start([daily], MONDAY - timedelta(days=10))
    Assignment.objects.filter(pk=daily.pk).update(status=AssignmentStatus.REMOVED, removed_at=at(MONDAY + timedelta(1)))
    progress = progress_for(patient=patient, start=MONDAY, end=MONDAY + timedelta(days=6))
    assert progress.weeks[0].prescribed == 2


def test_the_calendar_is_whole_weeks_marking_check_ins_and_exercise():
    patient = PatientFactory()
    assignment = program(patient, size=1)[0]
    wednesday = MONDAY + timedelta(days=2)
    CheckInFactory(patient=patient, local_date=wednesday)
    SessionEntryFactory(session=SessionLogFactory(patient=patient, local_date=wednesday), assignment=assignment)
    progress = progress_for(patient=patient, start=wednesday, end=wednesday + timedelta(days=1))
    (week,) = progress.calendar
    assert [day.day for day in week] == [MONDAY + timedelta(days=offset) for offset in range(7)]
    assert [(day.in_range, day.checked_in, day.exercised) for day in week[1:5]] == [
        (False, False, False),
        (True, True, True),
        (True, False, False),
        (False, False, False),
    ]
    assert (progress.days_checked_in, progress.days_exercised) == (1, 1)


def test_pain_labels_follow_the_patients_condition():
    neck = progress_for(patient=PatientFactory(condition=Condition.NECK), start=MONDAY, end=MONDAY)
    assert (neck.back_label, neck.limb_label) == ("Neck pain", "Arm pain")


def test_charts_are_drawn_from_the_series():
    patient = PatientFactory()
    CheckInFactory(patient=patient, local_date=MONDAY, neck_back_pain=10)
    CheckInFactory(patient=patient, local_date=MONDAY + timedelta(days=1), neck_back_pain=0)
    progress = progress_for(patient=patient, start=MONDAY, end=MONDAY + timedelta(days=1))
    daily, average = progress.back_chart.series
    assert daily.segments == ["34,10 350,170"]  # a 360 x 200 chart: plotted from x 34 to 350, y 170 up to 10
    assert average.segments == ["34,10 350,90"]  # averages 10 then 5


def history(patient, days: int) -> None:
    assignments = program(patient, size=3)
    set_program_start(assignments, MONDAY - timedelta(days=days))
    for offset in range(days):
        day = MONDAY - timedelta(days=offset)
        CheckInFactory(patient=patient, local_date=day)
        session = SessionLogFactory(patient=patient, local_date=day)
        for assignment in assignments:
            SessionEntryFactory(session=session, assignment=assignment)


@pytest.mark.parametrize("days", [2, 60])
def test_progress_takes_three_queries_whatever_the_history_length(django_assert_num_queries, days):
    patient = PatientFactory()
    history(patient, days)
    with django_assert_num_queries(3):
        progress = progress_for(patient=patient, start=MONDAY - timedelta(days=59), end=MONDAY)
        progress.back_chart, progress.limb_chart, progress.adherence_chart  # noqa: B018 - drawing runs no query
    assert progress.days_checked_in == days


# Nerve-symptom markers and "since you started" (issue 11).


def test_days_with_nerve_symptoms_new_worse_or_spreading_get_a_marker_in_their_row():
    patient = PatientFactory()
    CheckInFactory(patient=patient, local_date=MONDAY, numbness="new", weakness="none", extent="same")
    CheckInFactory(patient=patient, local_date=MONDAY + timedelta(days=1), numbness="same", weakness="worse")
    CheckInFactory(patient=patient, local_date=MONDAY + timedelta(days=2), numbness="better", extent="spreading")
    CheckInFactory(patient=patient, local_date=MONDAY + timedelta(days=3), numbness="same", extent="retreating")

    progress = progress_for(patient=patient, start=MONDAY, end=MONDAY + timedelta(days=6))

    rows = {row.label: [mark.day for mark in row.marks] for row in progress.nerve_chart.rows}
    assert rows == {
        "Numbness": [MONDAY],
        "Weakness": [MONDAY + timedelta(days=1)],
        "Spreading": [MONDAY + timedelta(days=2)],
    }
    assert progress.nerve_summary == (
        "Numbness or tingling new or worse on 1 day, weakness new or worse on 1 day, "
        "symptoms spreading further on 1 day"
    )


def test_since_you_started_compares_the_first_week_with_the_latest_seven_day_average():
    patient = PatientFactory()
    for offset in range(21):
        back = 6 if offset < 7 else 3
        CheckInFactory(patient=patient, local_date=MONDAY + timedelta(days=offset), neck_back_pain=back, limb_pain=2)

    end = MONDAY + timedelta(days=20)
    progress = progress_for(patient=patient, start=end - timedelta(days=6), end=end)

    assert progress.since_start.started_on == MONDAY  # before the range shown: the whole history counts
    assert progress.since_start_words == ["back pain went down from 6 to 3", "leg pain stayed about the same, at 2"]


def test_since_you_started_waits_until_the_latest_week_is_past_the_first():
    patient = PatientFactory()
    for offset in range(10):
        CheckInFactory(patient=patient, local_date=MONDAY + timedelta(days=offset))

    progress = progress_for(patient=patient, start=MONDAY, end=MONDAY + timedelta(days=9))

    assert progress.since_start is None
    assert progress.since_start_words == []
