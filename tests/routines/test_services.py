from datetime import UTC, date, datetime, timedelta
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from routines.models import Assignment, AssignmentStatus, Clearance, Decision, Region
from routines.selectors import clearance_in_force, loggable_assignments
from routines.services import (
    assignment_add,
    assignment_change,
    assignment_pause,
    assignment_remove,
    assignment_resume,
    clearance_record,
    clearance_record_external,
    clearance_revoke,
)
from tests.factories import (
    AssignmentFactory,
    CareTeamMembershipFactory,
    ClearanceFactory,
    DoctorFactory,
    ExerciseFactory,
)

pytestmark = pytest.mark.django_db


def _messages(error: ValidationError) -> str:
    return " ".join(error.messages)


def _add(clinic, exercise, **dose):
    return assignment_add(
        physio=clinic.linked_physio,
        patient=clinic.patient_a,
        exercise=exercise,
        **({"sets": 2, "reps": 10, "hold_seconds": 5} | dose),
    )


@pytest.fixture
def cleared(clinic):
    """Patient A cleared for every region by their own doctor."""
    return clearance_record(doctor=clinic.linked_doctor, patient=clinic.patient_a, decision=Decision.CLEARED)


# Recording a decision --------------------------------------------------------


def test_a_linked_doctor_clears_a_patient_for_every_region(clinic):
    clearance = clearance_record(doctor=clinic.linked_doctor, patient=clinic.patient_a, decision=Decision.CLEARED)
    assert clearance.regions_covered == ["Neck", "Lower back", "General"]
    assert clearance.doctor == clinic.linked_doctor
    assert clearance.recorded_by == clinic.linked_doctor
    assert clearance_in_force(patient=clinic.patient_a) == clearance


@pytest.mark.parametrize("doctor", ["unlinked_doctor", "linked_physio", "patient_a"])
def test_only_a_linked_doctor_records_a_decision_in_the_app(clinic, doctor):
    with pytest.raises(ValidationError, match="Only a doctor on this patient's care team"):
        clearance_record(doctor=clinic.actor(doctor), patient=clinic.patient_a, decision=Decision.CLEARED)
    assert not Clearance.objects.exists()


def test_a_restricted_clearance_needs_the_restrictions_in_words(clinic):
    with pytest.raises(ValidationError) as error:
        clearance_record(
            doctor=clinic.linked_doctor,
            patient=clinic.patient_a,
            decision=Decision.RESTRICTED,
            regions=[Region.LOWER_BACK],
            restrictions="  ",
        )
    assert "restrictions" in error.value.message_dict
    assert not Clearance.objects.exists()


def test_a_restricted_clearance_needs_at_least_one_region(clinic):
    with pytest.raises(ValidationError) as error:
        clearance_record(
            doctor=clinic.linked_doctor,
            patient=clinic.patient_a,
            decision=Decision.RESTRICTED,
            restrictions="Lower back only, no lifting.",
        )
    assert "regions" in error.value.message_dict


def test_a_restricted_clearance_covers_only_the_regions_ticked(clinic):
    clearance = clearance_record(
        doctor=clinic.linked_doctor,
        patient=clinic.patient_a,
        decision=Decision.RESTRICTED,
        regions=[Region.LOWER_BACK],
        restrictions="Lower back only.",
    )
    assert clearance.covers(Region.LOWER_BACK)
    assert not clearance.covers(Region.NECK)


def test_a_refusal_covers_nothing_and_holds_no_exercise(clinic):
    clearance = clearance_record(
        doctor=clinic.linked_doctor,
        patient=clinic.patient_a,
        decision=Decision.NOT_CLEARED,
        regions=[Region.NECK],
    )
    assert clearance.regions_covered == []
    assert clearance_in_force(patient=clinic.patient_a) is None


def test_the_last_valid_day_cannot_be_in_the_past(clinic):
    with pytest.raises(ValidationError) as error:
        clearance_record(
            doctor=clinic.linked_doctor,
            patient=clinic.patient_a,
            decision=Decision.CLEARED,
            valid_until=clinic.patient_a.local_today() - timedelta(days=1),
        )
    assert "valid_until" in error.value.message_dict


