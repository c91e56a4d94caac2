"""Reads for clinics that depend on who is asking. Anything of another clinic answers 404."""

from django.db.models import QuerySet
from django.http import Http404

from tracker.models import CareTeamMembership, Role, User
from tracker.selectors import patients_visible_to

from .models import Clinic, Invitation


def invitations_of_clinic(*, user: User) -> QuerySet[Invitation]:
    """The invitations of `user`'s own clinic (clinicians only), newest first."""
    if not user.is_authenticated or not user.is_clinician or user.clinic_id is None:
        return Invitation.objects.none()
    return Invitation.objects.filter(clinic_id=user.clinic_id).select_related("invited_by")


def invitation_for_clinician(*, user: User, invitation_id: int) -> Invitation:
    try:
        return invitations_of_clinic(user=user).get(pk=invitation_id)
    except Invitation.DoesNotExist:
        raise Http404("No such invitation.") from None


def managed_clinic(*, user: User) -> Clinic:
    """The clinic `user` manages; 404 for anyone who is not a clinic manager."""
    if not user.is_authenticated or not user.is_clinician or not user.is_clinic_manager or user.clinic_id is None:
        raise Http404("Not available for this account.")
    return user.clinic


def clinicians_of_clinic(*, manager: User) -> QuerySet[User]:
    """Every clinician account of the manager's clinic, active or not (awaiting approval, deactivated)."""
    clinic = managed_clinic(user=manager)
    return (
        User.objects.filter(clinic=clinic, role__in=[Role.PHYSIOTHERAPIST, Role.DOCTOR])
        .select_related("invitation")
        .order_by("-is_active", "last_name", "first_name", "pk")
    )


def clinician_for_manager(*, manager: User, clinician_id: int) -> User:
    try:
        return clinicians_of_clinic(manager=manager).get(pk=clinician_id)
    except User.DoesNotExist:
        raise Http404("No such clinician.") from None


def care_team_links(*, patient: User) -> QuerySet[CareTeamMembership]:
    """A patient's care-team links, current first, then ended ones, with who added or ended them."""
    return (
        CareTeamMembership.objects.filter(patient=patient, clinician__clinic_id=patient.clinic_id)
        .select_related("clinician")
        .prefetch_related("changes__by")
        .order_by("ended_at", "clinician__last_name", "pk")
    )


def discharged_patients(*, user: User) -> QuerySet[User]:
    """The discharged patients on `user`'s care teams (the tenant and care-team rule of tracker.selectors)."""
    return (
        patients_visible_to(user=user).filter(discharged_at__isnull=False).order_by("-discharged_at", "last_name", "pk")
    )
