"""Acknowledging and resolving flags: who may, what is required, and the history kept."""

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from routines.selectors import Blocker, program_for
from tests.factories import AssignmentFactory, FlagFactory
from tracker.models import FlagStatus, Severity
from tracker.services.flags import flag_acknowledge, flag_resolve

pytestmark = pytest.mark.django_db


@pytest.fixture
def flag(clinic):
    return FlagFactory(patient=clinic.patient_a)


@pytest.mark.parametrize("actor", ["linked_physio", "linked_doctor"])
def test_a_linked_clinician_acknowledges_a_flag_with_who_and_when(clinic, flag, actor):
    flag = flag_acknowledge(flag=flag, by=clinic.actor(actor))
    assert flag.status == FlagStatus.ACKNOWLEDGED
    assert flag.acknowledged_by == clinic.actor(actor)
    assert flag.acknowledged_at <= timezone.now()


def test_acknowledging_twice_changes_nothing(clinic, flag):
    first = flag_acknowledge(flag=flag, by=clinic.linked_physio)
    second = flag_acknowledge(flag=flag, by=clinic.linked_doctor)
    assert second.acknowledged_by == clinic.linked_physio
    assert second.acknowledged_at == first.acknowledged_at
    assert flag.history.count() == 2


@pytest.mark.parametrize("actor", ["unlinked_physio", "unlinked_doctor", "patient_a", "patient_b", "admin"])
def test_only_a_linked_clinician_may_acknowledge(clinic, flag, actor):
    with pytest.raises(ValidationError, match="care team"):
        flag_acknowledge(flag=flag, by=clinic.actor(actor))
    flag.refresh_from_db()
    assert flag.status == FlagStatus.OPEN


def test_a_clinician_whose_link_ended_may_no_longer_act(clinic, flag):
    clinic.linked_physio.caseload_links.update(ended_at=timezone.now())
    with pytest.raises(ValidationError):
        flag_resolve(flag=flag, by=clinic.linked_physio, note="Done.")


def test_a_linked_clinician_resolves_with_a_note(clinic, flag):
    flag = flag_resolve(flag=flag, by=clinic.linked_physio, note="  Called the patient; pain settling.  ")
    assert flag.status == FlagStatus.RESOLVED
    assert flag.resolved_by == clinic.linked_physio
    assert flag.resolution_note == "Called the patient; pain settling."
    assert flag.resolved_at is not None


@pytest.mark.parametrize("note", ["", "   "])
def test_resolving_needs_a_note(clinic, flag, note):
    with pytest.raises(ValidationError) as error:
        flag_resolve(flag=flag, by=clinic.linked_physio, note=note)
    assert error.value.message_dict == {"note": ["Write a short note on what you did or decided."]}
    flag.refresh_from_db()
    assert flag.status == FlagStatus.OPEN


def test_a_very_long_note_is_refused(clinic, flag):
    with pytest.raises(ValidationError, match="under 2000"):
        flag_resolve(flag=flag, by=clinic.linked_physio, note="x" * 2001)


def test_a_resolved_flag_cannot_be_resolved_or_acknowledged_again(clinic, flag):
    flag_resolve(flag=flag, by=clinic.linked_physio, note="Done.")
    with pytest.raises(ValidationError, match="already resolved"):
        flag_resolve(flag=flag, by=clinic.linked_doctor, note="Again.")
    with pytest.raises(ValidationError, match="already resolved"):
        flag_acknowledge(flag=flag, by=clinic.linked_doctor)


@pytest.mark.parametrize("actor", ["patient_a", "unlinked_physio"])
def test_an_emergency_can_only_be_resolved_by_a_linked_clinician(clinic, actor):
    emergency = FlagFactory(patient=clinic.patient_a, rule_id="emergency.cauda_equina", severity=Severity.EMERGENCY)
    with pytest.raises(ValidationError):
        flag_resolve(flag=emergency, by=clinic.actor(actor), note="I feel fine now.")
    emergency.refresh_from_db()
    assert emergency.status == FlagStatus.OPEN


def test_every_step_is_kept_in_the_history_with_who_did_it(clinic, flag):
    flag_acknowledge(flag=flag, by=clinic.linked_doctor)
    flag_resolve(flag=flag, by=clinic.linked_physio, note="Reviewed.")
    history = list(flag.history.order_by("history_date"))
    assert [(record.status, record.history_user) for record in history] == [
        (FlagStatus.OPEN, None),
        (FlagStatus.ACKNOWLEDGED, clinic.linked_doctor),
        (FlagStatus.RESOLVED, clinic.linked_physio),
    ]


def test_an_open_emergency_pauses_the_whole_program_until_resolved(clinic):
    assignment = AssignmentFactory(patient=clinic.patient_a, with_clearance=True)
    emergency = FlagFactory(patient=clinic.patient_a, rule_id="emergency.cauda_equina", severity=Severity.EMERGENCY)
    assert [item.blocker for item in program_for(patient=clinic.patient_a)] == [Blocker.EMERGENCY_FLAG]
    flag_acknowledge(flag=emergency, by=clinic.linked_physio)
    assert [item.blocker for item in program_for(patient=clinic.patient_a)] == [Blocker.EMERGENCY_FLAG]
    flag_resolve(flag=emergency, by=clinic.linked_physio, note="Seen in A&E; all clear.")
    assert [item.available for item in program_for(patient=clinic.patient_a)] == [True]
    assert assignment.pk


def test_a_review_flag_pauses_only_its_exercise_until_resolved(clinic):
    aggravating = AssignmentFactory(patient=clinic.patient_a, with_clearance=True)
    other = AssignmentFactory(patient=clinic.patient_a)
    review = FlagFactory(
        patient=clinic.patient_a,
        rule_id="review.exercise_aggravates",
        severity=Severity.REVIEW_EXERCISE,
        assignment=aggravating,
        explanation="Glute bridges made your symptoms worse in 2 of your last 3 sessions.",
    )
    program = {item.assignment.pk: item for item in program_for(patient=clinic.patient_a)}
    assert program[aggravating.pk].blocker == Blocker.REVIEW_FLAG
    assert "Glute bridges made your symptoms worse" in program[aggravating.pk].reason
    assert program[other.pk].available
    flag_resolve(flag=review, by=clinic.linked_physio, note="Lowered the dose.")
    assert all(item.available for item in program_for(patient=clinic.patient_a))