def test_a_physio_records_an_approval_given_outside_the_app(clinic):
    clearance = clearance_record_external(
        physio=clinic.linked_physio,
        patient=clinic.patient_a,
        doctor_name="Dr Rivera",
        decided_on=clinic.patient_a.local_today() - timedelta(days=3),
        decision=Decision.CLEARED,
    )
    assert clearance.is_external
    assert clearance.doctor_name == "Dr Rivera"
    assert clearance.recorded_by == clinic.linked_physio
    assert clearance_in_force(patient=clinic.patient_a) == clearance


def test_an_outside_approval_needs_the_doctors_name(clinic):
    with pytest.raises(ValidationError) as error:
        clearance_record_external(
            physio=clinic.linked_physio,
            patient=clinic.patient_a,
            doctor_name=" ",
            decided_on=clinic.patient_a.local_today(),
            decision=Decision.CLEARED,
        )
    assert "doctor_name" in error.value.message_dict


def test_an_outside_approval_cannot_be_dated_in_the_future(clinic):
    with pytest.raises(ValidationError) as error:
        clearance_record_external(
            physio=clinic.linked_physio,
            patient=clinic.patient_a,
            doctor_name="Dr Rivera",
            decided_on=clinic.patient_a.local_today() + timedelta(days=2),
            decision=Decision.CLEARED,
        )
    assert "decided_on" in error.value.message_dict


@pytest.mark.parametrize("recorder", ["unlinked_physio", "linked_doctor"])
def test_only_a_linked_physio_records_an_outside_approval(clinic, recorder):
    with pytest.raises(ValidationError, match="Only a physiotherapist on this patient's care team"):
        clearance_record_external(
            physio=clinic.actor(recorder),
            patient=clinic.patient_a,
            doctor_name="Dr Rivera",
            decided_on=clinic.patient_a.local_today(),
            decision=Decision.CLEARED,
        )


# Revoking ---------------------------------------------------------------------


def test_revoking_needs_a_reason(clinic, cleared):
    with pytest.raises(ValidationError) as error:
        clearance_revoke(by=clinic.linked_doctor, clearance=cleared, reason="   ")
    assert "reason" in error.value.message_dict
    assert clearance_in_force(patient=clinic.patient_a) == cleared


def test_revoking_puts_every_exercise_on_hold_at_once(clinic, cleared):
    assignment = _add(clinic, ExerciseFactory())
    clearance_revoke(by=clinic.linked_doctor, clearance=cleared, reason="Numbness came back.")
    cleared.refresh_from_db()
    assert cleared.revoked_by == clinic.linked_doctor
    assert cleared.revoke_reason == "Numbness came back."
    assert clearance_in_force(patient=clinic.patient_a) is None
    assert loggable_assignments(patient=clinic.patient_a, on=clinic.patient_a.local_today()) == []
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.ACTIVE  # derived hold, no copied state


def test_an_unlinked_doctor_cannot_revoke(clinic, cleared):
    with pytest.raises(ValidationError):
        clearance_revoke(by=clinic.unlinked_doctor, clearance=cleared, reason="Not mine to revoke.")
    assert clearance_in_force(patient=clinic.patient_a) == cleared


def test_a_physio_cannot_revoke_a_doctors_in_app_decision(clinic, cleared):
    with pytest.raises(ValidationError):
        clearance_revoke(by=clinic.linked_physio, clearance=cleared, reason="Worse today.")


def test_the_physio_who_recorded_an_outside_approval_may_revoke_it(clinic):
    clearance = clearance_record_external(
        physio=clinic.linked_physio,
        patient=clinic.patient_a,
        doctor_name="Dr Rivera",
        decided_on=clinic.patient_a.local_today(),
        decision=Decision.CLEARED,
    )
    clearance_revoke(by=clinic.linked_physio, clearance=clearance, reason="Entered for the wrong patient.")
    assert clearance_in_force(patient=clinic.patient_a) is None


def test_a_decision_cannot_be_revoked_twice(clinic, cleared):
    clearance_revoke(by=clinic.linked_doctor, clearance=cleared, reason="New weakness.")
    with pytest.raises(ValidationError, match="already been withdrawn"):
        clearance_revoke(by=clinic.linked_doctor, clearance=cleared, reason="Again.")


