"""The tenant rule: a clinician never sees, finds or links anyone from another clinic."""

import pytest
from django.http import Http404
from django.urls import reverse

from tests.factories import CareTeamMembershipFactory, ClinicFactory, PatientFactory
from tracker.selectors import care_team_of, colleagues_of, is_on_care_team, patient_for_clinician, patients_visible_to

pytestmark = pytest.mark.django_db


def test_a_care_team_link_across_clinics_still_shows_nothing(clinic):
    """Even a link made by mistake in the admin does not open another clinic's patient."""
    CareTeamMembershipFactory(patient=clinic.other_clinic_patient, clinician=clinic.linked_physio)
    assert clinic.other_clinic_patient not in patients_visible_to(user=clinic.linked_physio)
    with pytest.raises(Http404):
        patient_for_clinician(user=clinic.linked_physio, patient_id=clinic.other_clinic_patient.pk)
    assert not is_on_care_team(clinician=clinic.linked_physio, patient=clinic.other_clinic_patient)
    assert clinic.linked_physio not in care_team_of(patient=clinic.other_clinic_patient)


def test_the_other_clinics_patient_page_is_a_404_like_any_missing_page(client, clinic):
    CareTeamMembershipFactory(patient=clinic.other_clinic_patient, clinician=clinic.linked_physio)
    client.force_login(clinic.linked_physio)
    response = client.get(reverse("patient_detail", args=[clinic.other_clinic_patient.pk]))
    assert response.status_code == 404


def test_colleagues_are_only_the_clinicians_of_ones_own_clinic(clinic):
    colleagues = set(colleagues_of(user=clinic.linked_physio))
    assert {clinic.linked_physio, clinic.unlinked_physio, clinic.linked_doctor, clinic.manager} <= colleagues
    assert clinic.other_clinic_manager not in colleagues
    assert clinic.patient_a not in colleagues
    assert set(colleagues_of(user=clinic.patient_a)) == set()


def test_the_emergency_number_is_the_patients_own_clinics(client, clinic, settings):
    from tracker.safety.outage import emergency_number_for

    settings.EMERGENCY_PHONE_NUMBER = "999"
    assert emergency_number_for(clinic.other_clinic_patient) == "112"
    assert emergency_number_for(clinic.patient_a) == "999"  # no number set for this clinic: the setting
    elsewhere = PatientFactory(clinic=ClinicFactory(emergency_number="911"))
    assert emergency_number_for(elsewhere) == "911"
    assert emergency_number_for(clinic.admin) == "999"
