"""The dashboard summary: what it holds, and that every write path keeps it right."""

from datetime import timedelta
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import call_command

from tests.factories import (
    AssignmentFactory,
    CareTeamMembershipFactory,
    CheckInFactory,
    FlagFactory,
    PatientFactory,
    PhysiotherapistFactory,
    SessionEntryFactory,
    SessionLogFactory,
)
from tracker.models import EntryStatus, PatientSummary
from tracker.services import summaries
from tracker.services.checkins import checkin_save
from tracker.services.flags import flag_resolve
from tracker.services.sessions import session_entry_save, session_mark_done
from tracker.services.summaries import summary_refresh

pytestmark = pytest.mark.django_db


def check_ins(patient, pains_oldest_first, *, ending_days_ago=0):
    """One check-in a day, with (back, limb) pains, the last one `ending_days_ago` days before today."""
    today = patient.local_today()
    count = len(pains_oldest_first)
    for index, (back, limb) in enumerate(pains_oldest_first):
        day = today - timedelta(days=ending_days_ago + count - 1 - index)
        CheckInFactory(patient=patient, local_date=day, neck_back_pain=back, limb_pain=limb)


def logged_days(summary) -> dict:
    """The summary's recent days that hold anything, as {ISO date: (worse pain or None, exercises done)}."""
    pains, dones, _by_exercise, _version = summary.recent_days
    first = summary.recent_until - timedelta(days=len(pains) - 1)
    return {
        (first + timedelta(days=index)).isoformat(): (pain, done)
        for index, (pain, done) in enumerate(zip(pains, dones, strict=True))
        if pain is not None or done
    }


def test_a_patient_with_no_history_has_an_empty_summary():
    patient = PatientFactory()

    summary = summary_refresh(patient=patient)

    assert summary.last_check_in_on is None
    assert summary.baseline_pain is None
    assert logged_days(summary) == {}


def test_the_summary_keeps_the_last_check_in_day_and_the_worse_pain_of_each_recent_day():
    patient = PatientFactory()
    check_ins(patient, [(2, 6), (5, 1)], ending_days_ago=1)
    yesterday = patient.local_today() - timedelta(days=1)

    summary = summary_refresh(patient=patient)

    assert summary.last_check_in_on == yesterday
    assert logged_days(summary) == {
        (yesterday - timedelta(days=1)).isoformat(): (6, 0),
        yesterday.isoformat(): (5, 0),
    }


def test_recent_days_cover_only_the_last_fourteen_days():
    patient = PatientFactory()
    check_ins(patient, [(4, 4)] * 20)

    summary = summary_refresh(patient=patient)

    days = logged_days(summary)
    assert len(days) == 14
    assert min(days) == (patient.local_today() - timedelta(days=13)).isoformat()


def test_exercises_done_are_counted_per_day_and_skipped_ones_are_not():
    patient = PatientFactory()
    session = SessionLogFactory(patient=patient)
    SessionEntryFactory(session=session, assignment=AssignmentFactory(patient=patient))
    SessionEntryFactory(session=session, assignment=AssignmentFactory(patient=patient))
    SessionEntryFactory(session=session, assignment=AssignmentFactory(patient=patient), status=EntryStatus.SKIPPED)

    summary = summary_refresh(patient=patient)

    assert logged_days(summary) == {patient.local_today().isoformat(): (None, 2)}


def test_each_exercise_keeps_its_own_days_done_for_adherence():
    patient = PatientFactory()
    chin_tuck, walking = AssignmentFactory(patient=patient), AssignmentFactory(patient=patient)
    today = patient.local_today()
    for days_ago in (0, 2):
        SessionEntryFactory(
            session=SessionLogFactory(patient=patient, local_date=today - timedelta(days=days_ago)),
            assignment=chin_tuck,
        )
    SessionEntryFactory(
        session=SessionLogFactory(patient=patient, local_date=today - timedelta(days=20)), assignment=walking
    )  # too old for the fortnight

    by_exercise = summary_refresh(patient=patient).recent_days[2]

    assert by_exercise == {str(chin_tuck.pk): [0] * 11 + [1, 0, 1]}


def test_the_baseline_is_the_mean_worse_pain_of_the_first_week():
    patient = PatientFactory()
    check_ins(patient, [(3, 5), (4, 2), (2, 2), (4, 4), (8, 8), (8, 8)], ending_days_ago=20)
    CheckInFactory(patient=patient, neck_back_pain=1, limb_pain=1)  # after the week: the level is settled

    summary = summary_refresh(patient=patient)

    # The first 7 days from the first check-in hold all six: (5 + 4 + 2 + 4 + 8 + 8) / 6.
    assert summary.baseline_pain == Decimal("5.17")
    assert summary.baseline_from == patient.local_today() - timedelta(days=25)


