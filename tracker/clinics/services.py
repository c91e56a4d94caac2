"""Writes for clinics: invitations, joining, care teams, clinicians' accounts, discharge and account details.

Every function is keyword-only and one transaction. Who may call it is decided
by the views through tracker.clinics.selectors; the services check again what
must never happen whatever the caller (a link across clinics, for instance).
"""

import uuid

from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from tracker.idempotency import existing_submission
from tracker.jobs.queue import enqueue_durably
from tracker.models import CareTeamMembership, Condition, Role, User

from .models import CareTeamChange, Clinic, ConsentRecord, Discharge, Invitation
from .terms import TERMS_VERSION
from .tokens import InvitationClaim, LinkProblem

ALREADY_REGISTERED = "This person is already registered with your clinic."
CLINICIAN_ROLES = (Role.PHYSIOTHERAPIST, Role.DOCTOR)


def normalise_email(email: str) -> str:
    return (email or "").strip().lower()


# Invitations.


@transaction.atomic
def invitation_create(
    *,
    by: User,
    email: str,
    role: str,
    first_name: str,
    last_name: str,
    condition: str = "",
    time_zone: str = "",
    date_of_birth=None,
    phone: str = "",
    clinic_patient_id: str = "",
    base_url: str,
    submission_token: uuid.UUID | None = None,
) -> tuple[Invitation, bool]:
    """Invite someone to `by`'s clinic and queue the e-mail. Returns (invitation, created).

    An open invitation to the same address is updated and sent again instead
    (one pending invitation per address, a database constraint). An address
    that already has an account in this clinic is refused with the one message
    the inviter may see (ALREADY_REGISTERED); an account elsewhere is never
    mentioned (the person is told when they follow the link).
    """
    if not by.is_clinician or by.clinic_id is None:
        raise ValidationError("Only a clinician of a clinic can invite someone.")
    if role not in (Role.PATIENT, *CLINICIAN_ROLES):
        raise ValidationError({"role": "Choose patient, physiotherapist or doctor."})
    if role == Role.PATIENT and condition not in Condition.values:
        raise ValidationError({"condition": "Choose where the pinched nerve is: neck or lower back."})
    earlier = existing_submission(Invitation, submission_token, invited_by=by)
    if earlier is not None:
        return earlier, False
    email = normalise_email(email)
    if User.objects.filter(email__iexact=email, clinic_id=by.clinic_id).exists():
        raise ValidationError({"email": ALREADY_REGISTERED})
    clinic = by.clinic
    details = {
        "role": role,
        "first_name": first_name.strip(),
        "last_name": last_name.strip(),
        "condition": condition if role == Role.PATIENT else "",
        "time_zone": time_zone or clinic.time_zone,
        "date_of_birth": date_of_birth,
        "phone": phone.strip(),
        "clinic_patient_id": clinic_patient_id.strip(),
    }
    open_one = Invitation.objects.select_for_update().open().filter(clinic=clinic, email=email).first()
    created = open_one is None
    if open_one is None:
        try:
            with transaction.atomic():
                invitation = Invitation.objects.create(
                    clinic=clinic, email=email, invited_by=by, submission_token=submission_token, **details
                )
        except IntegrityError:
            # Another request made it a moment ago: that one is the invitation (the constraint keeps one).
            invitation = Invitation.objects.select_for_update().open().filter(clinic=clinic, email=email).first()
            if invitation is None:
                raise
            created = False
    else:
        invitation = open_one
        for name, value in details.items():
            setattr(invitation, name, value)
        invitation.invited_by = by
        invitation.sent_at = timezone.now()
        invitation.save()
    _queue_invitation_email(invitation, base_url)
    return invitation, created


def _queue_invitation_email(invitation: Invitation, base_url: str) -> None:
    from .tasks import send_invitation

    enqueue_durably(send_invitation, invitation.pk, int(invitation.sent_at.timestamp()), base_url)


