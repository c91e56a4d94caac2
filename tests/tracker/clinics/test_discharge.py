"""Discharge and re-admission: off the caseload, program stopped, no flags; nothing deleted."""

import uuid

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from routines.selectors import program_for
from routines.services import assignment_add
from tests.factories import AssignmentFactory, ExerciseFactory
from tracker.clinics import services
from tracker.clinics.models import Discharge
from tracker.models import CareTeamMembership, CheckIn, Flag
from tracker.services.flags import flags_evaluate, flags_evaluate_recent, patients_to_evaluate

pytestmark = pytest.mark.django_db


def discharge(client, clinic, reason="Goals met; managing on their own."):
    client.force_login(clinic.linked_physio)
    return client.post(
        reverse("patient_discharge", args=[clinic.patient_a.pk]),
        {"reason": reason, "submission_token": str(uuid.uuid4())},
    )


def test_a_discharged_patient_leaves_the_caseload_but_nothing_is_deleted(client, clinic):
    AssignmentFactory(patient=clinic.patient_a, with_clearance=True)
    assert discharge(client, clinic).status_code == 302
    clinic.patient_a.refresh_from_db()
    assert clinic.patient_a.discharged_at is not None
    record = Discharge.objects.get(patient=clinic.patient_a)
    assert record.reason == "Goals met; managing on their own."
    assert record.discharged_by == clinic.linked_physio
    caseload = client.get(reverse("caseload")).content.decode()
    assert reverse("patient_detail", args=[clinic.patient_a.pk]) not in caseload
    assert clinic.patient_a.last_name in client.get(reverse("discharged_list")).content.decode()
    # The care team, the program and the page are all still there.
    assert CareTeamMembership.objects.active().filter(patient=clinic.patient_a).count() == 2
    assert clinic.patient_a.assignments.count() == 1
    assert client.get(reverse("patient_detail", args=[clinic.patient_a.pk])).status_code == 200


def test_the_program_stops_and_cannot_be_added_to(clinic):
    AssignmentFactory(patient=clinic.patient_a, with_clearance=True)
    assert [item.available for item in program_for(patient=clinic.patient_a)] == [True]
    services.patient_discharge(patient=clinic.patient_a, by=clinic.linked_physio, reason="Moved away.")
    items = program_for(patient=clinic.patient_a)
    assert [item.available for item in items] == [False]
    assert items[0].blocker == "discharged"
    with pytest.raises(ValidationError, match="discharged"):
        assignment_add(
            physio=clinic.linked_physio, patient=clinic.patient_a, exercise=ExerciseFactory(), sets=2, reps=10
        )


def test_flags_no_longer_fire_for_a_discharged_patient(clinic):
    services.patient_discharge(patient=clinic.patient_a, by=clinic.linked_physio, reason="Moved away.")
    CheckIn.objects.create(
        patient=clinic.patient_a,
        local_date=clinic.patient_a.local_today(),
        neck_back_pain=9,
        limb_pain=9,
        bladder_bowel_change=True,
    )
    result = flags_evaluate(patient=clinic.patient_a)
    assert result.opened == []
    assert not Flag.objects.filter(patient=clinic.patient_a).exists()
    assert clinic.patient_a not in patients_to_evaluate()
    flags_evaluate_recent()
    assert not Flag.objects.filter(patient=clinic.patient_a).exists()


def test_the_patient_sees_the_discharged_page_with_their_data_download(client, clinic):
    services.patient_discharge(patient=clinic.patient_a, by=clinic.linked_physio, reason="Moved away.")
    client.force_login(clinic.patient_a)
    response = client.get(reverse("patient_home"))
    assert response["Location"] == reverse("my_discharged")
    page = client.get(reverse("my_discharged")).content.decode()
    assert "You have been discharged" in page
    assert reverse("my_export") in page
    assert client.get(reverse("my_export")).status_code == 200


def test_readmitting_restores_the_care_team_and_program(client, clinic):
    AssignmentFactory(patient=clinic.patient_a, with_clearance=True)
    discharge(client, clinic)
    client.post(reverse("patient_readmit", args=[clinic.patient_a.pk]))
    clinic.patient_a.refresh_from_db()
    assert clinic.patient_a.discharged_at is None
    record = Discharge.objects.get(patient=clinic.patient_a)
    assert record.readmitted_by == clinic.linked_physio
    assert reverse("patient_detail", args=[clinic.patient_a.pk]) in client.get(reverse("caseload")).content.decode()
    client.force_login(clinic.linked_doctor)
    assert client.get(reverse("patient_detail", args=[clinic.patient_a.pk])).status_code == 200
    assert [item.available for item in program_for(patient=clinic.patient_a)] == [True]
    # Discharged again later: a second episode, the first kept.
    discharge(client, clinic, reason="Finished again.")
    assert Discharge.objects.filter(patient=clinic.patient_a).count() == 2


def test_a_double_submit_discharges_once_and_a_reason_is_needed(client, clinic):
    client.force_login(clinic.linked_physio)
    url = reverse("patient_discharge", args=[clinic.patient_a.pk])
    response = client.post(url, {"reason": "   "})
    assert "This field is required" in response.content.decode() or "Write the reason" in response.content.decode()
    token = str(uuid.uuid4())
    client.post(url, {"reason": "Done.", "submission_token": token})
    client.post(url, {"reason": "Done.", "submission_token": token})
    assert Discharge.objects.count() == 1
    with pytest.raises(ValidationError):
        services.patient_discharge(patient=clinic.patient_a, by=clinic.linked_physio, reason="Again.")


@pytest.mark.parametrize("count", [1, 6])
def test_the_discharged_list_takes_a_fixed_number_of_queries(client, clinic, django_assert_num_queries, count):
    from tests.factories import CareTeamMembershipFactory, PatientFactory

    for _ in range(count):
        patient = PatientFactory()
        CareTeamMembershipFactory(patient=patient, clinician=clinic.linked_physio)
        services.patient_discharge(patient=patient, by=clinic.linked_physio, reason="Done.")
    client.force_login(clinic.linked_physio)
    client.get(reverse("discharged_list"))
    # Session, user, second-factor device, the patients.
    with django_assert_num_queries(5):  # one is the audit trail's INSERT
        assert client.get(reverse("discharged_list")).status_code == 200
