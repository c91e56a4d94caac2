"""Reading the audit trail: the patient's own summary and the clinic's review."""

from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Max, Q, QuerySet
from django.db.models.functions import TruncDate

from tracker.models import Role, User

from .models import AuditAction, AuditEvent, AuditOutcome
from .policy import can_review_clinic_audit
from .services import STAFF_ROLE

ROLE_NAMES = {
    Role.PHYSIOTHERAPIST: "Physiotherapist",
    Role.DOCTOR: "Doctor",
    STAFF_ROLE: "Clinic staff",
}
PATIENT_PAGE_LIMIT = 200


@dataclass(frozen=True)
class StaffVisit:
    day: date
    name: str
    role: str
    looks: int
    changes: int


def staff_visits_for(*, patient: User) -> list[StaffVisit]:
    """Clinic staff who looked at or changed this patient's record, one line per person and day, newest first.

    Only what was allowed: a refused attempt showed them nothing. The patient's
    own visits are not listed. Days are the patient's own local days. One query.
    """
    rows = (
        AuditEvent.objects.filter(patient_id=patient.pk, outcome=AuditOutcome.ALLOWED)
        .exclude(actor_id=patient.pk)
        .exclude(actor_role=Role.PATIENT)
        .annotate(day=TruncDate("at", tzinfo=patient.zone))
        .values("day", "actor_id", "actor_role", "actor__first_name", "actor__last_name", "actor__username")
        .annotate(
            looks=Count("id", filter=Q(action=AuditAction.READ)),
            changes=Count("id", filter=Q(action=AuditAction.CHANGE)),
            last=Max("at"),
        )
        .order_by("-day", "-last")[:PATIENT_PAGE_LIMIT]
    )
    return [
        StaffVisit(
            day=row["day"],
            name=" ".join(part for part in (row["actor__first_name"], row["actor__last_name"]) if part)
            or row["actor__username"]
            or "A former member of staff",
            role=ROLE_NAMES.get(row["actor_role"], "Clinic staff"),
            looks=row["looks"],
            changes=row["changes"],
        )
        for row in rows
    ]


def audit_events_for_review(*, viewer: User) -> QuerySet[AuditEvent]:
    """Every audit row the viewer may review. The one place that decides the scope.

    Staff see the whole trail. A clinic manager sees the rows of their own
    clinic: what its people did, and every look at its patients' records (an
    admin's included), never another clinic's.
    """
    if not can_review_clinic_audit(viewer):
        return AuditEvent.objects.none()
    if viewer.is_staff:
        return AuditEvent.objects.all()
    return AuditEvent.objects.filter(Q(actor__clinic_id=viewer.clinic_id) | Q(patient__clinic_id=viewer.clinic_id))


def filtered_events(
    events: QuerySet[AuditEvent],
    *,
    person: str = "",
    patient: str = "",
    action: str = "",
    start: date | None = None,
    end: date | None = None,
) -> QuerySet[AuditEvent]:
    """The rows matching the review's filters (names or usernames contain the words given)."""
    if person:
        events = events.filter(_name_matches("actor", person))
    if patient:
        events = events.filter(_name_matches("patient", patient))
    if action == "refused":
        events = events.filter(outcome=AuditOutcome.REFUSED)
    elif action in AuditAction.values:
        events = events.filter(action=action)
    if start is not None:
        events = events.filter(at__date__gte=start)
    if end is not None:
        events = events.filter(at__date__lte=end)
    return events.select_related("actor", "patient").order_by("-at", "-id")


def _name_matches(field: str, text: str) -> Q:
    condition = Q()
    for word in text.split():
        condition &= (
            Q(**{f"{field}__username__icontains": word})
            | Q(**{f"{field}__first_name__icontains": word})
            | Q(**{f"{field}__last_name__icontains": word})
        )
    number = text.strip()
    if number.isascii() and number.isdigit() and len(number) <= 15:
        condition |= Q(**{f"{field}_id": int(number)})
    return condition
