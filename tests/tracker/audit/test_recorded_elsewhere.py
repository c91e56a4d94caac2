"""Audit rows and history written by services: second-factor resets, account and care-team changes."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django_otp.plugins.otp_totp.models import TOTPDevice

from tests.conftest import verified_authenticator
from tracker.audit.models import AuditAction, AuditEvent
from tracker.mfa.services import second_factors_reset
from tracker.models import CareTeamMembership, User

pytestmark = pytest.mark.django_db


def test_a_second_factor_reset_records_who_reset_whose(clinic):
    verified_authenticator(clinic.linked_physio)
    second_factors_reset(user=clinic.linked_physio, by=clinic.admin, client_address="192.0.2.44")
    assert not TOTPDevice.objects.filter(user=clinic.linked_physio).exists()
    row = AuditEvent.objects.get()
    assert (row.actor_id, row.actor_role, row.action, row.view_name) == (
        clinic.admin.pk,
        "staff",
        AuditAction.CHANGE,
        "second_factors_reset",
    )
    assert (row.object_type, row.object_id, row.patient_id) == ("second_factors", str(clinic.linked_physio.pk), None)
    assert row.client_address == "192.0.2.44"


def test_resetting_a_patients_factors_is_on_their_record(clinic):
    second_factors_reset(user=clinic.patient_a, by=clinic.admin)
    assert AuditEvent.objects.get().patient_id == clinic.patient_a.pk


def test_a_refused_reset_records_nothing_and_changes_nothing(clinic):
    verified_authenticator(clinic.admin)
    with pytest.raises(ValidationError):
        second_factors_reset(user=clinic.admin, by=clinic.admin)
    assert TOTPDevice.objects.filter(user=clinic.admin).exists()
    assert not AuditEvent.objects.exists()


def test_changes_to_an_account_keep_history_with_who_made_them(admin_client, clinic):
    patient = clinic.patient_a
    patient.last_name = "Ablewhite"
    patient.save()
    assert patient.history.first().last_name == "Ablewhite"
    assert patient.history.count() == 2  # created, renamed
    history_fields = {field.name for field in User.history.model._meta.fields}
    assert not {"password", "session_salt", "last_login"} & history_fields


def test_signing_in_adds_no_history(client, clinic):
    before = clinic.patient_a.history.count()
    client.force_login(clinic.patient_a)
    assert clinic.patient_a.history.count() == before


def test_ending_a_care_team_link_in_the_admin_is_kept_with_the_staff_member(admin_client, clinic):
    link = clinic.patient_a.care_team_links.get(clinician=clinic.linked_physio)
    admin_client.post(
        reverse("admin:tracker_careteammembership_change", args=[link.pk]),
        {
            "patient": link.patient_id,
            "clinician": link.clinician_id,
            "started_at_0": link.started_at.date().isoformat(),
            "started_at_1": "09:00:00",
            "ended_at_0": "2099-01-02",
            "ended_at_1": "10:00:00",
        },
    )
    latest = CareTeamMembership.history.filter(id=link.pk).first()
    assert latest.ended_at is not None
    assert latest.history_user.is_superuser
    assert admin_client.get(reverse("admin:tracker_careteammembership_history", args=[link.pk])).status_code == 200
    assert admin_client.get(reverse("admin:tracker_user_history", args=[clinic.patient_a.pk])).status_code == 200
