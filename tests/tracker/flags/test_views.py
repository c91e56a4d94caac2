"""What patients and clinicians see of flags, and acting on them with and without htmx."""

import pytest
from django.urls import reverse

from tests.factories import AssignmentFactory, CareTeamMembershipFactory, FlagFactory, PatientFactory
from tracker.flags.selectors import alerts_for_clinician, patient_alerts
from tracker.models import FlagStatus, Severity

pytestmark = pytest.mark.django_db

EMERGENCY = {"rule_id": "emergency.cauda_equina", "severity": Severity.EMERGENCY}


def emergency_flag(patient):
    return FlagFactory(
        patient=patient, explanation="Today you told us about a change in how your bladder or bowel works.", **EMERGENCY
    )


def review_flag(assignment):
    return FlagFactory(
        patient=assignment.patient,
        rule_id="review.exercise_aggravates",
        severity=Severity.REVIEW_EXERCISE,
        assignment=assignment,
        explanation="Bridges made your symptoms worse in 2 of your last 3 sessions.",
    )


def home(client, patient):
    client.force_login(patient)
    return client.get(reverse("patient_home")).content.decode()


# --- The patient's banners ---------------------------------------------------


def test_an_emergency_tells_the_patient_to_get_care_now_and_that_exercises_are_paused(client, clinic):
    AssignmentFactory(patient=clinic.patient_a, with_clearance=True)
    emergency_flag(clinic.patient_a)
    page = home(client, clinic.patient_a)
    assert "Get emergency care now" in page
    assert "Today you told us about a change in how your bladder or bowel works." in page
    assert "Call 999, or go to the nearest emergency department" in page
    assert 'href="tel:999"' in page
    assert "Your exercises are paused until a clinician has checked on you." in page
    assert 'role="alert"' in page


def test_a_contact_flag_names_the_physiotherapist_and_doctor_and_says_why(client, clinic):
    FlagFactory(patient=clinic.patient_a)
    page = home(client, clinic.patient_a)
    assert "Please contact your physiotherapist or doctor in the next day or two" in page
    assert (
        f"Who to call: {clinic.linked_physio.display_name} (physiotherapist) and "
        f"{clinic.linked_doctor.display_name} (doctor)."
    ) in page
    assert "Your average back pain over the last 7 days is 6.1, up from 3.4 when you started." in page
    assert "Get emergency care now" not in page


def test_a_contact_flag_that_no_longer_applies_says_things_look_better(client, clinic):
    FlagFactory(patient=clinic.patient_a, still_applies=False)
    assert "Your latest check-in looks better." in home(client, clinic.patient_a)


def test_a_patient_without_a_care_team_is_told_to_call_their_family_doctor(client):
    patient = PatientFactory()
    FlagFactory(patient=patient)
    assert "Please call your family doctor." in home(client, patient)


def test_a_review_flag_pauses_only_that_exercise_with_the_reason(client, clinic):
    assignment = AssignmentFactory(patient=clinic.patient_a, exercise__name="Bridges", with_clearance=True)
    review_flag(assignment)
    page = home(client, clinic.patient_a)
    assert "Bridges is paused" in page
    assert "Bridges made your symptoms worse in 2 of your last 3 sessions." in page
    assert "You can keep doing your other exercises." in page


def test_a_patient_never_sees_a_flag_about_a_check_that_could_not_run(client, clinic):
    FlagFactory(patient=clinic.patient_a, rule_id="system.rule_failed", dedupe_key="system.rule_failed:x")
    assert not patient_alerts(patient=clinic.patient_a)
    assert "flag-banner" not in home(client, clinic.patient_a)


def test_resolved_flags_and_other_patients_flags_are_not_shown(client, clinic):
    FlagFactory(patient=clinic.patient_b)
    FlagFactory(
        patient=clinic.patient_a,
        status=FlagStatus.RESOLVED,
        resolved_by=clinic.linked_physio,
        resolved_at="2025-01-01T10:00:00Z",
    )
    assert "flag-banner" not in home(client, clinic.patient_a)


def test_the_home_page_query_count_does_not_grow_with_the_number_of_flags(client, django_assert_max_num_queries):
    few, many = PatientFactory(), PatientFactory()
    for patient, count in ((few, 1), (many, 12)):
        CareTeamMembershipFactory(patient=patient)
        for number in range(count):
            FlagFactory(patient=patient, rule_id=f"contact.rule_{number}")
            review_flag(AssignmentFactory(patient=patient, with_clearance=True))
    counts = []
    for patient in (few, many):
        client.force_login(patient)
        with django_assert_max_num_queries(20) as captured:
            assert client.get(reverse("patient_home")).status_code == 200
        counts.append(len(captured.captured_queries))
    assert counts[0] == counts[1]


# --- The clinician's alert list ----------------------------------------------


def test_alerts_are_most_severe_first_then_oldest_and_only_for_linked_patients(clinic):
    older_contact = FlagFactory(patient=clinic.patient_a, rule_id="contact.a")
    newer_contact = FlagFactory(patient=clinic.patient_a, rule_id="contact.b")
    emergency = emergency_flag(clinic.patient_a)
    FlagFactory(patient=clinic.patient_b)
    assert alerts_for_clinician(clinician=clinic.linked_physio) == [emergency, older_contact, newer_contact]
    assert alerts_for_clinician(clinician=clinic.unlinked_physio) != []
    assert emergency not in alerts_for_clinician(clinician=clinic.unlinked_physio)
    assert alerts_for_clinician(clinician=clinic.patient_a) == []


def test_the_alert_list_is_one_query_however_many_flags(clinic, django_assert_num_queries):
    for number in range(15):
        FlagFactory(patient=clinic.patient_a, rule_id=f"contact.rule_{number}")
    with django_assert_num_queries(1):
        alerts = alerts_for_clinician(clinician=clinic.linked_physio)
        [(flag.patient.display_name, flag.assignment) for flag in alerts]


