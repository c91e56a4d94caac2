import pytest
from django.core.management import call_command

from routines.demo import seed_programs_bulk
from routines.models import Assignment, Clearance, Region
from routines.selectors import clearance_in_force, loggable_assignments, program_for
from tests.factories import DoctorFactory, PatientFactory, PhysiotherapistFactory
from tests.tracker.test_seed_demo import snapshot
from tracker.models import Condition, User

pytestmark = pytest.mark.django_db


@pytest.fixture
def debug_on(settings):
    settings.DEBUG = True


def _patient(username: str) -> User:
    return User.objects.get(username=username)


def test_the_new_demo_patient_has_no_decision_and_no_program(debug_on):
    call_command("seed_demo")
    patient = _patient("demo-patient-new")
    assert not Clearance.objects.filter(patient=patient).exists()
    assert program_for(patient=patient) == []


def test_the_active_demo_patient_is_cleared_with_a_lower_back_program_they_can_do(debug_on):
    call_command("seed_demo")
    patient = _patient("demo-patient-active")
    clearance = clearance_in_force(patient=patient)
    assert clearance.doctor.username == "demo-doctor"
    program = loggable_assignments(patient=patient, on=patient.local_today())
    lower_back = [assignment for assignment in program if assignment.exercise.region == Region.LOWER_BACK]
    assert len(lower_back) >= 4
    assert {assignment.prescribed_by.username for assignment in program} == {"demo-physio"}
    assert "walking" in {assignment.exercise.slug for assignment in program}


def test_the_flagged_demo_patient_has_a_neck_program_under_a_clearance_covering_the_neck(debug_on):
    call_command("seed_demo")
    patient = _patient("demo-patient-flagged")
    clearance = clearance_in_force(patient=patient)
    assert clearance.covers(Region.NECK)
    items = program_for(patient=patient)
    assert {item.exercise.region for item in items} >= {Region.NECK}
    assert all(item.exercise.region != Region.LOWER_BACK for item in items)


def test_extra_demo_patients_get_a_clearance_and_a_program_for_their_condition(debug_on):
    call_command("seed_demo", patients=4)
    extra = User.objects.filter(username__startswith="bench-patient-")
    for patient in extra:
        items = program_for(patient=patient)
        assert 4 <= len(items) <= 5
        assert all(item.available for item in items)
        expected = Region.NECK if patient.condition == Condition.NECK else Region.LOWER_BACK
        assert expected in {item.exercise.region for item in items}


def test_running_seed_demo_twice_leaves_programs_and_clearances_unchanged(debug_on):
    call_command("seed_demo", patients=3)
    before = snapshot()
    call_command("seed_demo", patients=3)
    assert snapshot() == before
    assert Assignment.objects.count() > 0


def test_bulk_programs_use_a_few_batched_queries_not_one_per_patient(django_assert_max_num_queries):
    physio, doctor = PhysiotherapistFactory(), DoctorFactory()
    patients = PatientFactory.create_batch(60)
    # SQLite limits parameters per statement, so the inserts come in a few batches.
    with django_assert_max_num_queries(30):
        seed_programs_bulk(patients=patients, physio=physio, doctor=doctor)
    assert Assignment.objects.filter(patient__in=patients).count() == 5 * len(patients)
    assert Clearance.objects.filter(patient__in=patients).count() == len(patients)
