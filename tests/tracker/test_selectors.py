import pytest
from django.http import Http404
from django.utils import timezone

from tests.factories import CareTeamMembershipFactory, PatientFactory
from tracker.models import Role
from tracker.selectors import care_team_of, patient_for_clinician, patients_visible_to

pytestmark = pytest.mark.django_db


def test_a_patient_sees_only_themself(clinic):
    assert list(patients_visible_to(user=clinic.patient_a)) == [clinic.patient_a]


def test_a_clinician_sees_only_the_patients_they_are_linked_to(clinic):
    assert list(patients_visible_to(user=clinic.linked_physio)) == [clinic.patient_a]
    assert list(patients_visible_to(user=clinic.unlinked_doctor)) == [clinic.patient_b]


def test_staff_see_no_patients_in_the_product(clinic):
    assert list(patients_visible_to(user=clinic.admin)) == []


def test_an_ended_link_hides_the_patient(clinic):
    link = clinic.patient_a.care_team_links.get(clinician=clinic.linked_physio)
    link.ended_at = timezone.now()
    link.save()
    assert list(patients_visible_to(user=clinic.linked_physio)) == []
    with pytest.raises(Http404):
        patient_for_clinician(user=clinic.linked_physio, patient_id=clinic.patient_a.pk)


def test_a_relinked_clinician_sees_the_patient_once(clinic):
    link = clinic.patient_a.care_team_links.get(clinician=clinic.linked_physio)
    link.ended_at = timezone.now()
    link.save()
    CareTeamMembershipFactory(patient=clinic.patient_a, clinician=clinic.linked_physio)
    assert list(patients_visible_to(user=clinic.linked_physio)) == [clinic.patient_a]


def test_patient_for_clinician_answers_404_for_someone_elses_patient(clinic):
    with pytest.raises(Http404):
        patient_for_clinician(user=clinic.unlinked_physio, patient_id=clinic.patient_a.pk)


def test_patient_for_clinician_can_demand_a_role(clinic):
    assert patient_for_clinician(user=clinic.linked_doctor, patient_id=clinic.patient_a.pk, role=Role.DOCTOR)
    with pytest.raises(Http404):
        patient_for_clinician(user=clinic.linked_physio, patient_id=clinic.patient_a.pk, role=Role.DOCTOR)


def test_patient_for_clinician_refuses_patients_and_staff(clinic):
    for user in (clinic.patient_a, clinic.admin):
        with pytest.raises(Http404):
            patient_for_clinician(user=user, patient_id=clinic.patient_a.pk)


def test_a_deactivated_patient_is_hidden_from_the_care_team(clinic):
    clinic.patient_a.is_active = False
    clinic.patient_a.save()
    assert list(patients_visible_to(user=clinic.linked_physio)) == []


def test_the_care_team_lists_active_clinicians_physiotherapists_first(clinic):
    assert list(care_team_of(patient=clinic.patient_a)) == [clinic.linked_physio, clinic.linked_doctor]
    assert PatientFactory() not in care_team_of(patient=clinic.patient_a)
