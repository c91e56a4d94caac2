import pytest
from django.urls import reverse

from tests.factories import PatientFactory, PhysiotherapistFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("actor", ["patient_a", "linked_physio", "linked_doctor"])
def test_admin_is_closed_to_patients_and_clinicians(client, clinic, actor):
    client.force_login(clinic.actor(actor))
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("admin:login"))


def test_staff_manage_users_and_see_a_patients_care_team(admin_client):
    patient = PatientFactory(last_name="Carrow")
    physio = PhysiotherapistFactory(last_name="Lindqvist")
    from tests.factories import CareTeamMembershipFactory

    CareTeamMembershipFactory(patient=patient, clinician=physio)
    response = admin_client.get(reverse("admin:tracker_user_change", args=[patient.pk]))
    assert response.status_code == 200
    assert "Lindqvist" in response.text


def _end_link(admin_client, link, ended_on: str):
    return admin_client.post(
        reverse("admin:tracker_careteammembership_change", args=[link.pk]),
        {
            "patient": link.patient_id,
            "clinician": link.clinician_id,
            "started_at_0": link.started_at.date().isoformat(),
            "started_at_1": "09:00:00",
            "ended_at_0": ended_on,
            "ended_at_1": "10:00:00",
        },
    )


def test_staff_can_end_a_care_team_link(admin_client, clinic):
    link = clinic.patient_a.care_team_links.get(clinician=clinic.linked_physio)
    response = _end_link(admin_client, link, "2099-01-02")
    assert response.status_code == 302
    link.refresh_from_db()
    assert link.ended_at is not None


def test_a_care_team_link_cannot_end_before_it_started(admin_client, clinic):
    link = clinic.patient_a.care_team_links.get(clinician=clinic.linked_physio)
    response = _end_link(admin_client, link, "2001-01-02")
    assert response.status_code == 200
    assert "care_team_ends_after_start" in response.text or "Constraint" in response.text
    link.refresh_from_db()
    assert link.ended_at is None