@transaction.atomic
def invitation_resend(*, invitation: Invitation, by: User, base_url: str) -> Invitation:
    """Send an open invitation again with a fresh 7 days; the earlier link stops working."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at or invitation.cancelled_at:
        raise ValidationError("This invitation was already used or cancelled, so it cannot be sent again.")
    invitation.sent_at = timezone.now()
    invitation.save(update_fields=["sent_at"])
    _queue_invitation_email(invitation, base_url)
    return invitation


@transaction.atomic
def invitation_cancel(*, invitation: Invitation, by: User) -> Invitation:
    """Cancel an open invitation: its link then says so. Cancelling twice changes nothing."""
    invitation = Invitation.objects.select_for_update().get(pk=invitation.pk)
    if invitation.accepted_at:
        raise ValidationError("This person has already joined, so the invitation cannot be cancelled.")
    if invitation.cancelled_at is None:
        invitation.cancelled_at = timezone.now()
        invitation.cancelled_by = by
        invitation.save(update_fields=["cancelled_at", "cancelled_by"])
    return invitation


def invitation_for_link(claim: InvitationClaim, *, for_update: bool = False) -> Invitation:
    """The invitation a genuine link names, if it can still be used; LinkProblem says why not."""
    invitations = Invitation.objects.select_related("clinic", "invited_by")
    if for_update:
        invitations = invitations.select_for_update(of=("self",))
    invitation = invitations.filter(pk=claim.invitation_id).first()
    if invitation is None:
        raise LinkProblem("forged")
    if invitation.accepted_at is not None:
        raise LinkProblem("used")
    if invitation.cancelled_at is not None:
        raise LinkProblem("cancelled")
    if int(invitation.sent_at.timestamp()) != claim.sent_at:
        raise LinkProblem("replaced")
    if invitation.status == "expired":
        raise LinkProblem("expired")
    if User.objects.filter(email__iexact=invitation.email).exists():
        raise LinkProblem("registered")
    return invitation


def _username_for(email: str) -> str:
    base = email[:150]
    if not User.objects.filter(username__iexact=base).exists():
        return base
    for number in range(2, 1000):
        candidate = f"{base[:140]}-{number}"
        if not User.objects.filter(username__iexact=candidate).exists():
            return candidate
    return f"{base[:110]}-{uuid.uuid4().hex}"


@transaction.atomic
def invitation_accept(
    *,
    claim: InvitationClaim,
    password: str,
    first_name: str,
    last_name: str,
    date_of_birth=None,
    phone: str = "",
    accepted_terms: bool,
) -> User:
    """Join the clinic through an invitation: the account, the consent record and (patients) the care team.

    The invitation row is locked, so a double submit or two tabs make one
    account; the second finds the invitation used (LinkProblem("used")).
    A clinician's account stays inactive until the clinic manager approves it.
    """
    invitation = invitation_for_link(claim, for_update=True)
    if not accepted_terms:
        raise ValidationError({"accept_terms": "Tick the box to accept the terms and privacy notice."})
    user = User(
        username=_username_for(invitation.email),
        email=invitation.email,
        first_name=first_name.strip() or invitation.first_name,
        last_name=last_name.strip() or invitation.last_name,
        role=invitation.role,
        condition=invitation.condition,
        time_zone=invitation.time_zone,
        clinic=invitation.clinic,
        date_of_birth=date_of_birth if invitation.is_patient else None,
        phone=phone.strip(),
        clinic_patient_id=invitation.clinic_patient_id if invitation.is_patient else "",
        is_active=invitation.is_patient,
    )
    password_validation.validate_password(password, user)
    user.set_password(password)
    user.full_clean(exclude=["password"])
    user.save()
    ConsentRecord.objects.create(user=user, version=TERMS_VERSION)
    if invitation.is_patient:
        inviter = invitation.invited_by
        if inviter.is_active and inviter.is_clinician and inviter.clinic_id == invitation.clinic_id:
            CareTeamMembership.objects.create(patient=user, clinician=inviter)
    invitation.accepted_at = timezone.now()
    invitation.accepted_user = user
    invitation.save(update_fields=["accepted_at", "accepted_user"])
    return user


@transaction.atomic
def consent_record(*, user: User, version: str = TERMS_VERSION) -> ConsentRecord:
    """Record that `user` accepted this version: once per version (a second acceptance keeps the first time)."""
    record, _ = ConsentRecord.objects.get_or_create(user=user, version=version)
    return record


# Clinicians' accounts (the clinic manager).


def _same_clinic_clinician(*, manager: User, clinician: User) -> None:
    if not (manager.is_clinic_manager and manager.clinic_id and manager.clinic_id == clinician.clinic_id):
        raise ValidationError("Only this clinic's manager can change this account.")
    if not clinician.is_clinician:
        raise ValidationError("This is not a clinician's account.")


@transaction.atomic
def clinician_approve(*, manager: User, clinician: User) -> User:
    """Let an invited clinician who has joined sign in (they set up their second step at the first sign-in)."""
    _same_clinic_clinician(manager=manager, clinician=clinician)
    invitation = Invitation.objects.select_for_update().filter(accepted_user=clinician).first()
    if invitation is not None and invitation.approved_at is None:
        invitation.approved_at = timezone.now()
        invitation.approved_by = manager
        invitation.save(update_fields=["approved_at", "approved_by"])
    if not clinician.is_active:
        clinician.is_active = True
        clinician.save(update_fields=["is_active"])
    return clinician


@transaction.atomic
def clinician_deactivate(*, manager: User, clinician: User) -> User:
    """Stop a colleague signing in. Nothing is deleted; their care-team links stay on record."""
    _same_clinic_clinician(manager=manager, clinician=clinician)
    if clinician.pk == manager.pk:
        raise ValidationError("You cannot deactivate your own account; ask another clinic manager.")
    if clinician.is_active:
        clinician.is_active = False
        clinician.save(update_fields=["is_active"])
    return clinician


def clinician_second_factors_reset(*, manager: User, clinician: User, client_address: str | None = None) -> None:
    """Remove a colleague's second factors (a lost phone): they set up anew at their next sign-in.

    The one place the product resets someone else's second factors;
    second_factors_reset records it in the audit trail in the same transaction.
    """
    from tracker.mfa.services import second_factors_reset

    _same_clinic_clinician(manager=manager, clinician=clinician)
    second_factors_reset(user=clinician, by=manager, client_address=client_address)


@transaction.atomic
def clinic_update(*, manager: User, clinic: Clinic, **fields) -> Clinic:
    if not (manager.is_clinic_manager and manager.clinic_id == clinic.pk):
        raise ValidationError("Only this clinic's manager can change its details.")
    for name, value in fields.items():
        setattr(clinic, name, value)
    clinic.full_clean()
    clinic.save()
    return clinic


# Care teams.


@transaction.atomic
def care_team_add(*, patient: User, clinician: User, by: User) -> CareTeamMembership:
    """Link a colleague of the same clinic to a patient. Adding someone already linked changes nothing."""
    if not (
        clinician.is_clinician
        and clinician.is_active
        and clinician.clinic_id is not None
        and clinician.clinic_id == patient.clinic_id == by.clinic_id
    ):
        raise ValidationError({"clinician": "Choose a physiotherapist or doctor of your clinic."})
    existing = CareTeamMembership.objects.active().filter(patient=patient, clinician=clinician).first()
    if existing is not None:
        return existing
    try:
        with transaction.atomic():
            link = CareTeamMembership.objects.create(patient=patient, clinician=clinician)
    except IntegrityError:
        return CareTeamMembership.objects.active().get(patient=patient, clinician=clinician)
    CareTeamChange.objects.create(membership=link, kind=CareTeamChange.Kind.ADDED, by=by)
    return link


@transaction.atomic
def care_team_end(*, link: CareTeamMembership, by: User) -> CareTeamMembership:
    """End a care-team link, kept on record with who ended it and when. Ending it twice changes nothing."""
    link = CareTeamMembership.objects.select_for_update().get(pk=link.pk)
    if link.ended_at is None:
        link.ended_at = timezone.now()
        link.save(update_fields=["ended_at"])
        CareTeamChange.objects.create(membership=link, kind=CareTeamChange.Kind.ENDED, by=by, at=link.ended_at)
    return link


# Discharge.


@transaction.atomic
def patient_discharge(*, patient: User, by: User, reason: str, submission_token: uuid.UUID | None = None) -> Discharge:
    """Discharge a patient: off the default caseload, no program, no flags. Nothing is deleted."""
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError({"reason": "Write the reason for the discharge."})
    earlier = existing_submission(Discharge, submission_token, patient=patient)
    if earlier is not None:
        return earlier
    locked = User.objects.select_for_update().get(pk=patient.pk)
    if locked.discharged_at is not None:
        raise ValidationError("This patient is already discharged.")
    discharge = Discharge.objects.create(
        patient=locked, reason=reason, discharged_by=by, submission_token=submission_token
    )
    locked.discharged_at = discharge.discharged_at
    locked.save(update_fields=["discharged_at"])
    patient.discharged_at = locked.discharged_at
    return discharge


@transaction.atomic
def patient_readmit(*, patient: User, by: User) -> Discharge | None:
    """Bring a discharged patient back: the same care team, program and flags as before. Twice changes nothing."""
    locked = User.objects.select_for_update().get(pk=patient.pk)
    discharge = Discharge.objects.select_for_update().filter(patient=locked, readmitted_at__isnull=True).first()
    if discharge is not None:
        discharge.readmitted_at = timezone.now()
        discharge.readmitted_by = by
        discharge.save(update_fields=["readmitted_at", "readmitted_by"])
    if locked.discharged_at is not None:
        locked.discharged_at = None
        locked.save(update_fields=["discharged_at"])
    patient.discharged_at = None
    return discharge


# The patient's own account.


@transaction.atomic
def account_update(*, user: User, email: str, phone: str, time_zone: str, base_url: str) -> bool:
    """Save the phone and time zone now; a new e-mail only once confirmed from a link sent to it.

    Returns True if a confirmation e-mail was queued.
    """
    from .tasks import send_email_change

    user.phone = phone.strip()
    user.time_zone = time_zone
    user.full_clean(exclude=["password", "username", "email"])
    user.save(update_fields=["phone", "time_zone"])
    email = normalise_email(email)
    if email and email != normalise_email(user.email):
        enqueue_durably(send_email_change, user.pk, email, base_url)
        return True
    return False


@transaction.atomic
def email_change_confirm(*, claim: dict) -> User:
    """Use the new address from a genuine link. LinkProblem if the link is used up or the address taken."""
    user = User.objects.select_for_update().filter(pk=claim["u"], is_active=True).first()
    if user is None:
        raise LinkProblem("forged")
    if normalise_email(user.email) == normalise_email(claim["new"]):
        raise LinkProblem("email_done")
    if normalise_email(user.email) != normalise_email(claim["old"]):
        raise LinkProblem("replaced_email")
    if User.objects.filter(email__iexact=claim["new"]).exclude(pk=user.pk).exists():
        raise LinkProblem("email_taken")
    user.email = normalise_email(claim["new"])
    user.save(update_fields=["email"])
    return user