def test_the_caseload_page_shows_the_alert_inbox(client, clinic):
    emergency_flag(clinic.patient_a)
    client.force_login(clinic.linked_doctor)
    page = client.get(reverse("caseload")).content.decode()
    assert 'id="inbox-heading"' in page
    assert "Bladder, bowel or saddle numbness (cauda equina signs)" in page
    assert clinic.patient_a.display_name in page
    assert "Mark all seen" in page


def test_a_clinician_with_no_alerts_is_told_so(client, clinic):
    client.force_login(clinic.linked_physio)
    assert "No open alerts." in client.get(reverse("caseload")).content.decode()


# --- Acknowledge and resolve -------------------------------------------------


def url(name, flag):
    return reverse(name, kwargs={"patient_id": flag.patient_id, "flag_id": flag.pk})


def test_acknowledging_with_htmx_returns_only_the_updated_row(client, clinic):
    flag = emergency_flag(clinic.patient_a)
    client.force_login(clinic.linked_physio)
    response = client.post(url("flag_acknowledge", flag), headers={"HX-Request": "true"})
    page = response.content.decode()
    assert page.lstrip().startswith(f'<li id="alert-{flag.pk}"')
    assert "<html" not in page
    assert f"Seen by {clinic.linked_physio.display_name}" in page
    assert "Mark as seen" not in page
    flag.refresh_from_db()
    assert flag.status == FlagStatus.ACKNOWLEDGED


def test_acknowledging_without_javascript_goes_back_with_a_message(client, clinic):
    flag = emergency_flag(clinic.patient_a)
    client.force_login(clinic.linked_physio)
    response = client.post(url("flag_acknowledge", flag), {"next": "/caseload/?sort=pain"}, follow=True)
    assert response.redirect_chain[-1][0] == "/caseload/?sort=pain"
    assert f"Marked as seen: the alert for {clinic.patient_a.display_name}." in response.content.decode()


def test_an_outside_next_address_is_ignored(client, clinic):
    flag = emergency_flag(clinic.patient_a)
    client.force_login(clinic.linked_physio)
    response = client.post(url("flag_acknowledge", flag), {"next": "https://evil.example/"})
    assert response["Location"] == reverse("caseload")


def test_resolving_with_htmx_shows_the_outcome_in_the_row(client, clinic):
    flag = emergency_flag(clinic.patient_a)
    client.force_login(clinic.linked_physio)
    response = client.post(url("flag_resolve", flag), {"note": "Sent to A&E."}, headers={"HX-Request": "true"})
    page = response.content.decode()
    assert f"by {clinic.linked_physio.display_name}: Sent to A&amp;E." in page
    assert "<html" not in page
    flag.refresh_from_db()
    assert (flag.status, flag.resolution_note) == (FlagStatus.RESOLVED, "Sent to A&E.")


def test_resolving_with_htmx_without_a_note_keeps_the_row_open_with_the_error(client, clinic):
    flag = emergency_flag(clinic.patient_a)
    client.force_login(clinic.linked_physio)
    response = client.post(url("flag_resolve", flag), {"note": "   "}, headers={"HX-Request": "true"})
    page = response.content.decode()
    assert "Write a short note on what you did or decided." in page
    assert '<details class="alert-resolve" open>' in page
    flag.refresh_from_db()
    assert flag.status == FlagStatus.OPEN


def test_a_note_that_is_too_long_is_refused_and_kept_on_the_form(client, clinic):
    flag = emergency_flag(clinic.patient_a)
    client.force_login(clinic.linked_physio)
    note = "Called. " * 300
    response = client.post(url("flag_resolve", flag), {"note": note})
    page = response.content.decode()
    assert response.status_code == 200
    assert "at most 2000 characters" in page
    assert note.strip() in page
    flag.refresh_from_db()
    assert flag.status == FlagStatus.OPEN


def test_resolving_without_javascript_goes_back_with_a_message(client, clinic):
    flag = emergency_flag(clinic.patient_a)
    client.force_login(clinic.linked_doctor)
    response = client.post(url("flag_resolve", flag), {"note": "Seen in clinic."}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("caseload")
    assert f"Resolved: the alert for {clinic.patient_a.display_name}." in response.content.decode()
    assert "No open alerts." in response.content.decode()


def test_the_resolve_page_works_without_javascript(client, clinic):
    flag = emergency_flag(clinic.patient_a)
    client.force_login(clinic.linked_physio)
    page = client.get(url("flag_resolve", flag)).content.decode()
    assert f"Resolve an alert for {clinic.patient_a.display_name}" in page
    assert 'name="note"' in page


def test_acting_on_a_resolved_flag_says_it_is_already_resolved(client, clinic):
    flag = FlagFactory(
        patient=clinic.patient_a,
        status=FlagStatus.RESOLVED,
        resolved_by=clinic.linked_physio,
        resolved_at="2025-01-01T10:00:00Z",
        resolution_note="Done.",
    )
    client.force_login(clinic.linked_doctor)
    response = client.post(url("flag_acknowledge", flag), headers={"HX-Request": "true"})
    assert "This flag is already resolved." in response.content.decode()


def test_another_patients_flag_under_a_linked_patients_address_is_a_404(client, clinic):
    other = FlagFactory(patient=clinic.patient_b)
    client.force_login(clinic.linked_physio)
    forged = reverse("flag_acknowledge", kwargs={"patient_id": clinic.patient_a.pk, "flag_id": other.pk})
    assert client.post(forged).status_code == 404
    other.refresh_from_db()
    assert other.status == FlagStatus.OPEN
