"""The triage inbox: each patient with unresolved flags as one card.

A card holds the patient's unresolved flags (most severe first, then oldest),
their highest severity, when the oldest was opened, and who on the care team
has marked them as seen. Cards come most urgent first: highest severity, then
the longest-waiting. One query whatever the number of flags or patients.
"""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import TextChoices

from tracker.flags.selectors import alerts_for_clinician
from tracker.models import Flag, FlagStatus, Severity, User


class SeverityFilter(TextChoices):
    """The inbox's filter: cards whose highest severity is this one (or all)."""

    ALL = "", "All alerts"
    EMERGENCY = "emergency", "Emergency"
    CONTACT = "contact", "Contact provider"
    REVIEW = "review", "Review exercise"


FILTER_SEVERITY = {
    SeverityFilter.EMERGENCY: Severity.EMERGENCY,
    SeverityFilter.CONTACT: Severity.CONTACT_PROVIDER,
    SeverityFilter.REVIEW: Severity.REVIEW_EXERCISE,
}


def severity_filter_from(query) -> str:
    """The `severity` query parameter if it is one of the choices, else all."""
    value = query.get("severity", "")
    return value if value in SeverityFilter.values else SeverityFilter.ALL


@dataclass(frozen=True)
class InboxCard:
    patient: User
    flags: list[Flag]

    @property
    def top_severity(self) -> int:
        return self.flags[0].severity

    @property
    def top_severity_label(self) -> str:
        return Severity(self.top_severity).label

    @property
    def oldest_opened_at(self) -> datetime:
        return min(flag.opened_at for flag in self.flags)

    @property
    def seen_by(self) -> list[User]:
        """Everyone who marked one of these flags as seen, in the order they first did."""
        people: dict[int, User] = {}
        for flag in sorted(self.flags, key=lambda flag: (flag.acknowledged_at is None, flag.acknowledged_at)):
            if flag.acknowledged_by is not None:
                people.setdefault(flag.acknowledged_by_id, flag.acknowledged_by)
        return list(people.values())

    @property
    def unseen(self) -> list[Flag]:
        return [flag for flag in self.flags if flag.status == FlagStatus.OPEN]

    @property
    def all_seen(self) -> bool:
        return not self.unseen

    @property
    def urgency_key(self) -> tuple:
        return (-self.top_severity, self.oldest_opened_at, self.patient.pk)


def group_by_patient(flags: list[Flag]) -> list[InboxCard]:
    """Flags (already most severe first, then oldest) as one card per patient, most urgent card first."""
    by_patient: dict[int, list[Flag]] = {}
    for flag in flags:
        by_patient.setdefault(flag.patient_id, []).append(flag)
    cards = [InboxCard(patient=group[0].patient, flags=group) for group in by_patient.values()]
    return sorted(cards, key=lambda card: card.urgency_key)


@dataclass(frozen=True)
class Inbox:
    cards: list[InboxCard]
    severity: str
    total_cards: int

    @property
    def flag_count(self) -> int:
        return sum(len(card.flags) for card in self.cards)


def inbox_for(*, clinician: User, severity: str = SeverityFilter.ALL, alerts: list[Flag] | None = None) -> Inbox:
    """The clinician's inbox, keeping only cards whose highest severity is `severity` when one is given.

    One query, or none when the caller already holds the clinician's `alerts`
    (alerts_for_clinician; the caseload page keeps them in its cache).
    """
    if alerts is None:
        alerts = alerts_for_clinician(clinician=clinician)
    cards = group_by_patient(alerts)
    wanted = FILTER_SEVERITY.get(severity)
    shown = cards if wanted is None else [card for card in cards if card.top_severity == wanted]
    return Inbox(cards=shown, severity=severity, total_cards=len(cards))


def card_for(*, patient: User) -> InboxCard | None:
    """One patient's card (None once nothing is unresolved), for a clinician already allowed to see them. One query."""
    flags = list(
        Flag.objects.unresolved()
        .filter(patient=patient)
        .select_related("patient", "assignment__exercise", "acknowledged_by")
        .order_by("-severity", "opened_at", "id")
    )
    return InboxCard(patient=patient, flags=flags) if flags else None
