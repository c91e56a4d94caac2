"""Who may see whom. Every view that shows patient data asks this module.

The rule: a patient sees only themself; a clinician sees the patients of their
own clinic they are linked to through an active care-team row; nobody else sees
any patient in the product (staff work in the Django admin). A clinician never
sees, finds or links anyone from another clinic (the tenant rule). Anything
outside that answers 404, so a guessed id reveals nothing, not even that the
patient exists.
"""

from django.db.models import QuerySet
from django.http import Http404

from .audit.context import note_patient
from .models import CareTeamMembership, Role, User


def patients_visible_to(*, user: User) -> QuerySet[User]:
    patients = User.objects.filter(role=Role.PATIENT, is_active=True)
    if not user.is_authenticated:
        return patients.none()
    if user.is_patient:
        return patients.filter(pk=user.pk)
    if user.is_clinician:
        if user.clinic_id is None:
            return patients.none()
        return patients.filter(
            clinic_id=user.clinic_id,
            care_team_links__clinician=user,
            care_team_links__ended_at__isnull=True,
        ).distinct()
    return patients.none()


def patient_for_clinician(*, user: User, patient_id: int, role: str | None = None) -> User:
    """The patient with this id if `user` is an active care-team clinician (of `role`, if given); else 404.

    The id asked for goes on the request's audit record first, so a refused
    attempt is recorded against the patient it aimed at (tracker.audit).
    """
    note_patient(patient_id)
    if not user.is_clinician or (role is not None and user.role != role):
        raise Http404("No such patient.")
    try:
        return patients_visible_to(user=user).get(pk=patient_id)
    except User.DoesNotExist:
        raise Http404("No such patient.") from None


def care_team_of(*, patient: User) -> QuerySet[User]:
    """The clinicians actively looking after a patient, physiotherapists first."""
    return (
        User.objects.filter(
            caseload_links__patient=patient,
            caseload_links__ended_at__isnull=True,
            is_active=True,
            clinic_id=patient.clinic_id,
        )
        .order_by("-role", "last_name", "first_name")
        .distinct()
    )


def is_on_care_team(*, clinician: User, patient: User) -> bool:
    if clinician.clinic_id is None or clinician.clinic_id != patient.clinic_id:
        return False
    return CareTeamMembership.objects.active().filter(clinician=clinician, patient=patient).exists()


def colleagues_of(*, user: User) -> QuerySet[User]:
    """The active clinicians of `user`'s own clinic (never anyone from another clinic)."""
    if not user.is_authenticated or not user.is_clinician or user.clinic_id is None:
        return User.objects.none()
    return User.objects.filter(
        clinic_id=user.clinic_id, role__in=[Role.PHYSIOTHERAPIST, Role.DOCTOR], is_active=True
    ).order_by("last_name", "first_name", "pk")
