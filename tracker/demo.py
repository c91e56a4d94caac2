"""The demo clinic built by `manage.py seed_demo`.

Each step is idempotent: it looks for what it would create and leaves existing
rows alone, so running the command twice changes nothing.
"""

from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.db import transaction

from .models import CareTeamMembership, Condition, Role, User

DEMO_PASSWORD = "demo-pass"  # noqa: S105 - documented demo credential, refused with debug off
EXTRA_PATIENT_PREFIX = "bench-patient-"


@dataclass
class DemoClinic:
    admin: User
    physio: User
    doctor: User
    patient_new: User
    patient_active: User
    patient_flagged: User
    extra_patients: list[User] = field(default_factory=list)

    @property
    def demo_patients(self) -> list[User]:
        return [self.patient_new, self.patient_active, self.patient_flagged]


DEMO_PEOPLE = [
    # username, first, last, role, condition
    ("demo-physio", "Priya", "Shah", Role.PHYSIOTHERAPIST, ""),
    ("demo-doctor", "Daniel", "Okafor", Role.DOCTOR, ""),
    ("demo-patient-new", "Nora", "Evans", Role.PATIENT, Condition.LOWER_BACK),
    ("demo-patient-active", "Alex", "Morgan", Role.PATIENT, Condition.LOWER_BACK),
    ("demo-patient-flagged", "Sam", "Turner", Role.PATIENT, Condition.NECK),
]


def _user(username: str, *, password_hash: str, **fields) -> User:
    user, _ = User.objects.get_or_create(username=username, defaults={"password": password_hash, **fields})
    return user


def _link(patient: User, clinician: User) -> None:
    if not CareTeamMembership.objects.active().filter(patient=patient, clinician=clinician).exists():
        CareTeamMembership.objects.create(patient=patient, clinician=clinician)


@transaction.atomic
def build_clinic(*, password: str) -> DemoClinic:
    password_hash = make_password(password)
    admin = _user(
        "demo-admin",
        password_hash=password_hash,
        first_name="Ada",
        last_name="Admin",
        email="demo-admin@example.org",
        is_staff=True,
        is_superuser=True,
    )
    people = {
        username: _user(
            username,
            password_hash=password_hash,
            first_name=first,
            last_name=last,
            email=f"{username}@example.org",
            role=role,
            condition=condition,
        )
        for username, first, last, role, condition in DEMO_PEOPLE
    }
    clinic = DemoClinic(
        admin=admin,
        physio=people["demo-physio"],
        doctor=people["demo-doctor"],
        patient_new=people["demo-patient-new"],
        patient_active=people["demo-patient-active"],
        patient_flagged=people["demo-patient-flagged"],
    )
    for patient in clinic.demo_patients:
        _link(patient, clinic.physio)
        _link(patient, clinic.doctor)
    return clinic


@transaction.atomic
def add_extra_patients(*, clinic: DemoClinic, count: int, password: str) -> list[User]:
    """Patients for measuring at scale, all on the demo clinicians' caseload.

    Created in bulk with one shared password hash: hashing thousands of
    passwords one by one would dominate the run time.
    """
    password_hash = make_password(password)
    usernames = [f"{EXTRA_PATIENT_PREFIX}{number:05d}" for number in range(1, count + 1)]
    existing = set(User.objects.filter(username__in=usernames).values_list("username", flat=True))
    conditions = [Condition.LOWER_BACK, Condition.NECK]
    User.objects.bulk_create(
        [
            User(
                username=username,
                password=password_hash,
                first_name="Patient",
                last_name=username.removeprefix(EXTRA_PATIENT_PREFIX),
                role=Role.PATIENT,
                condition=conditions[number % 2],
            )
            for number, username in enumerate(usernames)
            if username not in existing
        ],
        batch_size=500,
    )
    patients = list(User.objects.filter(username__in=usernames).order_by("username"))
    linked = set(
        CareTeamMembership.objects.active()
        .filter(patient__in=patients, clinician__in=[clinic.physio, clinic.doctor])
        .values_list("patient_id", "clinician_id")
    )
    CareTeamMembership.objects.bulk_create(
        [
            CareTeamMembership(patient=patient, clinician=clinician)
            for patient in patients
            for clinician in (clinic.physio, clinic.doctor)
            if (patient.pk, clinician.pk) not in linked
        ],
        batch_size=1000,
    )
    clinic.extra_patients = patients
    return patients
