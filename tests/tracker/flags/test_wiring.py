"""The flag rules run right after a check-in or a session entry is saved, and never block the save."""

import pytest

from tests.factories import AssignmentFactory, PatientFactory
from tracker.flags.rules import Rule
from tracker.models import CheckIn, Flag, Severity
from tracker.services.checkins import checkin_save
from tracker.services.sessions import session_entry_save, session_mark_done

from .records import local_day, log_entry

pytestmark = pytest.mark.django_db

CALM = {"neck_back_pain": 2, "limb_pain": 2}


def test_saving_a_check_in_with_a_bladder_problem_opens_an_emergency_flag_at_once():
    patient = PatientFactory()
    checkin_save(patient=patient, local_date=patient.local_today(), data={**CALM, "bladder_bowel_change": True})
    assert Flag.objects.get(patient=patient).rule_id == "emergency.cauda_equina"


def test_a_rule_that_breaks_never_stops_the_check_in_being_saved(monkeypatch):
    def broken(snapshot):
        raise ValueError("bug")

    monkeypatch.setattr("tracker.flags.engine.RULES", [Rule("test.broken", Severity.EMERGENCY, "Broken", broken)])
    patient = PatientFactory()
    check_in = checkin_save(patient=patient, local_date=patient.local_today(), data=CALM)
    assert CheckIn.objects.filter(pk=check_in.pk).exists()
    assert Flag.objects.get(patient=patient).dedupe_key == "system.rule_failed:test.broken"


def test_logging_a_session_entry_runs_the_exercise_rule():
    assignment = AssignmentFactory(with_clearance=True)
    patient = assignment.patient
    log_entry(assignment, 1, before=2, after=7)
    session_entry_save(
        patient=patient,
        assignment=assignment,
        local_date=local_day(patient, 0),
        data={"status": "done", "pain_before": 2, "pain_after": 7},
    )
    flag = Flag.objects.get(patient=patient)
    assert (flag.rule_id, flag.assignment_id) == ("review.exercise_aggravates", assignment.pk)


def test_one_tap_done_runs_the_rules_too():
    assignment = AssignmentFactory(with_clearance=True)
    patient = assignment.patient
    log_entry(assignment, 1, before=2, after=2, symptoms_worse=True)
    log_entry(assignment, 2, before=2, after=2, symptoms_worse=True)
    Flag.objects.all().delete()
    session_mark_done(patient=patient, assignment=assignment, local_date=local_day(patient, 0))
    assert Flag.objects.get(patient=patient).rule_id == "review.exercise_aggravates"
