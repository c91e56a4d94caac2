"""Reading flags for the person looking: a patient's own alerts, a clinician's alert list.

Both run a fixed number of queries, whatever the number of flags or patients.
"""

from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from tracker.models import Flag, FlagNotification, FlagStatus, NotificationStatus, Role, Severity, User
from tracker.selectors import care_team_of, patients_visible_to

from .titles import SYSTEM_RULE_FAILED


@dataclass(frozen=True)
class PatientAlerts:
    """What the patient is told: emergencies first, then who to contact and why, then paused exercises.

    Flags about the app itself ("a safety check could not run") are for the
    care team only and never appear here.
    """

    emergencies: list[Flag] = field(default_factory=list)
    contacts: list[Flag] = field(default_factory=list)
    reviews: list[Flag] = field(default_factory=list)
    physiotherapists: list[User] = field(default_factory=list)
    doctors: list[User] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.emergencies or self.contacts or self.reviews)

    @property
    def emergency_explanations(self) -> list[str]:
        return [flag.explanation for flag in self.emergencies]

    @property
    def contacts_still_apply(self) -> bool:
        """False when every contact flag is about something the latest check-ins no longer show."""
        return any(flag.still_applies for flag in self.contacts)

    @property
    def care_team_names(self) -> list[str]:
        return [f"{person.display_name} (physiotherapist)" for person in self.physiotherapists] + [
            f"{person.display_name} (doctor)" for person in self.doctors
        ]


def patient_alerts(*, patient: User) -> PatientAlerts:
    """The patient's unresolved flags, grouped by severity, oldest first, with their care team. Two queries."""
    flags = list(
        Flag.objects.unresolved()
        .filter(patient=patient)
        .exclude(rule_id=SYSTEM_RULE_FAILED)
        .select_related("assignment__exercise")
        .order_by("-severity", "opened_at", "id")
    )
    if not flags:
        return PatientAlerts()
    team = list(care_team_of(patient=patient))
    return PatientAlerts(
        emergencies=[flag for flag in flags if flag.severity == Severity.EMERGENCY],
        contacts=[flag for flag in flags if flag.severity == Severity.CONTACT_PROVIDER],
        reviews=[flag for flag in flags if flag.severity == Severity.REVIEW_EXERCISE],
        physiotherapists=[person for person in team if person.role == Role.PHYSIOTHERAPIST],
        doctors=[person for person in team if person.role == Role.DOCTOR],
    )


def alerts_for_clinician(*, clinician: User) -> list[Flag]:
    """Unresolved flags of the patients on the clinician's active caseload: most severe first, then oldest.

    Anyone who is not a clinician gets an empty list. One query.
    """
    if not clinician.is_clinician:
        return []
    return list(
        Flag.objects.unresolved()
        .filter(patient__in=patients_visible_to(user=clinician))
        .select_related("patient", "assignment__exercise", "acknowledged_by")
        .order_by("-severity", "opened_at", "id")
    )


def flag_for_clinician(*, clinician: User, patient: User, flag_id: int) -> Flag:
    """One of this patient's flags, for a clinician already allowed to see the patient; raises Flag.DoesNotExist."""
    return Flag.objects.select_related("patient", "assignment__exercise", "acknowledged_by", "resolved_by").get(
        pk=flag_id, patient=patient
    )


def unreached_emergency_flags(*, now: datetime | None = None) -> QuerySet[Flag]:
    """Open emergency flags whose care team has not been reached, NOTIFY_ESCALATE_AFTER_MINUTES after they rose.

    "Reached" means an e-mail about the emergency was delivered, or a
    clinician has acknowledged or resolved the flag. A flag whose care team
    has nobody with an e-mail address is never reached by e-mail, so it shows
    here too once the time has passed.
    """
    now = now or timezone.now()
    cutoff = now - timedelta(minutes=settings.NOTIFY_ESCALATE_AFTER_MINUTES)
    emergency_emails = FlagNotification.objects.filter(flag=OuterRef("pk"), severity=Severity.EMERGENCY)
    return (
        Flag.objects.filter(status=FlagStatus.OPEN, severity=Severity.EMERGENCY)
        .filter(
            Exists(emergency_emails.filter(created_at__lte=cutoff))
            | (~Exists(emergency_emails) & Q(opened_at__lte=cutoff))
        )
        .exclude(Exists(emergency_emails.filter(status=NotificationStatus.SENT)))
    )


def unreached_among(alerts: list[Flag], *, now: datetime | None = None) -> list[Flag]:
    """The unreached_emergency_flags among these unresolved flags, oldest first.

    Only an open emergency can be unreached, so a list without one (the usual
    case) needs no query; otherwise one query over those flags alone.
    """
    open_emergencies = [
        flag.pk for flag in alerts if flag.status == FlagStatus.OPEN and flag.severity == Severity.EMERGENCY
    ]
    if not open_emergencies:
        return []
    return list(
        unreached_emergency_flags(now=now)
        .filter(pk__in=open_emergencies)
        .select_related("patient")
        .order_by("opened_at", "id")
    )
