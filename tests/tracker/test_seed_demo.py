import json

import pytest
from django.core.management import CommandError, call_command

from tracker.models import CareTeamMembership, User

pytestmark = pytest.mark.django_db

DEMO_USERNAMES = {
    "demo-admin",
    "demo-physio",
    "demo-doctor",
    "demo-patient-new",
    "demo-patient-active",
    "demo-patient-flagged",
    "demo-hillview-physio",
    "demo-hillview-patient",
}


def snapshot():
    """Everything the demo creates, as comparable values (passwords included)."""
    from django.apps import apps

    counts = {model._meta.label: model.objects.count() for model in apps.get_models()}
    counts.pop("axes.AccessLog", None)
    passwords = dict(User.objects.values_list("username", "password"))
    return counts, passwords


@pytest.fixture
def debug_on(settings):
    settings.DEBUG = True


def test_seed_demo_builds_the_demo_clinic(debug_on):
    call_command("seed_demo")
    assert set(User.objects.values_list("username", flat=True)) >= DEMO_USERNAMES
    physio = User.objects.get(username="demo-physio")
    for name in ("demo-patient-new", "demo-patient-active", "demo-patient-flagged"):
        patient = User.objects.get(username=name)
        assert patient.is_patient
        assert CareTeamMembership.objects.active().filter(patient=patient, clinician=physio).exists()
    assert User.objects.get(username="demo-admin").is_staff
    assert User.objects.get(username="demo-patient-active").check_password("demo-pass")


def test_running_seed_demo_twice_changes_nothing(debug_on):
    call_command("seed_demo", patients=3, days=0)
    before = snapshot()
    call_command("seed_demo", patients=3, days=0)
    assert snapshot() == before


def test_seed_demo_uses_demo_password_from_the_environment(debug_on, monkeypatch):
    monkeypatch.setenv("DEMO_PASSWORD", "another-demo-secret")
    call_command("seed_demo")
    assert User.objects.get(username="demo-physio").check_password("another-demo-secret")


def test_seed_demo_refuses_with_debug_off_unless_forced(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="refuses to run with DJANGO_DEBUG off"):
        call_command("seed_demo")
    assert not User.objects.filter(username__startswith="demo-").exists()
    call_command("seed_demo", force=True)
    assert User.objects.filter(username__startswith="demo-").count() == len(DEMO_USERNAMES)


def test_seed_demo_builds_two_clinics_that_do_not_see_each_other(debug_on):
    from tracker.selectors import patients_visible_to

    call_command("seed_demo")
    physio = User.objects.get(username="demo-physio")
    other_physio = User.objects.get(username="demo-hillview-physio")
    assert physio.clinic != other_physio.clinic
    assert physio.is_clinic_manager
    assert other_physio.is_clinic_manager
    assert not User.objects.filter(username__startswith="demo-", role="", clinic__isnull=False).exists()
    assert set(User.objects.exclude(role="").filter(username__startswith="demo-").values_list("clinic", flat=True)) == {
        physio.clinic_id,
        other_physio.clinic_id,
    }
    assert list(patients_visible_to(user=other_physio).values_list("username", flat=True)) == ["demo-hillview-patient"]
    assert "demo-hillview-patient" not in set(patients_visible_to(user=physio).values_list("username", flat=True))


def test_extra_patients_join_the_demo_clinicians_caseload(debug_on):
    call_command("seed_demo", patients=4)
    extra = User.objects.filter(username__startswith="bench-patient-")
    assert extra.count() == 4
    doctor = User.objects.get(username="demo-doctor")
    assert CareTeamMembership.objects.active().filter(clinician=doctor, patient__in=extra).count() == 4


def test_negative_sizes_are_refused(debug_on):
    with pytest.raises(CommandError, match="zero or more"):
        call_command("seed_demo", patients=-1)


