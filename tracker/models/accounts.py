from zoneinfo import ZoneInfo, available_timezones

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.crypto import salted_hmac


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
    # When the care team discharged this patient (None: under care). Nothing is
    # sent to a discharged patient (tracker.reminders).
    discharged_at = models.DateTimeField(null=True, blank=True)

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
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.time_zone)

    def local_today(self):
        """Today's date where this person lives; a check-in belongs to this day."""
        return timezone.localdate(timezone=self.zone)