def test_only_the_newest_decision_can_be_revoked(clinic, cleared):
    clearance_record(doctor=clinic.linked_doctor, patient=clinic.patient_a, decision=Decision.CLEARED)
    with pytest.raises(ValidationError, match="newer decision"):
        clearance_revoke(by=clinic.linked_doctor, clearance=cleared, reason="Old one.")


# Expiry at the edge of the patient's day -------------------------------------------


@pytest.mark.parametrize(
    ("utc_moment", "allowed"),
    [
        (datetime(2026, 3, 10, 10, 30, tzinfo=UTC), True),  # 23:30 on 10 March in Auckland
        (datetime(2026, 3, 10, 11, 30, tzinfo=UTC), False),  # 00:30 on 11 March in Auckland
    ],
    ids=["last-evening", "next-morning"],
)
def test_an_exercise_can_be_added_until_the_end_of_the_last_valid_day_where_the_patient_lives(
    utc_moment, allowed, clinic
):
    patient = clinic.patient_a
    patient.time_zone = "Pacific/Auckland"
    patient.save()
    ClearanceFactory(
        patient=patient, doctor=clinic.linked_doctor, decided_on=date(2026, 3, 1), valid_until=date(2026, 3, 10)
    )
    with mock.patch("django.utils.timezone.now", return_value=utc_moment):
        if allowed:
            _add(clinic, ExerciseFactory())
            assert len(loggable_assignments(patient=patient, on=patient.local_today())) == 1
        else:
            with pytest.raises(ValidationError, match="no doctor's approval"):
                _add(clinic, ExerciseFactory())


def test_an_expired_clearance_suspends_a_program_built_while_it_held(clinic):
    patient = clinic.patient_a
    ClearanceFactory(patient=patient, doctor=clinic.linked_doctor, valid_until=patient.local_today())
    assignment = _add(clinic, ExerciseFactory())
    today = patient.local_today()
    assert loggable_assignments(patient=patient, on=today) == [assignment]
    assert loggable_assignments(patient=patient, on=today + timedelta(days=1)) == []


# Adding exercises ------------------------------------------------------------------


def test_a_linked_physio_adds_an_exercise_at_the_end_of_the_program(clinic, cleared):
    first = _add(clinic, ExerciseFactory())
    second = _add(clinic, ExerciseFactory(), sets=3, reps=12, times_per_week=5)
    assert second.position > first.position
    assert (second.sets, second.reps, second.times_per_week, second.prescribed_by) == (3, 12, 5, clinic.linked_physio)


def test_no_exercise_can_be_added_without_a_clearance(clinic):
    with pytest.raises(ValidationError, match="no doctor's approval for exercise in force"):
        _add(clinic, ExerciseFactory())
    assert not Assignment.objects.exists()


def test_no_exercise_can_be_added_under_a_refusal(clinic):
    clearance_record(doctor=clinic.linked_doctor, patient=clinic.patient_a, decision=Decision.NOT_CLEARED)
    with pytest.raises(ValidationError, match="no doctor's approval"):
        _add(clinic, ExerciseFactory())


def test_an_exercise_for_a_region_the_clearance_leaves_out_is_refused(clinic):
    clearance_record(
        doctor=clinic.linked_doctor,
        patient=clinic.patient_a,
        decision=Decision.RESTRICTED,
        regions=[Region.LOWER_BACK],
        restrictions="No neck exercises for now.",
    )
    with pytest.raises(ValidationError) as error:
        _add(clinic, ExerciseFactory(region=Region.NECK, name="Chin tucks"))
    assert "does not cover neck exercises" in error.value.message_dict["exercise"][0]
    assert not Assignment.objects.exists()


def test_a_retired_exercise_cannot_be_added(clinic, cleared):
    with pytest.raises(ValidationError, match="retired"):
        _add(clinic, ExerciseFactory(active=False))


@pytest.mark.parametrize(
    ("dose", "field"),
    [
        ({"sets": 0}, "sets"),
        ({"sets": 11}, "sets"),
        ({"reps": 0}, "reps"),
        ({"reps": 1000}, "reps"),
        ({"reps": None}, "reps"),
        ({"hold_seconds": -1}, "hold_seconds"),
        ({"hold_seconds": 121}, "hold_seconds"),
        ({"times_per_week": 0}, "times_per_week"),
        ({"times_per_week": 15}, "times_per_week"),
        ({"minutes": 10}, "minutes"),
    ],
)
def test_a_dose_out_of_range_is_refused_with_a_message_on_its_field(clinic, cleared, dose, field):
    with pytest.raises(ValidationError) as error:
        _add(clinic, ExerciseFactory(), **dose)
    assert field in error.value.message_dict
    assert not Assignment.objects.exists()


