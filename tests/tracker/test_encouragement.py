"""The patient's week on the Today page: days logged this week and the last four weeks, without pressure."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from tests.factories import CheckInFactory, PatientFactory, SessionEntryFactory, SessionLogFactory
from tests.tracker.daily_helpers import freeze_now, program
from tracker.daily.encouragement import activity_for, week_activity
from tracker.models import EntryStatus

pytestmark = pytest.mark.django_db

THURSDAY = date(2026, 11, 26)


def test_this_week_runs_monday_to_sunday_and_counts_days_with_a_check_in_or_exercise_done():
    activity = week_activity(
        today=THURSDAY,
        checked_in={date(2026, 11, 23), date(2026, 11, 24), date(2026, 11, 22)},  # Mon, Tue, last Sunday
        exercised={date(2026, 11, 24), date(2026, 11, 26)},  # Tue, Thu
    )
    assert [day.day.weekday() for day in activity.this_week] == list(range(7))
    assert activity.this_week[0].day == date(2026, 11, 23)
    assert activity.days_this_week == 3  # Monday, Tuesday (both), Thursday
    assert activity.days_in_calendar == 4


def test_the_calendar_shows_four_whole_weeks_with_days_to_come_left_out():
    activity = week_activity(today=THURSDAY, checked_in=set(), exercised=set())
    assert len(activity.weeks) == 4
    assert activity.weeks[0][0].day == date(2026, 11, 2)
    assert [day.in_range for day in activity.this_week] == [True] * 4 + [False] * 3


def test_a_skipped_exercise_alone_does_not_count_as_exercise_done():
    patient = PatientFactory()
    (assignment,) = program(patient, size=1)
    SessionEntryFactory(session=SessionLogFactory(patient=patient), assignment=assignment, status=EntryStatus.SKIPPED)
    assert activity_for(patient=patient).days_this_week == 0
    CheckInFactory(patient=patient)
    assert activity_for(patient=patient).days_this_week == 1


def test_the_week_is_the_patients_own(monkeypatch):
    # 23:30 on Sunday in London is already Monday in Auckland: a new week there.
    freeze_now(monkeypatch, datetime(2026, 11, 29, 23, 30, tzinfo=ZoneInfo("Europe/London")))
    london, auckland = PatientFactory(), PatientFactory(time_zone="Pacific/Auckland")
    for patient in (london, auckland):
        CheckInFactory(patient=patient, local_date=date(2026, 11, 29))
    assert activity_for(patient=london).days_this_week == 1
    assert activity_for(patient=auckland).days_this_week == 0
    assert activity_for(patient=auckland).this_week[0].day == date(2026, 11, 30)


def test_the_today_page_says_how_many_days_this_week_and_shows_the_calendar(client):
    patient = PatientFactory()
    client.force_login(patient)
    today = patient.local_today()
    for offset in range(today.weekday() + 1):
        CheckInFactory(patient=patient, local_date=today - timedelta(days=offset))
    page = client.get(reverse("patient_home")).text
    assert f"<strong>{today.weekday() + 1} of 7 days</strong> this week" in page
    assert "Days logged in the last four weeks" in page
    assert page.count('<span class="visually-hidden">, logged</span>') == today.weekday() + 1
    assert '<span class="visually-hidden"> (today)</span>' in page


def test_an_empty_week_is_met_kindly_and_nothing_speaks_of_streaks(client):
    patient = PatientFactory()
    client.force_login(patient)
    CheckInFactory(
        patient=patient, local_date=patient.local_today() - timedelta(days=patient.local_today().weekday() + 1)
    )
    page = client.get(reverse("patient_home")).text
    assert "Nothing logged yet this week. That is fine" in page
    for pressure in ("streak", "in a row", "don't break", "lose your"):
        assert pressure not in page.lower()


def test_the_today_page_still_runs_a_fixed_number_of_queries_with_the_calendar(client, django_assert_max_num_queries):
    patient = PatientFactory()
    client.force_login(patient)
    assignments = program(patient, size=3)
    today = patient.local_today()
    for offset in range(30):
        CheckInFactory(patient=patient, local_date=today - timedelta(days=offset))
        session = SessionLogFactory(patient=patient, local_date=today - timedelta(days=offset))
        for assignment in assignments:
            SessionEntryFactory(session=session, assignment=assignment)
    # +1: whether a questionnaire is due (tracker/outcomes).
    # +1: the audit trail's INSERT (tracker/audit).
    with django_assert_max_num_queries(10):
        page = client.get(reverse("patient_home")).text
    assert f"<strong>{today.weekday() + 1} of 7 days</strong>" in page
