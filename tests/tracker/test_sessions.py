"""Logging exercise: one entry per exercise per day, only for exercises the patient may do."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from routines.models import AssignmentStatus
from tests.factories import AssignmentFactory, ExerciseFactory, PatientFactory, SessionEntryFactory
from tests.tracker.daily_helpers import program
from tracker.models import EntryStatus, SessionEntry, SessionLog
from tracker.services.sessions import NOT_IN_PROGRAM_MESSAGE, session_entry_save, session_mark_done

pytestmark = pytest.mark.django_db


def entry_data(**overrides) -> dict:
    return {
        "status": EntryStatus.DONE,
        "sets_done": 2,
        "reps_done": 8,
        "hold_seconds_done": 5,
        "minutes_done": None,
        "pain_before": 3,
        "pain_after": 4,
        "symptoms_worse": False,
        "note": "",
        **overrides,
    }


@pytest.fixture
def patient():
    return PatientFactory()


@pytest.fixture
def assignment(patient):
    return program(patient, size=1)[0]


def test_one_tap_marks_the_exercise_done_with_the_prescribed_dose(patient, assignment):
    entry = session_mark_done(patient=patient, assignment=assignment, local_date=patient.local_today())
    assert (entry.status, entry.sets_done, entry.reps_done, entry.hold_seconds_done) == (
        EntryStatus.DONE,
        assignment.sets,
        assignment.reps,
        assignment.hold_seconds,
    )
    assert entry.session.local_date == patient.local_today()


def test_a_double_tap_leaves_one_session_and_one_entry_with_one_history_entry(patient, assignment):
    today = patient.local_today()
    first = session_mark_done(patient=patient, assignment=assignment, local_date=today)
    second = session_mark_done(patient=patient, assignment=assignment, local_date=today)
    assert first.pk == second.pk
    assert SessionLog.objects.filter(patient=patient).count() == 1
    assert SessionEntry.objects.count() == 1
    assert first.history.count() == 1


def test_one_tap_on_an_entry_with_details_keeps_the_details(patient, assignment):
    today = patient.local_today()
    session_entry_save(
        patient=patient, assignment=assignment, local_date=today, data=entry_data(reps_done=6, note="Went slowly")
    )
    entry = session_mark_done(patient=patient, assignment=assignment, local_date=today)
    assert (entry.reps_done, entry.note) == (6, "Went slowly")


def test_one_tap_turns_a_skipped_exercise_into_done_and_keeps_its_pain_scores(patient, assignment):
    today = patient.local_today()
    session_entry_save(
        patient=patient, assignment=assignment, local_date=today, data=entry_data(status=EntryStatus.SKIPPED)
    )
    entry = session_mark_done(patient=patient, assignment=assignment, local_date=today)
    assert (entry.status, entry.sets_done, entry.pain_before) == (EntryStatus.DONE, assignment.sets, 3)


def test_the_detailed_entry_records_dose_pain_and_worse_symptoms(patient, assignment):
    entry = session_entry_save(
        patient=patient,
        assignment=assignment,
        local_date=patient.local_today(),
        data=entry_data(pain_before=2, pain_after=6, symptoms_worse=True, note="Tingling after"),
    )
    entry.refresh_from_db()
    assert (entry.pain_before, entry.pain_after, entry.symptoms_worse, entry.note) == (2, 6, True, "Tingling after")


def test_saving_the_entry_again_changes_it_and_keeps_history(patient, assignment):
    today = patient.local_today()
    session_entry_save(patient=patient, assignment=assignment, local_date=today, data=entry_data(pain_after=4))
    entry = session_entry_save(patient=patient, assignment=assignment, local_date=today, data=entry_data(pain_after=2))
    assert SessionEntry.objects.get().pain_after == 2
    assert entry.history.count() == 2


def test_a_skipped_exercise_keeps_no_dose(patient, assignment):
    entry = session_entry_save(
        patient=patient,
        assignment=assignment,
        local_date=patient.local_today(),
        data=entry_data(status=EntryStatus.SKIPPED),
    )
    assert (entry.status, entry.sets_done, entry.reps_done) == (EntryStatus.SKIPPED, None, None)


def test_yesterdays_exercise_can_be_logged_late(patient, assignment):
    yesterday = patient.local_today() - timedelta(days=1)
    entry = session_mark_done(patient=patient, assignment=assignment, local_date=yesterday)
    assert entry.session.local_date == yesterday


@pytest.mark.parametrize("offset", [1, -2])
def test_a_future_day_or_a_closed_day_is_refused(patient, assignment, offset):
    with pytest.raises(ValidationError):
        session_mark_done(patient=patient, assignment=assignment, local_date=patient.local_today() + timedelta(offset))
    assert not SessionLog.objects.exists()


def test_a_paused_exercise_cannot_be_logged(patient, assignment):
    assignment.status, assignment.pause_reason = AssignmentStatus.PAUSED, "Sore after the last session"
    assignment.save()
    with pytest.raises(ValidationError, match="Sore after the last session"):
        session_mark_done(patient=patient, assignment=assignment, local_date=patient.local_today())
    assert not SessionEntry.objects.exists()


def test_an_exercise_without_a_clearance_in_force_cannot_be_logged(patient):
    suspended = AssignmentFactory(patient=patient)  # no clearance at all
    with pytest.raises(ValidationError, match="doctor's approval"):
        session_entry_save(patient=patient, assignment=suspended, local_date=patient.local_today(), data=entry_data())
    assert not SessionLog.objects.exists()


def test_a_removed_exercise_cannot_be_logged(patient, assignment):
    assignment.status, assignment.removed_at = AssignmentStatus.REMOVED, timezone.now()
    assignment.save()
    with pytest.raises(ValidationError) as error:
        session_mark_done(patient=patient, assignment=assignment, local_date=patient.local_today())
    assert error.value.messages == [NOT_IN_PROGRAM_MESSAGE]


def test_another_patients_exercise_cannot_be_logged(patient):
    others = program(PatientFactory(), size=1)[0]
    with pytest.raises(ValidationError) as error:
        session_mark_done(patient=patient, assignment=others, local_date=patient.local_today())
    assert error.value.messages == [NOT_IN_PROGRAM_MESSAGE]
    assert not SessionEntry.objects.exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [("pain_before", 11), ("pain_after", -1), ("pain_after", "5"), ("reps_done", 101), ("sets_done", -1)],
)
def test_out_of_range_values_are_refused_and_nothing_is_saved(patient, assignment, field, value):
    with pytest.raises(ValidationError) as error:
        session_entry_save(
            patient=patient, assignment=assignment, local_date=patient.local_today(), data=entry_data(**{field: value})
        )
    assert field in error.value.message_dict
    assert not SessionLog.objects.exists()


def test_an_entry_needs_done_or_skipped(patient, assignment):
    with pytest.raises(ValidationError) as error:
        session_entry_save(
            patient=patient, assignment=assignment, local_date=patient.local_today(), data=entry_data(status="maybe")
        )
    assert "status" in error.value.message_dict


def test_the_database_refuses_a_second_entry_for_the_same_exercise_and_day():
    entry = SessionEntryFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        SessionEntryFactory(session=entry.session, assignment=entry.assignment)


def test_the_database_refuses_pain_above_10():
    with pytest.raises(IntegrityError), transaction.atomic():
        SessionEntryFactory(pain_after=11)


def test_timed_exercises_are_done_for_their_minutes(patient):
    walking = ExerciseFactory(default_sets=1, default_reps=None, default_hold_seconds=0, default_minutes=20)
    program(patient, size=0)
    assignment = AssignmentFactory(patient=patient, exercise=walking)
    entry = session_mark_done(patient=patient, assignment=assignment, local_date=patient.local_today())
    assert (entry.minutes_done, entry.reps_done, entry.hold_seconds_done) == (20, None, None)