def test_there_is_no_baseline_until_a_week_holds_four_check_ins():
    patient = PatientFactory()
    check_ins(patient, [(3, 3)] * 3, ending_days_ago=10)
    CheckInFactory(patient=patient)

    assert summary_refresh(patient=patient).baseline_pain is None


# Every write path keeps the summary right.


def test_saving_a_check_in_updates_the_summary():
    patient = PatientFactory()
    today = patient.local_today()

    checkin_save(patient=patient, local_date=today, data={"neck_back_pain": 3, "limb_pain": 7})

    summary = PatientSummary.objects.get(patient=patient)
    assert summary.last_check_in_on == today
    assert logged_days(summary) == {today.isoformat(): (7, 0)}


def test_changing_a_check_in_updates_the_summary():
    patient = PatientFactory()
    today = patient.local_today()
    checkin_save(patient=patient, local_date=today, data={"neck_back_pain": 3, "limb_pain": 7})

    checkin_save(patient=patient, local_date=today, data={"neck_back_pain": 3, "limb_pain": 2})

    assert logged_days(PatientSummary.objects.get(patient=patient)) == {today.isoformat(): (3, 0)}


def test_saving_a_session_entry_updates_the_summary():
    assignment = AssignmentFactory(with_clearance=True)
    patient = assignment.patient
    today = patient.local_today()

    session_entry_save(patient=patient, assignment=assignment, local_date=today, data={"status": EntryStatus.DONE})

    assert logged_days(PatientSummary.objects.get(patient=patient)) == {today.isoformat(): (None, 1)}


def test_marking_an_exercise_done_in_one_tap_updates_the_summary():
    assignment = AssignmentFactory(with_clearance=True)
    patient = assignment.patient
    today = patient.local_today()

    session_mark_done(patient=patient, assignment=assignment, local_date=today)

    assert logged_days(PatientSummary.objects.get(patient=patient)) == {today.isoformat(): (None, 1)}


def test_resolving_a_pain_flag_restarts_the_baseline_from_the_days_after_the_review():
    patient = PatientFactory()
    physio = PhysiotherapistFactory()
    CareTeamMembershipFactory(patient=patient, clinician=physio)
    check_ins(patient, [(2, 2)] * 5, ending_days_ago=10)
    summary_refresh(patient=patient)
    flag = FlagFactory(patient=patient, rule_id="contact.pain_rising")

    flag_resolve(flag=flag, by=physio, note="Reviewed; new normal is higher.")
    assert PatientSummary.objects.get(patient=patient).baseline_pain is None  # no week after the review yet
    check_ins(patient, [(6, 6)] * 4, ending_days_ago=-4)  # four check-ins, from tomorrow on
    check_ins(patient, [(1, 1)], ending_days_ago=-8)  # and one after that week
    summary_refresh(patient=patient, today=patient.local_today() + timedelta(days=8))

    assert PatientSummary.objects.get(patient=patient).baseline_pain == Decimal("6.00")


def test_refresh_summaries_command_rebuilds_every_patients_summary():
    patients = [PatientFactory(), PatientFactory()]
    for patient in patients:
        CheckInFactory(patient=patient)  # created directly, as a bulk load would
    assert not PatientSummary.objects.exists()

    call_command("refresh_summaries", stdout=StringIO())

    assert PatientSummary.objects.filter(last_check_in_on__isnull=False).count() == 2


def test_a_failing_summary_refresh_never_loses_the_patients_check_in(monkeypatch, caplog):
    patient = PatientFactory()

    def broken(**kwargs):
        raise RuntimeError("summary bug")

    monkeypatch.setattr(summaries, "summary_values", broken)
    check_in = checkin_save(
        patient=patient, local_date=patient.local_today(), data={"neck_back_pain": 1, "limb_pain": 1}
    )

    assert check_in.pk is not None
    assert "Could not work out the dashboard summary" in caplog.text


def test_seed_demo_leaves_every_patient_with_a_current_summary(settings):
    settings.DEBUG = True
    call_command("seed_demo", "--patients", "3", "--days", "10", stdout=StringIO())

    summaries_by_name = {
        summary.patient.username: summary for summary in PatientSummary.objects.select_related("patient")
    }
    assert len(summaries_by_name) == 6
    assert summaries_by_name["demo-patient-new"].last_check_in_on is None
    assert logged_days(summaries_by_name["demo-patient-flagged"])
    assert all(logged_days(summaries_by_name[f"bench-patient-0000{number}"]) for number in (1, 2, 3))
