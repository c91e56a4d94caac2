import os
from dataclasses import dataclass

import pytest
from django.test import Client
from django_otp import DEVICE_ID_SESSION_KEY

from tests.factories import (
    AdminFactory,
    CareTeamMembershipFactory,
    ClinicFactory,
    DoctorFactory,
    PatientFactory,
    PhysiotherapistFactory,
)
from tracker.models import User


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """In CI a skipped test is a failure: a skip must never pass for a pass."""
    outcome = yield
    report = outcome.get_result()
    if os.environ.get("CI", "").lower() == "true" and report.skipped and not hasattr(report, "wasxfail"):
        report.outcome = "failed"
        report.longrepr = f"Skipped in CI, which counts as a failure: {report.longrepr}"


def verified_authenticator(user):
    """A confirmed authenticator-app device for the user, as after the set-up (tracker.mfa)."""
    from django_otp.plugins.otp_totp.models import TOTPDevice

    device, _ = TOTPDevice.objects.get_or_create(user=user, name="Test authenticator", defaults={"confirmed": True})
    return device


@pytest.fixture(autouse=True)
def _force_login_includes_the_second_step(monkeypatch):
    """In tests, `client.force_login(user)` means signed in with both steps, as people really are.

    Clinicians and staff must show a second factor (tracker.mfa); a forced
    login gives them a confirmed authenticator and a session verified with it.
    Tests of the second step itself sign in with `client.login(...)` instead.
    """
    from tracker.mfa.policy import second_factor_required

    original = Client.force_login

    def force_login(self, user, backend=None):
        original(self, user, backend)
        if second_factor_required(user):
            session = self.session
            session[DEVICE_ID_SESSION_KEY] = verified_authenticator(user).persistent_id
            session.save()

    monkeypatch.setattr(Client, "force_login", force_login)


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: ids repeat between tests, and cached pages are keyed by them."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Argon2 is deliberately slow; tests that need the real hasher say so.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@dataclass
class Clinic:
    """Two patients and a clinician of each kind on each side of patient A's care team.

    The unlinked clinicians look after patient B, so they are real clinicians
    with a caseload, just not patient A's. The manager runs this clinic and
    looks after no one; a second clinic has its own manager (a physiotherapist)
    and patient, linked to each other.
    """

    patient_a: User
    patient_b: User
    linked_physio: User
    unlinked_physio: User
    linked_doctor: User
    unlinked_doctor: User
    manager: User
    other_clinic_manager: User
    other_clinic_patient: User
    admin: User

    def actor(self, name: str) -> User | None:
        return None if name == "anonymous" else getattr(self, name)


@pytest.fixture
def clinic(db) -> Clinic:
    patient_a = PatientFactory(first_name="Alice", last_name="Able")
    patient_b = PatientFactory(first_name="Bert", last_name="Baker")
    linked_physio = PhysiotherapistFactory()
    unlinked_physio = PhysiotherapistFactory()
    linked_doctor = DoctorFactory()
    unlinked_doctor = DoctorFactory()
    for clinician in (linked_physio, linked_doctor):
        CareTeamMembershipFactory(patient=patient_a, clinician=clinician)
    for clinician in (unlinked_physio, unlinked_doctor):
        CareTeamMembershipFactory(patient=patient_b, clinician=clinician)
    other_clinic = ClinicFactory(name="Hillview (tests)", emergency_number="112")
    other_clinic_manager = PhysiotherapistFactory(clinic=other_clinic, is_clinic_manager=True)
    other_clinic_patient = PatientFactory(clinic=other_clinic, first_name="Otto", last_name="Other")
    CareTeamMembershipFactory(patient=other_clinic_patient, clinician=other_clinic_manager)
    return Clinic(
        patient_a=patient_a,
        patient_b=patient_b,
        linked_physio=linked_physio,
        unlinked_physio=unlinked_physio,
        linked_doctor=linked_doctor,
        unlinked_doctor=unlinked_doctor,
        manager=PhysiotherapistFactory(is_clinic_manager=True),
        other_clinic_manager=other_clinic_manager,
        other_clinic_patient=other_clinic_patient,
        admin=AdminFactory(),
    )
