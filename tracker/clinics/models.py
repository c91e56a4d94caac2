"""The clinic (the tenant), invitations to join it, consent to its terms, and discharge episodes.

Every clinician and patient belongs to one clinic (tracker.User.clinic). A
clinician never sees anyone from another clinic: tracker.selectors decides it.
"""

from django.conf import settings
from django.db import models
from django.utils import timezone

from tracker.models.accounts import Condition, Role, default_time_zone, validate_time_zone

# How long an invitation link works.
INVITATION_DAYS = 7


class Clinic(models.Model):
    name = models.CharField(max_length=120)
    phone = models.CharField(max_length=40, blank=True, help_text="Shown to patients: how to reach the clinic.")
    emergency_number = models.CharField(
        max_length=20,
        blank=True,
        help_text="The local emergency number (e.g. 999, 911, 112), a tap-to-call button on every emergency "
        "message. Empty: the EMERGENCY_PHONE_NUMBER setting.",
    )
    time_zone = models.CharField(max_length=64, default=default_time_zone, validators=[validate_time_zone])
    address = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def emergency_number_or_default(self) -> str:
        return self.emergency_number or settings.EMERGENCY_PHONE_NUMBER


class InvitationQuerySet(models.QuerySet):
    def open(self):
        """Neither accepted nor cancelled (possibly expired)."""
        return self.filter(accepted_at__isnull=True, cancelled_at__isnull=True)


class InvitationStatus(models.TextChoices):
    PENDING = "pending", "Pending"
    ACCEPTED = "accepted", "Accepted"
    EXPIRED = "expired", "Expired"
    CANCELLED = "cancelled", "Cancelled"


class Invitation(models.Model):
    """An e-mail invitation to join a clinic, as a patient or a clinician.

    The link carries a signature of this row (tracker.clinics.tokens), valid for
    INVITATION_DAYS from its last sending and only while the row is open.
    """

    clinic = models.ForeignKey(Clinic, on_delete=models.CASCADE, related_name="invitations")
    email = models.EmailField()
    role = models.CharField(max_length=20, choices=Role.choices)
    first_name = models.CharField(max_length=150)
    last_name = models.CharField(max_length=150)
    condition = models.CharField(max_length=20, choices=Condition.choices, blank=True)
    time_zone = models.CharField(max_length=64, validators=[validate_time_zone])
    date_of_birth = models.DateField(null=True, blank=True)
    phone = models.CharField(max_length=40, blank=True)
    clinic_patient_id = models.CharField(max_length=40, blank=True)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="invitations_sent")
    created_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(default=timezone.now)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="invitation"
    )
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # Clinicians only: the clinic manager's approval before they can sign in.
    approved_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    # The invite form's one-time token: a double submit finds this row (tracker.idempotency).
    submission_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["-sent_at", "-id"]
        constraints = [
            # Stored lower-case (the service normalises it): one open invitation per address and clinic.
            models.UniqueConstraint(
                fields=["clinic", "email"],
                condition=models.Q(accepted_at__isnull=True, cancelled_at__isnull=True),
                name="invitation_one_open_per_email",
                violation_error_message="This person already has an invitation waiting.",
            ),
            models.CheckConstraint(
                condition=models.Q(role=Role.PATIENT, condition__in=Condition.values)
                | (models.Q(role__in=[Role.PHYSIOTHERAPIST, Role.DOCTOR]) & models.Q(condition="")),
                name="invitation_condition_only_for_patients",
            ),
            models.CheckConstraint(
                condition=models.Q(accepted_at__isnull=True) | models.Q(cancelled_at__isnull=True),
                name="invitation_not_accepted_and_cancelled",
            ),
        ]
        indexes = [models.Index(fields=["clinic", "-sent_at"], name="invitation_clinic_sent_idx")]

    def __str__(self) -> str:
        return f"{self.email} → {self.clinic}"

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()

    @property
    def expires_at(self):
        return self.sent_at + timezone.timedelta(days=INVITATION_DAYS)

    @property
    def status(self) -> str:
        if self.accepted_at:
            return InvitationStatus.ACCEPTED
        if self.cancelled_at:
            return InvitationStatus.CANCELLED
        if timezone.now() >= self.expires_at:
            return InvitationStatus.EXPIRED
        return InvitationStatus.PENDING

    @property
    def status_label(self) -> str:
        return InvitationStatus(self.status).label

    @property
    def is_patient(self) -> bool:
        return self.role == Role.PATIENT

    @property
    def awaiting_approval(self) -> bool:
        return self.accepted_at is not None and self.role != Role.PATIENT and self.approved_at is None


class ConsentRecord(models.Model):
    """A person accepted this version of their clinic's terms and privacy notice. Once per version."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="consents")
    version = models.CharField(max_length=20)
    accepted_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "version"], name="consent_once_per_version")]

    def __str__(self) -> str:
        return f"{self.user} accepted terms {self.version}"


class Discharge(models.Model):
    """One discharge episode: who, when, why, and the re-admission that ended it (if any).

    tracker.User.discharged_at mirrors the open episode for fast filtering.
    """

    patient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="discharges")
    reason = models.TextField()
    discharged_at = models.DateTimeField(default=timezone.now)
    discharged_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    readmitted_at = models.DateTimeField(null=True, blank=True)
    readmitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    # The discharge form's one-time token: a double submit finds this row (tracker.idempotency).
    submission_token = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    class Meta:
        ordering = ["-discharged_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["patient"],
                condition=models.Q(readmitted_at__isnull=True),
                name="discharge_one_open_per_patient",
                violation_error_message="This patient is already discharged.",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.patient} discharged {self.discharged_at:%Y-%m-%d}"


class CareTeamChange(models.Model):
    """Who added or ended a care-team link from the product, and when (the link itself keeps its dates)."""

    class Kind(models.TextChoices):
        ADDED = "added", "Added"
        ENDED = "ended", "Ended"

    membership = models.ForeignKey("tracker.CareTeamMembership", on_delete=models.CASCADE, related_name="changes")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["at", "id"]
        constraints = [models.UniqueConstraint(fields=["membership", "kind"], name="care_team_change_once_per_kind")]

    def __str__(self) -> str:
        return f"{self.membership} {self.kind} by {self.by}"