def test_the_demo_patients_see_who_has_looked_at_their_record(debug_on, client):
    call_command("seed_demo")
    client.force_login(User.objects.get(username="demo-patient-active"))
    page = client.get("/my/record-views/")
    assert "Priya Shah" in page.text
    assert "Daniel Okafor" in page.text


def test_the_demo_patients_have_questionnaire_history_and_one_a_meaningful_change(debug_on, client):
    from django.urls import reverse

    from tracker.outcomes.selectors import due_for, outcomes_for

    call_command("seed_demo")
    active = User.objects.get(username="demo-patient-active")
    outcomes = outcomes_for(patient=active)
    assert len(outcomes.psfs.points) == 2
    assert [trend.short_name for trend in outcomes.meaningful] == ["PSFS", "PEG"]
    assert not outcomes_for(patient=User.objects.get(username="demo-patient-flagged")).meaningful
    assert due_for(patient=User.objects.get(username="demo-patient-new")).due
    client.force_login(active)
    assert "Your questionnaires" in client.get(reverse("my_progress")).content.decode()


def test_the_demo_physio_looks_after_the_caseload_and_other_physios_of_the_clinic_the_rest(debug_on):
    from tracker.selectors import patients_visible_to

    call_command("seed_demo", patients=7, caseload=3)
    physio = User.objects.get(username="demo-physio")
    extra = User.objects.filter(username__startswith="bench-patient-")
    mine = set(patients_visible_to(user=physio).filter(pk__in=extra).values_list("username", flat=True))
    assert mine == {"bench-patient-00001", "bench-patient-00002", "bench-patient-00003"}
    other_physio = User.objects.get(username="bench-physio-001")
    assert other_physio.clinic == physio.clinic
    assert other_physio.is_clinician
    assert set(patients_visible_to(user=other_physio).values_list("username", flat=True)) == set(
        extra.exclude(username__in=mine).values_list("username", flat=True)
    )
    assert set(extra.values_list("clinic", flat=True)) == {physio.clinic_id}


def test_bulk_summaries_and_flags_are_what_the_ordinary_refresh_and_rules_give(debug_on, monkeypatch):
    from tracker.flags import thresholds
    from tracker.flags.engine import load_snapshot, run_rules
    from tracker.models import Flag, FlagNotification, PatientSummary
    from tracker.services.flags import flags_evaluate
    from tracker.services.summaries import summary_refresh

    # Any next morning counts as worse than before exercising, so every bulk patient has a flag to compare.
    monkeypatch.setattr(thresholds, "NEXT_MORNING_RISE_LIMIT", -11)
    call_command("seed_demo", patients=5, days=30)
    fields = ("last_check_in_on", "baseline_pain", "baseline_from", "recent_days", "recent_until")
    flagged = 0
    for patient in User.objects.filter(username__startswith="bench-patient-"):
        bulk_summary = PatientSummary.objects.filter(patient=patient).values(*fields).get()
        bulk_flags = {
            (
                flag.rule_id,
                flag.dedupe_key,
                flag.severity,
                flag.explanation,
                flag.clinician_summary,
                json.dumps(flag.evidence, sort_keys=True),
            )
            for flag in Flag.objects.filter(patient=patient)
        }
        findings, failures = run_rules(load_snapshot(patient=patient, today=patient.local_today()))
        assert bulk_flags == {
            (
                finding.rule_id,
                finding.dedupe_key,
                finding.severity,
                finding.explanation,
                finding.clinician_summary,
                json.dumps(finding.evidence, sort_keys=True),
            )
            for finding in findings
        }
        assert not failures
        # The care team is told, as after an ordinary check-in.
        told = FlagNotification.objects.filter(flag__patient=patient, recipient__username="demo-physio")
        assert told.count() == len(bulk_flags)
        flagged += bool(bulk_flags)
        result = flags_evaluate(patient=patient)
        assert not result.opened
        assert not result.updated
        assert not result.no_longer_applies
        summary_refresh(patient=patient)
        assert PatientSummary.objects.filter(patient=patient).values(*fields).get() == bulk_summary
    assert flagged >= 3
