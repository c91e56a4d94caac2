"""The demo clinic built by `manage.py seed_demo`.

Each step is idempotent: it looks for what it would create and leaves existing
rows alone, so running the command twice changes nothing.
"""

from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.db import transaction

from .clinics.models import Clinic
from .models import CareTeamMembership, Condition, Role, User

DEMO_PASSWORD = "demo-pass"  # noqa: S105 - documented demo credential, refused with debug off
EXTRA_PATIENT_PREFIX = "bench-patient-"
BENCH_PHYSIO_PREFIX = "bench-physio-"
# Extra patients per physiotherapist beyond demo-physio's caseload: the size of the caseload page measured.
BENCH_CASELOAD = 500


DEMO_CLINIC = {
    "name": "Riverside Physiotherapy",
    "phone": "020 7946 0123",
    "emergency_number": "999",
    "time_zone": "Europe/London",
    "address": "12 River Street\nLondon SE1 2AB",
}
# A second clinic, so the tenant rule can be seen: its people never see the first clinic's, or the reverse.
OTHER_CLINIC = {
    "name": "Hillview Spine Clinic",
    "phone": "01 555 0199",
    "emergency_number": "112",
    "time_zone": "Europe/Dublin",
    "address": "4 Hill Road\nDublin 8",
}
OTHER_PEOPLE = [
    ("demo-hillview-physio", "Grace", "Byrne", Role.PHYSIOTHERAPIST, ""),
    ("demo-hillview-patient", "Liam", "Walsh", Role.PATIENT, Condition.NECK),
]


@dataclass
class DemoClinic:
    clinic: Clinic
    other_clinic: Clinic
    other_physio: User
    other_patient: User
    admin: User
    physio: User
    doctor: User
    patient_new: User
    patient_active: User
    patient_flagged: User
    extra_patients: list[User] = field(default_factory=list)
    # Each extra patient's physiotherapist (by patient id), who prescribes their program.
    physio_of: dict[int, User] = field(default_factory=dict)

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


def _clinic(fields: dict, *, existing_member: str) -> Clinic:
    """The demo clinic: the one its first member already belongs to (a database migrated from before
    clinics existed), else the one of this name, made once."""
    member = User.objects.filter(username=existing_member, clinic__isnull=False).select_related("clinic").first()
    if member is not None:
        return member.clinic
    clinic, _ = Clinic.objects.get_or_create(name=fields["name"], defaults=fields)
    return clinic


def _link(patient: User, clinician: User) -> None:
    if not CareTeamMembership.objects.active().filter(patient=patient, clinician=clinician).exists():
        CareTeamMembership.objects.create(patient=patient, clinician=clinician)


@transaction.atomic
def build_clinic(*, password: str) -> DemoClinic:
    password_hash = make_password(password)
    demo_clinic = _clinic(DEMO_CLINIC, existing_member="demo-physio")
    other_clinic = _clinic(OTHER_CLINIC, existing_member="demo-hillview-physio")
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
            clinic=demo_clinic,
            time_zone=demo_clinic.time_zone,
            # demo-physio also runs the clinic's pages (see README, "Running a clinic").
            is_clinic_manager=username == "demo-physio",
        )
        for username, first, last, role, condition in DEMO_PEOPLE
    }
    others = {
        username: _user(
            username,
            password_hash=password_hash,
            first_name=first,
            last_name=last,
            email=f"{username}@example.org",
            role=role,
            condition=condition,
            clinic=other_clinic,
            time_zone=other_clinic.time_zone,
            is_clinic_manager=role == Role.PHYSIOTHERAPIST,
        )
        for username, first, last, role, condition in OTHER_PEOPLE
    }
    _link(others["demo-hillview-patient"], others["demo-hillview-physio"])
    clinic = DemoClinic(
        clinic=demo_clinic,
        other_clinic=other_clinic,
        other_physio=others["demo-hillview-physio"],
        other_patient=others["demo-hillview-patient"],
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


def bench_physio_username(number: int) -> str:
    return f"{BENCH_PHYSIO_PREFIX}{number:03d}"


def _bench_physios(*, clinic: DemoClinic, count: int, password_hash: str) -> list[User]:
    """The clinic's other physiotherapists, who look after the extra patients beyond demo-physio's caseload."""
    usernames = [bench_physio_username(number) for number in range(1, count + 1)]
    existing = set(User.objects.filter(username__in=usernames).values_list("username", flat=True))
    User.objects.bulk_create(
        [
            User(
                username=username,
                password=password_hash,
                first_name="Physio",
                last_name=username.removeprefix(BENCH_PHYSIO_PREFIX),
                email=f"{username}@example.org",
                role=Role.PHYSIOTHERAPIST,
                clinic=clinic.clinic,
                time_zone=clinic.clinic.time_zone,
            )
            for username in usernames
            if username not in existing
        ]
    )
    by_username = {physio.username: physio for physio in User.objects.filter(username__in=usernames)}
    return [by_username[username] for username in usernames]


@transaction.atomic
def add_extra_patients(*, clinic: DemoClinic, count: int, password: str, caseload: int | None = None) -> list[User]:
    """Patients for measuring at scale, in the demo clinic.

    The first `caseload` (default: all of them) are on demo-physio's and
    demo-doctor's caseload; the rest are shared out, BENCH_CASELOAD each,
    between other physiotherapists of the clinic (bench-physio-001, ...), so
    the clinic can hold far more patients than one caseload page shows.
    Created in bulk with one shared password hash: hashing thousands of
    passwords one by one would dominate the run time. Sets
    `clinic.extra_patients` and `clinic.physio_of` (each patient's physiotherapist).
    """
    caseload = count if caseload is None else min(caseload, count)
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
                clinic=clinic.clinic,
            )
            for number, username in enumerate(usernames)
            if username not in existing
        ],
        batch_size=2000,
    )
    patients = list(User.objects.filter(username__in=usernames).order_by("username"))
    others = _bench_physios(clinic=clinic, count=-(-(count - caseload) // BENCH_CASELOAD), password_hash=password_hash)
    teams = {
        patient.pk: (clinic.physio, clinic.doctor)
        if index < caseload
        else (others[(index - caseload) // BENCH_CASELOAD],)
        for index, patient in enumerate(patients)
    }
    # A patient already looked after (an earlier run, maybe with another --caseload) keeps their care team.
    linked = set(CareTeamMembership.objects.active().filter(patient__in=patients).values_list("patient_id", flat=True))
    CareTeamMembership.objects.bulk_create(
        [
            CareTeamMembership(patient=patient, clinician=clinician)
            for patient in patients
            if patient.pk not in linked
            for clinician in teams[patient.pk]
        ],
        batch_size=2000,
    )
    clinic.extra_patients = patients
    clinic.physio_of = {patient.pk: teams[patient.pk][0] for patient in patients}
    return patients