def test_a_timed_exercise_is_prescribed_in_minutes_not_repetitions(clinic, cleared):
    walking = ExerciseFactory(default_reps=None, default_minutes=20, default_hold_seconds=0)
    with pytest.raises(ValidationError) as error:
        _add(clinic, walking, reps=10, minutes=None)
    assert {"reps", "minutes"} <= set(error.value.message_dict)
    assignment = _add(clinic, walking, sets=1, reps=None, hold_seconds=0, minutes=25)
    assert assignment.minutes == 25


def test_the_same_exercise_cannot_be_in_the_program_twice(clinic, cleared):
    exercise = ExerciseFactory(name="Wall push")
    _add(clinic, exercise)
    with pytest.raises(ValidationError) as error:
        _add(clinic, exercise)
    assert error.value.message_dict["exercise"] == ["Wall push is already in this patient's program."]
    assert Assignment.objects.count() == 1


def test_a_clash_found_only_by_the_database_is_reported_as_a_duplicate(clinic, cleared):
    exercise = ExerciseFactory(name="Heel slide")
    _add(clinic, exercise)
    # Simulate a colleague's insert landing between our check and our save.
    with (
        mock.patch("routines.services._already_in_program", return_value=False),
        pytest.raises(ValidationError, match="already in this patient's program"),
    ):
        _add(clinic, exercise)
    assert Assignment.objects.count() == 1


def test_a_removed_exercise_can_be_added_again(clinic, cleared):
    exercise = ExerciseFactory()
    first = _add(clinic, exercise)
    assignment_remove(physio=clinic.linked_physio, assignment=first, expected_version=first.version)
    again = _add(clinic, exercise)
    assert again.pk != first.pk


@pytest.mark.parametrize("physio", ["unlinked_physio", "linked_doctor"])
def test_only_a_linked_physio_changes_a_program(clinic, cleared, physio):
    with pytest.raises(ValidationError, match="Only a physiotherapist on this patient's care team"):
        assignment_add(
            physio=clinic.actor(physio), patient=clinic.patient_a, exercise=ExerciseFactory(), sets=1, reps=5
        )
    assignment = AssignmentFactory(patient=clinic.patient_a)
    with pytest.raises(ValidationError, match="Only a physiotherapist"):
        assignment_remove(physio=clinic.actor(physio), assignment=assignment, expected_version=assignment.version)
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.ACTIVE


def test_a_physio_whose_care_team_link_ended_can_no_longer_change_the_program(clinic, cleared):
    assignment = _add(clinic, ExerciseFactory())
    link = clinic.patient_a.care_team_links.get(clinician=clinic.linked_physio)
    link.ended_at = link.started_at + timedelta(minutes=1)
    link.save()
    with pytest.raises(ValidationError):
        assignment_pause(
            physio=clinic.linked_physio, assignment=assignment, expected_version=assignment.version, reason="x"
        )


# Changing, pausing, resuming, removing ---------------------------------------------------


def test_changing_the_dose_bumps_the_version_and_keeps_history(clinic, cleared):
    assignment = _add(clinic, ExerciseFactory())
    changed = assignment_change(
        physio=clinic.linked_physio,
        assignment=assignment,
        expected_version=assignment.version,
        sets=3,
        reps=8,
        hold_seconds=10,
        times_per_week=4,
    )
    assert (changed.sets, changed.reps, changed.hold_seconds, changed.times_per_week) == (3, 8, 10, 4)
    assert changed.version == assignment.version + 1
    assert changed.history.count() == 2
    assert changed.history.first().history_user == clinic.linked_physio


def test_a_change_with_a_dose_out_of_range_saves_nothing(clinic, cleared):
    assignment = _add(clinic, ExerciseFactory())
    with pytest.raises(ValidationError):
        assignment_change(physio=clinic.linked_physio, assignment=assignment, expected_version=1, sets=2, reps=1000)
    assignment.refresh_from_db()
    assert (assignment.reps, assignment.version) == (10, 1)


