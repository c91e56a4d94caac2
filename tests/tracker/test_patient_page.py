"""The clinician's page for one patient: what it shows, to whom, and at what cost."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from routines.models import AssignmentStatus, Decision
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
from tracker.models import FlagStatus, Severity

pytestmark = pytest.mark.django_db


def page(client, clinic, viewer="linked_physio", query=""):
    client.force_login(clinic.actor(viewer))
    response = client.get(reverse("patient_detail", args=[clinic.patient_a.pk]) + query)
    assert response.status_code == 200
    return response.content.decode()


def test_open_flags_show_the_clinicians_summary_most_severe_first(client, clinic):
    FlagFactory(
        patient=clinic.patient_a,
        explanation="Your pain has gone up this week.",
        clinician_summary="Back pain 7-day mean 6.1 vs baseline 3.4 (+2.7, +79%), 3 days.",
    )
    FlagFactory(
        patient=clinic.patient_a,
        severity=Severity.EMERGENCY,
        rule_id="emergency.bladder",
        dedupe_key="emergency.bladder",
        explanation="Today you told us about a change in how your bladder or bowel works.",
        clinician_summary="Reported new bladder or bowel dysfunction on the safety checklist (25 Nov).",
    )

    html = page(client, clinic)

    open_flags = html[html.index('id="flags"') : html.index('id="progress"')]
    assert open_flags.index("Reported new bladder or bowel dysfunction") < open_flags.index("Back pain 7-day mean")
    assert "Your pain" not in open_flags
    assert "you told us" not in open_flags


def test_the_flag_history_says_who_acknowledged_and_who_resolved_with_their_note(client, clinic):
    FlagFactory(
        patient=clinic.patient_a,
        status=FlagStatus.RESOLVED,
        acknowledged_by=clinic.linked_doctor,
        acknowledged_at=timezone.now(),
        resolved_by=clinic.linked_physio,
        resolved_at=timezone.now(),
        resolution_note="Called the patient; eased the program.",
    )

    html = page(client, clinic)

    history = html[html.index('id="flag-history"') :]
    assert f"Acknowledged by {clinic.linked_doctor.display_name}" in history
    assert f"Resolved by {clinic.linked_physio.display_name}" in history
    assert "Called the patient; eased the program." in history


def test_the_clearance_history_lists_every_decision_with_revocations(client, clinic):
    ClearanceFactory(
        patient=clinic.patient_a,
        doctor=clinic.linked_doctor,
        revoked_at=timezone.now(),
        revoked_by=clinic.linked_doctor,
        revoke_reason="New weakness in the left leg.",
    )
    ClearanceFactory(
        patient=clinic.patient_a,
        decision=Decision.NOT_CLEARED,
        covers_neck=False,
        covers_lower_back=False,
        covers_general=False,
        doctor=clinic.linked_doctor,
    )

    html = page(client, clinic)

    history = html[html.index('id="clearance-history"') : html.index('id="flag-history"')]
    assert "Not cleared" in history
    assert "Cleared for exercise" in history
    assert "New weakness in the left leg." in history


def test_the_physiotherapist_gets_links_to_edit_the_program_and_each_exercise(client, clinic):
    assignment = AssignmentFactory(patient=clinic.patient_a, with_clearance=True)

    html = page(client, clinic)

    assert reverse("program", args=[clinic.patient_a.pk]) + f"#assignment-{assignment.pk}" in html
    assert "Edit the exercise program" in html


def test_the_doctor_sees_the_same_page_and_manages_the_clearance_from_it(client, clinic):
    AssignmentFactory(patient=clinic.patient_a, exercise=ExerciseFactory(name="Heel slide"), with_clearance=True)

    html = page(client, clinic, viewer="linked_doctor")

    assert "Heel slide" in html
    assert "Manage exercise approval" in html
    assert reverse("clearance", args=[clinic.patient_a.pk]) in html
    assert "Edit the exercise program" not in html


def test_a_paused_exercise_shows_why_in_the_program(client, clinic):
    AssignmentFactory(
        patient=clinic.patient_a, with_clearance=True, status=AssignmentStatus.PAUSED, pause_reason="Sore shoulder."
    )

    assert "Paused by the physiotherapist: Sore shoulder." in page(client, clinic)


def test_sessions_show_pain_before_and_after_each_exercise_and_highlight_a_big_rise(client, clinic):
    patient = clinic.patient_a
    assignment = AssignmentFactory(patient=patient, exercise=ExerciseFactory(name="Heel slide"))
    session = SessionLogFactory(patient=patient, local_date=patient.local_today() - timedelta(days=1))
    SessionEntryFactory(session=session, assignment=assignment, pain_before=2, pain_after=6, symptoms_worse=True)

    html = page(client, clinic)

    sessions = html[html.index('id="sessions"') :]
    assert "Heel slide</th>" in sessions
    assert '2 → 6 <span class="small pain-rise">(+4)</span>' in sessions
    assert "Symptoms worse" in sessions


def test_the_page_has_the_same_progress_charts_as_the_patient(client, clinic):
    CheckInFactory(patient=clinic.patient_a)

    html = page(client, clinic)

    assert 'id="patient-progress-pain-heading"' in html
    assert "<svg" in html


def test_an_unknown_chart_range_falls_back_to_four_weeks(client, clinic):
    html = page(client, clinic, query="?weeks=999")

    assert '<a class="button small primary" href="?weeks=4#progress" aria-current="page">' in html


def test_nothing_of_another_patient_appears(client, clinic):
    FlagFactory(patient=clinic.patient_b, explanation="Bert's flag.")
    ClinicalNoteFactory(patient=clinic.patient_b, body="Bert's note.")
    CheckInFactory(patient=clinic.patient_b, note="Bert's check-in.")

    html = page(client, clinic)

    assert "Bert" not in html


def test_an_unlinked_clinician_gets_404(client, clinic):
    client.force_login(clinic.unlinked_doctor)

    response = client.get(reverse("patient_detail", args=[clinic.patient_a.pk]))

    assert response.status_code == 404


def fill_history(clinic, days):
    patient = clinic.patient_a
    assignments = [AssignmentFactory(patient=patient, with_clearance=index == 0) for index in range(3)]
    for offset in range(days):
        day = patient.local_today() - timedelta(days=offset)
        CheckInFactory(patient=patient, local_date=day)
        session = SessionLogFactory(patient=patient, local_date=day)
        for assignment in assignments:
            SessionEntryFactory(session=session, assignment=assignment, pain_before=3, pain_after=4)
    for index in range(min(days, 5)):
        FlagFactory(patient=patient, rule_id=f"rule.{index}", dedupe_key=f"rule.{index}")
        ClinicalNoteFactory(patient=patient, author=clinic.linked_physio)


@pytest.mark.parametrize("days", [3, 60])
def test_the_page_runs_a_fixed_number_of_queries_whatever_the_history(
    client, clinic, days, django_assert_max_num_queries
):
    fill_history(clinic, days)
    client.force_login(clinic.linked_physio)

    # +3: the questionnaire trends, whether one is due, and the PSFS activities (one query each).
    # +1: the audit trail's INSERT (tracker/audit).
    # +2: the reminders section (the patient's choice, their recent reminders).
    with django_assert_max_num_queries(22):
        response = client.get(reverse("patient_detail", args=[clinic.patient_a.pk]), {"weeks": "52"})

    assert response.status_code == 200


def test_the_pain_summary_names_the_patient_for_the_clinician_and_says_your_to_the_patient(client, clinic):
    CheckInFactory(patient=clinic.patient_a, local_date=clinic.patient_a.local_today(), neck_back_pain=4, limb_pain=2)
    assert "Alice's 7-day average" in page(client, clinic)
    client.force_login(clinic.patient_a)
    assert "Your 7-day average" in client.get(reverse("my_progress")).content.decode()


def test_the_program_is_worded_as_the_patient_reads_it(client, clinic):
    ClearanceFactory(patient=clinic.patient_a)
    AssignmentFactory(patient=clinic.patient_a, sets=2, reps=10, hold_seconds=5, times_per_week=3)
    assert "2 sets of 10, hold each for 5 seconds; 3 times a week" in page(client, clinic)


# The header and the page's length (issue 11).


def test_the_header_holds_identity_contact_condition_clearance_open_flags_and_the_latest_note(client, clinic):
    patient = clinic.patient_a
    patient.email = "alice@example.org"
    patient.save(update_fields=["email"])
    ClearanceFactory(patient=patient)
    FlagFactory(patient=patient, clinician_summary="Back pain 7-day mean 6.1 vs baseline 3.4 (+2.7, +79%), 3 days.")
    ClinicalNoteFactory(patient=patient, author=clinic.linked_physio, body="Older note.")
    ClinicalNoteFactory(patient=patient, author=clinic.linked_physio, body="Phoned: pain settling with rest.")

    html = page(client, clinic)
    header = html.split('id="summary"')[1].split("</header>")[0]

    assert patient.display_name in header
    assert patient.username in header
    assert 'href="mailto:alice@example.org"' in header
    assert patient.get_condition_display() in header
    assert "Cleared" in header
    assert "Pain rising above the starting level" in header
    assert "Phoned: pain settling with rest." in header
    assert "Older note." not in header
    for detail in ("Date of birth", "Clinic id", "Phone"):  # tracker.clinics
        assert detail in header


def test_jump_links_lead_to_every_section(client, clinic):
    html = page(client, clinic)
    nav = html.split('aria-label="Sections of this page"')[1].split("</nav>")[0]

    sections = ("flags", "notes", "progress", "questionnaires", "program", "sessions", "clearance-history")
    for section in (*sections, "flag-history", "export"):
        assert f'href="#{section}"' in nav
        assert f'id="{section}"' in html


def test_the_day_by_day_tables_are_folded_away(client, clinic):
    fill_history(clinic, 21)

    html = page(client, clinic)

    for table in ("pain-table", "adherence-table", "calendar-table", "session-table"):
        before = html.split(f'<table class="{table}">')[0]
        assert before.rfind('<details class="day-table">') > before.rfind("</details>"), table


def test_the_newest_two_notes_show_and_older_ones_fold_away(client, clinic):
    for number in range(5):
        note = ClinicalNoteFactory(patient=clinic.patient_a, author=clinic.linked_physio, body=f"Note number {number}.")
        type(note).objects.filter(pk=note.pk).update(created_at=timezone.now() - timedelta(days=5 - number))

    notes = page(client, clinic).split('id="notes"')[1].split("</section>")[0]
    shown, folded = notes.split('<details class="day-table earlier-notes">')

    assert "Note number 4." in shown
    assert "Note number 3." in shown
    assert "Show 3 earlier notes" in folded
    for number in range(3):
        assert f"Note number {number}." in folded
        assert f"Note number {number}." not in shown


def test_the_downloads_sit_in_the_export_section_not_the_header(client, clinic):
    html = page(client, clinic)
    header = html.split('id="summary"')[1].split("</header>")[0]
    export = html.split('id="export"')[1].split("</section>")[0]

    for name in ("patient_export", "patient_fhir"):
        url = reverse(name, args=[clinic.patient_a.pk])
        assert f'href="{url}"' in export
        assert f'href="{url}"' not in header
    assert f'href="{reverse("care_team", args=[clinic.patient_a.pk])}"' in header
