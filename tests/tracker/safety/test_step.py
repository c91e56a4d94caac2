"""The safety step: a symptom write is stored with its flag evaluation and summary, or not at all."""

import pytest
from django.db import DatabaseError, transaction
from django.db.transaction import TransactionManagementError
from django_tasks_db.models import DBTaskResult

from tests.factories import AssignmentFactory, CareTeamMembershipFactory, PatientFactory
from tests.tracker.daily_helpers import checkin_data
from tracker.flags.notify import send_flag_notification
from tracker.flags.rules import Rule
from tracker.models import CheckIn, Flag, FlagNotification, PatientSummary, SessionEntry, Severity
from tracker.safety.step import safety_step
from tracker.services.checkins import checkin_save
from tracker.services.flags import evaluate_patient_flags
from tracker.services.sessions import session_entry_save
from tracker.services.summaries import refresh_patient_summary

from .faults import connection_drops_after

pytestmark = pytest.mark.django_db

BLADDER = checkin_data(bladder_bowel_change=True)


def queued(task_path: str) -> list[list]:
    return [
        row["args"] for row in DBTaskResult.objects.filter(task_path=task_path).values_list("args_kwargs", flat=True)
    ]


def test_a_warning_sign_is_stored_with_its_flag_its_summary_and_the_care_teams_emails():
    link = CareTeamMembershipFactory()
    patient = link.patient
    checkin_save(patient=patient, local_date=patient.local_today(), data=BLADDER)
    flag = Flag.objects.get(patient=patient)
    assert flag.severity == Severity.EMERGENCY
    assert PatientSummary.objects.get(patient=patient).last_check_in_on == patient.local_today()
    notification = FlagNotification.objects.get(flag=flag)
    assert queued(send_flag_notification.module_path) == [[notification.pk]]


def test_a_connection_lost_after_the_check_in_is_written_keeps_nothing_and_says_so():
    patient = PatientFactory()
    with connection_drops_after('INSERT INTO "tracker_checkin"'), pytest.raises(DatabaseError):
        checkin_save(patient=patient, local_date=patient.local_today(), data=BLADDER)
    assert not CheckIn.objects.filter(patient=patient).exists()
    assert not Flag.objects.filter(patient=patient).exists()


def test_a_connection_lost_while_the_flag_is_written_keeps_neither_the_check_in_nor_half_a_flag():
    link = CareTeamMembershipFactory()
    patient = link.patient
    with connection_drops_after('INSERT INTO "tracker_flag"'), pytest.raises(DatabaseError):
        checkin_save(patient=patient, local_date=patient.local_today(), data=BLADDER)
    assert not CheckIn.objects.filter(patient=patient).exists()
    assert not Flag.objects.filter(patient=patient).exists()
    assert not FlagNotification.objects.exists()


def test_a_rule_that_breaks_keeps_the_check_in_and_queues_the_rules_to_run_again(monkeypatch):
    def broken(snapshot):
        raise ValueError("bug")

    monkeypatch.setattr("tracker.flags.engine.RULES", [Rule("test.broken", Severity.EMERGENCY, "Broken", broken)])
    patient = PatientFactory()
    checkin_save(patient=patient, local_date=patient.local_today(), data=BLADDER)
    assert CheckIn.objects.filter(patient=patient).exists()
    assert Flag.objects.get(patient=patient).dedupe_key == "system.rule_failed:test.broken"
    assert queued(evaluate_patient_flags.module_path) == [[patient.pk]]


def test_the_queued_evaluation_opens_the_flag_once_the_rules_can_run(monkeypatch):
    patient = PatientFactory()
    with monkeypatch.context() as broken:
        # Reading the history fails wherever it is read: the rules cannot run.
        for module in ("tracker.flags.engine", "tracker.safety.step", "tracker.services.summaries"):
            broken.setattr(f"{module}.load_snapshot", lambda **kwargs: 1 / 0)
        checkin_save(patient=patient, local_date=patient.local_today(), data=BLADDER)
    assert not Flag.objects.filter(patient=patient, severity=Severity.EMERGENCY).exists()
    evaluate_patient_flags.call(patient.pk)
    assert Flag.objects.filter(patient=patient, rule_id="emergency.cauda_equina").exists()


def test_a_summary_that_cannot_be_refreshed_is_queued_and_the_check_in_is_kept(monkeypatch):
    def broken(**kwargs):
        raise ValueError("bug")

    monkeypatch.setattr("tracker.services.summaries.summary_values", broken)
    patient = PatientFactory()
    checkin_save(patient=patient, local_date=patient.local_today(), data=BLADDER)
    assert CheckIn.objects.filter(patient=patient).exists()
    assert Flag.objects.filter(patient=patient, rule_id="emergency.cauda_equina").exists()
    assert queued(refresh_patient_summary.module_path) == [[patient.pk]]


def test_a_session_entry_is_not_kept_without_its_safety_step():
    assignment = AssignmentFactory(with_clearance=True)
    patient = assignment.patient
    with connection_drops_after('INSERT INTO "tracker_sessionentry"'), pytest.raises(DatabaseError):
        session_entry_save(
            patient=patient,
            assignment=assignment,
            local_date=patient.local_today(),
            data={"status": "done", "pain_before": 2, "pain_after": 9},
        )
    assert not SessionEntry.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_the_safety_step_cannot_run_apart_from_the_write_it_belongs_to():
    patient = PatientFactory()
    assert not transaction.get_connection().in_atomic_block
    with pytest.raises(TransactionManagementError):
        safety_step(patient=patient)
