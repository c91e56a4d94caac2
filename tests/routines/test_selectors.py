from datetime import UTC, date, datetime, timedelta
from unittest import mock

import pytest
from django.utils import timezone

from routines.models import AssignmentStatus, Decision, Region
from routines.selectors import (
    Blocker,
    clearance_in_force,
    current_clearance,
    loggable_assignments,
    program_for,
)
from tests.factories import (
    AssignmentFactory,
    ClearanceFactory,
    DoctorFactory,
    ExerciseFactory,
    ExerciseStepFactory,
    PatientFactory,
)
from tracker.models import Flag, FlagStatus, Severity

pytestmark = pytest.mark.django_db

TODAY = date(2026, 3, 10)


def _flag(patient, severity, assignment=None, status=FlagStatus.OPEN, explanation="Pain rose after this exercise."):
    return Flag.objects.create(
        patient=patient,
        severity=severity,
        rule_id="test-rule",
        dedupe_key=f"test-rule-{severity}-{assignment.pk if assignment else ''}",
        assignment=assignment,
        explanation=explanation,
        status=status,
        **({"resolved_at": timezone.now(), "resolved_by": patient} if status == FlagStatus.RESOLVED else {}),
    )


def test_current_clearance_is_the_newest_decision_even_when_it_is_a_refusal():
    patient = PatientFactory()
    ClearanceFactory(patient=patient)
    refusal = ClearanceFactory(
        patient=patient, decision=Decision.NOT_CLEARED, covers_neck=False, covers_lower_back=False, covers_general=False
    )
    assert current_clearance(patient=patient) == refusal
    assert clearance_in_force(patient=patient, on=TODAY) is None


def test_a_patient_without_any_decision_has_no_clearance():
    patient = PatientFactory()
    assert current_clearance(patient=patient) is None
    assert clearance_in_force(patient=patient, on=TODAY) is None


def test_a_revoked_clearance_is_not_in_force():
    doctor = DoctorFactory()
    clearance = ClearanceFactory(
        doctor=doctor, revoked_at=timezone.now(), revoked_by=doctor, revoke_reason="New symptoms."
    )
    assert clearance_in_force(patient=clearance.patient, on=TODAY) is None


def test_a_clearance_holds_through_its_last_valid_day_and_not_after():
    clearance = ClearanceFactory(decided_on=date(2026, 3, 1), valid_until=TODAY)
    assert clearance_in_force(patient=clearance.patient, on=TODAY) == clearance
    assert clearance_in_force(patient=clearance.patient, on=TODAY + timedelta(days=1)) is None


@pytest.mark.parametrize(
    ("utc_moment", "in_force"),
    [
        # 23:30 on 10 March in Auckland (UTC+13 in March) is 10:30 UTC.
        (datetime(2026, 3, 10, 10, 30, tzinfo=UTC), True),
        # 00:30 on 11 March in Auckland is 11:30 UTC on 10 March, still 10 March in London.
        (datetime(2026, 3, 10, 11, 30, tzinfo=UTC), False),
    ],
)
def test_expiry_follows_the_patients_own_calendar_day(utc_moment, in_force):
    patient = PatientFactory(time_zone="Pacific/Auckland")
    ClearanceFactory(patient=patient, decided_on=date(2026, 3, 1), valid_until=date(2026, 3, 10))
    with mock.patch("django.utils.timezone.now", return_value=utc_moment):
        assert (clearance_in_force(patient=patient) is not None) is in_force


def test_program_lists_assignments_in_order_without_removed_ones():
    patient = PatientFactory()
    ClearanceFactory(patient=patient)
    second = AssignmentFactory(patient=patient, position=2)
    first = AssignmentFactory(patient=patient, position=1)
    AssignmentFactory(patient=patient, position=0, status=AssignmentStatus.REMOVED, removed_at=timezone.now())
    items = program_for(patient=patient, on=TODAY)
    assert [item.assignment for item in items] == [first, second]
    assert all(item.available and item.reason == "" for item in items)


