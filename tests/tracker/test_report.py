"""The printable progress report: the date range it accepts, what it says, and its cost."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import (
    AssignmentFactory,
    CheckInFactory,
    ClearanceFactory,
    ClinicalNoteFactory,
    ExerciseFactory,
    FlagFactory,
    SessionEntryFactory,
    SessionLogFactory,
)
from tracker.models import FlagStatus

pytestmark = pytest.mark.django_db


def report(client, clinic, **query):
    client.force_login(clinic.linked_physio)
    response = client.get(reverse("patient_report", args=[clinic.patient_a.pk]), query)
    assert response.status_code == 200
    return response.content.decode()


def days_ago(patient, days):
    return patient.local_today() - timedelta(days=days)


def history(patient, days):
    for offset in range(days):
        CheckInFactory(patient=patient, local_date=days_ago(patient, offset), neck_back_pain=4, limb_pain=3)


def test_without_a_range_the_report_covers_the_last_four_weeks(client, clinic):
    history(clinic.patient_a, 40)

    html = report(client, clinic)

    start = days_ago(clinic.patient_a, 27)
    assert f"{start:%-d %b %Y} to {clinic.patient_a.local_today():%-d %b %Y}" in html
    assert "28 of 28 days" in html


def test_an_end_before_the_start_is_refused_with_a_clear_message(client, clinic):
    html = report(client, clinic, start="2025-03-10", end="2025-03-01")

    assert "The end date (1 March 2025) is before the start date (10 March 2025)." in html
    assert 'class="report"' not in html


def test_a_date_that_is_not_a_date_is_refused_with_an_example(client, clinic):
    html = report(client, clinic, start="last tuesday", end="2025-03-01")

    assert "Enter the first day as a date, for example 2025-03-01." in html
    assert 'class="report"' not in html


def test_a_range_over_a_year_is_refused(client, clinic):
    html = report(client, clinic, start="2024-01-01", end="2025-03-01")

    assert "A report covers at most a year" in html


def test_a_range_that_starts_before_the_data_starts_at_the_first_logged_day_and_says_so(client, clinic):
    history(clinic.patient_a, 5)
    asked_start = days_ago(clinic.patient_a, 60)

    html = report(client, clinic, start=asked_start.isoformat(), end=clinic.patient_a.local_today().isoformat())

    first = days_ago(clinic.patient_a, 4)
    assert f"Nothing was logged before {first.day} {first:%B %Y}, so the report starts on that day" in html
    assert "5 of 5 days" in html


def test_a_range_with_no_data_still_prints_and_says_nothing_was_logged(client, clinic):
    html = report(client, clinic, start="2025-01-01", end="2025-01-31")

    assert "Nothing was logged between 1 January 2025 and 31 January 2025." in html
    assert "No check-ins in this period." in html


def test_a_range_ending_in_the_future_stops_at_today(client, clinic):
    history(clinic.patient_a, 3)
    today = clinic.patient_a.local_today()

    html = report(
        client, clinic, start=days_ago(clinic.patient_a, 2).isoformat(), end=(today + timedelta(days=30)).isoformat()
    )

    assert "The report stops at today" in html
    assert f"to {today:%-d %b %Y}" in html


def test_the_report_holds_condition_approval_program_pain_adherence_flags_and_notes(client, clinic):
    patient = clinic.patient_a
    ClearanceFactory(patient=patient, doctor=clinic.linked_doctor)
    assignment = AssignmentFactory(patient=patient, exercise=ExerciseFactory(name="Heel slide"), times_per_week=7)
    type(assignment).objects.filter(pk=assignment.pk).update(created_at=timezone.now() - timedelta(days=30))
    for offset in range(10):
        day = days_ago(patient, offset)
        CheckInFactory(patient=patient, local_date=day, neck_back_pain=5 if offset < 7 else 3, limb_pain=2)
        SessionEntryFactory(session=SessionLogFactory(patient=patient, local_date=day), assignment=assignment)
    FlagFactory(
        patient=patient,
        explanation="Your back pain has gone up this week.",
        clinician_summary="Back pain 7-day mean 5.0 vs baseline 3.0 (+2, +67%), 3 days.",
        status=FlagStatus.RESOLVED,
        resolved_by=clinic.linked_physio,
        resolved_at=timezone.now(),
        resolution_note="Reduced the dose.",
    )
    ClinicalNoteFactory(patient=patient, author=clinic.linked_physio, body="Walking 20 minutes a day now.")

    html = report(client, clinic, start=days_ago(patient, 9).isoformat(), end=patient.local_today().isoformat())

    assert f"Progress report: {patient.display_name}" in html
    assert "Lower back (lumbar)" in html
    assert "Cleared for exercise (neck, lower back, general), decided" in html
    assert "Heel slide" in html
    assert "Back pain: 4.1 in the first week, 5.0 in the last." in html
    assert "10 of 10 prescribed (100%)" in html
    assert "Back pain 7-day mean 5.0 vs baseline 3.0 (+2, +67%), 3 days." in html
    assert "Your back pain" not in html
    assert f"Resolved {timezone.now():%-d %b} by {clinic.linked_physio.display_name}: Reduced the dose." in html
    assert "Walking 20 minutes a day now." in html
    assert "<svg" in html


def test_another_patients_flags_and_notes_never_appear(client, clinic):
    FlagFactory(patient=clinic.patient_b, explanation="Bert's flag.")
    ClinicalNoteFactory(patient=clinic.patient_b, body="Bert's note.")

    html = report(client, clinic)

    assert "Bert" not in html


@pytest.mark.parametrize("days", [5, 300])
def test_the_report_runs_a_fixed_number_of_queries_whatever_the_range(
    client, clinic, days, django_assert_max_num_queries
):
    patient = clinic.patient_a
    assignment = AssignmentFactory(patient=patient, with_clearance=True)
    for offset in range(days):
        day = days_ago(patient, offset)
        CheckInFactory(patient=patient, local_date=day)
        SessionEntryFactory(session=SessionLogFactory(patient=patient, local_date=day), assignment=assignment)
    client.force_login(clinic.linked_physio)

    # +1: the questionnaire trends (tracker/outcomes).
    # +1: the audit trail's INSERT (tracker/audit).
    with django_assert_max_num_queries(19):
        client.get(
            reverse("patient_report", args=[patient.pk]),
            {"start": days_ago(patient, days - 1).isoformat(), "end": patient.local_today().isoformat()},
        )


def test_the_program_is_worded_as_the_patient_reads_it(client, clinic):
    ClearanceFactory(patient=clinic.patient_a)
    AssignmentFactory(patient=clinic.patient_a, sets=2, reps=10, hold_seconds=5, times_per_week=7)
    assert "2 sets of 10, hold each for 5 seconds; every day" in report(client, clinic)


def test_resolution_notes_and_clinical_notes_print_whole(client, clinic):
    patient = clinic.patient_a
    CheckInFactory(patient=patient, local_date=days_ago(patient, 1))
    resolution = (
        "Phoned the patient, reduced the walking to ten minutes twice a day and booked a review for next week, "
        "after which the bridge can come back if the leg pain has settled"
    )
    FlagFactory(
        patient=patient,
        status=FlagStatus.RESOLVED,
        resolved_by=clinic.linked_physio,
        resolved_at=timezone.now(),
        resolution_note=resolution,
    )
    long_note = " ".join(f"Sentence {number} of a long assessment, kept whole on paper." for number in range(12))
    ClinicalNoteFactory(patient=patient, author=clinic.linked_physio, body=long_note)

    html = report(client, clinic, start=days_ago(patient, 7).isoformat(), end=patient.local_today().isoformat())

    assert f"{resolution}.</em>" in html  # whole, and one full stop after it
    assert long_note in html
    assert "…" not in html.split('id="report-flags"')[1]
