"""The clinic manager's pages and care teams from the product."""

import pytest
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.factories import DoctorFactory, PhysiotherapistFactory
from tests.tracker.clinics.helpers import InvitationFactory
from tracker.clinics import services
from tracker.clinics.models import CareTeamChange
from tracker.clinics.tokens import invitation_token
from tracker.models import CareTeamMembership, User

pytestmark = pytest.mark.django_db

JOIN = {
    "first_name": "Cai",
    "last_name": "Colleague",
    "phone": "",
    "new_password1": "bright-river-stone-42",
    "new_password2": "bright-river-stone-42",
    "accept_terms": "on",
}


def test_an_invited_clinician_signs_in_only_after_the_manager_approves(client, clinic):
    invitation = InvitationFactory(
        invited_by=clinic.linked_physio, role="doctor", condition="", email="cai@example.org"
    )
    response = client.post(reverse("invitation_accept", args=[invitation_token(invitation)]), JOIN)
    assert "will now approve it" in response.content.decode()
    doctor = User.objects.get(email="cai@example.org")
    assert doctor.is_doctor
    assert not doctor.is_active
    credentials = {"username": doctor.username, "password": "bright-river-stone-42"}
    assert client.post(reverse("login"), credentials).status_code == 200  # refused: the form again

    client.force_login(clinic.manager)
    page = client.get(reverse("clinician_list")).content.decode()
    assert "Waiting for your approval" in page
    client.post(reverse("clinician_approve", args=[doctor.pk]))
    doctor.refresh_from_db()
    assert doctor.is_active
    client.logout()
    assert client.post(reverse("login"), credentials).status_code == 302
    # The second step is still required: the first page sends them to set it up.
    assert client.get(reverse("caseload"))["Location"].startswith(reverse("mfa_setup"))


def test_only_the_clinics_own_manager_runs_its_pages(client, clinic):
    # A name no factory makes up, so finding it on the other clinic's page can only mean a leak.
    clinic.linked_physio.last_name = "Quillfeather-Osei"
    clinic.linked_physio.save(update_fields=["last_name"])
    client.force_login(clinic.linked_physio)  # a clinician, not a manager
    assert client.get(reverse("clinician_list")).status_code == 404
    client.force_login(clinic.other_clinic_manager)
    assert client.post(reverse("clinician_deactivate", args=[clinic.linked_physio.pk])).status_code == 404
    clinic.linked_physio.refresh_from_db()
    assert clinic.linked_physio.is_active
    page = client.get(reverse("clinician_list")).content.decode()
    assert clinic.linked_physio.last_name not in page


def test_the_manager_deactivates_and_resets_a_colleagues_second_step(client, clinic):
    TOTPDevice.objects.create(user=clinic.linked_doctor, name="phone", confirmed=True)
    client.force_login(clinic.manager)
    client.post(reverse("clinician_second_factors_reset", args=[clinic.linked_doctor.pk]))
    assert not TOTPDevice.objects.filter(user=clinic.linked_doctor).exists()
    client.post(reverse("clinician_deactivate", args=[clinic.linked_doctor.pk]))
    clinic.linked_doctor.refresh_from_db()
    assert not clinic.linked_doctor.is_active
    # Nothing deleted: the care-team link is still on record.
    assert CareTeamMembership.objects.filter(clinician=clinic.linked_doctor).exists()
    response = client.post(reverse("clinician_deactivate", args=[clinic.manager.pk]), follow=True)
    assert "cannot deactivate your own account" in response.content.decode()


def test_the_manager_edits_the_clinic_and_patients_see_its_emergency_number(client, clinic):
    client.force_login(clinic.manager)
    response = client.post(
        reverse("clinic_edit"),
        {"name": "Riverside", "phone": "020 7946 0000", "emergency_number": "911", "time_zone": "America/New_York"},
    )
    assert response.status_code == 302
    clinic.patient_a.refresh_from_db()
    assert clinic.patient_a.clinic.emergency_number == "911"
    bad = client.post(reverse("clinic_edit"), {"name": "Riverside", "emergency_number": "call us", "time_zone": "Mars"})
    page = bad.content.decode()
    assert "An emergency number is 2 to 6 digits" in page
    assert "is not a time zone name" in page


@pytest.mark.parametrize("count", [2, 10])
def test_the_clinician_list_takes_a_fixed_number_of_queries(client, clinic, django_assert_num_queries, count):
    for _ in range(count):
        PhysiotherapistFactory()
    client.force_login(clinic.manager)
    client.get(reverse("clinician_list"))
    # Session, user, second-factor device, the clinic, the clinicians with their invitations.
    with django_assert_num_queries(6):  # one is the audit trail's INSERT
        assert client.get(reverse("clinician_list")).status_code == 200


def test_a_colleague_is_added_to_and_removed_from_the_care_team(client, clinic):
    colleague = DoctorFactory()
    client.force_login(clinic.linked_physio)
    page = client.get(reverse("care_team", args=[clinic.patient_a.pk])).content.decode()
    assert colleague.last_name in page
    assert clinic.other_clinic_manager.last_name not in page
    client.post(reverse("care_team", args=[clinic.patient_a.pk]), {"clinician": colleague.pk})
    client.post(reverse("care_team", args=[clinic.patient_a.pk]), {"clinician": colleague.pk})  # double submit
    link = CareTeamMembership.objects.get(patient=clinic.patient_a, clinician=colleague)
    assert link.changes.get().by == clinic.linked_physio

    client.force_login(colleague)
    assert client.get(reverse("patient_detail", args=[clinic.patient_a.pk])).status_code == 200
    client.force_login(clinic.linked_physio)
    client.post(reverse("care_team_end", args=[clinic.patient_a.pk, link.pk]))
    link.refresh_from_db()
    assert link.ended_at is not None
    ended = link.changes.get(kind=CareTeamChange.Kind.ENDED)
    assert ended.by == clinic.linked_physio
    page = client.get(reverse("care_team", args=[clinic.patient_a.pk])).content.decode()
    assert f"ended by {clinic.linked_physio.display_name}" in page
    client.force_login(colleague)
    assert client.get(reverse("patient_detail", args=[clinic.patient_a.pk])).status_code == 404


def test_nobody_from_another_clinic_can_be_added(client, clinic):
    client.force_login(clinic.linked_physio)
    response = client.post(
        reverse("care_team", args=[clinic.patient_a.pk]), {"clinician": clinic.other_clinic_manager.pk}
    )
    assert response.status_code == 200
    assert "Select a valid choice" in response.content.decode()
    assert not CareTeamMembership.objects.filter(
        clinician=clinic.other_clinic_manager, patient=clinic.patient_a
    ).exists()
    with pytest.raises(services.ValidationError):
        services.care_team_add(patient=clinic.patient_a, clinician=clinic.other_clinic_manager, by=clinic.linked_physio)
