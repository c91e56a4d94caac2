"""Past visits in the audit trail for the demo, so "Who has looked at my record" has something to show.

Idempotent: added once, when the demo patients have no staff visits on record.
"""

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from .models import AuditAction, AuditEvent
from .services import audit_record

# days ago, who (physio or doctor), page, action
DEMO_VISITS = [
    (9, "physio", "patient_detail", AuditAction.READ),
    (9, "physio", "program_add", AuditAction.CHANGE),
    (6, "doctor", "patient_report", AuditAction.READ),
    (2, "physio", "patient_detail", AuditAction.READ),
    (2, "physio", "note_create", AuditAction.CHANGE),
]


@transaction.atomic
def seed_audit(*, clinic) -> None:
    patients = [clinic.patient_active, clinic.patient_flagged]
    clinicians = {"physio": clinic.physio, "doctor": clinic.doctor}
    if AuditEvent.objects.filter(patient_id__in=[patient.pk for patient in patients]).exists():
        return
    now = timezone.now().replace(hour=10, minute=0, second=0, microsecond=0)
    for patient in patients:
        for days_ago, who, view_name, action in DEMO_VISITS:
            audit_record(
                actor=clinicians[who],
                action=action,
                view_name=view_name,
                patient_id=patient.pk,
                method="GET" if action == AuditAction.READ else "POST",
                status_code=200,
                client_address="127.0.0.1",
                at=now - timedelta(days=days_ago),
            )
