"""The daily job: re-evaluates recently active patients (so silence is noticed) and sends due e-mails."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django_tasks import TaskResultStatus

from tests.factories import FlagFactory, PatientFactory
from tracker.flags.rules import Rule
from tracker.models import Change, Flag, Severity
from tracker.services.flags import flags_evaluate_recent, patients_to_evaluate
from tracker.tasks import evaluate_flags_daily

from .records import log_check_in

pytestmark = pytest.mark.django_db


def test_the_daily_job_notices_a_patient_who_reported_worse_symptoms_and_went_quiet():
    patient = PatientFactory()
    log_check_in(patient, 3, numbness=Change.WORSE)
    output = StringIO()
    call_command("evaluate_flags", stdout=output)
    assert "contact.not_heard_from_you" in set(Flag.objects.filter(patient=patient).values_list("rule_id", flat=True))
    assert "Evaluated 1 patients" in output.getvalue()


def test_patients_with_nothing_recent_and_no_open_flag_are_skipped():
    quiet, flagged, active = PatientFactory(), PatientFactory(), PatientFactory()
    log_check_in(quiet, 60)
    log_check_in(flagged, 60)
    FlagFactory(patient=flagged)
    log_check_in(active, 1)
    assert patients_to_evaluate() == [flagged, active]


def test_inactive_accounts_are_skipped():
    patient = PatientFactory(is_active=False)
    log_check_in(patient, 0)
    assert patients_to_evaluate() == []


def test_a_rule_that_cannot_run_fails_the_job_after_evaluating_everyone(monkeypatch):
    def broken(snapshot):
        raise KeyError("limb_pain")

    monkeypatch.setattr(
        "tracker.flags.engine.RULES", [Rule("test.broken", Severity.CONTACT_PROVIDER, "Broken", broken)]
    )
    first, second = PatientFactory(), PatientFactory()
    log_check_in(first, 0)
    log_check_in(second, 0)
    errors = StringIO()
    with pytest.raises(CommandError, match="2 flag rule runs failed"):
        call_command("evaluate_flags", stderr=errors)
    assert f"Patient {first.pk}: rule test.broken could not run: KeyError" in errors.getvalue()
    assert Flag.objects.filter(dedupe_key="system.rule_failed:test.broken").count() == 2


def test_the_report_counts_what_happened():
    patient = PatientFactory()
    log_check_in(patient, 0, fever=True)
    report = flags_evaluate_recent()
    assert (report.patients, report.opened, report.failures) == (1, 1, [])


def test_the_daily_job_also_runs_as_a_background_task(immediate_tasks):
    patient = PatientFactory()
    log_check_in(patient, 4, weakness=Change.NEW)
    result = evaluate_flags_daily.enqueue()
    assert result.status == TaskResultStatus.SUCCESSFUL
    assert result.return_value["patients"] == 1
    assert Flag.objects.filter(patient=patient, rule_id="contact.not_heard_from_you").exists()
