from zoneinfo import ZoneInfo, available_timezones

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.crypto import salted_hmac
from simple_history.models import HistoricalRecords


class Role(models.TextChoices):
    PATIENT = "patient", "Patient"
    PHYSIOTHERAPIST = "physiotherapist", "Physiotherapist"
    DOCTOR = "doctor", "Doctor"


class Condition(models.TextChoices):
    """Where the patient's nerve is pinched; decides which questions and rules apply."""

    NECK = "neck", "Neck (cervical)"
    LOWER_BACK = "lower_back", "Lower back (lumbar)"


def validate_time_zone(value: str) -> None:
    if value not in available_timezones():
        raise ValidationError(f"{value!r} is not a time zone name such as Europe/London.")


def default_time_zone() -> str:
    return settings.CLINIC_TIME_ZONE


class ChangeHistory(HistoricalRecords):
    """History of real changes: a save that touches only fields history does not keep adds no row.

    Signing in updates `last_login` alone; that is the sign-in log's business
    (and the audit trail's), not a change to the account.
    """

    def post_save(self, instance, created, using=None, **kwargs):
        update_fields = kwargs.get("update_fields")
        if not created and update_fields and set(update_fields) <= set(self.excluded_fields):
            return
        super().post_save(instance, created, using=using, **kwargs)


class User(AbstractUser):
    """Everyone who signs in. Admins are staff users and need no role."""

    role = models.CharField(max_length=20, choices=Role.choices, blank=True)
    condition = models.CharField(
        max_length=20,
        choices=Condition.choices,
        blank=True,
        help_text="Patients only: where the pinched nerve is.",
    )
    time_zone = models.CharField(max_length=64, default=default_time_zone, validators=[validate_time_zone])
    # Part of the hash every session of this person carries: changing it signs
    # out every other device (tracker.signin.sessions.sign_out_other_devices).
    session_salt = models.CharField(max_length=32, blank=True, editable=False)
    # Patients only: when they were discharged (the open tracker.clinics Discharge), for fast filtering.
    discharged_at = models.DateTimeField(null=True, blank=True)
    # The tenant: every clinician and patient belongs to one clinic; admins (staff) to none.
    clinic = models.ForeignKey(
        "clinics.Clinic", on_delete=models.PROTECT, null=True, blank=True, related_name="members"
    )
    # A clinician who also runs the clinic's account pages (see README, "Running a clinic").
    is_clinic_manager = models.BooleanField(default=False)
    date_of_birth = models.DateField(null=True, blank=True)
    phone = models.CharField(max_length=40, blank=True)
    clinic_patient_id = models.CharField(
        max_length=40, blank=True, help_text="Patients only: the clinic's own id for this patient."
    )
    # Who changed a role, a name, staff status or an account's active state, and when.
    # Secrets (the password hash, the session salt) and sign-in times are not copied.
    history = ChangeHistory(excluded_fields=["password", "session_salt", "last_login"])

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(role__in=["", *Role.values]),
                name="user_role_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(role=Role.PATIENT, condition__in=Condition.values)
                | (~models.Q(role=Role.PATIENT) & models.Q(condition="")),
                name="user_condition_only_for_patients",
            ),
            models.CheckConstraint(
                condition=models.Q(role="") | models.Q(clinic__isnull=False),
                name="user_clinician_or_patient_has_clinic",
            ),
            models.CheckConstraint(
                condition=models.Q(is_clinic_manager=False) | models.Q(role__in=[Role.PHYSIOTHERAPIST, Role.DOCTOR]),
                name="user_clinic_manager_is_clinician",
            ),
        ]

    def __str__(self) -> str:
        return self.display_name

    def _get_session_auth_hash(self, secret=None) -> str:
        """Django's hash of the password, with the session salt: a new password or salt ends other sessions.

        The hash is compared on every request (django.contrib.auth.get_user);
        `secret` lets sessions survive a SECRET_KEY rotation, as in Django.
        """
        return salted_hmac(
            # Django's own salt: with no session salt yet, sessions signed in before it existed stay valid.
            "django.contrib.auth.models.AbstractBaseUser.get_session_auth_hash",
            self.password + self.session_salt,
            secret=secret,
            algorithm="sha256",
        ).hexdigest()

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username

    @property
    def is_patient(self) -> bool:
        return self.role == Role.PATIENT

    @property
    def is_physiotherapist(self) -> bool:
        return self.role == Role.PHYSIOTHERAPIST

    @property
    def is_doctor(self) -> bool:
        return self.role == Role.DOCTOR

    @property
    def is_clinician(self) -> bool:
        return self.role in (Role.PHYSIOTHERAPIST, Role.DOCTOR)

    @property
    def is_discharged(self) -> bool:
        return self.discharged_at is not None

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone)

    def local_today(self):
        """Today's date where this person lives; a check-in belongs to this day."""
        return timezone.localdate(timezone=self.zone)
