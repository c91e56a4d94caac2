"""Clearances and exercise programs for the demo clinic (see tracker.demo and seed_demo).

Idempotent like the rest of the demo: each step looks for what it would create
and leaves existing rows alone, so running seed_demo twice changes nothing.
Rows are created directly (not through routines.services) so decisions can be
dated in the past; the values follow the same rules the services enforce.
"""

from collections.abc import Mapping, Sequence
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone

from tracker.models import Condition, User

from .library import install_library
from .models import Assignment, AssignmentStatus, Clearance, Decision, Exercise

LOWER_BACK_PROGRAM = ["glute-bridge", "pelvic-tilt", "knee-to-chest-stretch", "belly-to-spine", "walking"]
NECK_PROGRAM = ["chin-tuck", "ear-to-shoulder-stretch", "chin-to-pocket", "walking"]
PROGRAMS = {Condition.LOWER_BACK: LOWER_BACK_PROGRAM, Condition.NECK: NECK_PROGRAM}
FLAGGED_RESTRICTIONS = "Neck and general exercises only. No lifting above shoulder height for now."


def _exercises(slugs: list[str]) -> list[Exercise]:
    by_slug = {exercise.slug: exercise for exercise in Exercise.objects.filter(slug__in=slugs)}
    return [by_slug[slug] for slug in slugs if slug in by_slug]


def _assignment(*, patient: User, exercise: Exercise, physio: User, position: int) -> Assignment:
    return Assignment(
        patient=patient,
        exercise=exercise,
        prescribed_by=physio,
        sets=exercise.default_sets,
        reps=exercise.default_reps,
        hold_seconds=exercise.default_hold_seconds,
        minutes=exercise.default_minutes,
        times_per_week=5 if exercise.default_minutes else 7,
        position=position,
    )


def _ensure_clearance(patient: User, **fields) -> None:
    if not Clearance.objects.filter(patient=patient).exists():
        Clearance.objects.create(patient=patient, **fields)


def _ensure_program(*, patient: User, physio: User, slugs: list[str]) -> None:
    current = set(
        Assignment.objects.filter(patient=patient)
        .exclude(status=AssignmentStatus.REMOVED)
        .values_list("exercise__slug", flat=True)
    )
    for position, exercise in enumerate(_exercises(slugs)):
        if exercise.slug not in current:
            _assignment(patient=patient, exercise=exercise, physio=physio, position=position).save()


@transaction.atomic
def seed_programs(*, clinic) -> None:
    """The three demo patients' decisions and programs.

    demo-patient-new has no decision (their exercises page is locked);
    demo-patient-active is cleared by demo-doctor and has a lower-back program
    from demo-physio; demo-patient-flagged has a restricted clearance covering
    the neck and a neck program.
    """
    install_library()
    today = timezone.localdate()
    _ensure_clearance(
        clinic.patient_active,
        decision=Decision.CLEARED,
        covers_neck=True,
        covers_lower_back=True,
        covers_general=True,
        decided_on=today - timedelta(days=30),
        doctor=clinic.doctor,
        recorded_by=clinic.doctor,
    )
    _ensure_program(patient=clinic.patient_active, physio=clinic.physio, slugs=LOWER_BACK_PROGRAM)
    _ensure_clearance(
        clinic.patient_flagged,
        decision=Decision.RESTRICTED,
        covers_neck=True,
        covers_general=True,
        restrictions=FLAGGED_RESTRICTIONS,
        decided_on=today - timedelta(days=30),
        doctor=clinic.doctor,
        recorded_by=clinic.doctor,
    )
    _ensure_program(patient=clinic.patient_flagged, physio=clinic.physio, slugs=NECK_PROGRAM)


@transaction.atomic
def seed_programs_bulk(
    *,
    patients: Sequence[User],
    physio: User,
    doctor: User,
    decided_on: date | None = None,
    physio_of: Mapping[int, User] | None = None,
) -> None:
    """A clearance and a 4-5 exercise program for many patients, in a few bulk queries.

    Each patient without any decision gets an open-ended clearance by `doctor`
    dated `decided_on` (default: a year ago, before any demo history); each
    patient without any current assignment gets the program for their
    condition from their own physiotherapist in `physio_of` (by patient id),
    else from `physio`. No history rows are written for these bulk rows.
    """
    install_library()
    decided_on = decided_on or timezone.localdate() - timedelta(days=365)
    patient_ids = [patient.pk for patient in patients]
    with_clearance = set(
        Clearance.objects.filter(patient_id__in=patient_ids).values_list("patient_id", flat=True).distinct()
    )
    Clearance.objects.bulk_create(
        [
            Clearance(
                patient=patient,
                decision=Decision.CLEARED,
                covers_neck=True,
                covers_lower_back=True,
                covers_general=True,
                decided_on=decided_on,
                doctor=doctor,
                recorded_by=doctor,
            )
            for patient in patients
            if patient.pk not in with_clearance
        ],
        batch_size=2000,
    )
    with_program = set(
        Assignment.objects.filter(patient_id__in=patient_ids)
        .exclude(status=AssignmentStatus.REMOVED)
        .values_list("patient_id", flat=True)
        .distinct()
    )
    programs = {condition: _exercises(slugs) for condition, slugs in PROGRAMS.items()}
    physio_of = physio_of or {}
    Assignment.objects.bulk_create(
        [
            _assignment(patient=patient, exercise=exercise, physio=physio_of.get(patient.pk, physio), position=position)
            for patient in patients
            if patient.pk not in with_program
            for position, exercise in enumerate(programs.get(patient.condition, programs[Condition.LOWER_BACK]))
        ],
        batch_size=2000,
    )