def test_pausing_needs_a_reason_the_patient_will_read(clinic, cleared):
    assignment = _add(clinic, ExerciseFactory())
    with pytest.raises(ValidationError) as error:
        assignment_pause(physio=clinic.linked_physio, assignment=assignment, expected_version=1, reason="")
    assert "reason" in error.value.message_dict


def test_pausing_then_resuming_makes_the_exercise_loggable_again(clinic, cleared):
    assignment = _add(clinic, ExerciseFactory())
    today = clinic.patient_a.local_today()
    paused = assignment_pause(
        physio=clinic.linked_physio, assignment=assignment, expected_version=1, reason="Flare-up this week."
    )
    assert loggable_assignments(patient=clinic.patient_a, on=today) == []
    resumed = assignment_resume(physio=clinic.linked_physio, assignment=paused, expected_version=paused.version)
    assert resumed.pause_reason == ""
    assert loggable_assignments(patient=clinic.patient_a, on=today) == [assignment]


def test_resuming_an_exercise_that_is_not_paused_is_refused(clinic, cleared):
    assignment = _add(clinic, ExerciseFactory())
    with pytest.raises(ValidationError, match="not paused"):
        assignment_resume(physio=clinic.linked_physio, assignment=assignment, expected_version=1)


def test_removing_keeps_the_row_for_old_logs_but_hides_it_from_the_program(clinic, cleared):
    assignment = _add(clinic, ExerciseFactory())
    assignment_remove(physio=clinic.linked_physio, assignment=assignment, expected_version=1)
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.REMOVED
    assert assignment.removed_at is not None
    assert loggable_assignments(patient=clinic.patient_a, on=clinic.patient_a.local_today()) == []


# Two clinicians editing at once ----------------------------------------------------------


def test_a_stale_edit_never_overwrites_a_removal(clinic, cleared):
    assignment = _add(clinic, ExerciseFactory())
    colleague = CareTeamMembershipFactory(patient=clinic.patient_a).clinician
    form_version_one = form_version_two = assignment.version  # both forms opened before either was sent
    assignment_remove(physio=colleague, assignment=assignment, expected_version=form_version_one)
    with pytest.raises(ValidationError, match="removed from the program by someone else"):
        assignment_change(
            physio=clinic.linked_physio, assignment=assignment, expected_version=form_version_two, sets=5, reps=5
        )
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.REMOVED
    assert assignment.sets == 2


def test_the_second_of_two_stale_edits_is_refused_and_the_first_is_kept(clinic, cleared):
    assignment = _add(clinic, ExerciseFactory())
    colleague = CareTeamMembershipFactory(patient=clinic.patient_a).clinician
    opened_version = assignment.version
    assignment_change(physio=colleague, assignment=assignment, expected_version=opened_version, sets=4, reps=6)
    with pytest.raises(ValidationError, match="changed by someone else"):
        assignment_pause(
            physio=clinic.linked_physio, assignment=assignment, expected_version=opened_version, reason="Sore."
        )
    assignment.refresh_from_db()
    assert (assignment.sets, assignment.reps, assignment.status) == (4, 6, AssignmentStatus.ACTIVE)


def test_a_stale_removal_does_not_remove_an_exercise_someone_just_changed(clinic, cleared):
    assignment = _add(clinic, ExerciseFactory())
    colleague = CareTeamMembershipFactory(patient=clinic.patient_a).clinician
    assignment_change(physio=colleague, assignment=assignment, expected_version=1, sets=4, reps=6)
    with pytest.raises(ValidationError, match="reload"):
        assignment_remove(physio=clinic.linked_physio, assignment=assignment, expected_version=1)
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.ACTIVE


def test_the_database_refuses_a_second_current_assignment_of_one_exercise():
    assignment = AssignmentFactory()
    with pytest.raises(IntegrityError):
        AssignmentFactory(patient=assignment.patient, exercise=assignment.exercise)


def test_a_clearance_for_another_patient_does_not_help(clinic):
    ClearanceFactory(patient=clinic.patient_b, doctor=DoctorFactory())
    with pytest.raises(ValidationError, match="no doctor's approval"):
        _add(clinic, ExerciseFactory())