def test_without_clearance_every_exercise_is_on_hold_and_nothing_is_loggable():
    assignment = AssignmentFactory()
    (item,) = program_for(patient=assignment.patient, on=TODAY)
    assert not item.available
    assert item.blocker == Blocker.NO_CLEARANCE
    assert "no doctor's approval" in item.reason
    assert loggable_assignments(patient=assignment.patient, on=TODAY) == []


def test_an_exercise_outside_the_cleared_regions_is_on_hold_and_names_the_region():
    patient = PatientFactory()
    ClearanceFactory(
        patient=patient,
        decision=Decision.RESTRICTED,
        covers_neck=False,
        covers_lower_back=True,
        covers_general=False,
        restrictions="No neck work yet.",
    )
    back = AssignmentFactory(patient=patient, exercise=ExerciseFactory(region=Region.LOWER_BACK))
    neck = AssignmentFactory(patient=patient, exercise=ExerciseFactory(region=Region.NECK))
    items = {item.assignment: item for item in program_for(patient=patient, on=TODAY)}
    assert items[back].available
    assert not items[neck].available
    assert items[neck].blocker == Blocker.REGION_NOT_COVERED
    assert "neck" in items[neck].reason
    assert loggable_assignments(patient=patient, on=TODAY) == [back]


def test_an_unresolved_emergency_flag_pauses_the_whole_program():
    assignment = AssignmentFactory(with_clearance=True)
    _flag(assignment.patient, Severity.EMERGENCY, status=FlagStatus.ACKNOWLEDGED)
    (item,) = program_for(patient=assignment.patient, on=TODAY)
    assert item.blocker == Blocker.EMERGENCY_FLAG
    assert "clinician" in item.reason
    assert loggable_assignments(patient=assignment.patient, on=TODAY) == []


def test_a_resolved_emergency_flag_no_longer_pauses_the_program():
    assignment = AssignmentFactory(with_clearance=True)
    _flag(assignment.patient, Severity.EMERGENCY, status=FlagStatus.RESOLVED)
    assert loggable_assignments(patient=assignment.patient, on=TODAY) == [assignment]


def test_a_paused_assignment_gives_the_physiotherapists_reason():
    assignment = AssignmentFactory(
        with_clearance=True, status=AssignmentStatus.PAUSED, pause_reason="Let the flare settle first."
    )
    (item,) = program_for(patient=assignment.patient, on=TODAY)
    assert item.blocker == Blocker.PAUSED
    assert "Let the flare settle first." in item.reason
    assert loggable_assignments(patient=assignment.patient, on=TODAY) == []


def test_an_unresolved_review_flag_pauses_only_its_own_exercise():
    patient = PatientFactory()
    ClearanceFactory(patient=patient)
    flagged = AssignmentFactory(patient=patient)
    other = AssignmentFactory(patient=patient)
    flag = _flag(patient, Severity.REVIEW_EXERCISE, assignment=flagged, explanation="Pain went up twice.")
    items = {item.assignment: item for item in program_for(patient=patient, on=TODAY)}
    assert items[flagged].blocker == Blocker.REVIEW_FLAG
    assert items[flagged].flag == flag
    assert "Pain went up twice." in items[flagged].reason
    assert loggable_assignments(patient=patient, on=TODAY) == [other]


def test_a_contact_provider_flag_does_not_pause_exercises():
    assignment = AssignmentFactory(with_clearance=True)
    _flag(assignment.patient, Severity.CONTACT_PROVIDER)
    assert loggable_assignments(patient=assignment.patient, on=TODAY) == [assignment]


def test_program_for_runs_a_fixed_number_of_queries_whatever_the_program_size(django_assert_num_queries):
    small, large = PatientFactory(), PatientFactory()
    for patient, size in ((small, 1), (large, 12)):
        ClearanceFactory(patient=patient)
        for _ in range(size):
            assignment = AssignmentFactory(patient=patient)
            ExerciseStepFactory.create_batch(3, exercise=assignment.exercise)
            _flag(patient, Severity.REVIEW_EXERCISE, assignment=assignment)
    for patient in (small, large):
        with django_assert_num_queries(4):
            items = program_for(patient=patient, on=TODAY, with_steps=True)
            for item in items:
                assert len(item.exercise.steps.all()) == 3
